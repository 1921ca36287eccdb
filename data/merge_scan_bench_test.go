package data

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkMergeScan reads four Parquet shards of a table split by id at
// random (as a scale-out run's assignment shards are, by a hash of the
// id) back as one table in id order, every column, in pieces of 65,536
// rows: 262,144 rows of an id, 20 float, 2 integer and 2 boolean columns,
// one float column nullable with some nulls.
func BenchmarkMergeScan(b *testing.B) {
	const rows, shards = 1 << 18, 4
	rng := rand.New(rand.NewPCG(1, 2))
	parts := make([]*Table, shards)
	for s := range parts {
		t := &Table{Columns: []Column{{Name: "customer_id", Kind: KindString}}}
		for j := range 20 {
			c := Column{Name: fmt.Sprintf("f%02d", j), Kind: KindFloat64}
			if j == 0 {
				c.Nulls = []bool{}
			}
			t.Columns = append(t.Columns, c)
		}
		t.Columns = append(t.Columns, Column{Name: "i0", Kind: KindInt64}, Column{Name: "i1", Kind: KindInt64},
			Column{Name: "b0", Kind: KindBool}, Column{Name: "b1", Kind: KindBool})
		parts[s] = t
	}
	for i := range rows {
		t := parts[rng.IntN(shards)]
		t.Columns[0].Strings = append(t.Columns[0].Strings, fmt.Sprintf("C%07d", i))
		for j := 1; j <= 20; j++ {
			t.Columns[j].Floats = append(t.Columns[j].Floats, rng.Float64())
		}
		t.Columns[1].Nulls = append(t.Columns[1].Nulls, i%13 == 0)
		t.Columns[21].Ints = append(t.Columns[21].Ints, int64(i%8))
		t.Columns[22].Ints = append(t.Columns[22].Ints, int64(i))
		t.Columns[23].Bools = append(t.Columns[23].Bools, i%3 == 0)
		t.Columns[24].Bools = append(t.Columns[24].Bools, i%5 == 0)
	}
	dir := b.TempDir()
	var paths []string
	for s, t := range parts {
		paths = append(paths, writeParquetFile(b, dir, fmt.Sprintf("part-%d.parquet", s), t))
	}
	var cols []string
	for _, c := range parts[0].Columns {
		cols = append(cols, c.Name)
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := MergeScan(context.Background(), paths, "customer_id", cols, 1<<16, func(t *Table) error {
			n += t.NumRows()
			return nil
		})
		if err != nil || n != rows {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
