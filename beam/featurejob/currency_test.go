package featurejob

import (
	"strings"
	"testing"
)

// TestMergeStatsCurrencies: the parts' currencies are merged whatever the
// order, each with its first file by path; two currencies are an error
// that names both and their files, as a local read's is.
func TestMergeStatsCurrencies(t *testing.T) {
	parts := []partStats{
		{Parts: 1, Currencies: map[string]string{"EUR": "b.csv"}},
		{Parts: 1},
		{Parts: 1, Currencies: map[string]string{"EUR": "a.csv"}},
	}
	var m mergeStats
	one := m.MergeAccumulators(m.MergeAccumulators(parts[0], parts[1]), parts[2])
	other := m.MergeAccumulators(parts[2], m.MergeAccumulators(parts[1], parts[0]))
	for _, st := range []partStats{one, other} {
		if c, err := checkCurrencies(st.Currencies); err != nil || c != "EUR" || st.Currencies["EUR"] != "a.csv" {
			t.Errorf("currencies %v: %q, %v; want EUR first seen in a.csv", st.Currencies, c, err)
		}
	}
	if parts[0].Currencies["EUR"] != "b.csv" {
		t.Error("merging changed a part's map")
	}
	two := m.MergeAccumulators(one, partStats{Parts: 1, Currencies: map[string]string{"USD": "c.csv"}})
	_, err := checkCurrencies(two.Currencies)
	if err == nil || !strings.Contains(err.Error(), `amounts in "USD" (c.csv) are in another currency than amounts in "EUR" (a.csv)`) {
		t.Errorf("two currencies: %v", err)
	}
	if c, err := checkCurrencies(nil); c != "" || err != nil {
		t.Errorf("no currency: %q, %v", c, err)
	}
	// A code (a currency column's) and a sign several currencies write are
	// one currency, named by the code, as a local read names it; two signs
	// or two codes are not.
	if c, err := checkCurrencies(map[string]string{"$": "b.csv", "USD": "a.csv"}); c != "USD" || err != nil {
		t.Errorf("USD and $: %q, %v", c, err)
	}
	for _, cs := range []map[string]string{{"$": "a.csv", "¥": "b.csv"}, {"CAD": "a.csv", "$": "b.csv", "USD": "c.csv"}, {"EUR": "a.csv", "$": "b.csv"}} {
		if _, err := checkCurrencies(cs); err == nil {
			t.Errorf("%v: no error", cs)
		}
	}
}
