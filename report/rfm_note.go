package report

import (
	"fmt"
	"strconv"
	"strings"
)

// RecencyNote says, next to the RFM table, that segments described as
// recent hold customers who stopped buying long ago: R compares a store's
// customers with each other, so on a store whose customers mostly left a
// year ago its "recent" customers can be lapsed.
type RecencyNote struct {
	LapsedDays int              // thresholds.lapsed_days
	Segments   []RecencyExample // in the order of the RFM table
}

// RecencyExample is one segment described as recent whose median
// recency_days is at least the lapsed threshold.
type RecencyExample struct {
	ID            string
	MedianRecency float64
}

// writeRFMCuts writes the cut points under the RFM introduction: R's
// fixed days in words when rfm.recency_days is set, then the quintile
// cuts.
func writeRFMCuts(b *strings.Builder, s *RFMSection) {
	from := "fitted on this run"
	if s.FrozenFrom != "" {
		from = "frozen from `" + mdCode(s.FrozenFrom) + "`"
	}
	if !s.RFixedDays {
		fmt.Fprintf(b, "Cut points (%s): recency_days %s; frequency %s; monetary %s.\n\n", from,
			joinNumbers(s.Cuts[0]), joinNumbers(s.Cuts[1]), joinNumbers(s.Cuts[2]))
		return
	}
	var d [4]string
	for i, x := range s.Cuts[0][:4] {
		d[i] = strconv.FormatFloat(x, 'f', -1, 64)
	}
	fmt.Fprintf(b, "R on fixed days (`rfm.recency_days`), not quintiles: last purchase under %s days before as\\_of → 5, "+
		"%s to under %s → 4, %s to under %s → 3, %s to under %s → 2, %s days or more → 1.\n\n",
		d[0], d[0], d[1], d[1], d[2], d[2], d[3], d[3])
	fmt.Fprintf(b, "Cut points (%s): frequency %s; monetary %s.\n\n", from, joinNumbers(s.Cuts[1]), joinNumbers(s.Cuts[2]))
}

// writeRecencyNote writes the RFM section's note on relative recency,
// if any.
func writeRecencyNote(b *strings.Builder, s *RFMSection) {
	n := s.RecencyNote
	if n == nil || len(n.Segments) == 0 {
		return
	}
	var segs []string
	for _, e := range n.Segments {
		segs = append(segs, fmt.Sprintf("`%s` (median %s days)", mdCode(e.ID), formatNumber(e.MedianRecency)))
	}
	list := joinWords(segs)
	verb, their := "is", "its"
	if len(segs) > 1 {
		verb, their = "are", "their"
	}
	fmt.Fprintf(b, "**Recent is relative here.** %s %s described as recent, yet at least half of %s customers "+
		"have not bought for %d days or more (`thresholds.lapsed_days`): ", list, verb, their, n.LapsedDays)
	if s.RFixedDays {
		b.WriteString("the fixed days of `rfm.recency_days` reach that far back. Lower them so that high R scores mean recent buyers.\n\n")
		return
	}
	b.WriteString("RFM scores are relative to this store's customers, and these customers are only recent compared with the others. " +
		"Set `rfm.recency_days` (for example `[30, 90, 180, 365]`) to score R on fixed days instead.\n\n")
}
