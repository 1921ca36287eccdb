package arrowio

import (
	"bytes"
	"testing"
)

// TestRecycler: a freed buffer is handed out again for a request it holds
// (the smallest such), zeroed, as memory.GoAllocator's are; a request no
// free buffer holds gets a new one; Reallocate keeps the bytes.
func TestRecycler(t *testing.T) {
	var r recycler
	small, big := r.Allocate(100), r.Allocate(1000)
	for i := range big {
		big[i] = 0xff
	}
	for i := range small {
		small[i] = 0xff
	}
	r.Free(big)
	r.Free(small[:10]) // freed at any length: the capacity counts
	got := r.Allocate(50)
	if &got[0] != &small[0] || len(got) != 50 {
		t.Fatalf("Allocate(50) after freeing 100 and 1000 bytes: not the 100-byte buffer (len %d)", len(got))
	}
	if !bytes.Equal(got, make([]byte, 50)) {
		t.Errorf("a reused buffer is not zeroed: %v", got)
	}
	got2 := r.Allocate(500)
	if &got2[0] != &big[0] || !bytes.Equal(got2, make([]byte, 500)) {
		t.Errorf("Allocate(500): not the 1000-byte buffer, zeroed")
	}
	if fresh := r.Allocate(2000); len(fresh) != 2000 || len(r.free) != 0 {
		t.Errorf("Allocate(2000) with nothing free: len %d, %d buffers left free", len(fresh), len(r.free))
	}
	copy(got, "hello")
	grown := r.Reallocate(4096, got)
	if len(grown) != 4096 || string(grown[:5]) != "hello" || !bytes.Equal(grown[5:], make([]byte, 4091)) {
		t.Errorf("Reallocate(4096): len %d, starts %q", len(grown), grown[:5])
	}
	if len(r.free) != 1 || cap(r.free[0]) != 100 {
		t.Errorf("after Reallocate: %d buffers free, want the old 100-byte one", len(r.free))
	}
	if same := r.Reallocate(4000, grown); &same[0] != &grown[0] || len(same) != 4000 {
		t.Errorf("Reallocate to fewer bytes moved the buffer")
	}
}
