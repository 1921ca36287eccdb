package data

import "testing"

// TestSameCurrency: a code and a sign are one currency when the sign
// writes it (or is a sign of currencies not known here); two codes or two
// signs that differ never are.
func TestSameCurrency(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"USD", "USD", true}, {"$", "USD", true}, {"CAD", "$", true}, {"¥", "JPY", true}, {"CNY", "¥", true},
		{"₲", "PYG", true}, // a sign whose currencies are not listed
		{"USD", "¥", false}, {"$", "EUR", false}, {"JPY", "$", false},
		{"USD", "EUR", false}, {"$", "¥", false},
	} {
		if got := SameCurrency(c.a, c.b); got != c.want {
			t.Errorf("SameCurrency(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
