package pipeline

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/report"
)

// qualityData is n customers (ids in order) of d columns in k clusters
// (the last column constant, cluster 2 empty when k > 2).
func qualityData(n, d, k int, seed uint64) ([]string, []float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 4))
	ids := make([]string, n)
	x := make([]float64, n*d)
	labels := make([]int, n)
	for i := range n {
		ids[i] = fmt.Sprintf("c%07d", i)
		labels[i] = rng.IntN(k)
		if k > 2 && labels[i] == 2 {
			labels[i] = 0
		}
		for j := range d {
			x[i*d+j] = rng.NormFloat64()*float64(1+j) + float64(labels[i]*j)
			if j == d-1 && d > 1 {
				x[i*d+j] = 2.5
			}
		}
	}
	return ids, x, labels
}

// runQuality runs q's rounds over the rows in parts: each round the rows
// are shuffled by rng, cut in parts, each counted in a Fork encoded and
// decoded, and the forks merged in a random order, themselves encoded
// between rounds.
func runQuality(t *testing.T, q *Quality, ids []string, x []float64, labels []int, parts int, rng *rand.Rand) *Quality {
	t.Helper()
	d := q.d
	n := len(ids)
	for !q.Done() {
		perm := rng.Perm(n)
		var forks []*Quality
		for p := range parts {
			lo, hi := p*n/parts, (p+1)*n/parts
			f := q.Fork()
			var pid []string
			var px []float64
			var pl []int
			for _, i := range perm[lo:hi] {
				pid, px, pl = append(pid, ids[i]), append(px, x[i*d:(i+1)*d]...), append(pl, labels[i])
			}
			if err := f.Add(pid, px, pl); err != nil {
				t.Fatal(err)
			}
			b, err := f.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var g Quality
			if err := g.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			forks = append(forks, &g)
		}
		for _, p := range rng.Perm(parts) {
			if err := q.Merge(forks[p]); err != nil {
				t.Fatal(err)
			}
		}
		if err := q.EndRound(); err != nil {
			t.Fatal(err)
		}
		b, err := q.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		q = new(Quality)
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
	}
	return q
}

func qualityBits(q *Quality) string {
	m := q.Metrics()
	s := fmt.Sprintf("%x %x %x %x %v", m.Silhouette, m.CalinskiHarabasz, m.DaviesBouldin, q.Inertia(), q.Sizes())
	if cm := q.customerMap(); cm != nil {
		s += fmt.Sprintf(" %x %x %x", *cm.points, cm.explained, cm.load)
	}
	return s
}

// TestQualityMerged: the figures and the map are the same bits whatever
// the customers' order, the parts they are counted in, the order the
// parts merge in and their encoding between rounds; the map's points are
// those of the sample nested in the silhouette's; the figures are the
// cluster package's over the whole matrix (within rounding: those sum in
// row order, these exactly), and the silhouette is Silhouette's on the
// customers of smallest SampleHash, bit for bit.
func TestQualityMerged(t *testing.T) {
	for _, tc := range []struct{ n, d, k int }{{2, 2, 2}, {40, 3, 4}, {5000, 6, 3}, {7000, 1, 5}} {
		ids, x, labels := qualityData(tc.n, tc.d, tc.k, uint64(tc.n))
		cent := x[:tc.k*tc.d] // the first k customers as centroids
		one := runQuality(t, NewQuality(tc.d, tc.k, 7).WithCentroids(cent), ids, x, labels, 1, rand.New(rand.NewPCG(1, 1)))
		want := qualityBits(one)
		for _, parts := range []int{2, 5} {
			rng := rand.New(rand.NewPCG(uint64(parts), 9))
			if got := qualityBits(runQuality(t, NewQuality(tc.d, tc.k, 7).WithCentroids(cent), ids, x, labels, parts, rng)); got != want {
				t.Errorf("n=%d d=%d: in %d parts\n%s\nin one\n%s", tc.n, tc.d, parts, got, want)
			}
		}
		if one.Customers() != int64(tc.n) || one.Rounds() != 2 {
			t.Errorf("n=%d: %d customers, %d rounds", tc.n, one.Customers(), one.Rounds())
		}
		m := one.Metrics()
		near := func(name string, got, want float64) {
			if math.IsNaN(want) != math.IsNaN(got) || math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("n=%d d=%d: %s %v, over the matrix %v", tc.n, tc.d, name, got, want)
			}
		}
		near("Calinski–Harabasz", m.CalinskiHarabasz, cluster.CalinskiHarabasz(x, tc.n, tc.d, labels, tc.k))
		near("Davies–Bouldin", m.DaviesBouldin, cluster.DaviesBouldin(x, tc.n, tc.d, labels, tc.k))
		dist := make([]float64, tc.n)
		for i, l := range labels {
			for j := range tc.d {
				dist[i] += (x[i*tc.d+j] - cent[l*tc.d+j]) * (x[i*tc.d+j] - cent[l*tc.d+j])
			}
		}
		near("inertia", one.Inertia(), cluster.SumInertia(dist))
		sizes := make([]int, tc.k)
		for _, l := range labels {
			sizes[l]++
		}
		if !slices.Equal(one.Sizes(), sizes) {
			t.Errorf("n=%d: sizes %v, want %v", tc.n, one.Sizes(), sizes)
		}
		rows := SampleRows(ids, 7, silhouetteSample)
		var xs []float64
		var ls []int
		for _, r := range rows {
			xs, ls = append(xs, x[r*tc.d:(r+1)*tc.d]...), append(ls, labels[r])
		}
		if got, want := m.Silhouette, cluster.SilhouetteOf(xs, len(rows), tc.d, ls, tc.k); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("n=%d: silhouette %v, on SampleRows %v", tc.n, got, want)
		}
		cm := one.customerMap()
		if tc.d < 2 {
			if cm != nil {
				t.Errorf("one column: a map")
			}
			continue
		}
		// Every customer fits the components here (n ≤ qualitySample):
		// cluster.Project's, within rounding of the mean.
		proj, explained, err := cluster.Project(x, tc.n, tc.d, 2)
		if err != nil {
			t.Fatal(err)
		}
		for a := range explained {
			near("explained", cm.explained[a], explained[a])
		}
		load := twoPassLoadings(x, tc.n, tc.d, proj)
		for a := range load {
			for j := range load[a] {
				near(fmt.Sprintf("loading %d,%d", a, j), cm.load[a][j], load[a][j])
			}
		}
		if cm.load[0][tc.d-1] != 0 || cm.load[1][tc.d-1] != 0 {
			t.Errorf("the constant column's loadings %v, %v", cm.load[0][tc.d-1], cm.load[1][tc.d-1])
		}
		pts := SampleRows(ids, 7, report.MaxScatterPoints)
		if len(cm.points.Labels) != len(pts) || cm.points.Total != tc.n || cm.points.Step != 0 {
			t.Fatalf("n=%d: %d points of %d (step %d), want %d", tc.n, len(cm.points.Labels), cm.points.Total, cm.points.Step, len(pts))
		}
		for i, r := range pts {
			if cm.points.Labels[i] != labels[r] {
				t.Fatalf("point %d: cluster %d, customer %d's is %d", i, cm.points.Labels[i], r, labels[r])
			}
			for a := range 2 {
				near("a point", cm.points.XY[2*i+a], proj[2*r+a])
			}
		}
		counts := make([]int, tc.k)
		for _, l := range labels {
			counts[l]++
		}
		if !slices.Equal(cm.points.Counts, counts) {
			t.Errorf("counts %v, want %v", cm.points.Counts, counts)
		}
	}
}

// TestQualitySampleBounded: a store of more customers than the sample
// keeps qualitySample of them, those of smallest (SampleHash, id), and
// the map draws report.MaxScatterPoints.
func TestQualitySampleBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("60,000 customers")
	}
	const n, d, k = qualitySample + 10000, 3, 3
	ids, x, labels := qualityData(n, d, k, 3)
	q := NewQuality(d, k, 11)
	if err := q.Add(ids, x, labels); err != nil {
		t.Fatal(err)
	}
	q.compact()
	want := SampleRows(ids, 11, qualitySample)
	got := make([]int, len(q.sample))
	for i, r := range q.sample {
		got[i] = atoiTest(t, r.ID[1:])
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("the sample differs from SampleRows: %d rows against %d", len(got), len(want))
	}
	q = runQuality(t, NewQuality(d, k, 11), ids, x, labels, 3, rand.New(rand.NewPCG(3, 3)))
	if cm := q.customerMap(); len(cm.points.Labels) != report.MaxScatterPoints || cm.points.Total != n {
		t.Errorf("%d points of %d", len(cm.points.Labels), cm.points.Total)
	}
}

func atoiTest(t *testing.T, s string) int {
	v, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestQualityErrors: bad rows, rounds past the last, merges of searches
// in other states, a customer twice, nobody, and damaged states.
func TestQualityErrors(t *testing.T) {
	ids, x, labels := qualityData(50, 3, 3, 5)
	q := NewQuality(3, 3, 1)
	for name, err := range map[string]error{
		"label":  q.Add(ids[:1], x[:3], []int{3}),
		"NaN":    q.Add(ids[:1], []float64{1, math.NaN(), 2}, labels[:1]),
		"width":  q.Add(ids[:2], x[:5], labels[:2]),
		"nobody": NewQuality(3, 3, 1).EndRound(),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	twice := NewQuality(3, 3, 1)
	if err := twice.Add(append(ids[:1:1], ids[0]), x[:6], labels[:2]); err != nil {
		t.Fatal(err)
	}
	if err := twice.EndRound(); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a customer twice: %v", err)
	}
	done := runQuality(t, NewQuality(3, 3, 1), ids, x, labels, 1, rand.New(rand.NewPCG(1, 2)))
	if err := done.Add(ids, x, labels); err == nil {
		t.Error("a customer added after the last round")
	}
	if err := done.EndRound(); err == nil {
		t.Error("a round ended after the last")
	}
	if err := NewQuality(3, 3, 1).Merge(NewQuality(3, 3, 2)); err == nil {
		t.Error("merged searches of other seeds")
	}
	if err := NewQuality(3, 3, 1).Merge(done.Fork()); err == nil {
		t.Error("merged searches of other rounds")
	}
	if err := NewQuality(3, 3, 1).WithCentroids(x[:9]).Merge(NewQuality(3, 3, 1).WithCentroids(x[3:12])); err == nil {
		t.Error("merged searches of other centroids")
	}
	if err := NewQuality(3, 3, 1).WithCentroids(x[:9]).Merge(NewQuality(3, 3, 1)); err == nil {
		t.Error("merged a search with centroids and one without")
	}
	for name, set := range map[string]func(){
		"short":   func() { NewQuality(3, 3, 1).WithCentroids(x[:8]) },
		"NaN":     func() { NewQuality(3, 3, 1).WithCentroids(append([]float64{math.NaN()}, x[1:9]...)) },
		"counted": func() { done.WithCentroids(x[:9]) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("WithCentroids, %s: no panic", name)
				}
			}()
			set()
		}()
	}
	for _, q := range []*Quality{NewQuality(3, 3, 1), done} {
		b, err := q.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Quality
		if err := back.UnmarshalBinary(b[:len(b)-3]); err == nil {
			t.Errorf("round %d: a truncated state decoded", q.Rounds())
		}
	}
	// A second round that counts other customers than the first.
	half := NewQuality(3, 3, 1)
	if err := half.Add(ids, x, labels); err != nil {
		t.Fatal(err)
	}
	if err := half.EndRound(); err != nil {
		t.Fatal(err)
	}
	if err := half.Add(ids[:25], x[:75], labels[:25]); err != nil {
		t.Fatal(err)
	}
	if err := half.EndRound(); err == nil || !strings.Contains(err.Error(), "second round") {
		t.Errorf("a second round of half the customers: %v", err)
	}
	// A fork of a finished search holds its sums, not its figures, and
	// is small to send.
	f := done.Fork()
	if f.customerMap() != nil || math.Float64bits(f.Metrics().CalinskiHarabasz) != math.Float64bits(done.Metrics().CalinskiHarabasz) {
		t.Errorf("a fork of a finished search: map %v, CH %v, want none and %v", f.customerMap(), f.Metrics().CalinskiHarabasz, done.Metrics().CalinskiHarabasz)
	}
	if b, _ := f.MarshalBinary(); len(b) > 2000 {
		t.Errorf("a fork of a finished search encodes to %d bytes", len(b))
	}
	fs := stateOf(t, f)
	fs.Fork = false
	if _, err := fs.quality(); err == nil {
		t.Error("a fork's state without its fork mark decoded")
	}
	// States whose parts do not fit.
	began := NewQuality(3, 3, 1).WithCentroids(x[:9])
	if err := began.Add(ids, x, labels); err != nil {
		t.Fatal(err)
	}
	for name, damage := range map[string]func(*qualityState){
		"sizes":         func(s *qualityState) { s.Sizes = s.Sizes[:2] },
		"a count":       func(s *qualityState) { s.N++ },
		"sums":          func(s *qualityState) { s.Sums = s.Sums[1:] },
		"a row":         func(s *qualityState) { s.Sample[0].X = s.Sample[0].X[:2] },
		"a row's label": func(s *qualityState) { s.Sample[0].Label = 3 },
		"round":         func(s *qualityState) { s.Rounds = 3 }, "a limit": func(s *qualityState) { s.Limit = 1 << 63 },
		"sizes' sum":    func(s *qualityState) { s.Sizes = []int64{math.MaxInt64, math.MaxInt64, 2}; s.N = 0 },
		"a row's hash":  func(s *qualityState) { s.Sample[0].Hash = 0 },
		"a row's value": func(s *qualityState) { s.Sample[0].X[1] = math.NaN() },
		"a row twice":   func(s *qualityState) { s.Sample = append(s.Sample, s.Sample[0]) },
		"centroids":     func(s *qualityState) { s.Centroids = s.Centroids[1:] },
		"a centroid":    func(s *qualityState) { s.Centroids[4] = math.Inf(-1) },
		"no centroids":  func(s *qualityState) { s.Centroids = nil }, // an inertia without them
		"inertia":       func(s *qualityState) { s.Inertia = nil },
	} {
		st := stateOf(t, began)
		damage(st)
		if _, err := st.quality(); err == nil {
			t.Errorf("began, %s damaged: decoded", name)
		}
	}
	for name, damage := range map[string]func(*qualityState){
		"means":           func(s *qualityState) { s.Cent = s.Cent[1:] },
		"points":          func(s *qualityState) { s.Map.Points.Labels = s.Map.Points.Labels[1:] },
		"a point's label": func(s *qualityState) { s.Map.Points.Labels[0] = -1 },
		"counts":          func(s *qualityState) { s.Map.Points.Counts[0]++ },
		"loadings":        func(s *qualityState) { s.Map.Load[1] = s.Map.Load[1][1:] },
		"no map":          func(s *qualityState) { s.Map = nil },
		"scatter":         func(s *qualityState) { s.Scatter = s.Scatter[1:] },
		"a mean":          func(s *qualityState) { s.Cent[0] = math.NaN() },
		"a step":          func(s *qualityState) { s.Map.Points.Step = 3 },
		"a point":         func(s *qualityState) { s.Map.Points.XY[0] = math.Inf(1) },
		"seen":            func(s *qualityState) { s.Seen-- },
	} {
		st := stateOf(t, done)
		damage(st)
		if _, err := st.quality(); err == nil {
			t.Errorf("done, %s damaged: decoded", name)
		}
	}
}

// stateOf returns q's state as MarshalBinary encodes it, decoded afresh.
func stateOf(t *testing.T, q *Quality) *qualityState {
	t.Helper()
	b, err := q.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	st := &qualityState{}
	// Through gob again, so that damaging it changes nothing of q's.
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestMatrixQualityWorkers: a run's figures and map do not depend on its
// number of workers.
func TestMatrixQualityWorkers(t *testing.T) {
	ids, x, labels := qualityData(20000, 4, 3, 8)
	m := &Matrix{X: x, N: len(ids), D: 4, IDs: ids}
	fit := &cluster.Result{K: 3, D: 4, Labels: labels, Centroids: x[:12]}
	var want string
	for _, w := range []int{1, 2, 8} {
		q, err := m.quality(context.Background(), fit, &Options{Seed: 5, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if got := qualityBits(q); w == 1 {
			want = got
		} else if got != want {
			t.Errorf("%d workers: %s, one: %s", w, got, want)
		}
	}
}

// twoPassLoadings is the map's loadings as first written: for each axis
// and column, the means and then the sums, one column at a time.
func twoPassLoadings(x []float64, n, d int, proj []float64) [2][]float64 {
	var out [2][]float64
	for a := range out {
		out[a] = make([]float64, d)
		for j := range d {
			var mx, my float64
			for i := range n {
				mx += x[i*d+j]
				my += proj[2*i+a]
			}
			mx, my = mx/float64(n), my/float64(n)
			var sxy, sxx, syy float64
			for i := range n {
				dx, dy := x[i*d+j]-mx, proj[2*i+a]-my
				sxy += dx * dy
				sxx += dx * dx
				syy += dy * dy
			}
			if sxx > 0 && syy > 0 {
				out[a][j] = sxy / math.Sqrt(sxx*syy)
			}
		}
	}
	return out
}

// rowIDs returns n customer ids in increasing order, a test matrix's.
func rowIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("r%08d", i)
	}
	return ids
}
