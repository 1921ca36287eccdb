package pipeline

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// concentration computes the repeat rate and the revenue share of the top
// customers by monetary (customers with orders; ties broken by id so the
// result is deterministic).
func (r *Result) concentration() (*report.Concentration, error) {
	freq, mon := r.Tables.Table.Col(features.Frequency), r.Tables.Table.Col(features.Monetary)
	if freq == nil || mon == nil {
		return nil, nil
	}
	figs, err := r.segmentFigures()
	if err != nil {
		return nil, err
	}
	c := &report.Concentration{Buyers: figs.repeat.buyers}
	c.RepeatRate = fraction(float64(figs.repeat.repeat), float64(c.Buyers))
	rev, err := r.revenue()
	if err != nil {
		return nil, err
	}
	counts, n := rev.TopCounts()
	for i, share := range rev.TopShares() {
		c.TopShares = append(c.TopShares, report.TopShare{Share: report.TopShareMarks[i], RevenueShare: share, Customers: counts[i], Of: n})
	}
	return c, nil
}

// rfmSection summarises the RFM segments over every customer.
func (r *Result) rfmSection() (*report.RFMSection, error) {
	s := r.Segments
	if s.RFM == nil {
		return nil, nil
	}
	sec := &report.RFMSection{Cuts: [3][]float64{s.Cuts.R, s.Cuts.F, s.Cuts.M}, FrozenFrom: s.FrozenFrom, RFixedDays: s.Cuts.RFixedDays}
	figs, err := r.segmentFigures()
	if err != nil {
		return nil, err
	}
	sec.Segments = figs.rfmRows
	sec.RecencyNote = recencyNote(sec.Segments, s.Thresholds)
	names := map[string]string{"R": features.RecencyDays, "F": features.Frequency, "M": features.Monetary}
	for _, c := range s.RFM.Collapsed {
		if c.Letter == "R" && s.Cuts.RFixedDays {
			sec.Collapsed = append(sec.Collapsed, fmt.Sprintf("R scores %s were given to nobody: no scored customer's recency_days falls in their fixed days (rfm.recency_days).",
				joinInts(c.Scores)))
			continue
		}
		sec.Collapsed = append(sec.Collapsed, fmt.Sprintf("%s scores %s were given to nobody: %.1f%% of scored customers have %s = %s, so the cut points coincide.",
			c.Letter, joinInts(c.Scores), 100*c.Share, names[c.Letter], formatValue(c.Value)))
	}
	return sec, nil
}

// recencyNote returns the RFM segments described as recent
// (features.DescribedAsRecent) whose median recency_days is at least the
// lapsed threshold, or nil when there are none.
func recencyNote(rows []report.RFMSegment, th features.Thresholds) *report.RecencyNote {
	lapsed := cmp.Or(th.LapsedDays, features.DefaultThresholds.LapsedDays)
	n := &report.RecencyNote{LapsedDays: lapsed}
	for _, row := range rows {
		if row.Customers > 0 && features.DescribedAsRecent(row.ID) && row.MedianRecency >= float64(lapsed) {
			n.Segments = append(n.Segments, report.RecencyExample{ID: row.ID, MedianRecency: row.MedianRecency})
		}
	}
	if len(n.Segments) == 0 {
		return nil
	}
	return n
}

// groupRows lists the groups with their sizes and revenue.
func (r *Result) groupRows() ([]report.GroupRow, error) {
	s := r.Segments
	figs, err := r.segmentFigures()
	if err != nil {
		return nil, err
	}
	members, revenue := figs.members, figs.groupRevenue
	var rows []report.GroupRow
	for gi, g := range s.Groups {
		rows = append(rows, report.GroupRow{ID: g.ID, Definition: g.Definition, Action: g.Action, Needs: g.Needs,
			Custom: gi >= len(s.Groups)-s.CustomCount, Members: members[gi], Revenue: revenue[gi]})
	}
	return rows, nil
}

// rfmCrosstab is the report's crosstab of clusters by RFM segment
// (segments no cluster has are left out), or nil without RFM.
func (r *Result) rfmCrosstab() *report.Crosstab {
	counts := r.Profiles.RFMCounts
	if counts == nil {
		return nil
	}
	segs := features.RFMSegments()
	x := &report.Crosstab{}
	var keep []int
	for j, info := range segs {
		for c := range counts {
			if counts[c][j] > 0 {
				keep = append(keep, j)
				x.Cols = append(x.Cols, info.ID)
				break
			}
		}
	}
	for c, ci := range r.Profiles.Clusters {
		x.Rows = append(x.Rows, ci.Name)
		row := make([]int, len(keep))
		for k, j := range keep {
			row[k] = counts[c][j]
		}
		x.Counts = append(x.Counts, row)
	}
	return x
}

// settings lists the thresholds and options in force for the appendix.
func (r *Result) settings() []report.Setting {
	th := r.Segments.Thresholds
	d := features.DefaultThresholds
	pick := func(v, def float64) string { return formatValue(cmp.Or(v, def)) }
	o := r.Options
	sale := "Black Friday and Cyber Monday of every year"
	trend := 30
	if o.SaleDays != nil {
		sale = fmt.Sprint(o.SaleDays)
	}
	trend = cmp.Or(o.TrendDays, trend)
	set := func(key, value, meaning string) report.Setting {
		return report.Setting{Key: key, Value: value, Meaning: meaning}
	}
	asOf := set("as_of", r.Tables.Table.AsOf.Format("2006-01-02"), "orders before midnight ("+r.Tables.Table.AsOf.Location().String()+") of this date count; later lines are counted as after_as_of")
	if r.Tables.Table.AsOf.IsZero() {
		asOf = set("as_of", "not set", "a feature table's values are used as they are, with no analysis date")
	}
	return []report.Setting{
		asOf,
		set("features.peak_season", o.PeakSeason[0]+" to "+o.PeakSeason[1], "peak season (seasonal_first_timer, peak_season_share)"),
		set("features.sale_days", sale, "sale days (sale_day_shopper)"),
		set("features.trend_days", fmt.Sprint(trend), "days after launch a product counts as new (trend_follower)"),
		set("features.window_days", fmt.Sprint(o.WindowDays), "0: frequency and monetary over all history"),
		set("thresholds.repeat_min_orders", pick(float64(th.RepeatMinOrders), float64(d.RepeatMinOrders)), "repeat_buyer"),
		set("thresholds.top_share / vip_share / elite_share", pick(th.TopShare, d.TopShare)+" / "+pick(th.VIPShare, d.VIPShare)+" / "+pick(th.EliteShare, d.EliteShare), "top20, vip_top5, elite_top1"),
		set("thresholds.big_order_share", pick(th.BigOrderShare, d.BigOrderShare), "big_order: a buyer whose largest order (at most their net spend) is in this top share of buyers' largest orders "+
			"(strictly above the empirical quantile; ties at the cut stay out), so the group means the same on any store; "+
			"the groups table gives this run's cut"),
		set("thresholds.premium_share", pick(th.PremiumShare, d.PremiumShare), "premium_buyer"),
		set("thresholds.recent_days", pick(float64(th.RecentDays), float64(d.RecentDays)), "bought_last_30d"),
		set("thresholds.idle_days / lapsed_days", pick(float64(th.IdleDays), float64(d.IdleDays))+" / "+pick(float64(th.LapsedDays), float64(d.LapsedDays)), "idle, lapsed"),
		set("thresholds.discount_hunter_ratio", pick(th.DiscountHunterRatio, d.DiscountHunterRatio), "discount_hunter"),
		set("thresholds.sale_day_share", pick(th.SaleDayShare, d.SaleDayShare), "sale_day_shopper"),
		set("thresholds.trend_share", pick(th.TrendShare, d.TrendShare), "trend_follower"),
		set("thresholds.browser_min_views", pick(float64(th.BrowserMinViews), float64(d.BrowserMinViews)), "browser_never_bought"),
		set("thresholds.top_cities", pick(float64(th.TopCities), float64(d.TopCities)), "city_<name> groups"),
	}
}

// median returns the median of v (mean of the middle two for an even
// count), NaN for an empty v. v is sorted in place.
func median(v []float64) float64 {
	n := len(v)
	if n == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

func fraction(num, den float64) float64 {
	if den == 0 {
		return math.NaN()
	}
	return num / den
}

func joinInts(v []int) string {
	s := ""
	for i, x := range v {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(x)
	}
	return s
}

// formatValue prints a number without trailing zeros.
func formatValue(v float64) string {
	return fmt.Sprintf("%.6g", v)
}

// revenue is the revenue concentration of every customer with orders
// (nil without a monetary column), computed once: sorted in memory, or in
// passes over a scale-out run's assignment shards (or by its job 2).
func (r *Result) revenue() (*report.Revenue, error) {
	r.sortedRevenue.once.Do(func() {
		mon := r.Tables.Table.Col(features.Monetary)
		switch {
		case mon == nil:
		case r.shards != nil && r.shards.revenueRanks != nil: // found by job 2, or begun
			r.sortedRevenue.rev, r.sortedRevenue.err = report.StreamRevenueRanked(r.shards.ctx, r.shards.revenueRanks, r.shards.revenue())
		case r.shards != nil:
			r.sortedRevenue.rev, r.sortedRevenue.err = report.StreamRevenue(r.shards.ctx, r.shards.revenue())
		default:
			r.sortedRevenue.rev = report.SortRevenue(mon)
		}
	})
	return r.sortedRevenue.rev, r.sortedRevenue.err
}
