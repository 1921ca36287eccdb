package featurejob

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

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
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[tableRow](f, parquet.MaxRowsPerRowGroup(90))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
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
		if !slices.Equal(sum.Columns, []string{"visits", "basket", "score"}) || !sum.AsOf.IsZero() || sum.Categories != nil || sum.Features != path {
			t.Fatalf("columns %v, as_of %v, categories %v, features %q", sum.Columns, sum.AsOf, sum.Categories, sum.Features)
		}
		if sum.Customers != 600 || sum.RowsRead != 600 || len(sum.Files) != 1 || sum.Files[0].Rows != 600 {
			t.Fatalf("customers %d, rows read %d, files %+v", sum.Customers, sum.RowsRead, sum.Files)
		}
		ids := got.Column("customer_id").Strings
		order := make([]int, len(ids))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return compareStrings(ids[a], ids[b]) })
		if len(ids) != want.N() {
			t.Fatalf("%d rows, want %d", len(ids), want.N())
		}
		for k, i := range order {
			if ids[i] != want.IDs[k] {
				t.Fatalf("row %d: id %q, want %q", k, ids[i], want.IDs[k])
			}
			for j, name := range want.Names {
				if g, w := got.Column(name).Floats[i], want.Cols[j][k]; math.Float64bits(g) != math.Float64bits(w) {
					t.Fatalf("customer %s, %s: %v, want %v", ids[i], name, g, w)
				}
			}
		}
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
}
