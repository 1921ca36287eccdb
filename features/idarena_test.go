package features

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

func TestIDArena(t *testing.T) {
	var a idArena
	var want []string
	var refs []idRef
	for i := range 200000 { // several slabs
		s := fmt.Sprintf("order-%d", i)
		switch i {
		case 0, 3: // longer than the first slab, shorter than a quarter of the largest
			s = strings.Repeat("y", 3*idSlabFirst) + s
		case 7:
			s = ""
		case 1000, 150000: // longer than a quarter slab: a slab of its own
			s = strings.Repeat("x", idSlab/2) + s
		}
		want = append(want, s)
		refs = append(refs, a.put(s))
	}
	for i, r := range refs {
		if got := a.get(r); got != want[i] {
			t.Fatalf("id %d: got %.20q (len %d), want %.20q (len %d)", i, got, len(got), want[i], len(want[i]))
		}
	}
	if len(a.slabs) < 4 {
		t.Errorf("%d slabs, want several", len(a.slabs))
	}
}

// TestIDArenaSmall checks that an arena of a few ids holds a few
// kilobytes, not a whole slab (a spilled file's customers).
func TestIDArenaSmall(t *testing.T) {
	var a idArena
	for i := range 100 {
		a.put(fmt.Sprintf("customer-%d", i))
	}
	total := 0
	for _, s := range a.slabs {
		total += cap(s)
	}
	if total > idSlabFirst {
		t.Errorf("100 ids hold %d bytes of slabs, want at most %d", total, idSlabFirst)
	}
}

// TestOrderStateSize guards the per-order memory the README states.
func TestOrderStateSize(t *testing.T) {
	if n := unsafe.Sizeof(orderState{}); n != 64 {
		t.Errorf("orderState is %d bytes, want 64", n)
	}
}
