package selectk

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteMode returns the most common value of v (the lowest of ties) and
// its count, by sorting.
func bruteMode(v []float64) (float64, int) {
	s := slices.Clone(v)
	slices.Sort(s)
	var best float64
	n := 0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if j-i > n {
			best, n = s[i], j-i
		}
		i = j
	}
	return best, n
}

// TestMode: the mode of series of many shapes (a common value among
// noise, found in two passes; ties between common values; every value
// distinct or rare, which needs the third pass) is the sorted series',
// with the values given in another order on each pass.
func TestMode(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	series := map[string]func(i int) float64{
		"common among noise": func(i int) float64 {
			if i%5 == 0 {
				return 19.99
			}
			return rng.Float64() * 1000
		},
		"tied common values": func(i int) float64 { return float64(i % 3) },
		"all distinct":       func(i int) float64 { return float64(100000 - i) },
		"rare repeats": func(i int) float64 { // the mode occurs 3 times in 30,000: below 1/1025
			if i < 3 {
				return 7.5
			}
			return rng.Float64()
		},
		"integers with ties": func(i int) float64 { return float64(rng.IntN(40)) },
		"signed zeros": func(i int) float64 {
			if i%2 == 0 {
				return 0
			}
			return math.Copysign(0, -1)
		},
	}
	for name, gen := range series {
		v := make([]float64, 30000)
		for i := range v {
			v[i] = gen(i)
		}
		wantV, wantN := bruteMode(v)
		m := NewMode()
		passes := 0
		for more := true; more; passes++ {
			rng.Shuffle(len(v), func(i, j int) { v[i], v[j] = v[j], v[i] })
			for _, x := range v {
				m.Add(x)
			}
			var err error
			if more, err = m.EndPass(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		got, n, total := m.Result()
		if got != wantV || n != wantN || total != len(v) {
			t.Errorf("%s: mode %v ×%d of %d after %d passes, want %v ×%d of %d", name, got, n, total, passes, wantV, wantN, len(v))
		}
		if common := wantN*(ModeCounters+1) > len(v); common && passes != 2 || !common && passes != 3 {
			t.Errorf("%s: %d passes for a mode of %d in %d", name, passes, wantN, len(v))
		}
	}
}

// TestModeEmptyAndChanged: an empty series needs one pass and has no
// mode; a series whose length changes between passes is ErrChanged.
func TestModeEmptyAndChanged(t *testing.T) {
	m := NewMode()
	if more, err := m.EndPass(); more || err != nil {
		t.Fatalf("empty: more %v, err %v", more, err)
	}
	if _, n, total := m.Result(); n != 0 || total != 0 {
		t.Errorf("empty: count %d of %d", n, total)
	}
	m = NewMode()
	for _, v := range []float64{1, 2, 2} {
		m.Add(v)
	}
	if more, err := m.EndPass(); !more || err != nil {
		t.Fatalf("first pass: more %v, err %v", more, err)
	}
	m.Add(2)
	if _, err := m.EndPass(); !errors.Is(err, ErrChanged) {
		t.Errorf("a shorter second pass: %v, want ErrChanged", err)
	}
}
