package features

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/segment-tool/segment/data"
)

// Options configures an Aggregator. The zero value is ready to use.
type Options struct {
	// AsOf is the analysis date: only lines strictly before it count, and
	// recency and tenure are measured up to it. Lines with Time >= AsOf
	// are excluded and counted in Table.LinesAfterAsOf. The zero value
	// means the day after the newest order line: midnight in Location
	// following the newest line's calendar date in Location (DefaultAsOf).
	// The clock is never read. An explicit AsOf is normally a midnight in
	// Location too.
	AsOf time.Time

	// Location is the store's time zone. Calendar days are counted in it:
	// the default AsOf, the whole days of recency_days and tenure_days, the
	// first day of the window (WindowDays) and the peak-season and sale
	// days of an order. nil means UTC.
	Location *time.Location

	// TopCategories is the number N of categories, ranked by store-wide
	// gross revenue, that get their own mix_ column. 0 means 8.
	TopCategories int

	// PeakStart and PeakEnd bound the peak season, inclusive, as "MM-DD"
	// calendar days of the order time in Location. A range whose
	// start is after its end wraps around the new year. Empty means
	// "11-15" and "12-31".
	PeakStart, PeakEnd string

	// WindowDays, when positive, limits frequency, monetary and every
	// per-order ratio (aov, discount_ratio, coupon_order_share,
	// return_rate, items_per_order, mean_interorder_days,
	// peak_season_share, the category mix and distinct_categories) to
	// orders whose time is in [AsOf − WindowDays days, AsOf), days on the
	// calendar of Location (24h each in UTC). recency_days,
	// tenure_days, first_order_coupon and first_order_in_peak stay
	// measured on all history. 0 means all history.
	WindowDays int

	// Categories, when not nil, fixes the mix categories and their column
	// order instead of ranking the data's categories (TopCategories is
	// then ignored). It is how a saved model re-creates its mix columns on
	// new orders (segment assign).
	Categories []string

	// SaleDays lists the store's sale days as "YYYY-MM-DD" calendar days
	// of the order time in Location; sale_day_share counts the
	// purchases whose first line falls on one. nil means Black Friday and
	// Cyber Monday of every year (see IsBlackFridayWeekend); an empty
	// non-nil slice means the store has none.
	SaleDays []string

	// Products gives attributes of products by product_id. When some
	// product has a Tier, the table gets premium_share; when some has a
	// Launch time, new_product_share. nil: neither column.
	Products map[string]Product

	// TrendDays is how long after its launch a product counts as new for
	// new_product_share. 0 means 30.
	TrendDays int

	// PurchaseDays adds the columns purchase_days, repeat_monetary,
	// first_purchase_age_days and purchase_span_days (see PurchaseDays):
	// what the lifetime value models need.
	PurchaseDays bool

	// HoldoutDays, when positive (with PurchaseDays), splits the history
	// into a calibration period and a holdout of the last HoldoutDays
	// calendar days before AsOf: the table gets the calibration_ and
	// holdout_ columns and Table.Holdout (see holdout.go). 0: no split.
	HoldoutDays int

	// Workers is the number of partitions that fold lines concurrently
	// (customers are split by a hash of their id). 0 means 1. The Table is
	// the same, bit for bit, whatever its value.
	Workers int

	// Spill, when not nil, keeps the lines on disk until Table (spill.go):
	// memory then grows with a part of the store at a time. The caller
	// must Close the Aggregator to remove the files.
	Spill *Spill
}

// Product holds the attributes of a product that features use.
type Product struct {
	Tier   string    // price tier; "premium" counts for premium_share
	Launch time.Time // launch time; zero when unknown
}

// PremiumTier is the price tier that premium_share counts.
const PremiumTier = "premium"

// Defaults applied to zero Options fields.
const (
	DefaultTopCategories = 8
	DefaultPeakStart     = "11-15"
	DefaultPeakEnd       = "12-31"
	DefaultTrendDays     = 30
)

// Aggregator folds order lines into per-customer state. Lines may arrive in
// any number of batches, in any order; the resulting Table does not depend
// on how the lines were split or ordered, nor on Options.Workers. An
// Aggregator is not safe for concurrent use: Add runs its partitions
// concurrently itself.
type Aggregator struct {
	opts Options
	loc  *time.Location // opts.Location, or UTC

	asOf    int64 // unix nanoseconds of opts.AsOf, when hasAsOf
	hasAsOf bool

	peakStart, peakEnd  int          // month*100 + day
	saleDays            map[int]bool // year*10000 + month*100 + day; nil: Black Friday and Cyber Monday
	hasTiers, hasLaunch bool
	trendNano           int64
	orderCats           bool // keep category spend per order (WindowDays > 0)

	err   error    // an invalid option; Table returns it
	parts []*part  // customers partitioned by a hash of their id
	spill *spiller // the lines on disk, with Options.Spill
	seq   int64    // lines offered to Add so far
	split [][]int32
}

// NewAggregator returns an Aggregator with the given options. Invalid
// options (a malformed peak day, a negative count) are reported by Table.
func NewAggregator(o Options) *Aggregator {
	a := &Aggregator{
		opts:      o,
		loc:       o.location(),
		orderCats: o.WindowDays > 0,
	}
	a.parts = make([]*part, max(o.Workers, 1))
	for i := range a.parts {
		a.parts[i] = newPart(a)
	}
	a.split = make([][]int32, len(a.parts))
	a.opts.Categories = slices.Clone(o.Categories)
	if !o.AsOf.IsZero() {
		ns, ok := unixNano(o.AsOf)
		if !ok {
			a.fail(fmt.Errorf("features: as_of %s is outside the years 1678–2261", o.AsOf))
		}
		a.asOf, a.hasAsOf = ns, true
	}
	start, end := o.PeakStart, o.PeakEnd
	if start == "" {
		start = DefaultPeakStart
	}
	if end == "" {
		end = DefaultPeakEnd
	}
	var err error
	if a.peakStart, err = parseMonthDay(start); err != nil {
		a.fail(fmt.Errorf("features: peak season start: %w", err))
	}
	if a.peakEnd, err = parseMonthDay(end); err != nil {
		a.fail(fmt.Errorf("features: peak season end: %w", err))
	}
	if o.SaleDays != nil {
		a.saleDays = make(map[int]bool, len(o.SaleDays))
		for _, d := range o.SaleDays {
			day, err := time.Parse(time.DateOnly, d)
			if err != nil {
				a.fail(fmt.Errorf("features: sale day %q: want YYYY-MM-DD", d))
				continue
			}
			a.saleDays[dayKey(day)] = true
		}
	}
	for _, p := range o.Products {
		a.hasTiers = a.hasTiers || p.Tier != ""
		a.hasLaunch = a.hasLaunch || !p.Launch.IsZero()
	}
	trend := o.TrendDays
	if trend == 0 {
		trend = DefaultTrendDays
	}
	a.trendNano = int64(trend) * nanosPerDay
	switch {
	case o.TrendDays < 0:
		a.fail(fmt.Errorf("features: trend days %d is negative", o.TrendDays))
	case o.TopCategories < 0:
		a.fail(fmt.Errorf("features: top categories %d is negative", o.TopCategories))
	case o.WindowDays < 0:
		a.fail(fmt.Errorf("features: window days %d is negative", o.WindowDays))
	case o.Workers < 0:
		a.fail(fmt.Errorf("features: workers %d is negative", o.Workers))
	case o.HoldoutDays < 0:
		a.fail(fmt.Errorf("features: holdout days %d is negative", o.HoldoutDays))
	case o.TrendDays > MaxDays:
		a.fail(fmt.Errorf("features: trend days %d: want at most %d (100 years)", o.TrendDays, MaxDays))
	case o.WindowDays > MaxDays:
		a.fail(fmt.Errorf("features: window days %d: want at most %d (100 years)", o.WindowDays, MaxDays))
	case o.HoldoutDays > MaxDays:
		a.fail(fmt.Errorf("features: holdout days %d: want at most %d (100 years)", o.HoldoutDays, MaxDays))
	case o.HoldoutDays > 0 && !o.PurchaseDays:
		a.fail(fmt.Errorf("features: holdout days %d without PurchaseDays", o.HoldoutDays))
	}
	if o.Spill != nil && a.err == nil {
		sp, err := newSpiller(o.Spill, &a.opts)
		if err != nil {
			a.fail(err)
		}
		a.spill = sp
	}
	return a
}

// Err returns an error that makes Table fail, found before Table: an
// invalid option, or a spill folder or file that could not be made or
// written (Options.Spill). Unlike the other methods it may be called while
// Add runs on another goroutine, so that a reader can stop early.
func (a *Aggregator) Err() error {
	if a.err != nil {
		return a.err
	}
	if sp := a.spill; sp != nil && sp.failed.Load() {
		return sp.err
	}
	return nil
}

// Close removes the files of an Aggregator that spills (Options.Spill);
// otherwise it does nothing. The Aggregator is not usable afterwards.
func (a *Aggregator) Close() error {
	if a.spill == nil {
		return nil
	}
	err := a.spill.close()
	a.spill = nil
	a.fail(errClosed)
	return err
}

// fail records the first invalid option; Table returns it.
func (a *Aggregator) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// Add folds a batch of lines into the aggregate. It keeps no reference to
// lines or to the strings in it, so the caller may reuse the batch. An
// invalid line (empty customer or order id, a non-finite or too large
// number, a time outside the years 1678–2261) makes Table fail, naming the
// first such line in the order lines were added.
//
// With Options.Workers above 1 the lines are split by a hash of the
// customer id and the partitions fold their lines concurrently; every
// customer's lines go to one partition, so each partition holds whole
// customers.
func (a *Aggregator) Add(lines []data.OrderLine) {
	base := a.seq
	a.seq += int64(len(lines))
	if a.spill != nil {
		a.spill.add(a, lines, base)
		return
	}
	if len(a.parts) == 1 {
		a.parts[0].addAll(lines, base)
		return
	}
	for k := range a.split {
		a.split[k] = a.split[k][:0]
	}
	n := uint64(len(a.parts))
	var last string
	k := 0
	for i := range lines {
		// The lines of an order are usually adjacent: hash once per run
		// of one customer's lines.
		if id := lines[i].CustomerID; i == 0 || id != last {
			k, last = int(hashID(id)%n), id
		}
		a.split[k] = append(a.split[k], int32(i))
	}
	var wg sync.WaitGroup
	for k := 1; k < len(a.parts); k++ {
		if len(a.split[k]) > 0 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a.parts[k].add(lines, a.split[k], base)
			}()
		}
	}
	a.parts[0].add(lines, a.split[0], base)
	wg.Wait()
}

// hashID is the FNV-1a hash of an id: fixed, so that a customer's
// partition does not change between runs (the results do not depend on it).
func hashID(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
