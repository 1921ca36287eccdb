package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/report"
)

// Tables is the first stage's output: one row of features per customer
// with orders, and the optional tables joined to it.
type Tables struct {
	Table             *features.Table // every customer with orders (or every row of a feature table)
	Stats             data.ReadStats  // rows read, used and rejected
	Inputs            []data.FileStat // every file read, with its checksum
	UnmatchedProducts int64           // order lines whose product_id the products table lacks
	Customers         *features.CustomerTable
	Prospects         []string // sorted ids of customers-table rows with no orders
	// CustomersMismatch, when not nil, says that no id of the customers
	// table is the id of a customer with orders.
	CustomersMismatch *features.IDMismatch
	// EventsMismatch, likewise, for the events table.
	EventsMismatch *features.IDMismatch
	Events         *features.EventTable
	// FeatureColumns are the numeric columns of a feature table (-features),
	// which clustering.use defaults to; nil for order lines.
	FeatureColumns []string

	// counted are a scale-out run's counts of what its finish does not
	// hold: the prospects (not in Prospects) and the customers table's
	// rows without an id (not in Customers.Rejects).
	counted struct{ prospects, customersRejected int }
}

// prospects returns the number of customers-table rows with no orders.
func (t *Tables) prospects() int { return len(t.Prospects) + t.counted.prospects }

// AggregateOrders streams the order lines into per-customer features,
// joining the products table (o.Products) on product_id as it goes.
// Rejected lines go to rejects.
func AggregateOrders(ctx context.Context, o *Options, rejects func(data.Reject)) (*Tables, error) {
	opts := features.Options{
		AsOf:          o.AsOf,
		Location:      o.Location,
		TopCategories: o.TopN,
		PeakStart:     o.PeakSeason[0],
		PeakEnd:       o.PeakSeason[1],
		WindowDays:    o.WindowDays,
		Workers:       aggregationWorkers(o.Workers),
		PurchaseDays:  o.CLV != nil,
		HoldoutDays:   o.HoldoutDays,
	}
	src := data.OrderSource{
		Path:                 o.Orders,
		Columns:              o.OrderColumns,
		Location:             o.Location,
		OnReject:             rejects,
		Duplicates:           o.Duplicates,
		AmountScale:          o.AmountScale,
		AmountBeforeDiscount: o.AmountBeforeDiscount,
		TimeFormat:           o.TimeFormat,
		CSV:                  o.CSV,
		CancelPrefix:         o.CancelPrefix,
		ReturnStatus:         o.ReturnStatus,
		ExcludeStatus:        o.ExcludeStatus, ExcludeProducts: o.ExcludeProducts,
	}
	opts.SaleDays, opts.TrendDays = o.SaleDays, o.TrendDays
	if m := o.Model; m != nil {
		opts.Categories = m.Categories
		if opts.Categories == nil {
			opts.Categories = []string{} // the model had no mix categories
		}
	}
	var prod *features.ProductTable
	if o.Products != nil {
		var err error
		times, err := o.Products.Times()
		if err != nil {
			return nil, fmt.Errorf("products %s: %w", o.Products.Path, err)
		}
		if prod, err = features.ReadProductTable(ctx, o.Products.Path, o.Products.Columns, times); err != nil {
			return nil, err
		}
		opts.Products = prod.Attrs
	}
	if opts.Spill = spillPlan(o, opts.Workers); opts.Spill != nil {
		o.logger().Info("orders: the aggregation keeps the lines on disk (-spill)",
			"parts", opts.Spill.Parts, "folder", cmp.Or(opts.Spill.Dir, os.TempDir()), "memory_limit", formatBytes(o.MemoryLimit))
	}
	restoreGC := func() {}
	if opts.Spill != nil && o.GCPercentWhileSpilling > 0 {
		old := debug.SetGCPercent(o.GCPercentWhileSpilling)
		restoreGC = sync.OnceFunc(func() { debug.SetGCPercent(old) })
		defer restoreGC()
	}
	agg := features.NewAggregator(opts)
	if err := agg.Err(); err != nil { // a bad option, or a spill folder that cannot be made
		return nil, fmt.Errorf("features: %s: %w", o.Orders, err)
	}
	defer func() {
		if err := agg.Close(); err != nil {
			o.logger().Warn("orders: removing the spill files", "error", err)
		}
	}()
	bar := o.progress()
	bar.Start(-1, "reading orders", "rows")
	defer bar.Done()
	out := &Tables{}
	// The reader decodes the next batch while the last one is aggregated.
	aggregate := newOverlap(func(batch []data.OrderLine) {
		bar.Add(len(batch))
		if prod != nil {
			out.UnmatchedProducts += prod.Join(batch)
		}
		agg.Add(batch)
	})
	var lines int64
	mem := checker(o.MemoryLimit)
	var examples []data.Reject
	src.OnReject = firstRejects(&examples, rejects)
	src.NextBatch = aggregate.next
	stats, err := data.ReadOrders(ctx, src, func(batch []data.OrderLine) error {
		if batchRead != nil {
			batchRead()
		}
		lines += int64(len(batch))
		if err := agg.Err(); err != nil { // a spill file that cannot be written: stop reading
			return fmt.Errorf("features: %s: %w", o.Orders, err)
		}
		if err := mem.check(func() string {
			return fmt.Sprintf("while reading the orders (%s lines so far)", report.FormatInt(lines))
		}); err != nil {
			return err
		}
		return aggregate.send(batch)
	})
	aggregate.close()
	if err != nil {
		return nil, err
	}
	out.Stats = stats
	out.Inputs = stats.Files
	for _, col := range slices.Sorted(maps.Keys(stats.PartlyAbsent)) {
		files := stats.PartlyAbsent[col]
		o.logger().Warn("orders: a column some files have is missing from others: their lines have none", "column", col,
			"files_without", len(files), "files", len(stats.Files), "first", files[0])
	}
	for _, g := range stats.DateGuesses {
		o.logger().Info("orders: day/month dates read in the only order every date fits; set orders.time_format to be explicit",
			"file", g.File, "time_format", g.Format, "example", g.Example)
	}
	if prod != nil && slices.Contains(stats.Absent, "product_id") {
		// Nothing to join the table on: its groups (premium_buyer,
		// trend_follower) would be reported empty rather than unread.
		return nil, fmt.Errorf("products %s: the order lines have no product_id column to join it on: map orders.columns.product_id, or leave the products table out", o.Products.Path)
	}
	if prod != nil {
		if out.Inputs, err = withInput(out.Inputs, o.Products.Path, int64(prod.Rows)); err != nil {
			return nil, err
		}
	}
	o.logger().Debug("orders: every line read; making the feature table", "lines", lines)
	restoreGC()
	t, err := agg.TableContext(ctx)
	if err != nil {
		if errors.Is(err, features.ErrNoCustomers) {
			switch {
			case stats.RowsUsed == 0 && stats.RowsRejected > 0:
				return nil, &NoUsableRowsError{Orders: o.Orders, Stats: stats, Examples: examples}
			case stats.RowsRead == 0:
				return nil, &noCustomersError{fmt.Sprintf("%s: no order lines (the input has no rows): no customers to segment; was the export empty?", o.Orders)}
			case !o.AsOf.IsZero():
				return nil, &noCustomersError{fmt.Sprintf("%s: all %d order lines read are on or after as_of %s: no customers to build; set as_of after the first order, or leave it unset (the day after the latest line)",
					o.Orders, stats.RowsUsed, o.AsOf.Format(time.DateOnly))}
			}
		}
		return nil, fmt.Errorf("features: %s: %w", o.Orders, err)
	}
	// Lines dated on or after as_of were read without fault but are left
	// out of the features: neither used nor rejected, so that rows read =
	// used + rejected + after as_of in the log, run.json and the report.
	out.Stats.RowsUsed -= t.LinesAfterAsOf
	t.Absent = stats.Absent
	if prod != nil && prod.Categories != nil { // the products table gives the category
		t.Absent = slices.DeleteFunc(slices.Clone(t.Absent), func(c string) bool { return c == "category" })
	}
	out.Table = t
	o.logger().Info("orders read", "rows", out.Stats.RowsRead, "used", out.Stats.RowsUsed, "rejected", out.Stats.RowsRejected,
		"after_as_of", t.LinesAfterAsOf, "as_of", t.AsOf.Format(time.DateOnly), "timezone", t.AsOf.Location().String())
	logOrderCounts(o.logger(), out.Stats.NegativeDiscounts, out.Stats.Repeated, out.Stats.RowsRead, out.Stats.RepeatedEstimated)
	if prod != nil {
		warnUnmatchedProducts(o.logger(), o.Products.Path, out.UnmatchedProducts, lines)
	}
	return out, nil
}

// warnUnmatchedProducts warns when at least half of the order lines
// joined to the products table at path (lines) found no product
// (unmatched): ids written another way (letter case, 1001.0 against 1001,
// another catalogue) leave the category mix and the product features
// without their source, which only the report's data quality table said.
func warnUnmatchedProducts(log *slog.Logger, path string, unmatched, lines int64) {
	if lines == 0 || 2*unmatched < lines {
		return
	}
	msg := "products: half or more of the order lines' product_id are not in the products table: compare the ids as both files write them (letter case, 1001.0 against 1001, another catalogue)"
	if unmatched == lines {
		msg = "products: no order line's product_id is in the products table: the category mix and the product features have no product to come from; compare the ids as both files write them (letter case, 1001.0 against 1001, another catalogue)"
	}
	log.Warn(msg, "products", path, "lines", lines, "unmatched", unmatched)
}

// logOrderCounts logs what the order lines' counts ask a person to check:
// negative discounts read as their magnitude, and rows that repeat an
// earlier one (a warning from 1 % of the rows read: a share that large is
// more likely an export written twice than identical purchases). A
// -runner run logs them from its run.json (RunBeam).
func logOrderCounts(log *slog.Logger, negativeDiscounts, repeated, read int64, estimated bool) {
	if negativeDiscounts > 0 {
		log.Warn("orders: negative discounts read as the amount taken off (their magnitude)", "lines", negativeDiscounts)
	}
	if repeated > 0 {
		level := slog.LevelInfo
		if repeated*100 >= read {
			level = slog.LevelWarn
		}
		log.Log(context.Background(), level, "orders: rows repeat an earlier row exactly and are kept, summed into their orders (orders.duplicates: keep; set drop if the export repeats rows)",
			"rows", repeated, "estimated", estimated)
	}
}

// batchRead, when a test sets it, is called as each batch of order lines
// is read.
var batchRead func()

// aggregationWorkers returns the number of partitions that aggregate the
// order lines: workers, or GOMAXPROCS when 0. The reader decodes on a
// goroutine of its own beside them.
func aggregationWorkers(workers int) int {
	if workers <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return workers
}

// CheckLocalInputs returns an error naming the first input of o given as
// an object store's URL (gs://…, s3://…), which only a scale-out runner
// reads (segment-beam); nil when every input is a path. Run refuses such
// options.
func CheckLocalInputs(o *Options) error {
	paths := []string{o.Orders, o.Features, o.CustomersPath}
	for _, t := range []*config.Table{o.Products, o.Events} {
		if t != nil {
			paths = append(paths, t.Path)
		}
	}
	for _, p := range paths {
		if config.IsURL(p) {
			return fmt.Errorf("%s: an object store's URL is read by -runner prism, flink, spark or dataflow only", p)
		}
	}
	return nil
}

// withInput returns inputs with a table read whole (customers, products,
// events, a feature table) and its checksum.
func withInput(inputs []data.FileStat, path string, rows int64) ([]data.FileStat, error) {
	sum, err := data.FileSHA256(path)
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(inputs), data.FileStat{Path: path, SHA256: sum, Rows: rows}), nil
}

// JoinCustomers returns t with the customers table (its file, columns and
// times as table says) and its prospects (rows of the table with no
// orders). The table's rows without a customer id
// (Customers.Rejects) are counted in Stats.RejectsByReason; the caller
// lists them (rejects.csv), after the order lines' and before the events
// table's.
func JoinCustomers(ctx context.Context, t *Tables, table *config.Table, log *slog.Logger) (*Tables, error) {
	times, err := table.Times()
	if err != nil {
		return nil, fmt.Errorf("customers %s: %w", table.Path, err)
	}
	path := table.Path
	c, err := features.ReadCustomerTable(ctx, path, table.Columns, times)
	if err != nil {
		return nil, err
	}
	out := *t
	out.Customers = c
	out.Prospects = c.Prospects(t.Table.IDs)
	if out.Inputs, err = withInput(t.Inputs, c.Path, int64(len(c.IDs)+len(c.Rejects))); err != nil {
		return nil, err
	}
	if len(c.Rejects) > 0 {
		out.Stats.RejectsByReason = maps.Clone(t.Stats.RejectsByReason)
		if out.Stats.RejectsByReason == nil {
			out.Stats.RejectsByReason = map[string]int64{}
		}
		for _, r := range c.Rejects {
			out.Stats.RejectsByReason[r.Reason]++
		}
	}
	orDiscard(log).Info("customers table joined", "rows", len(c.IDs)+len(c.Rejects), "rejected", len(c.Rejects), "prospects", len(out.Prospects))
	if n, first := features.NearMissIDs(t.Table.IDs, c.IDs); n > 0 {
		orDiscard(log).Warn("customers: ids of the customers table are the id of a customer with orders but for letter case, invisible characters, leading zeros or a trailing .0: each pair is joined as two customers (the table's row a prospect, the buyer without its e-mail and consent); write the ids alike in both files",
			"customers", path, "ids", n, "table_id", first[0], "orders_id", first[1])
	}
	if len(out.Prospects) == len(c.IDs) {
		if m := features.FindIDMismatch(t.Table.IDs, c.IDs); m != nil {
			out.CustomersMismatch = m
			orDiscard(log).Warn("no customer_id of the customers table is the id of a customer with orders: check that both files write ids alike",
				"customers", path, "customers_example", m.TableID, "orders_example", m.OrderID, "leading_zeros", m.LeadingZeros)
		}
	}
	return &out, nil
}

// JoinEvents returns t with the events table folded per customer; its
// rejected rows go to rejects and are counted in Stats.RejectsByReason.
// spill, when not nil, keeps the events of a table not in time order on
// disk; the rows are checked on workers goroutines (GOMAXPROCS when 0;
// see features.ReadEventTable).
func JoinEvents(ctx context.Context, t *Tables, table *config.Table, spill *features.EventSpill, workers int, rejects func(data.Reject), log *slog.Logger) (*Tables, error) {
	out := *t
	out.Stats.RejectsByReason = maps.Clone(t.Stats.RejectsByReason)
	times, err := table.Times()
	if err != nil {
		return nil, fmt.Errorf("events %s: %w", table.Path, err)
	}
	e, err := features.ReadEventTable(ctx, table.Path, table.Columns, times, t.Table.AsOf, spill, aggregationWorkers(workers), func(rej data.Reject) {
		rejects(rej)
		if out.Stats.RejectsByReason == nil {
			out.Stats.RejectsByReason = map[string]int64{}
		}
		out.Stats.RejectsByReason[rej.Reason]++
	})
	if err != nil {
		return nil, err
	}
	res, err := WithEvents(&out, e)
	if err != nil {
		return nil, err
	}
	st := e.Agg.Stats()
	orDiscard(log).Info("events table joined", "rows", e.Rows, "used", st.Used, "after_as_of", st.AfterAsOf, "unknown_type", st.UnknownType, "rejected", e.Rejected)
	if m := res.EventsMismatch; m != nil {
		orDiscard(log).Warn("no customer_id of the events table is the id of a customer with orders: check that both files write ids alike",
			"events", table.Path, "events_example", m.TableID, "orders_example", m.OrderID, "leading_zeros", m.LeadingZeros)
	}
	return res, nil
}

// WithEvents returns t with the events table e, folded already (by
// JoinEvents, or by a scale-out run), listed in the inputs after t's with
// its checksum and rows. Its rejects are the caller's to count.
func WithEvents(t *Tables, e *features.EventTable) (*Tables, error) {
	sum, err := data.FileSHA256(e.Path)
	if err != nil {
		return nil, err
	}
	return WithEventsSHA(t, e, sum), nil
}

// WithEventsSHA is WithEvents for a table whose file's SHA-256 is known
// (sum): the scale-out runner's, computed by the worker that read it.
func WithEventsSHA(t *Tables, e *features.EventTable, sum string) *Tables {
	out := *t
	out.Events = e
	out.Inputs = append(slices.Clip(t.Inputs), data.FileStat{Path: e.Path, SHA256: sum, Rows: e.Rows})
	out.EventsMismatch = features.FindIDMismatch(t.Table.IDs, e.Agg.IDs())
	return &out
}

// noCustomersError is a run without a customer, said in its own words
// (features.ErrNoCustomers's are not repeated after them); it matches
// features.ErrNoCustomers.
type noCustomersError struct{ msg string }

func (e *noCustomersError) Error() string { return e.msg }
func (e *noCustomersError) Unwrap() error { return features.ErrNoCustomers }
