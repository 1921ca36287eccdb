package pipeline

import (
	"reflect"
	"strings"
	"testing"

	"github.com/segment-tool/segment/report"
)

// TestMigrationNames: the cluster migration table names its rows and
// columns by this run's cluster names (a kept key under a fresh name reads
// as that name), a vanished cluster by the previous run's name, marked
// where it repeats one of this run's, and the customers not clustered as
// such; the Markdown table prints the names, not the keys.
func TestMigrationNames(t *testing.T) {
	r := &Result{Profiles: &Profiles{Clusters: []ClusterInfo{{Key: "recent-customers", Name: "Recent small-basket customers"}, {Key: "lapsed", Name: "Lapsed customers"}}},
		Stability: &Stability{Prev: &Previous{Model: &Model{Clusters: []ModelCluster{
			{Key: "recent-customers", Name: "Recent customers"}, {Key: "old-lapsed", Name: "Lapsed customers"}, {Key: "gone", Name: "Big spenders"}}}}}}
	x := crosstab(map[[2]string]int{{"recent-customers", "recent-customers"}: 5, {"old-lapsed", "lapsed"}: 2, {"gone", NotClusteredKey}: 1}, r.keyOrder())
	names := r.keyNames()
	x.RowNames, x.ColNames = namesOf(x.Rows, names), namesOf(x.Cols, names)
	wantRows := []string{"Recent small-basket customers", "Lapsed customers (previous run)", "Big spenders"}
	wantCols := []string{"Recent small-basket customers", "Lapsed customers", "not clustered"}
	if !reflect.DeepEqual(x.RowNames, wantRows) || !reflect.DeepEqual(x.ColNames, wantCols) {
		t.Fatalf("rows %q, columns %q; want %q, %q", x.RowNames, x.ColNames, wantRows, wantCols)
	}
	var b strings.Builder
	if err := report.WriteMarkdown(&b, &report.Run{Stability: &report.Stability{ClusterMigration: x}}); err != nil {
		t.Fatal(err)
	}
	if md := b.String(); !strings.Contains(md, "| Lapsed customers (previous run) | 0 | 2 | 0 |") || strings.Contains(md, "`old-lapsed`") {
		t.Errorf("the Markdown migration table does not name the clusters:\n%s", md)
	}
}
