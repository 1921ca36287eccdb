package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/features"
)

// writeCSV writes lines, one a row, to dir/name and returns its path.
func writeCSV(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// testOptions returns DefaultOptions for a test: outputs in a temporary
// directory, one worker and three restarts (the fits here are tiny), and
// clustering on recency, frequency and monetary.
func testOptions(t *testing.T) *Options {
	t.Helper()
	o := DefaultOptions()
	o.Out = filepath.Join(t.TempDir(), "out")
	o.Workers, o.Restarts = 1, 3
	o.Use = []string{features.RecencyDays, features.Frequency, features.Monetary}
	return &o
}

// column is one named column of a hand-built feature table.
type column struct {
	name string
	v    []float64
}

func col(name string, v ...float64) column { return column{name, v} }

// featureTable builds a feature table (features.FromColumns) by hand.
func featureTable(t *testing.T, ids []string, cols ...column) *features.Table {
	t.Helper()
	names := make([]string, len(cols))
	vals := make([][]float64, len(cols))
	for j, c := range cols {
		names[j], vals[j] = c.name, c.v
	}
	ft, err := features.FromColumns(ids, names, vals)
	if err != nil {
		t.Fatal(err)
	}
	return ft
}

// asOf is the analysis date of the hand-built stores.
var asOf = time.Date(2024, time.July, 1, 0, 0, 0, 0, time.UTC)

// twoGroups is a customer table with two plain groups of six buyers:
// H1…H6 bought recently (3–8 days), often (6–11 orders) and much (900–1400),
// L1…L6 once, long ago (300–350 days) and little (20–45). X1 only returned
// goods (frequency 0, monetary −30): a customer who is not a buyer.
func twoGroups(t *testing.T) *features.Table {
	t.Helper()
	ft := featureTable(t,
		[]string{"H1", "H2", "H3", "H4", "H5", "H6", "L1", "L2", "L3", "L4", "L5", "L6", "X1"},
		col(features.RecencyDays, 3, 4, 5, 6, 7, 8, 300, 310, 320, 330, 340, 350, 200),
		col(features.Frequency, 6, 7, 8, 9, 10, 11, 1, 1, 1, 1, 1, 1, 0),
		col(features.Monetary, 900, 1000, 1100, 1200, 1300, 1400, 20, 25, 30, 35, 40, 45, -30),
	)
	ft.AsOf = asOf
	return ft
}

// sumOf returns the total of col over the rows whose id starts with prefix.
func sumOf(ft *features.Table, name, prefix string) float64 {
	s := 0.0
	for i, id := range ft.IDs {
		if strings.HasPrefix(id, prefix) {
			s += ft.Col(name)[i]
		}
	}
	return s
}

// stages runs the stages from the customer table to the profiles on in,
// as Run does, without a previous run.
func stages(t *testing.T, in *Tables, o *Options) *Result {
	t.Helper()
	r, err := analyse(context.Background(), o, in, nil, &timer{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// clusterOf returns the cluster of customer id in r (−1 when not clustered).
func clusterOf(t *testing.T, r *Result, id string) int {
	t.Helper()
	for i, x := range r.Tables.Table.IDs {
		if x == id {
			return r.Buyers.Label(r.Clustering.Fit, i)
		}
	}
	t.Fatalf("no customer %s", id)
	return 0
}

// blobs returns per points around each centre (n×d row-major), each
// within 0.4 of its centre in every dimension (a fixed pattern of
// offsets), and the blob of each point.
func blobs(centres [][]float64, per int) (x []float64, blob []int) {
	for b, c := range centres {
		for i := range per {
			for j, v := range c {
				x = append(x, v+0.3*float64((i+j)%3-1)+0.1*float64(i%2))
			}
			blob = append(blob, b)
		}
	}
	return x, blob
}

// twoGroupOrders returns the order lines of a store like twoGroups:
// H1…H6 place six to eleven orders of 150 in June 2024, one a day;
// L1…L6 one order of 20–45 in August 2023. Before as_of (2024-07-01).
func twoGroupOrders() []string {
	lines := []string{"order_id,customer_id,time,quantity,unit_price"}
	for c := 1; c <= 6; c++ {
		for k := range 5 + c {
			lines = append(lines, fmt.Sprintf("H%d-%d,H%d,2024-06-%02d 10:00:00,1,150", c, k, c, 10+k))
		}
		lines = append(lines, fmt.Sprintf("L%d-1,L%d,2023-08-%02d 10:00:00,1,%d", c, c, 10+c, 15+5*c))
	}
	return lines
}

// tablesJSON renders the exported contents of in, to compare it before
// and after a stage that must not modify it.
func tablesJSON(t *testing.T, in *Tables) string {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readJSON decodes the JSON file at path into v.
func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// upstream holds the outputs of the stages before Profile.
type upstream struct {
	s *Segments
	b *Buyers
	m *Matrix
	c *Clustering
}

// upToClusters runs Segment, SelectBuyers, BuildMatrix and Cluster on in.
func upToClusters(t *testing.T, in *Tables, o *Options) upstream {
	t.Helper()
	ctx := context.Background()
	var u upstream
	var err error
	if u.s, err = Segment(ctx, in, o); err != nil {
		t.Fatal(err)
	}
	if u.b, err = SelectBuyers(in.Table, o.Log); err != nil {
		t.Fatal(err)
	}
	if u.m, err = BuildMatrix(context.Background(), u.b.Table, o); err != nil {
		t.Fatal(err)
	}
	if u.c, err = Cluster(ctx, u.m, o); err != nil {
		t.Fatal(err)
	}
	return u
}

// clusterOfID returns the cluster of the buyer id under u's fit.
func (u upstream) clusterOfID(t *testing.T, id string) int {
	t.Helper()
	i := slices.Index(u.b.Table.IDs, id)
	if i < 0 {
		t.Fatalf("%s is not a buyer", id)
	}
	return u.c.Fit.Labels[i]
}
