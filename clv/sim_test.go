package clv

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulate draws n customers from the BG/NBD process with parameters m
// (Fader, Hardie & Lee 2005a, section 2): λ ~ Gamma(r, rate α), p ~
// Beta(a, b); purchases come as a Poisson process of rate λ from the first
// purchase at 0, and after each repeat purchase the customer drops out with
// probability p. Each customer is observed for T ~ U[minT, maxT]. With
// grid > 0, times are rounded down to multiples of grid and purchases that
// fall in one grid cell count once, as days do in Summary.
func simulate(m BGNBD, n int, minT, maxT, grid float64, seed uint64) []Stats {
	src := rand.NewPCG(seed, 1)
	rnd := rand.New(src)
	lam := distuv.Gamma{Alpha: m.R, Beta: m.Alpha, Src: src}
	drop := distuv.Beta{Alpha: m.A, Beta: m.B, Src: src}
	out := make([]Stats, n)
	for i := range out {
		l, p := lam.Rand(), drop.Rand()
		T := minT + (maxT-minT)*rnd.Float64()
		if grid > 0 {
			T = math.Floor(T/grid) * grid
		}
		s := Stats{T: T}
		t := 0.0
		for {
			t += rnd.ExpFloat64() / l
			if t > T {
				break
			}
			tc := t
			if grid > 0 {
				tc = math.Floor(t/grid) * grid
				if tc == s.Tx && s.X > 0 || tc == 0 {
					continue // same cell as the last purchase
				}
			}
			s.X++
			s.Tx = tc
			if rnd.Float64() < p {
				break
			}
		}
		out[i] = s
	}
	return out
}
