package featurejob

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
	"github.com/parquet-go/parquet-go"

	"github.com/segment-tool/segment/internal/pipeline"
)

// tableRow is a row of a feature table of the user's own columns.
type tableRow struct {
	Plan   string  `parquet:"plan"`
	ID     string  `parquet:"customer_id"`
	Visits int64   `parquet:"visits"`
	Basket float64 `parquet:"basket"`
	Score  float64 `parquet:"score"`
}

// TestTableMatchesLocal runs job 1 on a feature table (Config.Features)
// of 600 customers in row groups of 90 rows, in no id order, under
// Prism's default settings and on one core without dynamic splitting, and
// checks that the shards hold the local run's table (pipeline.
// ReadFeatureTable) bit for bit, with its columns (the text column left
// out), no as_of or mix categories; that every customer is a buyer (no
// frequency column) and the sample is the SampleSize of smallest hash;
// and that the shards and the sample are byte-identical under both
// settings.
func TestTableMatchesLocal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "table.parquet")
	rng := rand.New(rand.NewPCG(3, 4))
	rows := make([]tableRow, 600)
	for i := range rows {
		rows[i] = tableRow{Plan: fmt.Sprint("p", i%3), ID: fmt.Sprintf("c%04d", i), Visits: int64(rng.IntN(30)),
			Basket: 100 * rng.Float64(), Score: rng.NormFloat64()}
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	writeRowGroups(t, path, rows, 90)
	local, err := pipeline.ReadFeatureTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	want := local.Table
	var first []string
	withPrismSettings(t, func(t *testing.T) {
		cfg := Config{Features: path, Out: t.TempDir(), Shards: 4, MinShare: 0.01, Seed: 5, SampleSize: 200}
		if err := runJob(t, cfg); err != nil {
			t.Fatal(err)
		}
		sum, got, hashes := readShards(t, cfg.Out)
		if !slices.Equal(sum.Columns, []string{"visits", "basket", "score"}) || sum.Features != path {
			t.Fatalf("columns %v, features %q", sum.Columns, sum.Features)
		}
		stats := local.Stats
		stats.Files = local.Inputs // run.json's inputs: the table with its checksum
		compareTables(t, sum, got, want, stats)
		fit := sum.Fit
		if fit.Buyers != 600 || fit.SampleRows != 200 || !slices.Equal(fit.Use, want.Names) {
			t.Fatalf("buyers %d, sample %d, use %v", fit.Buyers, fit.SampleRows, fit.Use)
		}
		sample, err := ReadSample(context.Background(), cfg.Out, sum)
		if err != nil {
			t.Fatal(err)
		}
		hashOf := make([]uint64, 0, want.N())
		for _, id := range want.IDs {
			hashOf = append(hashOf, sampleHash(cfg.Seed, id))
		}
		slices.Sort(hashOf)
		for _, id := range sample.IDs {
			if h := sampleHash(cfg.Seed, id); h > hashOf[199] {
				t.Fatalf("customer %s in the sample: hash %d above the 200th smallest %d", id, h, hashOf[199])
			}
		}
		hashes = append(hashes, fileHash(t, filepath.Join(cfg.Out, FeaturesDir, SampleFile)))
		if first == nil {
			first = hashes
		} else if !slices.Equal(hashes, first) {
			t.Fatalf("shard and sample hashes %v, first run's %v", hashes, first)
		}
	})
	// The same table read from a memfs:// URL (remote.go): the same
	// shards and sample, its input named by the URL with the file's
	// checksum.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	url := "memfs://table-test/features.parquet"
	memfs.Write(url, b)
	cfg := Config{Features: url, Out: t.TempDir(), Shards: 4, MinShare: 0.01, Seed: 5, SampleSize: 200}
	if err := runJob(t, cfg); err != nil {
		t.Fatal(err)
	}
	sum, _, hashes := readShards(t, cfg.Out)
	hashes = append(hashes, fileHash(t, filepath.Join(cfg.Out, FeaturesDir, SampleFile)))
	if !slices.Equal(hashes, first) {
		t.Errorf("from %s: shard and sample hashes %v, the local file's %v", url, hashes, first)
	}
	if len(sum.Files) != 1 || sum.Files[0].Path != url || sum.Files[0].SHA256 != local.Inputs[0].SHA256 || sum.Features != url {
		t.Errorf("from %s: files %+v, features %q; want the URL with the checksum %s", url, sum.Files, sum.Features, local.Inputs[0].SHA256)
	}
}

// writeRowGroups writes rows to a Parquet file at path in row groups of
// rowGroup rows.
func writeRowGroups[T any](t *testing.T, path string, rows []T, rowGroup int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f, parquet.MaxRowsPerRowGroup(rowGroup))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
