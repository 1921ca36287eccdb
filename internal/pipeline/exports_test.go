package pipeline

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestPlainNumber: plainNumber writes what rounding to FormatFloat's
// digits and writing the result out in full writes, without an exponent,
// for numbers of every size (counts, days, money, ratios, tiny and huge
// values, negatives, zeros, NaN and infinities).
func TestPlainNumber(t *testing.T) {
	want := func(v float64) string {
		r, _ := strconv.ParseFloat(data.FormatFloat(v), 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	values := []float64{0, math.Copysign(0, -1), 1, -1, 12, 1e6, 1234567, 0.1, 0.0001, 0.00001234, 1e-300, 5e-324, 1e300,
		math.MaxFloat64, 123456.789012345, 2.5e15, math.NaN(), math.Inf(1), math.Inf(-1)}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		v := math.Pow(10, rng.Float64()*40-20) * rng.NormFloat64()
		values = append(values, v, math.Round(v*100)/100)
	}
	exponents := 0
	for _, v := range values {
		got, w := plainNumber(v), want(v)
		if got != w {
			t.Fatalf("plainNumber(%v) = %q, want %q", v, got, w)
		}
		if s := data.FormatFloat(v); s != got {
			exponents++ // the path that writes an exponent form out
		}
	}
	if exponents < 1000 {
		t.Errorf("only %d values in exponent form: the test checks too little of that path", exponents)
	}
}
