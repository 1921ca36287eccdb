package features

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// daysTable: one buyer per recency, frequency and monetary from the row.
func daysTable(t *testing.T, rec []float64) *Table {
	t.Helper()
	ids := make([]string, len(rec))
	freq, mon := make([]float64, len(rec)), make([]float64, len(rec))
	for i := range rec {
		ids[i] = fmt.Sprintf("c%03d", i)
		freq[i], mon[i] = float64(1+i%5), float64(10*(i+1))
	}
	return rfmTable(t, ids, rec, freq, mon)
}

func TestRecencyDaysBoundaries(t *testing.T) {
	// Each band's first and last whole day, fractions on both sides of a
	// cut, and the far past.
	rec := []float64{0, 29, 29.5, 30, 89, 90, 179, 180, 364, 364.9, 365, 366, 5000}
	want := []int{5, 5, 5, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1}
	tab := daysTable(t, rec)
	fitted := FitRFMCuts(tab)
	cuts := fitted.WithRecencyDays([]int{30, 90, 180, 365})
	s, err := ScoreRFM(tab, cuts)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rec {
		if int(s.R[i]) != want[i] {
			t.Errorf("recency %v: R = %d, want %d", r, s.R[i], want[i])
		}
	}
	// F and M keep their fitted quintile cuts and scores.
	q, err := ScoreRFM(tab, fitted)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.F, q.F) || !slices.Equal(s.M, q.M) {
		t.Errorf("F or M changed with fixed R days: F %v vs %v, M %v vs %v", s.F, q.F, s.M, q.M)
	}
	if !slices.Equal(cuts.F, fitted.F) || !slices.Equal(cuts.M, fitted.M) || fitted.RFixedDays {
		t.Errorf("WithRecencyDays changed F, M or its receiver: %+v, %+v", cuts, fitted)
	}
}

// TestRecencyDaysMatchQuintileRule: on whole days, fixed days d score as
// the quintile rule does with cut points d − 1.
func TestRecencyDaysMatchQuintileRule(t *testing.T) {
	var rec []float64
	for r := range 400 {
		rec = append(rec, float64(r))
	}
	tab := daysTable(t, rec)
	days := []int{7, 30, 31, 365}
	fixed, err := ScoreRFM(tab, FitRFMCuts(tab).WithRecencyDays(days))
	if err != nil {
		t.Fatal(err)
	}
	quint := FitRFMCuts(tab)
	quint.R = []float64{6, 29, 30, 364}
	q, err := ScoreRFM(tab, quint)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fixed.R, q.R) {
		t.Errorf("fixed days %v: R %v, quintile rule with d − 1: %v", days, fixed.R, q.R)
	}
}

func TestRecencyDaysJSONRoundTrip(t *testing.T) {
	tab := daysTable(t, []float64{1, 40, 100, 200, 400, 30, 365})
	cuts := FitRFMCuts(tab).WithRecencyDays([]int{30, 90, 180, 365})
	b, err := json.Marshal(cuts)
	if err != nil {
		t.Fatal(err)
	}
	var back RFMCuts
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cuts) {
		t.Fatalf("round trip: %+v, want %+v (json %s)", back, cuts, b)
	}
	a, _ := ScoreRFM(tab, cuts)
	c, _ := ScoreRFM(tab, back)
	if !reflect.DeepEqual(a, c) {
		t.Errorf("scores differ after the round trip")
	}
	// Without the flag, the same R values are quintile cuts: the boundary
	// customers (30 and 365 days) move up one score.
	back.RFixedDays = false
	q, _ := ScoreRFM(tab, back)
	if a.R[5] != 4 || q.R[5] != 5 || a.R[6] != 1 || q.R[6] != 2 {
		t.Errorf("30 and 365 days: fixed R %d, %d (want 4, 1); quintile rule %d, %d (want 5, 2)", a.R[5], a.R[6], q.R[5], q.R[6])
	}
}

func TestRecencyDaysInvalid(t *testing.T) {
	for _, days := range [][]int{nil, {30, 90, 180}, {30, 90, 180, 365, 730}, {0, 90, 180, 365}, {-1, 90, 180, 365},
		{30, 90, 90, 365}, {30, 180, 90, 365}} {
		if err := CheckRecencyDays(days); err == nil {
			t.Errorf("CheckRecencyDays(%v): no error", days)
		}
	}
	if err := CheckRecencyDays([]int{1, 2, 3, 4}); err != nil {
		t.Errorf("CheckRecencyDays(1 2 3 4): %v", err)
	}
	tab := daysTable(t, []float64{1, 2, 3})
	f := FitRFMCuts(tab)
	for _, r := range [][]float64{{30, 90, 90, 365}, {0, 90, 180, 365}, {30.5, 90, 180, 365}, {30, 90, 180}} {
		bad := f
		bad.R, bad.RFixedDays = r, true
		if _, err := ScoreRFM(tab, bad); err == nil {
			t.Errorf("ScoreRFM with fixed R days %v: no error", r)
		}
	}
}

func TestDescribedAsRecent(t *testing.T) {
	var got []string
	for _, info := range RFMSegments() {
		if DescribedAsRecent(info.ID) {
			got = append(got, info.ID)
		}
	}
	want := []string{Champions, LoyalCustomers, PotentialLoyalist, NewCustomers, Promising}
	if !slices.Equal(got, want) {
		t.Errorf("described as recent: %v, want %v", got, want)
	}
}
