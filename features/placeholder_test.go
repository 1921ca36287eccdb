package features

import "testing"

// TestPlaceholderIDs: ids of zeros, -1 and words for nobody are
// placeholders, with their orders and share of revenue; others are not.
func TestPlaceholderIDs(t *testing.T) {
	tab := &Table{IDs: []string{"0", "007", "1", "-1", "Guest", "guesthouse", "000"}, Names: []string{Frequency, Monetary},
		Cols: [][]float64{{9, 1, 2, 1, 3, 1, 1}, {50, 10, 20, 5, 10, 5, 0}}, Revenue: 100}
	got := tab.PlaceholderIDs()
	want := []PlaceholderID{{"0", 9, 0.5}, {"-1", 1, 0.05}, {"Guest", 3, 0.1}, {"000", 1, 0}}
	if len(got) != len(want) {
		t.Fatalf("placeholders %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("placeholder %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestDecimalIDs: whole numbers written with a zero fraction are counted.
func TestDecimalIDs(t *testing.T) {
	tab := &Table{IDs: []string{"12346.0", "12347", "12.5", "A.0", "-3.00", ".0", "7."}}
	if n, first := tab.DecimalIDs(); n != 2 || first != "12346.0" {
		t.Errorf("%d decimal ids, first %q; want 2, 12346.0", n, first)
	}
}

// TestCaseVariantIDs: e-mail ids equal but for case and surrounding spaces
// are counted, with the first pair; ids without an @ are left alone (ABC1
// and abc1 may well be two customers).
func TestCaseVariantIDs(t *testing.T) {
	tab := &Table{IDs: []string{"ABC1", "Ana@X.com", "abc1", "ana@x.com", "bo@x.com", "bo@x.com ", "cy@x.com"}}
	n, first := tab.CaseVariantIDs()
	if n != 2 || first != [2]string{"Ana@X.com", "ana@x.com"} {
		t.Errorf("%d variants, first %q; want 2, Ana@X.com and ana@x.com", n, first)
	}
	if n, _ := (&Table{IDs: []string{"a@x.com", "b@x.com", "A1", "a1"}}).CaseVariantIDs(); n != 0 {
		t.Errorf("%d variants among distinct addresses, want 0", n)
	}
}

// TestNormalisationVariantIDs: ids equal once composed (NFC) are counted,
// with the first pair; ids that differ in more than their composition, and
// ASCII ids, are left alone.
func TestNormalisationVariantIDs(t *testing.T) {
	composed, decomposed := "Jos\u00e9", "Jose\u0301" // é as one character, and as e + a combining accent
	tab := &Table{IDs: []string{"A1", composed, decomposed, "Zo\u00eb", "Zoe\u0308", "Zoe", "\u00c5sa"}}
	n, first := tab.NormalisationVariantIDs()
	if n != 2 || first != [2]string{composed, decomposed} {
		t.Errorf("%d variants, first %q; want 2, %q and %q", n, first, composed, decomposed)
	}
	if n, _ := (&Table{IDs: []string{"Jos\u00e9", "Jose", "jos\u00e9", "a", "A"}}).NormalisationVariantIDs(); n != 0 {
		t.Errorf("%d variants among distinct ids, want 0", n)
	}
}
