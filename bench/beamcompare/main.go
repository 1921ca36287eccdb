// Command beamcompare compares a run on Apache Beam (segment run -runner,
// its assignments/ shards) with a local run of the same store (its
// assignments.parquet): how many customers, how many have the same cluster
// key, and the k-means objective of each, Σ distance² over the clustered
// customers. Both runs' transforms are the store's, so the objectives are
// comparable: their ratio is what fitting on a sample costs (issue 18).
//
// Usage: go run ./bench/beamcompare -local LOCAL_OUT -beam BEAM_OUT
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/data"
)

func main() {
	local := flag.String("local", "", "a local run's output folder")
	beam := flag.String("beam", "", "a Beam run's output folder")
	flag.Parse()
	if err := compare(*local, *beam); err != nil {
		fmt.Fprintln(os.Stderr, "beamcompare:", err)
		os.Exit(1)
	}
}

// labels are the cluster keys and distances of one run's customers.
type labels struct {
	key     map[string]string
	inertia float64
	n       int // clustered customers
}

// add adds the rows of an assignments table.
func (l *labels) add(path string) error {
	t, err := data.ReadTable(context.Background(), path)
	if err != nil {
		return err
	}
	ids, keys, dist := t.Column("customer_id"), t.Column("cluster_key"), t.Column("distance")
	if ids == nil || keys == nil || dist == nil {
		return fmt.Errorf("%s: not an assignments table", path)
	}
	for i, id := range ids.Strings {
		l.key[id] = keys.Strings[i]
		if dist.Nulls == nil || !dist.Nulls[i] {
			l.inertia += dist.Floats[i] * dist.Floats[i]
			l.n++
		}
	}
	return nil
}

func compare(localDir, beamDir string) error {
	a, b := labels{key: map[string]string{}}, labels{key: map[string]string{}}
	if err := a.add(filepath.Join(localDir, "assignments.parquet")); err != nil {
		return err
	}
	shards, err := filepath.Glob(filepath.Join(beamDir, "assignments", "part-*.parquet"))
	if err != nil || len(shards) == 0 {
		return fmt.Errorf("%s: no assignments shards", beamDir)
	}
	for _, s := range shards {
		if err := b.add(s); err != nil {
			return err
		}
	}
	same := 0
	for id, k := range a.key {
		if b.key[id] == k {
			same++
		}
	}
	fmt.Printf("customers: local %d, beam %d; same cluster key: %d (%.2f %%)\n", len(a.key), len(b.key), same, 100*float64(same)/float64(len(a.key)))
	fmt.Printf("clustered: local %d, beam %d\n", a.n, b.n)
	fmt.Printf("k-means objective Σ distance²: local %.6g, beam %.6g, ratio %.4f\n", a.inertia, b.inertia, b.inertia/a.inertia)
	return nil
}
