package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/exports"
)

// TestPreviousTags: the tags of a previous run's customers read from its
// assignments.parquet as the exports ask for them, in id order, across
// the reader's pieces, are the tags its exports gave (RFM segment when
// not null, cluster key, the model's computed groups only), and a customer
// the previous run did not have is unknown: before the first id, between
// ids, past a piece and after the last.
func TestPreviousTags(t *testing.T) {
	const n = 2*previousTagRows + 500
	ids, keys, segs := make([]string, n), make([]string, n), make([]string, n)
	segNulls, g1, g2 := make([]bool, n), make([]bool, n), make([]bool, n)
	for i := range n {
		ids[i] = fmt.Sprintf("C%06d", 2*i+1) // odd numbers: the even ones are new customers
		keys[i], segs[i] = fmt.Sprintf("key-%d", i%3), fmt.Sprintf("seg-%d", i%4)
		segNulls[i], g1[i], g2[i] = i%5 == 0, i%2 == 0, true
	}
	dir := t.TempDir()
	tab := &data.Table{Columns: []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: ids},
		{Name: "cluster_key", Kind: data.KindString, Strings: keys},
		{Name: "rfm_segment", Kind: data.KindString, Strings: segs, Nulls: segNulls},
		{Name: "g1", Kind: data.KindBool, Bools: g1},
		{Name: "g2", Kind: data.KindBool, Bools: g2},
	}}
	f, err := os.Create(filepath.Join(dir, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if err := data.WriteParquet(f, tab); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	p := &Previous{Dir: dir, Model: &Model{Groups: []ModelGroup{{ID: "g1", Computed: true}, {ID: "g2"}, {ID: "g3", Computed: true}}}}
	pt, err := openPreviousTags(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer pt.Close()
	asked := 0
	for c := 0; c <= 2*n+2; c++ {
		if c%7 != 0 && c%2 == 0 { // skip most new customers, and some old ones below
			continue
		}
		if c%2 == 1 && c%11 == 0 {
			continue
		}
		id := fmt.Sprintf("C%06d", c)
		got, known, err := pt.Tags(id)
		if err != nil {
			t.Fatal(err)
		}
		asked++
		i, old := (c-1)/2, c%2 == 1 && c < 2*n
		if known != old {
			t.Fatalf("%s: known %v, want %v", id, known, old)
		}
		if !old {
			continue
		}
		var want []string
		if !segNulls[i] {
			want = append(want, exports.Tag("rfm", segs[i]))
		}
		want = append(want, exports.Tag("cluster", keys[i]))
		if g1[i] {
			want = append(want, exports.Tag("group", "g1"))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: tags %v, want %v", id, got, want)
		}
	}
	if asked < n {
		t.Fatalf("only %d ids asked", asked)
	}
}
