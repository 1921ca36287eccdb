package clv

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

// The oracles below do not use eq. 10 or ₂F₁. They integrate the model's
// definition over the dropout probability p numerically, with the Poisson
// rate λ integrated out in closed form (Gamma–Poisson conjugacy):
//
//	alive part:  ∫ p^(a−1) (1−p)^(b+x−1) dp · (α+T)^−(r+x)
//	dead part:   ∫ p^a (1−p)^(b+x−2) dp · (α+t_x)^−(r+x)        (x > 0)
//	P(alive) = alive / (alive + dead),
//
// and, since a customer alive at T with rate λ and dropout p makes
// (1 − e^(−λpt))/p purchases in expectation in the next t (eq. 7 of the
// paper, restarted at T),
//
//	E[Y(t)] = ∫ p^(a−2) (1−p)^(b+x−1) [(α+T)^−(r+x) − (α+T+pt)^−(r+x)] dp
//	          / (alive + dead).
//
// The common factor Γ(r+x)α^r/(Γ(r)B(a,b)) cancels. Gauss–Legendre after
// p = u^(1/a) when a < 1, which makes p^(a−1)dp = du/a smooth at 0; for
// a ≥ 1 p^(a−1) is bounded and is integrated as it is.

// integrateP returns ∫₀¹ f(p) p^(a−1) dp by the substitution above.
func integrateP(f func(p float64) float64, a float64) float64 {
	if a >= 1 {
		return quad.Fixed(func(p float64) float64 { return f(p) * math.Pow(p, a-1) }, 0, 1, 3000, quad.Legendre{}, 0)
	}
	return quad.Fixed(func(u float64) float64 {
		p := math.Pow(u, 1/a)
		return f(p) / a
	}, 0, 1, 3000, quad.Legendre{}, 0)
}

// integralOracle returns P(alive) and E[Y(t)] by numerical integration.
func integralOracle(m BGNBD, s Stats, t float64) (palive, expect float64) {
	x := float64(s.X)
	rx := m.R + x
	// Everything is scaled by (α+T)^(r+x) to stay near 1.
	alive := integrateP(func(p float64) float64 { return math.Pow(1-p, m.B+x-1) }, m.A)
	var dead float64
	if s.X > 0 {
		ratio := math.Pow((m.Alpha+s.T)/(m.Alpha+s.Tx), rx)
		dead = integrateP(func(p float64) float64 { return p * math.Pow(1-p, m.B+x-2) * ratio }, m.A)
	}
	num := integrateP(func(p float64) float64 {
		if p == 0 {
			return rx * t / (m.Alpha + s.T) // the limit of [1 − (…)^−(r+x)]/p
		}
		bracket := -math.Expm1(-rx * math.Log1p(p*t/(m.Alpha+s.T)))
		return math.Pow(1-p, m.B+x-1) * bracket / p
	}, m.A)
	return alive / (alive + dead), num / (alive + dead)
}

// eq10Direct is eq. 10 as printed, with gonum's ₂F₁ (a ≠ 1 only): the
// second, formula-level oracle.
func eq10Direct(m BGNBD, s Stats, t float64) float64 {
	x := float64(s.X)
	z := t / (m.Alpha + s.T + t)
	f := mathext.Hypergeo(m.R+x, m.B+x, m.A+m.B+x-1, z)
	br := 1 - math.Pow((m.Alpha+s.T)/(m.Alpha+s.T+t), m.R+x)*f
	den := 1.0
	if s.X > 0 {
		den += m.A / (m.B + x - 1) * math.Pow((m.Alpha+s.T)/(m.Alpha+s.Tx), m.R+x)
	}
	return (m.A + m.B + x - 1) / (m.A - 1) * br / den
}

func TestPredictKnownAnswers(t *testing.T) {
	cdnow := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426} // published CDNOW fit
	for _, c := range []struct {
		name string
		m    BGNBD
		s    Stats
		t    float64
	}{
		// CDNOW customer 1 of the cbs, 39 holdout weeks.
		{"cdnow x=2", cdnow, Stats{X: 2, Tx: 30.4285714285714, T: 38.8571428571429}, 39},
		{"cdnow x=0", cdnow, Stats{X: 0, Tx: 0, T: 38.8571428571429}, 39},
		{"cdnow frequent, long silent", cdnow, Stats{X: 12, Tx: 10, T: 38.86}, 39},
		{"cdnow frequent, recent", cdnow, Stats{X: 12, Tx: 38, T: 38.86}, 39},
		{"a = 1 exactly", BGNBD{R: 0.5, Alpha: 10, A: 1, B: 3}, Stats{X: 3, Tx: 20, T: 30}, 50},
		{"a > 1", BGNBD{R: 2, Alpha: 5, A: 3, B: 4}, Stats{X: 5, Tx: 10, T: 40}, 100},
		{"days, z near 1", BGNBD{R: 0.3, Alpha: 0.5, A: 0.8, B: 2.5}, Stats{X: 0, Tx: 0, T: 1}, 365},
		{"many purchases", BGNBD{R: 0.8, Alpha: 30, A: 0.5, B: 5}, Stats{X: 150, Tx: 700, T: 730}, 365},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantAlive, wantE := integralOracle(c.m, c.s, c.t)
			gotAlive := c.m.PAlive(c.s)
			gotE, ok := c.m.ConditionalExpected(c.s, c.t)
			if !ok {
				t.Fatal("ConditionalExpected not finite")
			}
			t.Logf("P(alive) = %.10g (integral %.10g), E[Y(%g)] = %.10g (integral %.10g)", gotAlive, wantAlive, c.t, gotE, wantE)
			if math.Abs(gotAlive-wantAlive) > 1e-9*wantAlive {
				t.Errorf("P(alive) = %.12g, integral gives %.12g", gotAlive, wantAlive)
			}
			if math.Abs(gotE-wantE) > 1e-7*wantE {
				t.Errorf("E[Y(%g)] = %.12g, integral gives %.12g", c.t, gotE, wantE)
			}
			if c.m.A != 1 && c.s.X < 100 {
				if d := eq10Direct(c.m, c.s, c.t); math.Abs(gotE-d) > 1e-7*d {
					t.Errorf("E[Y(%g)] = %.12g, eq. 10 with mathext.Hypergeo gives %.12g", c.t, gotE, d)
				}
			}
		})
	}
}

func TestExpectedUnconditional(t *testing.T) {
	m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	for _, tt := range []float64{1, 39, 78, 1000} {
		// E[X(t)] = ∫ p^(a−2)(1−p)^(b−1) [1 − (α/(α+pt))^r] dp / B(a, b).
		want := integrateP(func(p float64) float64 {
			if p == 0 {
				return m.R * tt / m.Alpha
			}
			return math.Pow(1-p, m.B-1) * -math.Expm1(-m.R*math.Log1p(p*tt/m.Alpha)) / p
		}, m.A) / mathext.Beta(m.A, m.B)
		got, ok := m.Expected(tt)
		if !ok || math.Abs(got-want) > 1e-7*want {
			t.Errorf("E[X(%g)] = %.10g (ok %v), integral gives %.10g", tt, got, ok, want)
		}
	}
}
