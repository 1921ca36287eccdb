package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// TestShardCollapsed: the RFM scores given to nobody, with each such
// letter's most common value and its share, counted in passes over
// assignment shards are ScoreRFM's over the same customers in memory: F
// collapsed by fitted cuts (most customers have one order: two passes find
// its mode), M by frozen cuts above every spend (continuous values, no
// common one: the third pass), R not collapsed; prospects (null scores)
// are not counted.
func TestShardCollapsed(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 3000
	ids := make([]string, n)
	rec, freq, mon := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		ids[i] = fmt.Sprintf("C%05d", i)
		if i%10 == 9 { // a prospect
			continue
		}
		rec[i], freq[i], mon[i] = float64(rng.IntN(400)), 1, float64(rng.IntN(1e6))/100
		if rng.IntN(10) < 3 {
			freq[i] = float64(2 + rng.IntN(8))
		}
	}
	tab, err := features.FromColumns(ids, []string{features.RecencyDays, features.Frequency, features.Monetary}, [][]float64{rec, freq, mon})
	if err != nil {
		t.Fatal(err)
	}
	cuts := features.FitRFMCuts(tab)
	cuts.M = []float64{1000, 2000, 3000, 1e9} // frozen: nobody's score 5
	rfm, err := features.ScoreRFM(tab, cuts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rfm.Collapsed) != 2 || rfm.Collapsed[0].Letter != "F" || rfm.Collapsed[1].Letter != "M" {
		t.Fatalf("in memory, collapsed %+v: not the case tested", rfm.Collapsed)
	}

	// Three shards, each sorted by id, the scores and features of a
	// prospect null as job 2 writes them.
	dir := t.TempDir()
	var paths []string
	for s := range 3 {
		var rows []int
		for i := s; i < n; i += 3 {
			rows = append(rows, i)
		}
		nulls := make([]bool, len(rows))
		cols := []data.Column{{Name: "customer_id", Kind: data.KindString}}
		for _, c := range []struct {
			name   string
			scores []int8
		}{{"r_score", rfm.R}, {"f_score", rfm.F}, {"m_score", rfm.M}} {
			col := data.Column{Name: c.name, Kind: data.KindInt64, Nulls: nulls}
			for _, i := range rows {
				col.Ints = append(col.Ints, int64(c.scores[i]))
			}
			cols = append(cols, col)
		}
		for j, v := range [][]float64{rec, freq, mon} {
			col := data.Column{Name: tab.Names[j], Kind: data.KindFloat64, Nulls: nulls}
			for _, i := range rows {
				col.Floats = append(col.Floats, v[i])
			}
			cols = append(cols, col)
		}
		for k, i := range rows {
			cols[0].Strings = append(cols[0].Strings, ids[i])
			nulls[k] = freq[i] == 0
		}
		p := filepath.Join(dir, fmt.Sprintf("part-%d.parquet", s))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := data.WriteParquet(f, &data.Table{Columns: cols}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	passes := newShardPasses(context.Background(), paths)
	got, err := passes.collapsed(nil)
	read := passes.scans.Load() // the scores' pass, then the modes' three
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rfm.Collapsed) {
		t.Errorf("from the shards %+v, in memory %+v", got, rfm.Collapsed)
	}
	// Given the scores received (job 2's tally): no pass for them, only
	// the modes'.
	var used [3][6]bool
	for l, scores := range [][]int8{rfm.R, rfm.F, rfm.M} {
		for _, s := range scores {
			used[l][s] = s > 0 || used[l][s]
		}
	}
	before := passes.scans.Load()
	if got, err = passes.collapsed(&used); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rfm.Collapsed) || passes.scans.Load()-before != read-1 {
		t.Errorf("given the scores: %+v in %d passes, want %+v in %d", got, passes.scans.Load()-before, rfm.Collapsed, read-1)
	}
}
