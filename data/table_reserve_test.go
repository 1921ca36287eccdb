package data

import (
	"slices"
	"testing"
)

// TestReserve: room for the rows a footer announces, but no more than
// maxReserve rows at once whatever it claims, and the values kept.
func TestReserve(t *testing.T) {
	c := Column{Kind: KindString, Strings: []string{"a", "b", "c"}}
	reserve(&c, 1000)
	if cap(c.Strings) < 1000 || !slices.Equal(c.Strings, []string{"a", "b", "c"}) {
		t.Errorf("reserve 1000: cap %d, values %q", cap(c.Strings), c.Strings)
	}
	f := Column{Kind: KindFloat64, Floats: []float64{1}}
	reserve(&f, 1<<50) // a footer that lies
	if cap(f.Floats) < maxReserve || cap(f.Floats) > 2*maxReserve || f.Floats[0] != 1 || len(f.Floats) != 1 {
		t.Errorf("reserve 2^50: cap %d, len %d", cap(f.Floats), len(f.Floats))
	}
	reserve(&f, 0) // fewer rows than held: nothing to do
	for _, k := range []Kind{KindInt64, KindBool, KindTime} {
		c := Column{Kind: k}
		reserve(&c, 10)
		if c.Len() != 0 || cap(c.Ints)+cap(c.Bools)+cap(c.Times) < 10 {
			t.Errorf("%v: len %d, no room reserved", k, c.Len())
		}
	}
}
