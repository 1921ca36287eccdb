package featurejob

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestReadShardEmpty: a feature shard of no row (a part of the store whose
// customers are all prospects) reads back with its columns empty, not
// absent, so that the jobs see the store's features in it.
func TestReadShardEmpty(t *testing.T) {
	tab := &data.Table{Columns: []data.Column{{Name: "customer_id", Kind: data.KindString, Strings: []string{}},
		{Name: "frequency", Kind: data.KindFloat64, Floats: []float64{}}, {Name: "monetary", Kind: data.KindFloat64, Floats: []float64{}},
		{Name: "top_category", Kind: data.KindString, Strings: []string{}}}}
	var buf bytes.Buffer
	if err := data.WriteParquetRowGroups(&buf, tab, 1000); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "shard.parquet")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadShard(context.Background(), path, &Summary{Columns: []string{"frequency", "monetary"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.N() != 0 || got.IDs == nil || got.Col("frequency") == nil || got.Col("monetary") == nil || got.TopCategory == nil {
		t.Errorf("an empty shard: %d customers, ids %v, frequency %v, monetary %v, top category %v", got.N(), got.IDs, got.Col("frequency"), got.Col("monetary"), got.TopCategory)
	}
}
