package featurejob

import (
	"cmp"
	"context"
	"encoding/json"
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

// TestModelMatchesLocal runs job 1 on Prism with a sample as large as the
// store, fits the model on it (FitModel) and checks that model.json is the
// local run's on the same store, but for its inputs (the scale-out run
// does not checksum the order files); with a smaller sample, that the
// model is fitted on that many buyers and the transform and RFM cuts are
// still the store's.
func TestModelMatchesLocal(t *testing.T) {
	_, split := testStore(t)
	cfg := Config{Orders: split, Out: t.TempDir(), Shards: 3, MinShare: 0.01, Seed: 1}
	if err := runJob(t, cfg); err != nil {
		t.Fatal(err)
	}
	o, err := cfg.Options()
	if err != nil {
		t.Fatal(err)
	}
	o.Restarts, o.Workers = 3, 2
	got, err := FitModel(context.Background(), cfg.Out, &o)
	if err != nil {
		t.Fatal(err)
	}
	local := o
	local.Out = filepath.Join(t.TempDir(), "out")
	if _, err := pipeline.Run(context.Background(), local); err != nil {
		t.Fatal(err)
	}
	want, err := pipeline.LoadModel(filepath.Join(local.Out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	want.Inputs = nil
	written, err := pipeline.LoadModel(filepath.Join(cfg.Out, ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*pipeline.Model{got, written} {
		a, _ := json.MarshalIndent(m, "", " ")
		b, _ := json.MarshalIndent(want, "", " ")
		if string(a) != string(b) {
			t.Fatalf("model.json differs from the local run's:\n%s\nwant\n%s", a, b)
		}
	}

	small := cfg
	small.Out, small.SampleSize = t.TempDir(), 400
	if err := runJob(t, small); err != nil {
		t.Fatal(err)
	}
	m, err := FitModel(context.Background(), small.Out, &o)
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, c := range m.Clusters {
		size += c.Size
	}
	if size != 400 || !reflect.DeepEqual(m.Transform, want.Transform) || !reflect.DeepEqual(m.RFMCuts, want.RFMCuts) {
		t.Fatalf("a sample of 400: %d customers clustered, transform %v, cuts %v", size, m.Transform, m.RFMCuts)
	}
}
