package featurejob

import (
	"cmp"
	"context"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// sameBits reports whether two float slices are equal bit for bit.
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// compareFit checks the fit's values in out's features.json against a
// local run on the same table: the RFM cuts (features.FitRFMCuts), the
// buyers, the transform (pipeline.BuildMatrix: Informative and
// FitTransform) bit for bit, the winsorised buyers, and the sample: every
// buyer when they are at most Config.SampleSize, else the SampleSize
// buyers of smallest sampleHash, with their rows.
func compareFit(t *testing.T, out string, cfg Config, local *features.Table) {
	t.Helper()
	sum, err := ReadSummary(out)
	if err != nil {
		t.Fatal(err)
	}
	fit := sum.Fit
	if fit == nil {
		t.Fatal("features.json has no fit")
	}
	if want := features.FitRFMCuts(local); !reflect.DeepEqual(fit.RFMCuts, want) {
		t.Fatalf("RFM cuts %+v, want %+v", fit.RFMCuts, want)
	}
	buyers, err := pipeline.SelectBuyers(local, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Buyers != int64(buyers.Table.N()) {
		t.Fatalf("%d buyers, want %d", fit.Buyers, buyers.Table.N())
	}
	o := pipeline.DefaultOptions()
	o.Use, o.MinShare, o.Scale = cfg.use(), cfg.MinShare, cmp.Or(cfg.Scale, "auto")
	m, err := pipeline.BuildMatrix(context.Background(), buyers.Table, &o)
	if err != nil {
		t.Fatal(err)
	}
	got, want := fit.Transform, m.Transform
	if !slices.Equal(got.Columns, want.Columns) || !slices.Equal(got.Log1p, want.Log1p) {
		t.Fatalf("transform columns %q (log1p %v), want %q (%v)", got.Columns, got.Log1p, want.Columns, want.Log1p)
	}
	for _, c := range []struct {
		name      string
		got, want []float64
	}{{"centre", got.Center, want.Center}, {"scale", got.Scale, want.Scale}, {"lo", got.Lo, want.Lo}, {"hi", got.Hi, want.Hi}} {
		if !sameBits(c.got, c.want) {
			t.Fatalf("transform %s %v, want %v", c.name, c.got, c.want)
		}
	}
	if !reflect.DeepEqual(fit.Excluded, m.Excluded) || fit.Clipped != int64(m.Clipped) {
		t.Fatalf("excluded %v, %d clipped; want %v, %d", fit.Excluded, fit.Clipped, m.Excluded, m.Clipped)
	}

	wantIDs := slices.Clone(buyers.Table.IDs)
	if k := cfg.sampleSize(); len(wantIDs) > k {
		slices.SortFunc(wantIDs, func(a, b string) int {
			return compareItems(sampleItem{Hash: sampleHash(cfg.Seed, a), Row: featureRow{ID: a}}, sampleItem{Hash: sampleHash(cfg.Seed, b), Row: featureRow{ID: b}})
		})
		wantIDs = wantIDs[:k]
		slices.Sort(wantIDs)
	}
	sample, err := data.ReadTable(context.Background(), filepath.Join(out, FeaturesDir, fit.Sample))
	if err != nil {
		t.Fatal(err)
	}
	ids := sample.Column("customer_id").Strings
	if !slices.Equal(ids, wantIDs) || fit.SampleRows != int64(len(ids)) {
		t.Fatalf("sample of %d (%d in features.json), want %d: %.5q…, want %.5q…", len(ids), fit.SampleRows, len(wantIDs), ids, wantIDs)
	}
	for j, name := range local.Names {
		col := sample.Column(name).Floats
		for i, id := range ids {
			k, _ := slices.BinarySearch(local.IDs, id)
			if math.Float64bits(col[i]) != math.Float64bits(local.Cols[j][k]) {
				t.Fatalf("sample: %s of %s = %v, want %v", name, id, col[i], local.Cols[j][k])
			}
		}
	}
	if strings.Contains(fit.Sample, "/") {
		t.Fatalf("sample %q is not a file name", fit.Sample)
	}
}
