package report

import "testing"

// TestBidiControlsDropped: a direction override in a name from the data
// (a city, a category) is dropped from the report's text and code spans,
// so it cannot turn the figures after it around.
func TestBidiControlsDropped(t *testing.T) {
	in := "Paris\u202e (91.7 %)\u2066x\u2069"
	if got, want := mdText(in), "Paris (91.7 %)x"; got != want {
		t.Errorf("mdText = %q, want %q", got, want)
	}
	if got, want := mdCode(in), "Paris (91.7 %)x"; got != want {
		t.Errorf("mdCode = %q, want %q", got, want)
	}
}
