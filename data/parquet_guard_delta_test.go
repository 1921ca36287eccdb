package data

import "testing"

// TestDeltaHeaderAllNulls: a DELTA page of nulls only may carry no header
// at all (nothing to decode); a page with values must have one.
func TestDeltaHeaderAllNulls(t *testing.T) {
	if _, err := deltaHeader(nil, 0, true); err != nil {
		t.Errorf("no values, no header: %v", err)
	}
	if _, err := deltaHeader(nil, 3, false); err == nil {
		t.Error("three values and no header were accepted")
	}
}
