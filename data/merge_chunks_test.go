package data

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMergeChunks: shards of a table split by key (written in small row
// groups, WriteParquetRowGroups, so read in many pieces), given to the writers
// as MergeChunks, give the same Parquet and CSV bytes as the whole table,
// a nullable column kept nullable though a shard has no null in it; a
// range asked out of order and footers that count other rows are errors.
func TestMergeChunks(t *testing.T) {
	dir := t.TempDir()
	const n = 300
	whole := &Table{Columns: []Column{
		{Name: "customer_id", Kind: KindString},
		{Name: "cluster", Kind: KindInt64},
		{Name: "distance", Kind: KindFloat64, Nulls: make([]bool, n)},
		{Name: "vip", Kind: KindBool},
	}}
	for i := range n {
		whole.Columns[0].Strings = append(whole.Columns[0].Strings, fmt.Sprintf("c%04d", i))
		whole.Columns[1].Ints = append(whole.Columns[1].Ints, int64(i%5))
		whole.Columns[2].Floats = append(whole.Columns[2].Floats, float64(i)/7)
		whole.Columns[2].Nulls[i] = i < 50 && i%2 == 0 // none in the odd rows' shard, nor past row 50
		whole.Columns[3].Bools = append(whole.Columns[3].Bools, i%11 == 0)
	}
	var paths []string
	for s := range 2 {
		var rows []int
		for i := s; i < n; i += 2 {
			rows = append(rows, i)
		}
		part := whole.Take(rows)
		if s == 1 {
			part.Columns[2].Nulls = make([]bool, len(rows)) // no null, still OPTIONAL
		}
		var b bytes.Buffer
		if err := WriteParquetRowGroups(&b, part, 16+s); err != nil { // pieces of other sizes
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("part-%d.parquet", s))
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for _, w := range []struct {
		name  string
		write func(*bytes.Buffer, Chunks) error
	}{
		{"parquet", func(b *bytes.Buffer, c Chunks) error { return WriteParquetChunks(b, c) }},
		{"csv", func(b *bytes.Buffer, c Chunks) error { return WriteCSVChunks(b, c) }},
	} {
		var want, got bytes.Buffer
		if err := w.write(&want, Whole(whole)); err != nil {
			t.Fatal(err)
		}
		mc, err := OpenMergeChunks(context.Background(), paths, "customer_id")
		if err != nil {
			t.Fatal(err)
		}
		if mc.NumRows() != n {
			t.Errorf("%d rows, want %d", mc.NumRows(), n)
		}
		err = w.write(&got, mc)
		mc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: the shards' bytes differ from the whole table's (%d against %d bytes)", w.name, got.Len(), want.Len())
		}
	}

	for _, p := range paths {
		f, pf, err := openParquet(p)
		if err != nil {
			t.Fatal(err)
		}
		if groups, rows := len(pf.RowGroups()), pf.NumRows(); groups < int(rows)/17 {
			t.Errorf("%s: %d row groups for %d rows, want groups of 16 or 17", p, groups, rows)
		}
		f.Close()
	}
	mc, err := OpenMergeChunks(context.Background(), paths, "customer_id")
	if err != nil {
		t.Fatal(err)
	}
	var first *Table
	for lo := 0; lo < n; lo += 100 { // ranges past the nulls are nullable as the first
		r, err := CheckedRows(mc, lo, lo+100, first)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = r
		}
	}
	mc.Close()
	if mc, err = OpenMergeChunks(context.Background(), paths, "customer_id"); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckedRows(mc, 10, 20, nil); err == nil || !strings.Contains(err.Error(), "after row 0") {
		t.Errorf("a range out of order: %v", err)
	}
	mc.Close()
	if _, err := OpenMergeChunks(context.Background(), append(paths, writeFile(t, dir, "x.csv", "customer_id\nz\n")), "customer_id"); err == nil {
		t.Error("a CSV shard: no error")
	}
}
