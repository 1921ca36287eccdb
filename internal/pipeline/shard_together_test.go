package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestShardPassesTogether: passes asked for at once are made in one read
// (as many reads as the fn making the most passes), each pass sees what
// it sees alone, and a fn's error is its own: the others end as alone.
func TestShardPassesTogether(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for s := range 3 { // customers c00000… spread over three shards, each sorted
		ids := data.Column{Name: "customer_id", Kind: data.KindString}
		x := data.Column{Name: "x", Kind: data.KindFloat64}
		y := data.Column{Name: "y", Kind: data.KindInt64}
		for i := s; i < 90_000; i += 3 {
			ids.Strings = append(ids.Strings, fmt.Sprintf("c%05d", i))
			x.Floats = append(x.Floats, float64(i)/7)
			y.Ints = append(y.Ints, int64(i%11))
		}
		p := filepath.Join(dir, fmt.Sprintf("part-%d.parquet", s))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := data.WriteParquet(f, &data.Table{Columns: []data.Column{ids, x, y}}); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	ctx := context.Background()
	// sums makes passes passes over x, each summing it in customer order
	// (the bits depend on the order) plus the pass number.
	sums := func(p *shardPasses, passes int, out *[]float64) func() error {
		return func() error {
			*out = nil
			for k := range passes {
				s := 0.0
				if err := p.scan([]string{"x"}, func(tab *data.Table) error {
					for _, v := range tab.Columns[0].Floats {
						s += v + float64(k)
					}
					return nil
				}); err != nil {
					return err
				}
				*out = append(*out, s)
			}
			return nil
		}
	}
	count := func(p *shardPasses, out *int64) func() error {
		return func() error {
			return p.scan([]string{"y", "customer_id"}, func(tab *data.Table) error {
				for i, v := range tab.Columns[0].Ints {
					if tab.Columns[1].Strings[i] != "" {
						*out += v
					}
				}
				return nil
			})
		}
	}
	boom := errors.New("boom")
	failing := func(p *shardPasses) func() error {
		return func() error {
			if err := p.scan([]string{"y"}, func(*data.Table) error { return nil }); err != nil {
				return err
			}
			return p.scan([]string{"x"}, func(*data.Table) error { return boom })
		}
	}
	alone := newShardPasses(ctx, paths)
	var wantSums []float64
	var wantCount int64
	if err := sums(alone, 3, &wantSums)(); err != nil {
		t.Fatal(err)
	}
	if err := count(alone, &wantCount)(); err != nil {
		t.Fatal(err)
	}

	p := newShardPasses(ctx, paths)
	var gotSums, short []float64
	var gotCount int64
	if err := p.together(sums(p, 3, &gotSums), count(p, &gotCount), sums(p, 1, &short)); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(gotSums) != fmt.Sprint(wantSums) || gotCount != wantCount || len(short) != 1 || short[0] != wantSums[0] {
		t.Errorf("together: sums %v, count %d, one pass %v; alone %v, %d", gotSums, gotCount, short, wantSums, wantCount)
	}
	if n := p.scans.Load(); n != 3 {
		t.Errorf("together: %d reads, want 3", n)
	}

	p = newShardPasses(ctx, paths)
	gotCount = 0
	err := p.together(failing(p), sums(p, 3, &gotSums), count(p, &gotCount))
	if !errors.Is(err, boom) {
		t.Errorf("a fn failing: %v", err)
	}
	if fmt.Sprint(gotSums) != fmt.Sprint(wantSums) || gotCount != wantCount || p.scans.Load() != 3 {
		t.Errorf("beside a fn failing: sums %v, count %d, %d reads; alone %v, %d, 3", gotSums, gotCount, p.scans.Load(), wantSums, wantCount)
	}
	if err := p.together(); err != nil {
		t.Errorf("nothing together: %v", err)
	}
}
