package clv

import (
	"math"
	"slices"
	"testing"
	"time"
)

// TestSummaryCDNOW builds the cbs from the CDNOW purchase log (weeks,
// calibration end 1997-09-30, same-day purchases merged, holdout to
// 1998-06-30) and checks it equals BTYD's published table row by row, and
// the published counts of ../shared/data/README.md: 2,457 repeat
// transactions in calibration, 1,882 in the holdout, 1,411 customers with
// no repeat purchase.
func TestSummaryCDNOW(t *testing.T) {
	want := loadCBS(t)
	log := loadLog(t)
	calEnd, end := dayOf(t, "1997-09-30"), dayOf(t, "1998-06-30")
	var sumX, sumXStar, zero int
	for i, ps := range log {
		days := make([]int, len(ps))
		for j, p := range ps {
			days[j] = p.day
		}
		got, ok := Summary(days, calEnd, Week)
		if !ok {
			t.Fatalf("customer %d: no purchase in calibration", i+1)
		}
		xStar := Holdout(days, calEnd, end)
		w := want[i]
		if got.X != w.X || math.Abs(got.Tx-w.Tx) > 1e-9 || math.Abs(got.T-w.T) > 1e-9 || xStar != w.XStar {
			t.Errorf("customer %d: got %+v x*=%d, want %+v x*=%d", i+1, got, xStar, w.Stats, w.XStar)
		}
		sumX += got.X
		sumXStar += xStar
		if got.X == 0 {
			zero++
		}
	}
	if sumX != 2457 || sumXStar != 1882 || zero != 1411 {
		t.Errorf("Σx = %d, Σx* = %d, x=0 for %d; want 2457, 1882, 1411", sumX, sumXStar, zero)
	}
}

func TestSummary(t *testing.T) {
	const cal = 100
	for _, c := range []struct {
		name   string
		days   []int
		period Period
		want   Stats
		ok     bool
	}{
		{"one purchase", []int{40}, Day, Stats{X: 0, Tx: 0, T: 60}, true},
		{"same day counts once", []int{40, 40, 40}, Day, Stats{X: 0, Tx: 0, T: 60}, true},
		{"unsorted with repeats", []int{70, 40, 55, 70, 40}, Day, Stats{X: 2, Tx: 30, T: 60}, true},
		{"after calibration ignored", []int{40, 101, 150}, Day, Stats{X: 0, Tx: 0, T: 60}, true},
		{"on the calibration end", []int{40, 100}, Day, Stats{X: 1, Tx: 60, T: 60}, true},
		{"weeks are days/7", []int{30, 44, 51}, Week, Stats{X: 2, Tx: 3, T: 10}, true},
		{"zero period is a day", []int{30, 44}, 0, Stats{X: 1, Tx: 14, T: 70}, true},
		{"only after calibration", []int{120}, Day, Stats{}, false},
		{"none", nil, Day, Stats{}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := slices.Clone(c.days)
			got, ok := Summary(c.days, cal, c.period)
			if got != c.want || ok != c.ok {
				t.Errorf("Summary(%v) = %+v, %v; want %+v, %v", c.days, got, ok, c.want, c.ok)
			}
			if !slices.Equal(in, c.days) {
				t.Errorf("Summary modified its input: %v, was %v", c.days, in)
			}
		})
	}
}

func TestHoldout(t *testing.T) {
	if got := Holdout([]int{10, 101, 101, 150, 200, 201}, 100, 200); got != 3 {
		t.Errorf("Holdout = %d, want 3 (days 101, 150, 200)", got)
	}
}

func TestDayNumber(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	a := time.Date(1997, 1, 1, 0, 0, 0, 0, ny)
	b := time.Date(1997, 1, 1, 23, 59, 0, 0, ny) // 04:59 UTC the next day
	if DayNumber(a) != DayNumber(b) {
		t.Errorf("two times on 1997-01-01 in New York give days %d and %d", DayNumber(a), DayNumber(b))
	}
	if got := DayNumber(time.Date(1970, 1, 2, 12, 0, 0, 0, time.UTC)); got != 1 {
		t.Errorf("DayNumber(1970-01-02) = %d, want 1", got)
	}
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]Period{"": Day, "day": Day, "week": Week} {
		if got, err := ParsePeriod(in); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParsePeriod("month"); err == nil {
		t.Error("ParsePeriod(month) succeeded")
	}
}
