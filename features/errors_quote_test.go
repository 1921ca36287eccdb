package features

import (
	"math"
	"strings"
	"testing"
)

// TestErrorsQuoteLongIDs: errors naming a customer id quote at most a few
// hundred bytes of it, whatever its length.
func TestErrorsQuoteLongIDs(t *testing.T) {
	id := strings.Repeat("x", 2<<20)
	for name, err := range map[string]error{
		"nan":       CheckValue("frequency", id, 3, math.NaN()),
		"inf":       CheckValue("frequency", id, 3, math.Inf(1)),
		"duplicate": DuplicateIDError(id),
		"utf8":      CheckID(4, string([]byte{0xff})+id),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if msg := err.Error(); len(msg) > 600 || !strings.Contains(msg, "bytes)") {
			t.Errorf("%s: error of %d bytes: %.300s", name, len(msg), msg)
		}
	}
}

// TestApplyMalformedBounds: a transform whose winsorising bounds do not
// match its columns is refused, the bounds counted in the error.
func TestApplyMalformedBounds(t *testing.T) {
	tr := &Transform{Columns: []string{"frequency"}, Log1p: []bool{false}, Center: []float64{0}, Scale: []float64{1}, Lo: []float64{0}}
	_, err := tr.Apply(nil, nil)
	if err == nil || !strings.Contains(err.Error(), "1 lower and 0 upper bounds") {
		t.Errorf("error %v", err)
	}
}

// TestCheckValueTooLarge: a value whose square would overflow the sums is
// refused naming column, customer and row; 1e100 is accepted.
func TestCheckValueTooLarge(t *testing.T) {
	if err := CheckValue("f1", "c0", 1, 6.4e159); err == nil || !strings.Contains(err.Error(), `column "f1", customer "c0" (row 1)`) {
		t.Errorf("1e159: %v", err)
	}
	if err := CheckValue("f1", "c0", 1, -1e100); err != nil {
		t.Errorf("-1e100: %v", err)
	}
}
