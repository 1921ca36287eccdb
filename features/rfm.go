package features

import (
	"fmt"
	"math"
	"slices"
)

// RFM segment ids, as in DESIGN.md's grid, and Prospects for customers
// without a purchase.
const (
	Champions         = "champions"
	LoyalCustomers    = "loyal_customers"
	PotentialLoyalist = "potential_loyalist"
	NewCustomers      = "new_customers"
	Promising         = "promising"
	NeedAttention     = "need_attention"
	AboutToSleep      = "about_to_sleep"
	AtRisk            = "at_risk"
	CantLoseThem      = "cant_lose_them"
	Hibernating       = "hibernating"
	Lost              = "lost"
	Prospects         = "prospects"
)

// rfmGrid[5−R][FM−1] is the segment of the cell (R, FM), rows from R = 5
// down to R = 1 as in DESIGN.md.
var rfmGrid = [5][5]string{
	{NewCustomers, PotentialLoyalist, LoyalCustomers, Champions, Champions},
	{Promising, PotentialLoyalist, PotentialLoyalist, LoyalCustomers, Champions},
	{Promising, NeedAttention, PotentialLoyalist, LoyalCustomers, LoyalCustomers},
	{AboutToSleep, NeedAttention, NeedAttention, AtRisk, AtRisk},
	{Lost, Hibernating, AtRisk, CantLoseThem, CantLoseThem},
}

// RFMSegment returns the segment of the grid cell (r, fm), both in 1..5.
// It panics for a score outside 1..5 (a programmer error).
func RFMSegment(r, fm int) string {
	if r < 1 || r > 5 || fm < 1 || fm > 5 {
		panic(fmt.Sprintf("features: RFM cell (%d, %d) outside 1..5", r, fm))
	}
	return rfmGrid[5-r][fm-1]
}

// RFMCuts are the quintile cut points of recency_days (R), frequency (F)
// and monetary (M): four non-decreasing values each, the 20, 40, 60 and
// 80 % quantiles. They are saved in model.json so that a later run can
// score new data with the same cuts (freezing them).
type RFMCuts struct {
	R []float64 `json:"r"`
	F []float64 `json:"f"`
	M []float64 `json:"m"`

	// RFixedDays reports that R holds fixed cut points in days
	// (rfm.recency_days, see WithRecencyDays) instead of quintile cuts;
	// ScoreRFM scores them with the boundary rule of day thresholds.
	RFixedDays bool `json:"r_fixed_days,omitempty"`
}

// FitRFMCuts computes the RFM cut points of the customers of t that have a
// purchase (frequency > 0); customers without one are prospects and do not
// shape the cuts. The p-quantile of n sorted values x₁ ≤ … ≤ xₙ is the
// empirical one (Hyndman & Fan 1996, definition 1; gonum's stat.Empirical):
//
//	Q(p) = x_⌈p·n⌉,  p = 0.2, 0.4, 0.6, 0.8,
//
// the smallest value with at least a share p of the values at or below it.
// Cuts are therefore values of the data, computed on the values alone, so
// they do not depend on the order of the rows. A letter whose column t
// lacks gets nil cuts, which ScoreRFM rejects; when no customer has a
// purchase every cut is 0.
func FitRFMCuts(t *Table) RFMCuts {
	freq := t.Col(Frequency)
	cuts := func(name string) []float64 {
		col := t.Col(name)
		if col == nil || freq == nil {
			return nil
		}
		v := make([]float64, 0, len(col))
		for i, x := range col {
			if freq[i] > 0 {
				v = append(v, x)
			}
		}
		return quintileCuts(v)
	}
	return RFMCuts{R: cuts(RecencyDays), F: cuts(Frequency), M: cuts(Monetary)}
}

// quintileCuts returns the empirical 20/40/60/80 % quantiles of v (see
// FitRFMCuts), or four zeros for an empty v. v is reordered.
func quintileCuts(v []float64) []float64 {
	if len(v) == 0 {
		return make([]float64, 4)
	}
	n := len(v)
	ranks := make([]int, 4)
	for j := range ranks {
		ranks[j] = ((j+1)*n+4)/5 - 1 // ⌈j·n/5⌉ in integers, 0-based: no rounding of 0.2·n
	}
	return orderStats(v, ranks...)
}

// RFM holds every customer's scores and segment, in Table row order.
type RFM struct {
	// R, F and M are the scores, 1..5; 0 for prospects. R is reversed: the
	// most recent customers get 5. A byte each: a store's every customer
	// has them.
	R, F, M []int8

	// Collapsed lists, for each letter in the order R, F, M, the scores
	// that no scored customer received, usually because many customers
	// share one value (most have one order) and the cut points coincide.
	// Letters whose five scores are all used are left out.
	Collapsed []Collapse
}

// Segment returns customer i's segment id: RFMSegment(R, ⌊(F+M)/2⌋), or
// Prospects for a customer without a purchase (scores 0). It is computed
// from the scores, so that the table holds no string per customer.
func (s *RFM) Segment(i int) string {
	if s.R[i] == 0 {
		return Prospects
	}
	return RFMSegment(int(s.R[i]), (int(s.F[i])+int(s.M[i]))/2)
}

// Segments returns every customer's segment id, in row order.
func (s *RFM) Segments() []string {
	out := make([]string, len(s.R))
	for i := range out {
		out[i] = s.Segment(i)
	}
	return out
}

// Collapse describes the scores of one letter that no customer received.
type Collapse struct {
	Letter string // "R", "F" or "M"
	Scores []int  // the unused scores, ascending

	// Value is the letter's most common value among scored customers
	// (the lowest of equally common ones) and Share the fraction of scored
	// customers that have it: "F scores 2–3 collapsed: 60 % of customers
	// have frequency 1".
	Value float64
	Share float64
}

// ScoreRFM scores every customer of t with the given cut points:
//
//	score(v) = 1 + #{cuts c : c < v}      (F and M)
//	R        = 6 − score(recency_days)    (recent customers get 5)
//
// so a value at or below the first cut scores 1 and one above the last
// scores 5. With cuts.RFixedDays, R is scored on fixed days instead:
//
//	R = 5 − #{days d : d ≤ recency_days}
//
// (see WithRecencyDays for the boundary). A score depends on the value alone: equal values get equal
// scores whatever the order of the rows (it never ranks customers). Ties
// on a cut point make scores unused; they are listed in RFM.Collapsed.
// Customers with no purchase (Table.EverBought: over all history, whatever
// the window) are Prospects with scores 0; one who bought only before
// features.window_days's window is scored with frequency and monetary 0.
//
// It fails, wrapping ErrUnknownFeature, when t lacks recency_days,
// frequency or monetary, and when a letter does not have four finite
// non-decreasing cuts (fixed days: four positive increasing whole
// numbers). t is not modified.
func ScoreRFM(t *Table, cuts RFMCuts) (*RFM, error) {
	rec, freq, mon := t.Col(RecencyDays), t.Col(Frequency), t.Col(Monetary)
	for _, c := range []struct {
		name string
		col  []float64
	}{{RecencyDays, rec}, {Frequency, freq}, {Monetary, mon}} {
		if c.col == nil {
			return nil, fmt.Errorf("%w: RFM needs %s", ErrUnknownFeature, c.name)
		}
	}
	if err := cuts.Check(); err != nil {
		return nil, fmt.Errorf("features: %w", err)
	}
	n := t.N()
	s := &RFM{R: make([]int8, n), F: make([]int8, n), M: make([]int8, n)}
	ever := t.EverBought()
	for i := range n {
		if ever[i] <= 0 {
			continue // a prospect: scores 0
		}
		if cuts.RFixedDays {
			s.R[i] = int8(5 - daysReached(rec[i], cuts.R))
		} else {
			s.R[i] = int8(6 - score(rec[i], cuts.R))
		}
		s.F[i] = int8(score(freq[i], cuts.F))
		s.M[i] = int8(score(mon[i], cuts.M))
	}
	for _, l := range []struct {
		letter string
		scores []int8
		values []float64
	}{{"R", s.R, rec}, {"F", s.F, freq}, {"M", s.M, mon}} {
		if c, ok := collapsed(l.letter, l.scores, l.values); ok {
			s.Collapsed = append(s.Collapsed, c)
		}
	}
	return s, nil
}

// Check returns an error naming the first letter whose cut points are not
// four finite non-decreasing numbers (R on fixed days: four positive
// increasing whole numbers), as ScoreRFM needs them.
func (c RFMCuts) Check() error {
	for _, l := range []struct {
		letter string
		cuts   []float64
	}{{"R", c.R}, {"F", c.F}, {"M", c.M}} {
		check := checkCuts
		if l.letter == "R" && c.RFixedDays {
			check = checkDays
		}
		if err := check(l.cuts); err != nil {
			return fmt.Errorf("RFM %s cuts %v: %w", l.letter, l.cuts, err)
		}
	}
	return nil
}

// checkCuts reports whether c is four finite, non-decreasing cut points.
func checkCuts(c []float64) error {
	if len(c) != 4 {
		return fmt.Errorf("want 4 cut points, got %d", len(c))
	}
	for j, x := range c {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("cut point %d is not finite", j+1)
		}
		if j > 0 && x < c[j-1] {
			return fmt.Errorf("cut points decrease at %d", j+1)
		}
	}
	return nil
}

// score returns 1 + the number of cuts strictly below v.
func score(v float64, cuts []float64) int {
	s := 1
	for _, c := range cuts {
		if c < v {
			s++
		}
	}
	return s
}

// UnusedScores returns the scores 1..5 whose used[score] is false,
// ascending: a Collapse's Scores.
func UnusedScores(used [6]bool) []int {
	var out []int
	for s := 1; s <= 5; s++ {
		if !used[s] {
			out = append(out, s)
		}
	}
	return out
}

// collapsed returns the scores 1..5 that no scored customer (score > 0)
// received, with the most common value among scored customers.
func collapsed(letter string, scores []int8, values []float64) (Collapse, bool) {
	var used [6]bool
	v := make([]float64, 0, len(scores))
	for i, s := range scores {
		if s > 0 {
			used[s] = true
			v = append(v, values[i])
		}
	}
	c := Collapse{Letter: letter, Scores: UnusedScores(used)}
	if len(c.Scores) == 0 || len(v) == 0 {
		return Collapse{}, false
	}
	slices.Sort(v)
	best := 0
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j] == v[i] {
			j++
		}
		if j-i > best {
			best, c.Value = j-i, v[i]
		}
		i = j
	}
	c.Share = float64(best) / float64(len(v))
	return c, true
}
