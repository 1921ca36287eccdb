package selectk

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPasses: every rank of series of many shapes (continuous values in
// one binade, which need the narrowing passes; integers with many ties;
// one value; signed zeros; values over a huge range) is the value of the
// sorted series, with the values given in another order on each pass.
func TestPasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gen := map[string]func(i int) float64{
		"uniform in one binade": func(int) float64 { return 1 + rng.Float64() },
		"lognormal":             func(int) float64 { return math.Exp(rng.NormFloat64() * 2) },
		"integers":              func(int) float64 { return float64(rng.IntN(40)) },
		"one value":             func(int) float64 { return 7.25 },
		"signed zeros":          func(i int) float64 { return []float64{math.Copysign(0, -1), 0, -1e-300, 1e-300}[i%4] },
		"huge range":            func(int) float64 { return math.Ldexp(rng.Float64()-0.5, rng.IntN(2000)-1000) },
		"two values":            func(i int) float64 { return float64(i % 2) },
	}
	sizes := []int{1, 2, 3, 4097, 60000}
	var names []string
	for name := range gen {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, n := range sizes {
			vals := make([]float64, n)
			for i := range vals {
				vals[i] = gen[name](i)
			}
			sorted := slices.Clone(vals)
			slices.Sort(sorted)
			// Series 0 holds the values, series 1 holds none.
			p := NewPasses(2)
			feed := func() {
				order := rng.Perm(n)
				for _, i := range order {
					p.Add(0, vals[i])
				}
			}
			feed()
			if err := p.EndPass(); err != nil {
				t.Fatal(err)
			}
			if p.Len(0) != int64(n) || p.Len(1) != 0 {
				t.Fatalf("%s, n=%d: lengths %d, %d", name, n, p.Len(0), p.Len(1))
			}
			ranks := []int64{0, int64(n / 2), int64(n - 1), int64(n / 3), int64((n - 1) / 2)}
			for r := int64(0); r < int64(n); r += int64(max(1, n/700)) { // many ranks sharing ranges
				ranks = append(ranks, r)
			}
			handles := make([]int, len(ranks))
			for i, r := range ranks {
				handles[i] = p.Want(0, r)
			}
			for !p.Done() {
				if p.Passes() > 12 {
					t.Fatalf("%s, n=%d: %d passes", name, n, p.Passes())
				}
				feed()
				if err := p.EndPass(); err != nil {
					t.Fatal(err)
				}
			}
			for i, r := range ranks {
				want := sorted[r]
				if want == 0 {
					want = 0 // Select returns +0 for −0
				}
				if got := p.Value(handles[i]); math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("%s, n=%d: rank %d = %v, want %v", name, n, r, got, want)
				}
			}
		}
	}
}

// TestPassesCount: a million continuous values take three passes (the
// binades, one narrowing, the gathering), small integers two (the
// narrowing gives each integer a bin of its own).
func TestPassesCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 1_000_000
	cont, ints := make([]float64, n), make([]float64, n)
	for i := range cont {
		cont[i], ints[i] = math.Exp(rng.NormFloat64()), float64(1+rng.IntN(20))
	}
	for name, vals := range map[string][]float64{"lognormal": cont, "integers": ints} {
		p := NewPasses(1)
		for _, v := range vals {
			p.Add(0, v)
		}
		if err := p.EndPass(); err != nil {
			t.Fatal(err)
		}
		h := p.Want(0, n/2)
		for !p.Done() {
			for _, v := range vals {
				p.Add(0, v)
			}
			if err := p.EndPass(); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]int{"lognormal": 3, "integers": 2}[name]
		if p.Passes() != want {
			t.Errorf("%s: %d passes, want %d", name, p.Passes(), want)
		}
		sorted := slices.Clone(vals)
		slices.Sort(sorted)
		if p.Value(h) != sorted[n/2] {
			t.Errorf("%s: median rank %v, want %v", name, p.Value(h), sorted[n/2])
		}
	}
}

// TestWantMedians: the medians of series of odd, even and no count are
// Median's, NaN for none.
func TestWantMedians(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	series := [][]float64{{3}, {4, 1}, nil, {}, make([]float64, 5001), make([]float64, 6000)}
	for _, s := range series[4:] {
		for i := range s {
			s[i] = math.Round(rng.NormFloat64()*1000) / 8
		}
	}
	p := NewPasses(len(series))
	feed := func() {
		for s, vals := range series {
			for _, v := range vals {
				p.Add(s, v)
			}
		}
	}
	feed()
	if err := p.EndPass(); err != nil {
		t.Fatal(err)
	}
	median := p.WantMedians()
	for !p.Done() {
		feed()
		if err := p.EndPass(); err != nil {
			t.Fatal(err)
		}
	}
	for s, vals := range series {
		got := median(s)
		if len(vals) == 0 {
			if !math.IsNaN(got) {
				t.Errorf("series %d: median %v of nothing, want NaN", s, got)
			}
			continue
		}
		if want := Median(slices.Clone(vals)); got != want {
			t.Errorf("series %d: median %v, want %v", s, got, want)
		}
	}
}

// TestPassesChanged: a pass given other values than the first (one more,
// one fewer, other values where the search narrowed) or a NaN is
// ErrChanged, not a panic or a wrong value.
func TestPassesChanged(t *testing.T) {
	base := make([]float64, 20000)
	for i := range base {
		base[i] = float64(i%5000) / 4
	}
	for name, change := range map[string]func([]float64) []float64{
		"one more":     func(v []float64) []float64 { return append(v, 1) },
		"one fewer":    func(v []float64) []float64 { return v[1:] },
		"other values": func(v []float64) []float64 { return append(make([]float64, len(v)/2), v[len(v)/2:]...) },
		"a NaN":        func(v []float64) []float64 { v[7] = math.NaN(); return v },
	} {
		p := NewPasses(1)
		for _, v := range base {
			p.Add(0, v)
		}
		if err := p.EndPass(); err != nil {
			t.Fatal(err)
		}
		p.Want(0, int64(len(base)/2))
		var err error
		for pass := 0; !p.Done() && err == nil && pass < 10; pass++ {
			for _, v := range change(slices.Clone(base)) {
				p.Add(0, v)
			}
			err = p.EndPass()
		}
		if !errors.Is(err, ErrChanged) {
			t.Errorf("%s: %v, want ErrChanged", name, err)
		}
	}
}
