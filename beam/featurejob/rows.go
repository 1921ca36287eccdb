package featurejob

import (
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// catTotals are gross spends per category in millionths (features.
// CategoryGross), sorted by name.
type catTotals struct {
	Names    []string
	Gross    []int64
	Overflow bool // a sum left the int64 range
}

// catGrossFn emits a line shard's gross spend per category over the
// orders the mix counts.
type catGrossFn struct {
	Cfg  Config
	opts features.Options
	buf  []data.OrderLine
}

// Setup builds the aggregation options.
func (f *catGrossFn) Setup() error {
	var err error
	f.opts, err = f.Cfg.featureOptions()
	return err
}

// ProcessElement sums the category spend of one line shard's customers, a
// chunk of lines at a time.
func (f *catGrossFn) ProcessElement(shard int, blocks func(*lineBlock) bool, asOf int64, emit func(catTotals)) error {
	p := features.NewPiece(f.opts, features.StoreValues{AsOf: time.Unix(0, asOf).In(f.opts.Location)})
	var err error
	if f.buf, err = eachLines(f.buf, blocks, p.Add); err != nil {
		return fmt.Errorf("featurejob: line shard %d: %w", shard, err)
	}
	g, err := p.CategoryGross()
	if err != nil {
		return fmt.Errorf("featurejob: line shard %d: %w", shard, err)
	}
	if len(g) > 0 {
		names := slices.Sorted(maps.Keys(g))
		c := catTotals{Names: names, Gross: make([]int64, len(names))}
		for i, n := range names {
			c.Gross[i] = g[n]
		}
		emit(c)
	}
	return nil
}

// mixCats are the store's mix categories, in column order; for a feature
// table (Config.Features), Columns are its feature columns instead.
type mixCats struct {
	Categories []string
	Columns    []string
}

// topCategoriesFn combines catTotals into the mix categories: the sums are
// exact integers, so the result does not depend on the order of the inputs.
type topCategoriesFn struct{ Top int }

// MergeAccumulators adds two sorted lists of totals.
func (topCategoriesFn) MergeAccumulators(a, b catTotals) catTotals {
	m := catTotals{Overflow: a.Overflow || b.Overflow}
	i, j := 0, 0
	for i < len(a.Names) || j < len(b.Names) {
		switch {
		case j == len(b.Names) || i < len(a.Names) && a.Names[i] < b.Names[j]:
			m.Names, m.Gross = append(m.Names, a.Names[i]), append(m.Gross, a.Gross[i])
			i++
		case i == len(a.Names) || b.Names[j] < a.Names[i]:
			m.Names, m.Gross = append(m.Names, b.Names[j]), append(m.Gross, b.Gross[j])
			j++
		default:
			s, ovf := addInt64(a.Gross[i], b.Gross[j])
			m.Overflow = m.Overflow || ovf
			m.Names, m.Gross = append(m.Names, a.Names[i]), append(m.Gross, s)
			i, j = i+1, j+1
		}
	}
	return m
}

// ExtractOutput ranks the categories.
func (f topCategoriesFn) ExtractOutput(a catTotals) (mixCats, error) {
	if a.Overflow {
		return mixCats{}, fmt.Errorf("featurejob: a store-wide category total overflows the 1e-6 fixed-point range")
	}
	g := make(map[string]int64, len(a.Names))
	for i, n := range a.Names {
		g[n] = a.Gross[i]
	}
	return mixCats{Categories: features.TopCategories(g, f.Top)}, nil
}

// addInt64 returns a+b and whether it overflowed.
func addInt64(a, b int64) (int64, bool) {
	s := a + b
	return s, (s > a) != (b > 0)
}

// fixedMix returns the configured mix categories (never nil) as a mixCats.
func fixedMix(c Config) mixCats {
	return mixCats{Categories: append([]string{}, c.Categories...)}
}

// featureRow is one customer's row of the feature table.
type featureRow struct {
	ID                     string
	Values                 []float64 // in the order of the table's names
	TopCategory            string
	City, Country, Channel string
}

// rowStats are the table-wide counts of the rows, combined by mergeRowStats.
type rowStats struct {
	Customers, Orders, Purchases int64
	Lines, LinesAfterAsOf        int64
	Revenue                      int64 // Σ monetary, in millionths (exact)
	RevenueOverflow              bool
	RefundOrders                 int64   // features.Table.RefundOrders…
	Refunded                     int64   // …and Refunded, in millionths (exact)
	FirstLine, LastLine          int64   // unix nanoseconds, when Lines > 0
	Latest                       []int64 // the newest line time of each of the newest days (features.Table.Latest)
	// A customer has a city, country, channel (features.Table.City…).
	HasCity, HasCountry, HasChannel bool
	// The holdout's counts (holdout.go): the calibration customers' first
	// and repeat purchase days, sorted by day.
	HoldFirst, HoldRepeat []dayCount
}

// mergeRowStats is the CombineFn of rowStats.
type mergeRowStats struct{}

// MergeAccumulators adds two sets of counts.
func (mergeRowStats) MergeAccumulators(a, b rowStats) rowStats {
	switch {
	case a.Lines == 0:
		a.FirstLine, a.LastLine = b.FirstLine, b.LastLine
	case b.Lines > 0:
		a.FirstLine, a.LastLine = min(a.FirstLine, b.FirstLine), max(a.LastLine, b.LastLine)
	}
	a.Latest = features.MergeLatest(a.Latest, b.Latest)
	var ovf bool
	a.Revenue, ovf = addInt64(a.Revenue, b.Revenue)
	a.RevenueOverflow = a.RevenueOverflow || b.RevenueOverflow || ovf
	var rovf bool
	a.Refunded, rovf = addInt64(a.Refunded, b.Refunded)
	a.RevenueOverflow = a.RevenueOverflow || rovf
	a.RefundOrders += b.RefundOrders
	a.Customers += b.Customers
	a.Orders += b.Orders
	a.Purchases += b.Purchases
	a.Lines += b.Lines
	a.LinesAfterAsOf += b.LinesAfterAsOf
	a.HasCity, a.HasCountry, a.HasChannel = a.HasCity || b.HasCity, a.HasCountry || b.HasCountry, a.HasChannel || b.HasChannel
	a.HoldFirst, a.HoldRepeat = mergeDayCounts(a.HoldFirst, b.HoldFirst), mergeDayCounts(a.HoldRepeat, b.HoldRepeat)
	return a
}

// rowsFn folds a line shard's lines into its customers' feature rows, as
// features.CustomerRows does, each keyed by the customer's shard, with
// their counts and the nets of their purchases (for the median order).
type rowsFn struct {
	Cfg  Config
	opts features.Options
	buf  []data.OrderLine
}

// Setup builds the aggregation options.
func (f *rowsFn) Setup() error {
	var err error
	f.opts, err = f.Cfg.featureOptions()
	return err
}

// ProcessElement builds the rows of one line shard's customers.
func (f *rowsFn) ProcessElement(shard int, blocks func(*lineBlock) bool, asOf int64, mix mixCats, emit func(int, featureRow), stats func(rowStats), nets func(netList)) error {
	s := features.StoreValues{AsOf: time.Unix(0, asOf).In(f.opts.Location), Categories: mix.Categories}
	if s.Categories == nil {
		s.Categories = []string{} // a coder may give nil for an empty list
	}
	p := features.NewPiece(f.opts, s)
	var err error
	if f.buf, err = eachLines(f.buf, blocks, p.Add); err != nil {
		return fmt.Errorf("featurejob: line shard %d: %w", shard, err)
	}
	t, purchases, err := p.RowsAndNets()
	if err != nil {
		return fmt.Errorf("featurejob: line shard %d: %w", shard, err)
	}
	if len(purchases) > 0 {
		nets(netList{Values: purchases})
	}
	// Refunded is a fixed-point sum converted once, as monetary (below).
	st := rowStats{Customers: int64(t.N()), Orders: int64(t.Orders), Purchases: int64(t.Purchases),
		RefundOrders: int64(t.RefundOrders), Refunded: int64(math.Round(t.Refunded * 1e6)),
		Lines: t.Lines, LinesAfterAsOf: t.LinesAfterAsOf, HasCity: t.City != nil, HasCountry: t.Country != nil, HasChannel: t.Channel != nil}
	if t.Lines > 0 {
		st.FirstLine, st.LastLine = t.FirstLine.UnixNano(), t.LastLine.UnixNano()
		st.Latest = t.Latest
	}
	st.addHoldout(t.Holdout)
	monetary := t.Col(features.Monetary)
	for i, id := range t.IDs {
		r := featureRow{ID: id, Values: make([]float64, len(t.Cols)), TopCategory: t.TopCategory[i],
			City: attr(t.City, i), Country: attr(t.Country, i), Channel: attr(t.Channel, i)}
		for j, c := range t.Cols {
			r.Values[j] = c[i]
		}
		// monetary is a fixed-point sum converted once (x/1e6): rounding
		// it back gives the exact sum, so the revenue is exact too.
		var ovf bool
		st.Revenue, ovf = addInt64(st.Revenue, int64(math.Round(monetary[i]*1e6)))
		st.RevenueOverflow = st.RevenueOverflow || ovf
		emit(shardOf(id, f.Cfg.shards()), r)
	}
	stats(st)
	return nil
}

// attr returns row i of an attribute column, "" for a nil column.
func attr(col []string, i int) string {
	if col == nil {
		return ""
	}
	return col[i]
}

// shardOf returns the shard of a customer id: a fixed hash (FNV-1a), so
// that a customer's shard does not depend on the run.
func shardOf(id string, shards int) int {
	h := fnv.New64a()
	h.Write([]byte(id))
	return int(h.Sum64() % uint64(shards))
}
