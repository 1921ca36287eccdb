package data

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMergeScan: shards of a table split by id (Parquet, and CSV read in
// pieces smaller than a shard) are read back as one table in id order,
// the asked columns only, nulls kept, in pieces of the asked size; a
// duplicate or unsorted id, a missing column and fn's error stop it, with
// no table's reader left running.
func TestMergeScan(t *testing.T) {
	defer func(n int) { csvScanRows = n }(csvScanRows)
	csvScanRows = 7 // several pieces a CSV shard
	dir := t.TempDir()
	const n, shards = 100, 3
	ids := make([]string, n)
	var parts [shards][]int
	for i := range n {
		ids[i] = fmt.Sprintf("c%03d", i)
		s := (i * 7) % shards // an uneven split
		parts[s] = append(parts[s], i)
	}
	var paths []string
	for s, rows := range parts {
		tab := &Table{Columns: []Column{
			{Name: "customer_id", Kind: KindString},
			{Name: "spend", Kind: KindFloat64, Nulls: make([]bool, len(rows))},
			{Name: "cluster", Kind: KindInt64},
		}}
		var csvText strings.Builder
		csvText.WriteString("cluster,customer_id,spend\n")
		for r, i := range rows {
			tab.Columns[0].Strings = append(tab.Columns[0].Strings, ids[i])
			tab.Columns[1].Floats = append(tab.Columns[1].Floats, float64(i)/2)
			tab.Columns[1].Nulls[r] = i%10 == 0
			tab.Columns[2].Ints = append(tab.Columns[2].Ints, int64(i%4))
			spend := fmt.Sprint(float64(i) / 2)
			if i%10 == 0 {
				spend = ""
			}
			fmt.Fprintf(&csvText, "%d,%s,%s\n", i%4, ids[i], spend)
		}
		if s == 1 {
			paths = append(paths, writeFile(t, dir, "part-1.csv", csvText.String()))
			continue
		}
		paths = append(paths, writeParquetFile(t, dir, fmt.Sprintf("part-%d.parquet", s), tab))
	}
	var got []string
	var sizes []int
	err := MergeScan(context.Background(), paths, "customer_id", []string{"cluster", "spend", "customer_id"}, 16, func(tab *Table) error {
		sizes = append(sizes, tab.NumRows())
		if err := tab.Validate(); err != nil {
			return err
		}
		for i := range tab.NumRows() {
			spend := "null"
			if !tab.Columns[1].IsNull(i) {
				spend = fmt.Sprint(tab.Columns[1].Floats[i])
			}
			got = append(got, fmt.Sprintf("%s %d %s", tab.Columns[2].Strings[i], tab.Columns[0].Ints[i], spend))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		want := fmt.Sprintf("%s %d %v", ids[i], i%4, float64(i)/2)
		if i%10 == 0 {
			want = fmt.Sprintf("%s %d null", ids[i], i%4)
		}
		if i >= len(got) || got[i] != want {
			t.Fatalf("row %d: %q, want %q (%d rows)", i, got[min(i, len(got)-1)], want, len(got))
		}
	}
	if fmt.Sprint(sizes) != "[16 16 16 16 16 16 4]" {
		t.Errorf("pieces of %v rows, want 6 of 16 and the rest", sizes)
	}

	bad := map[string]string{
		"a duplicate id": "customer_id,spend,cluster\nc001,1.5,1\n",
		"unsorted ids":   "customer_id,spend,cluster\nc500,1.5,1\nc499,1.5,1\n",
		"no column":      "customer_id,cluster\nc900,1\n",
		"another kind":   "customer_id,spend,cluster\nc900,1,1\n", // spend: integers here
	}
	for name, text := range bad {
		p := writeFile(t, t.TempDir(), "bad.csv", text)
		err := MergeScan(context.Background(), append(paths[:2:2], p), "customer_id", []string{"spend", "cluster"}, 16, func(*Table) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "bad.csv") || name == "a duplicate id" && !strings.Contains(err.Error(), "part-1.csv") {
			t.Errorf("%s: %v, want an error naming the file", name, err)
		}
	}
	boom := errors.New("boom")
	before := runtime.NumGoroutine()
	if err := MergeScan(context.Background(), paths, "customer_id", []string{"spend"}, 5, func(*Table) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("fn's error: %v", err)
	}
	// A reader that has returned may count a moment longer: wait for it,
	// a second at most.
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(time.Second); after > before && time.Now().Before(deadline); after = runtime.NumGoroutine() {
		time.Sleep(time.Millisecond)
	}
	if after > before {
		t.Errorf("%d goroutines after an early stop, %d before: a table's reader outlived MergeScan", after, before)
	}
}
