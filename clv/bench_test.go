package clv

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkFitBGNBD fits synthetic stores of 100k and 1M customers, drawn
// from the BG/NBD at CDNOW-like parameters in days (α = 4.414·7) with day
// resolution and ages up to two years, as a store's orders give them.
func BenchmarkFitBGNBD(b *testing.B) {
	truth := BGNBD{R: 0.243, Alpha: 4.414 * 7, A: 0.793, B: 2.426}
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			data := simulate(truth, n, 1, 730, 1, 7)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := FitBGNBD(context.Background(), data, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPredict is the per-customer cost of P(alive), expected orders,
// expected order value and CLV over 365 days in monthly steps.
func BenchmarkPredict(b *testing.B) {
	bg := BGNBD{R: 0.243, Alpha: 4.414 * 7, A: 0.793, B: 2.426}
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	data := simulate(bg, 1000, 1, 730, 1, 8)
	v := Value{HorizonDays: 365, Discount: 0.1}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range data {
			if _, err := v.Predict(bg, gg, s, Spend{X: s.X, Mean: 30}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
