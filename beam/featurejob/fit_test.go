package featurejob

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

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
	o.Use, o.MinShare, o.Scale = cfg.use(nil), cfg.MinShare, cmp.Or(cfg.Scale, "auto")
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
	seg, err := pipeline.Segment(context.Background(), &pipeline.Tables{Table: local}, &o)
	if err != nil {
		t.Fatal(err)
	}
	wantCuts, gotCuts := features.GroupCutsOf(seg.All, seg.Attrs.WithCity(nil), o.Thresholds), fit.GroupCuts.Cuts()
	if !sameBits([]float64{gotCuts.Top, gotCuts.VIP, gotCuts.Elite, gotCuts.BigOrder}, []float64{wantCuts.Top, wantCuts.VIP, wantCuts.Elite, wantCuts.BigOrder}) ||
		!slices.Equal(gotCuts.Cities, wantCuts.Cities) {
		t.Fatalf("group cuts %+v, want %+v", gotCuts, wantCuts)
	}
	if got, want := slices.Contains(sum.Attributes, "city"), local.City != nil; got != want {
		t.Fatalf("attributes %q: city %v, want %v", sum.Attributes, got, want)
	}
	if strings.Contains(fit.Sample, "/") {
		t.Fatalf("sample %q is not a file name", fit.Sample)
	}
}

// TestModelAndAssignMatchLocal runs job 1 on Prism with a sample as large
// as the store, fits the model on it (FitModel), runs job 2 and sets the
// model's sizes (SetModelSizes), and checks that model.json is the local
// run's on the same store, but for its inputs (the scale-out run does not
// checksum the order files), and that the assignment shards hold the rows
// of the local run's assignments.parquet, every column bit for bit. Job 2
// run again with one core and without Prism's dynamic splitting writes
// byte-identical shards. With a smaller sample, the model is fitted on
// that many buyers and the transform and RFM cuts are still the store's.
func TestModelAndAssignMatchLocal(t *testing.T) {
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
	if _, err := FitModel(context.Background(), cfg.Out, &o); err != nil {
		t.Fatal(err)
	}
	var hashes []string
	var ranks []byte
	for _, run := range []struct {
		maxProcs    int
		experiments string
	}{{0, ""}, {1, "prism_disable_rtc,prism_disable_sdf_split"}} {
		if run.maxProcs > 0 {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(run.maxProcs))
		}
		*jobopts.Experiments = run.experiments
		err := runAssign(t, cfg)
		*jobopts.Experiments = ""
		if err != nil {
			t.Fatal(err)
		}
		var h []string
		as, err := ReadAssignSummary(cfg.Out)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range as.Shards {
			b, err := os.ReadFile(filepath.Join(cfg.Out, AssignDir, name))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			h = append(h, hex.EncodeToString(sum[:]))
		}
		if hashes != nil && !slices.Equal(h, hashes) {
			t.Fatalf("assignment shards %v, first run's %v", h, hashes)
		}
		hashes = h
		// The profiles' medians and positions, found in rounds over the
		// shards, over every buyer: the same search whatever the cores.
		j, err := as.searches()
		r, rev, rfm, q := j.profile, j.revenue, j.rfm, j.quality
		if err != nil || r == nil || rev == nil || rfm == nil || q == nil || !r.Done() || !rev.Done() || !rfm.Done() || !q.Done() {
			t.Fatalf("job 2's searches: %v, %v, %v, %v, %v", r, rev, rfm, q, err)
		}
		var buyers int64
		for key, n := range as.Clusters {
			if key != pipeline.NotClusteredKey && key != pipeline.ProspectKey {
				buyers += n
			}
		}
		if r.Customers() != buyers || q.Customers() != buyers {
			t.Errorf("job 2's profile ranks count %d customers, its quality figures %d, the clusters %d (%v)", r.Customers(), q.Customers(), buyers, as.Clusters)
		}
		all := slices.Concat(as.ProfileRanks, as.RevenueRanks, as.RFMRanks, as.Quality)
		if ranks != nil && !bytes.Equal(all, ranks) {
			t.Error("job 2's searches differ with one core")
		}
		ranks = all
	}
	got, err := SetModelSizes(cfg.Out)
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
	a, _ := json.MarshalIndent(got, "", " ")
	b, _ := json.MarshalIndent(want, "", " ")
	if string(a) != string(b) {
		t.Fatalf("model.json differs from the local run's:\n%s\nwant\n%s", a, b)
	}
	compareAssignments(t, cfg.Out, filepath.Join(local.Out, "assignments.parquet"))

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

// runAssign runs job 2 on Prism.
func runAssign(t *testing.T, cfg Config) error {
	t.Helper()
	ac, err := NewAssignConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, s := beam.NewPipelineWithRoot()
	if err := BuildAssign(s, ac); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a hang guard, not a timing check
	defer cancel()
	_, err = prism.Execute(ctx, p)
	ReleaseInputCopies() // Prism's workers ran in this process
	return err
}

// compareAssignments checks that job 2's shards in out hold the rows of
// the local assignments table at path: the same columns, and every
// customer's values bit for bit; and that the summary counts them.
func compareAssignments(t *testing.T, out, path string) {
	t.Helper()
	want, err := data.ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	as, err := ReadAssignSummary(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]any{}
	for _, name := range as.Shards {
		tab, err := data.ReadTable(context.Background(), filepath.Join(out, AssignDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Columns) != len(want.Columns) {
			t.Fatalf("%s: %d columns, want %d", name, len(tab.Columns), len(want.Columns))
		}
		for j, c := range tab.Columns {
			if c.Name != want.Columns[j].Name || c.Kind != want.Columns[j].Kind {
				t.Fatalf("%s: column %d is %s, want %s", name, j, c.Name, want.Columns[j].Name)
			}
		}
		for i, id := range tab.Columns[0].Strings {
			got[id] = rowValues(tab, i)
		}
	}
	ids := want.Columns[0].Strings
	if len(got) != len(ids) || as.Customers != int64(len(ids)) {
		t.Fatalf("%d customers (%d in the summary), want %d", len(got), as.Customers, len(ids))
	}
	clusters := map[string]int64{}
	for i, id := range ids {
		w := rowValues(want, i)
		if !slices.Equal(got[id], w) {
			t.Fatalf("customer %s: %v, want %v", id, got[id], w)
		}
		clusters[want.Column("cluster_key").Strings[i]]++
	}
	if !reflect.DeepEqual(as.Clusters, clusters) {
		t.Fatalf("summary clusters %v, want %v", as.Clusters, clusters)
	}
}

// rowValues returns row i of t, nil for a null, floats by their bits.
func rowValues(t *data.Table, i int) []any {
	var v []any
	for _, c := range t.Columns {
		if c.Nulls != nil && c.Nulls[i] {
			v = append(v, nil)
			continue
		}
		switch c.Kind {
		case data.KindString:
			v = append(v, c.Strings[i])
		case data.KindFloat64:
			v = append(v, math.Float64bits(c.Floats[i]))
		case data.KindInt64:
			v = append(v, c.Ints[i])
		case data.KindBool:
			v = append(v, c.Bools[i])
		default:
			v = append(v, fmt.Sprint(c.Kind))
		}
	}
	return v
}
