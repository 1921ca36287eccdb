package data

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ReadOrders streams the order lines of src to fn in batches, file by file
// in path order and row by row within a file. It reads only the mapped
// columns. The batch passed to fn is reused for the next call (fn must copy
// what it keeps), unless src.NextBatch is set: fn then owns each batch and
// the reader fills the slice NextBatch gives it. An error from fn stops the
// read and is returned as is.
//
// A row that cannot be used is not an error: it is counted, handed to
// src.OnReject and skipped. Its reason is one of "missing customer_id",
// "missing order_id", "missing time" (null or empty), "missing amount",
// "missing quantity" and "missing unit_price" (null, where the value is
// needed; a unit price also where its column is read beside an amount), "customer_id is not valid UTF-8" and "customer_id holds a NUL byte"
// (likewise order_id and product_id: outputs must stay readable by strict
// readers), "time out of
// range (years 1678–2261)" (MinTime, MaxTime), "amount out of range
// (magnitude above 1e12)" (likewise quantity, unit_price and discount:
// MaxLineValue), "non-positive unit_price" (when a unit price column is
// read) and "duplicate line" (with src.Duplicates == DropDuplicates). Nulls elsewhere
// read as zero values: a null discount is 0, a null quantity is 0 when
// amount is mapped. Bytes that are not valid UTF-8 in the category,
// coupon, status, city, country and channel read as U+FFFD. Times are not compared with an analysis date: a line
// dated on or after as_of is valid data, which features.Aggregator leaves
// out of the features and counts (Table.LinesAfterAsOf).
//
// Errors name the file, and the column and row where there is one (see
// ColumnError): a required or explicitly mapped column missing from a file,
// a column whose type cannot hold its logical column, a value that cannot
// be parsed as a time or a number, a NaN or infinite number, a file that is
// not Parquet or is damaged. The returned ReadStats describe what was read
// up to the error.
func ReadOrders(ctx context.Context, src OrderSource, fn func(batch []OrderLine) error) (ReadStats, error) {
	return readOrders(ctx, src, fn, nil)
}

// readOrders is ReadOrders, adding the LineHash of every line kept to
// hashes when not nil (PartLineHashes).
func readOrders(ctx context.Context, src OrderSource, fn func(batch []OrderLine) error, hashes map[uint64]struct{}) (ReadStats, error) {
	r := &orderReader{ctx: ctx, src: src, fn: fn, stats: ReadStats{RejectsByReason: map[string]int64{}}, hashes: hashes}
	r.batchSize = src.BatchSize
	if r.batchSize <= 0 {
		r.batchSize = defaultBatchSize
	}
	r.batch = make([]OrderLine, 0, r.batchSize)
	layout, err := TimeLayout(src.TimeFormat) // a strftime format becomes a Go layout
	if err != nil {
		return r.stats, err
	}
	r.src.TimeFormat = layout
	if mappedNames(src.Columns) == ([numLogical]string{}) && len(src.Columns.Discount) == 0 {
		r.src.Columns = DefaultOrderColumns()
	}
	files, err := expandPath(src.Path)
	if err != nil {
		return r.stats, err
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return r.stats, err
		}
		// The checksum reads the file on another core while it is decoded.
		type checksum struct {
			sum string
			err error
		}
		sumc := make(chan checksum, 1)
		go func(path string) {
			sum, err := fileSHA256(ctx, path)
			sumc <- checksum{sum, err}
		}(f.path)
		before := r.stats.RowsRead
		switch f.format {
		case formatParquet:
			err = r.readParquet(ctx, f.path)
		default:
			err = r.readCSV(ctx, f.path, f.format == formatCSVGzip)
		}
		c := <-sumc
		r.stats.Files = append(r.stats.Files, FileStat{Path: f.path, SHA256: c.sum, Rows: r.stats.RowsRead - before, InnerSHA256: r.inner})
		r.inner = ""
		if err != nil {
			return r.stats, err
		}
		if c.err != nil {
			return r.stats, c.err
		}
		if r.src.Duplicates != DropDuplicates { // dropped, a copy's lines are rejected as duplicates
			if err := r.sameBytes(r.stats.Files[len(r.stats.Files)-1]); err != nil {
				return r.stats, err
			}
		}
	}
	if err := r.currencyClash(); err != nil {
		return r.stats, err
	}
	r.stats.Absent, r.stats.PartlyAbsent, r.stats.Currency = r.absent(), r.partlyAbsent(), r.currencyName()
	r.stats.Repeats = r.repeats.result()
	r.stats.Repeated, r.stats.RepeatedEstimated = r.stats.Repeats.Count(r.stats.RowsUsed), r.stats.Repeats.Estimated(r.stats.RowsUsed)
	return r.stats, r.flush()
}

// orderReader carries the state of one ReadOrders call across files.
type orderReader struct {
	ctx       context.Context
	src       OrderSource
	fn        func([]OrderLine) error
	batch     []OrderLine
	batchSize int
	stats     ReadStats
	// read[l] and readDiscount record the logical columns some file had;
	// lacking[l] (lackingDiscount) the files that did not have optional
	// column l (a discount column).
	read            [numLogical]bool
	readDiscount    bool
	lacking         [numLogical][]string
	lackingDiscount []string
	sums            map[string]string   // the files read with rows, by checksum (SameBytes)
	inner           string              // the gzip file just read: its data's checksum (FileStat.InnerSHA256)
	lines           map[uint64]struct{} // hashes of the lines read, with DropDuplicates
	repeats         repeatSampler       // the lines used that repeat one, with KeepDuplicates
	hashes          map[uint64]struct{} // the LineHash of the lines kept, for PartLineHashes
	// excluded is what the line finish rejected last adds to
	// RevenueExcluded (Reject.Excluded).
	excluded float64
	// validUTF8 has the bits (as in missing) of the logical columns whose
	// strings in the lines being finished are known to be valid UTF-8
	// without a NUL byte.
	validUTF8 missing
	// currency is the first currency sign of a CSV amount ("$" of
	// "$12.50") and where it was: a second sign is an error (noteCurrency).
	currency currencySeen
	// enc is the text encoding the first CSV file that showed one was read
	// in: a later file whose start does not show its own is read in it.
	enc string
	// code is the first value of the currency column and where it was: a
	// second value is an error (noteCode).
	code currencySeen
	// prev is the last line's ids and status in the piece being read (a
	// CSV file, a Parquet row group): a line without a status takes its
	// order's (orderStatus).
	prev orderStatus
	// carry is a rejected line's refund, kept for the next line of its
	// order in the piece (refundCarry).
	carry refundCarry
	// last is the last line in the piece with its ids and time: a line
	// without a customer id right after a line of its order and time is
	// that line's customer's.
	last struct {
		customer, order string
		time            time.Time
	}
}

// orderStatus is a line's customer, order and status, as the next line of
// its piece sees them. Exports that write an order's fields on its first
// line only (Shopify's Financial Status) leave the status of its other
// lines empty: a line without a status, right after a line of the same
// customer and order, takes that line's status, so that an order refunded
// or voided whole counts as such, not only its first line. The strings
// are the lines' own (no copy): they are never changed.
type orderStatus struct{ customer, order, status string }

// fill sets l's empty status to the status of the line before it when
// that line is of the same customer and order, and remembers l.
func (s *orderStatus) fill(l *OrderLine) {
	if l.Status == "" && l.OrderID == s.order && l.CustomerID == s.customer {
		l.Status = s.status
	}
	*s = orderStatus{customer: l.CustomerID, order: l.OrderID, status: l.Status}
}

// finish completes line from the values read into it: checks the columns a
// line cannot do without, computes the amount when it is not mapped and
// sets Returned. It returns the reject reason, or "". A rejected line
// whose amount is known adds it to ReadStats.RevenueExcluded.
func (r *orderReader) finish(p *columnPlan, l *OrderLine, miss missing) string {
	if s := r.src.AmountScale; s != 0 && s != 1 {
		scaleMoney(l, s)
	}
	negDiscount := l.Discount < 0 // a sign convention (Magento), or a typo: read as the amount taken off
	if negDiscount {
		l.Discount = -l.Discount
	}
	l.Refunded = math.Abs(l.Refunded) // money paid back, whatever its sign convention
	known := false
	if p.hasAmount() {
		known = miss&(1<<lAmount) == 0
		if r.src.AmountBeforeDiscount {
			l.Amount = lessDiscount(l.Amount, l.Discount)
		}
	} else if miss&(1<<lQuantity|1<<lUnitPrice) == 0 {
		l.Amount = lessDiscount(l.Quantity*l.UnitPrice, l.Discount)
		known = true
	}
	reason := r.check(p, l, miss)
	r.excluded = 0
	if strings.HasPrefix(reason, "missing ") && l.CustomerID == "" && totalsRow(l) {
		reason, known = ReasonTotalsRow, false // a sum of lines, not a sale
	}
	if reason != "" && known && math.Abs(l.Amount) <= MaxLineValue {
		r.stats.RevenueExcluded += l.Amount
		if l.Amount > 0 {
			r.stats.PurchasesExcluded += l.Amount
		}
		r.excluded = l.Amount
	}
	if reason == "" && negDiscount {
		r.stats.NegativeDiscounts++
	}
	if reason == "" {
		r.hashLine(l)
	}
	r.carry.pass(l, reason)
	return reason
}

// scaleMoney multiplies a line's money by s (OrderSource.AmountScale):
// divides by 1/s when that is a whole number, for correctly rounded
// decimals (1234 × 0.01 is 12.340000000000002, 1234 / 100 is 12.34).
func scaleMoney(l *OrderLine, s float64) {
	if d := math.Round(1 / s); d > 1 && math.Abs(1/s-d) < 1e-9*d {
		l.Amount, l.UnitPrice, l.Discount, l.Refunded = l.Amount/d, l.UnitPrice/d, l.Discount/d, l.Refunded/d
		return
	}
	l.Amount, l.UnitPrice, l.Discount, l.Refunded = l.Amount*s, l.UnitPrice*s, l.Discount*s, l.Refunded*s
}

// check returns the reason to reject a line, or "", setting Returned.
func (r *orderReader) check(p *columnPlan, l *OrderLine, miss missing) string {
	l.CustomerID, l.OrderID, l.ProductID = CleanID(l.CustomerID), CleanID(l.OrderID), CleanID(l.ProductID)
	if (miss&(1<<lCustomer) != 0 || l.CustomerID == "") && miss&(1<<lOrder|1<<lTime) == 0 && l.OrderID != "" &&
		l.OrderID == r.last.order && l.Time.Equal(r.last.time) && !totalsRow(l) {
		// An export that writes an order's customer on its first line
		// only (a Shopify orders export's Email): the line is of the
		// customer of the line before it, which is of its order and time.
		l.CustomerID, miss = r.last.customer, miss&^(1<<lCustomer)
	}
	switch {
	case miss&(1<<lCustomer) != 0 || l.CustomerID == "":
		return "missing customer_id"
	case miss&(1<<lOrder) != 0 || l.OrderID == "":
		return "missing order_id"
	case miss&(1<<lTime) != 0:
		return "missing time"
	}
	r.last.customer, r.last.order, r.last.time = l.CustomerID, l.OrderID, l.Time
	if p.hasAmount() {
		if miss&(1<<lAmount) != 0 {
			return "missing amount"
		}
	} else {
		switch {
		case miss&(1<<lQuantity) != 0:
			return "missing quantity"
		case miss&(1<<lUnitPrice) != 0:
			return "missing unit_price"
		}
	}
	if reason := checkLine(l, r.validUTF8); reason != "" {
		return reason
	}
	repairText(l, r.validUTF8)
	if p.cols[lStatus] != "" && (len(r.src.ReturnStatus) > 0 || len(r.src.ExcludeStatus) > 0) {
		r.prev.fill(l)
	}
	switch {
	case statusIn(r.src.ExcludeStatus, l.Status):
		return ExcludedStatus
	case l.ProductID != "" && slices.Contains(r.src.ExcludeProducts, l.ProductID):
		return ExcludedProduct
	}
	cancel := r.src.CancelPrefix != "" && strings.HasPrefix(l.OrderID, r.src.CancelPrefix)
	byStatus := statusIn(r.src.ReturnStatus, l.Status)
	switch {
	case l.Quantity < 0 || cancel || byStatus && l.Amount < 0: // a return of its own
		l.Returned = true
		if l.Amount > 0 { // a refund export's positive amount is money back too
			l.Amount = -l.Amount
		}
	case byStatus: // a purchase, returned
		l.Returned, l.ReturnedInPlace = true, true
	}
	if l.Returned {
		// All of a returned line's money is back already: a refund beside
		// it (Shopify's Refunded Amount of a refunded order) is the same
		// money.
		l.Refunded = 0
	}
	switch {
	case p.cols[lUnitPrice] != "" && miss&(1<<lUnitPrice) != 0:
		return "missing unit_price" // beside an amount: the column is read, its cell empty
	case p.cols[lUnitPrice] != "" && l.UnitPrice <= 0:
		return "non-positive unit_price"
	case r.src.Duplicates == DropDuplicates && r.seen(l):
		return "duplicate line"
	}
	return ""
}

// statusIn reports whether status is one of list, letter case and
// surrounding spaces aside (a CHAR column pads its values: "refunded  ").
func statusIn(list []string, status string) bool {
	status = strings.TrimSpace(status)
	return status != "" && slices.ContainsFunc(list, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), status) })
}

// The reject reasons of the lines orders.exclude leaves out.
const (
	ExcludedStatus  = "excluded by orders.exclude.status"
	ExcludedProduct = "excluded by orders.exclude.product_id"
)

// MaxLineValue bounds the magnitude of a line's amount, discount,
// quantity and unit price: features sums them exactly in millionths in an
// int64, which holds 10¹² units per line with room for the sums.
const MaxLineValue = 1e12

// MinTime and MaxTime bound a line's time: the range int64 nanoseconds
// since 1970 can hold, about the years 1678–2261.
var (
	MinTime = time.Unix(-maxUnixSeconds, 0).UTC()
	MaxTime = time.Unix(maxUnixSeconds, 0).UTC()
)

const maxUnixSeconds = math.MaxInt64/1_000_000_000 - 1

// checkLine returns the reason to reject a line whose ids are not valid
// UTF-8 or hold a NUL byte, or whose values are out of range, or "".
// Every output (Parquet, CSV, Arrow, JSON) must stay readable by strict
// readers (and a NUL ends a C string, and PostgreSQL's COPY refuses it), and the
// aggregator must never see a value it cannot sum, so such lines are
// rejected here, where the file and row are known.
func checkLine(l *OrderLine, valid missing) string {
	switch {
	case valid&(1<<lCustomer) == 0 && !utf8.ValidString(l.CustomerID):
		return "customer_id is not valid UTF-8"
	case valid&(1<<lOrder) == 0 && !utf8.ValidString(l.OrderID):
		return "order_id is not valid UTF-8"
	case valid&(1<<lProduct) == 0 && !utf8.ValidString(l.ProductID):
		return "product_id is not valid UTF-8"
	case valid&(1<<lCustomer) == 0 && HasNUL(l.CustomerID):
		return "customer_id holds a NUL byte"
	case valid&(1<<lOrder) == 0 && HasNUL(l.OrderID):
		return "order_id holds a NUL byte"
	case valid&(1<<lProduct) == 0 && HasNUL(l.ProductID):
		return "product_id holds a NUL byte"
	case l.Time.Before(MinTime) || l.Time.After(MaxTime):
		return "time out of range (years 1678–2261)"
	// The values read before the amount, which may be made of them
	// (quantity × unit_price − discount): the reason names the cell.
	case !(math.Abs(l.Quantity) <= MaxLineValue):
		return "quantity out of range (magnitude above 1e12)"
	case !(math.Abs(l.UnitPrice) <= MaxLineValue):
		return "unit_price out of range (magnitude above 1e12)"
	case !(math.Abs(l.Discount) <= MaxLineValue):
		return "discount out of range (magnitude above 1e12)"
	case !(math.Abs(l.Amount) <= MaxLineValue):
		return "amount out of range (magnitude above 1e12)"
	case !(l.Refunded <= MaxLineValue):
		return reasonRefundRange
	}
	return ""
}

// repairText replaces the bytes that are not valid UTF-8 in a line's
// descriptive strings (category, coupon, status, city, country, channel)
// with U+FFFD: unlike an id, a garbled city does not make the line
// unusable, and the outputs must stay readable by strict readers.
func repairText(l *OrderLine, valid missing) {
	for _, f := range [...]struct {
		l logical
		s *string
	}{{lCategory, &l.Category}, {lCoupon, &l.Coupon}, {lStatus, &l.Status}, {lCity, &l.City}, {lCountry, &l.Country}, {lChannel, &l.Channel}, {lCurrency, &l.Currency}} {
		if valid&(1<<f.l) == 0 && !utf8.ValidString(*f.s) {
			*f.s = strings.ToValidUTF8(*f.s, "\uFFFD")
		}
	}
}

// seen reports whether a line with exactly the same values was read before
// in this call, remembering l. Lines are compared by a 64-bit FNV-1a hash of
// all their values (a false match is about 1 in 10^19 per pair).
func (r *orderReader) seen(l *OrderLine) bool {
	sum := LineHash(l)
	if r.lines == nil {
		r.lines = map[uint64]struct{}{}
	}
	if _, ok := r.lines[sum]; ok {
		return true
	}
	r.lines[sum] = struct{}{}
	return false
}

// hashLine counts a line kept as DropDuplicates compares it (check's
// seen: before a refund carried to it): in ReadStats.Repeats with
// duplicates kept, and in the hashes PartLineHashes gathers.
func (r *orderReader) hashLine(l *OrderLine) {
	if r.hashes != nil { // a first pass that drops duplicates next: no count
		r.hashes[LineHash(l)] = struct{}{}
	} else if r.src.Duplicates != DropDuplicates {
		r.repeats.add(l)
	}
}

// lessDiscount returns a line's value before its discount (gross) less
// the discount (a magnitude), toward zero: a returned line (a negative
// gross, −1 × 10 with 2 off) gives back what was paid for it (−8), not
// the discount too (−12).
func lessDiscount(gross, discount float64) float64 {
	if gross < 0 {
		return gross + discount
	}
	return gross - discount
}
