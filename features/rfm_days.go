package features

import (
	"fmt"
	"math"
)

// CheckRecencyDays reports whether days are valid fixed R cut points
// (rfm.recency_days): four whole numbers of days, positive and strictly
// increasing.
func CheckRecencyDays(days []int) error {
	c := make([]float64, len(days))
	for j, d := range days {
		c[j] = float64(d)
	}
	return checkDays(c)
}

// WithRecencyDays returns c with R scored on the fixed days instead of
// its quintile cuts; F and M are kept. days must pass CheckRecencyDays
// (ScoreRFM rejects them otherwise). With days a < b < c < d:
//
//	recency_days < a       R 5
//	a ≤ recency_days < b   R 4
//	b ≤ recency_days < c   R 3
//	c ≤ recency_days < d   R 2
//	recency_days ≥ d       R 1
//
// A day cut point opens the band above it, as the groups' day thresholds
// do (bought_last_30d is recency_days < 30, lapsed recency_days ≥ 365):
// with [30, 90, 180, 365] R 5 is exactly bought_last_30d and R 1 exactly
// lapsed. A quintile cut is a value of the data and closes the band below
// it (recency_days ≤ Q(0.2) → R 5). The two agree on the whole days that
// recency_days holds: recency r < d exactly when r ≤ d − 1, so fixed days
// score as the quintile rule would with cut points a − 1, …, d − 1. Both
// score a value alone, never a rank, and the cuts are saved in model.json
// (with RFixedDays) for segment assign, rfm.freeze_from and refits.
func (c RFMCuts) WithRecencyDays(days []int) RFMCuts {
	c.R = make([]float64, len(days))
	for j, d := range days {
		c.R[j] = float64(d)
	}
	c.RFixedDays = true
	return c
}

// checkDays reports whether c is four finite, positive, strictly
// increasing day cut points.
func checkDays(c []float64) error {
	if err := checkCuts(c); err != nil {
		return err
	}
	for j, x := range c {
		if x <= 0 || x != math.Trunc(x) {
			return fmt.Errorf("day cut point %d is %v: want a positive whole number", j+1, x)
		}
		if x > MaxDays {
			return fmt.Errorf("day cut point %d is %v: want at most %d days (100 years)", j+1, x, MaxDays)
		}
		if j > 0 && x == c[j-1] {
			return fmt.Errorf("day cut points must increase: %v repeats", x)
		}
	}
	return nil
}

// daysReached returns the number of day cut points at or below v.
func daysReached(v float64, days []float64) int {
	n := 0
	for _, d := range days {
		if d <= v {
			n++
		}
	}
	return n
}

// DescribedAsRecent reports whether the RFM segment id is described to
// the marketer as recent: every cell of the grid that maps to it has
// R ≥ 3 (champions, loyal_customers, potential_loyalist, new_customers
// and promising; their definitions say "recently", "recent", "fairly
// recent" or "buy regularly"). need_attention (R 2–3, "slipping") and
// the R 1–2 segments are not. R is relative to the store's customers, so
// such a segment can hold customers who stopped buying long ago; the
// report says so when its median recency reaches the lapsed threshold.
func DescribedAsRecent(id string) bool {
	found := false
	for r := 1; r <= 5; r++ {
		for fm := 1; fm <= 5; fm++ {
			if RFMSegment(r, fm) == id {
				if r < 3 {
					return false
				}
				found = true
			}
		}
	}
	return found
}
