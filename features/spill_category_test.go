package features

import (
	"fmt"
	"strings"
	"testing"
)

// TestSpillerCategory interns names that share bytes (a prefix of
// another name, the same text at two addresses, the empty name) and more
// names than the spiller keeps by address: every name gets one index, its
// own, whatever the order of the lookups.
func TestSpillerCategory(t *testing.T) {
	sp := &spiller{catIndex: make(map[string]int32), noCat: -1}
	text := strings.Clone("homeware")                                              // bytes of its own, not a constant's
	names := []string{"", text, text[:4], strings.Clone(text), text[:0], text[4:]} // "" first, on an empty spiller
	for i := range 40 {
		names = append(names, fmt.Sprintf("category %d", i))
	}
	want := map[string]int32{}
	// The empty name first, on an empty spiller; then names at one
	// address, back to back (nothing else takes their slot between them),
	// then in the reverse order.
	for _, name := range []string{"", text, text[:4], text[:0], text, text[:0], text[:4], text} {
		got := sp.category(name)
		if w, ok := want[name]; ok && got != w {
			t.Fatalf("category(%q) = %d, want %d as before", name, got, w)
		}
		want[name] = got
		if sp.catNames[got] != name {
			t.Fatalf("category(%q) = %d, the index of %q", name, got, sp.catNames[got])
		}
	}
	for round := range 3 {
		for i := range names {
			name := names[(i*7+round)%len(names)]
			got := sp.category(name)
			if w, ok := want[name]; ok && got != w {
				t.Fatalf("round %d: category(%q) = %d, want %d as before", round, name, got, w)
			}
			want[name] = got
			if sp.catNames[got] != name {
				t.Fatalf("round %d: category(%q) = %d, the index of %q", round, name, got, sp.catNames[got])
			}
		}
	}
	if len(sp.catNames) != len(want) {
		t.Errorf("%d names interned, want %d", len(sp.catNames), len(want))
	}
}
