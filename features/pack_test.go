package features

import (
	"strings"
	"testing"
	"unsafe"
)

// TestPackStrings: the strings keep their text and follow one another in
// one allocation, in order (empty ones too).
func TestPackStrings(t *testing.T) {
	in := []string{"c10", "", strings.Repeat("x", 100), "c2", "é"}
	want := make([]string, len(in))
	for i, s := range in {
		want[i] = strings.Clone(s) // scattered allocations
	}
	got := packStrings(append([]string(nil), want...))
	var next uintptr
	for i, s := range got {
		if s != want[i] {
			t.Fatalf("string %d = %q, want %q", i, s, want[i])
		}
		if s == "" {
			continue
		}
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		if next != 0 && p != next {
			t.Errorf("string %d at %#x, want %#x (right after the one before)", i, p, next)
		}
		next = p + uintptr(len(s))
	}
}
