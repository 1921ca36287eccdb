package selectk

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// splitPass gives vals[s] to forks of p, each value to a random one of
// workers forks, sends each fork through MarshalBinary and
// UnmarshalBinary (a worker's result travelling back) and merges them
// into p in a random order.
func splitPass(t *testing.T, rng *rand.Rand, p *Passes, vals [][]float64, workers int) {
	t.Helper()
	b, err := p.MarshalBinary() // the state the workers are sent
	if err != nil {
		t.Fatal(err)
	}
	var sent Passes
	if err := sent.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	forks := make([]*Passes, workers)
	for w := range forks {
		forks[w] = sent.Fork()
	}
	for s, vs := range vals {
		for _, i := range rng.Perm(len(vs)) {
			forks[rng.IntN(workers)].Add(s, vs[i])
		}
	}
	for _, w := range rng.Perm(workers) {
		b, err := forks[w].MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Passes
		if err := back.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if err := p.Merge(&back); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPassesMerged: a search whose every pass is split over forks, the
// forks encoded, decoded and merged in any order, finds the medians and
// ranks of one search given every value, bit for bit, in as many passes.
func TestPassesMerged(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 30000
	vals := [][]float64{make([]float64, n), make([]float64, n), nil, make([]float64, 5), make([]float64, n)}
	for i := range n {
		vals[0][i] = math.Exp(rng.NormFloat64() * 2)
		vals[1][i] = float64(rng.IntN(30))
		vals[4][i] = 1 + rng.Float64()*1e-9 // one binade, narrowed several times
	}
	for i := range vals[3] {
		vals[3][i] = []float64{math.Copysign(0, -1), 0, 2, 2, -3}[i]
	}
	one := NewPasses(len(vals))
	feed := func() {
		for s, vs := range vals {
			for _, v := range vs {
				one.Add(s, v)
			}
		}
	}
	for _, workers := range []int{1, 3, 8} {
		split := NewPasses(len(vals))
		splitPass(t, rng, split, vals, workers)
		if err := split.EndPass(); err != nil {
			t.Fatal(err)
		}
		if workers == 1 {
			feed()
			if err := one.EndPass(); err != nil {
				t.Fatal(err)
			}
			_ = one.WantMedians()
			one.Want(0, 17)
			for !one.Done() {
				feed()
				if err := one.EndPass(); err != nil {
					t.Fatal(err)
				}
			}
		}
		median := split.WantMedians()
		rank := split.Want(0, 17)
		for !split.Done() {
			if split.Passes() > 12 {
				t.Fatalf("%d workers: %d passes", workers, split.Passes())
			}
			splitPass(t, rng, split, vals, workers)
			if err := split.EndPass(); err != nil {
				t.Fatal(err)
			}
		}
		if split.Passes() != one.Passes() {
			t.Errorf("%d workers: %d passes, one search %d", workers, split.Passes(), one.Passes())
		}
		for s, vs := range vals {
			want := math.NaN()
			if len(vs) > 0 {
				want = Median(slices.Clone(vs))
			}
			if got := median(s); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("%d workers: series %d median %v, want %v", workers, s, got, want)
			}
		}
		sorted := slices.Sorted(slices.Values(vals[0]))
		if got := split.Value(rank); got != sorted[17] {
			t.Errorf("%d workers: rank 17 = %v, want %v", workers, got, sorted[17])
		}
	}
}

// TestPassesMergeErrors: forks of searches in different states do not
// merge; a NaN counted by a fork is the merged search's ErrChanged; a
// damaged encoding is an error, not a panic.
func TestPassesMergeErrors(t *testing.T) {
	a, b := NewPasses(2), NewPasses(3)
	if err := a.Merge(b); err == nil {
		t.Error("searches of 2 and 3 series merged")
	}
	a.Add(0, 1)
	a.Add(0, 2)
	c := a.Fork()
	if err := a.EndPass(); err != nil {
		t.Fatal(err)
	}
	if err := a.Merge(c); err == nil {
		t.Error("a fork of the first pass merged into the second")
	}
	a.Want(0, 1)
	f := a.Fork()
	f.Add(0, math.NaN())
	if err := a.Merge(f); err != nil {
		t.Fatal(err)
	}
	if err := a.EndPass(); !errors.Is(err, ErrChanged) {
		t.Errorf("a NaN counted by a fork: %v, want ErrChanged", err)
	}
	enc, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{nil, {1, 2, 3}, enc[:len(enc)/2]} {
		var p Passes
		if err := p.UnmarshalBinary(bad); err == nil {
			t.Errorf("%d damaged bytes decoded", len(bad))
		}
	}
}

// TestPassesDamagedState: a decoded state whose parts disagree (bins that
// do not cover their range, no counts past the first pass, a target not
// found without a range, a negative count, a first pass without its
// histograms) is an error, not a panic later in Add or EndPass.
func TestPassesDamagedState(t *testing.T) {
	p := NewPasses(1)
	for i := range 20000 {
		p.Add(0, 1+float64(i)/1e5)
	}
	if err := p.EndPass(); err != nil {
		t.Fatal(err)
	}
	p.Want(0, 10000)
	if _, err := fromState(p.state(true)); err != nil {
		t.Fatalf("a whole state: %v", err)
	}
	for name, damage := range map[string]func(st *passesState){
		"bins short of the range": func(st *passesState) { st.Ranges[0][0].Bins = st.Ranges[0][0].Bins[:1] },
		"no counts":               func(st *passesState) { st.Count = nil },
		"a target without range":  func(st *passesState) { st.Targets[0].Range = -1 },
		"a range below −1":        func(st *passesState) { st.Targets[0].Range = -2 },
		"a negative count":        func(st *passesState) { st.N[0] = -1 },
		"the first pass, no hist": func(st *passesState) { st.Pass, st.Count, st.HasHist = 0, nil, false },
		"a range upside down":     func(st *passesState) { st.Ranges[0][0].Hi = st.Ranges[0][0].Lo - 1 },
	} {
		st := p.state(true)
		damage(&st)
		if _, err := fromState(st); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}
