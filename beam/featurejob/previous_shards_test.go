package featurejob

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestPreviousShards: the previous run's customers split into shard files
// a few at a time (many appends) read back, shard by shard, as every
// customer of the run in the shard shardOf gives it, with its key,
// segment and date; a file cut anywhere before its end is an error, not
// fewer customers; a previous run that cannot be read leaves no file.
func TestPreviousShards(t *testing.T) {
	const n, shards = 500, 3
	ids, keys, segs, dates := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	segNulls := make([]bool, n)
	for i := range n {
		ids[i], keys[i], segs[i], dates[i] = fmt.Sprintf("C%05d", i), fmt.Sprintf("key-%d", i%4), fmt.Sprintf("seg-%d", i%5), "2024-05-01"
		segNulls[i] = i%6 == 0
	}
	prev := t.TempDir()
	f, err := os.Create(filepath.Join(prev, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	err = data.WriteParquetRowGroups(f, &data.Table{Columns: []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: ids},
		{Name: "cluster_key", Kind: data.KindString, Strings: keys},
		{Name: "rfm_segment", Kind: data.KindString, Strings: segs, Nulls: segNulls},
		{Name: "segment_changed_at", Kind: data.KindString, Strings: dates},
	}}, 64)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := os.Mkdir(filepath.Join(out, FeaturesDir), 0o755); err != nil {
		t.Fatal(err)
	}
	p := &pipeline.Previous{Dir: prev, Model: &pipeline.Model{AsOf: "2024-10-01"}}
	if err := previousShards(context.Background(), out, p, shards, 7); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for k := range shards {
		got, err := readPreviousShard(context.Background(), localFiles(out), k, shards)
		if err != nil {
			t.Fatal(err)
		}
		if got.Model.AsOf != "2024-10-01" {
			t.Errorf("shard %d: as_of %q", k, got.Model.AsOf)
		}
		want := map[string]pipeline.PreviousCustomer{}
		for i, id := range ids {
			if shardOf(id, shards) == k {
				c := pipeline.PreviousCustomer{Key: keys[i], Segment: segs[i], ChangedAt: dates[i]}
				if segNulls[i] {
					c.Segment = ""
				}
				want[id] = c
			}
		}
		if !reflect.DeepEqual(got.Customers, want) {
			t.Errorf("shard %d: %d customers, want %d (or their values differ)", k, len(got.Customers), len(want))
		}
		seen += len(got.Customers)
	}
	if seen != n {
		t.Errorf("%d customers in the shards, want %d", seen, n)
	}

	whole, err := os.ReadFile(filepath.Join(out, FeaturesDir, PreviousName(0, shards)))
	if err != nil {
		t.Fatal(err)
	}
	for cut := range len(whole) {
		if _, err := decodePreviousShard(bufio.NewReader(bytes.NewReader(whole[:cut]))); err == nil {
			t.Fatalf("the file cut at byte %d of %d reads without an error", cut, len(whole))
		}
	}
	if _, err := decodePreviousShard(bufio.NewReader(bytes.NewReader(append(whole, 0)))); err == nil {
		t.Errorf("a byte after the end reads without an error")
	}

	empty := t.TempDir()
	if err := os.Mkdir(filepath.Join(empty, FeaturesDir), 0o755); err != nil {
		t.Fatal(err)
	}
	missing := &pipeline.Previous{Dir: filepath.Join(prev, "none"), Model: p.Model}
	if err := previousShards(context.Background(), empty, missing, shards, 7); err == nil {
		t.Fatal("a previous run without assignments.parquet split without an error")
	}
	if left, _ := os.ReadDir(filepath.Join(empty, FeaturesDir)); len(left) != 0 {
		t.Errorf("after the failure, files left: %v", left)
	}
}
