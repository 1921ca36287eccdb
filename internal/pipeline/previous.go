package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// Previous is what a refit remembers of the previous run: its model and
// its customers by RFM segment. Its customers' cluster keys, RFM segments
// and segment dates (the history columns) are read from Dir's
// assignments.parquet in customer id order for the customers of this run
// (alignPrevious), and their campaign tags (for tags_removed.csv) as the
// exports are written (openPreviousTags): no list of the previous
// customers is held.
type Previous struct {
	Dir   string
	Model *Model
	// SegCount counts the customers by RFM segment; empty when the run had
	// no RFM segments.
	SegCount map[string]int
	// Count counts the previous run's customers with orders (its
	// assignments but its prospects, whose absence says nothing of the
	// orders read); 0 when not known.
	Count int
	// Customers, when not nil, holds the previous customers to compare
	// with instead of Dir's assignments.parquet (a scale-out job 2 is
	// given those of its shard).
	Customers map[string]PreviousCustomer
}

// PreviousCustomer is a customer's row in the previous run.
type PreviousCustomer struct {
	Key       string // cluster_key
	Segment   string // rfm_segment; "" when null or absent
	ChangedAt string // segment_changed_at; "" when null or absent
	// Tenure is tenure_days and Purchases the purchases of all history
	// (lifetime_frequency, else frequency), read from assignments.parquet
	// (NaN when null or absent); not kept in Previous.Customers.
	Tenure, Purchases float64
}

// summary returns p without its customers' maps: what a scale-out finish
// needs of it (the model, the segment counts, the folder its tags are
// read from).
func (p *Previous) summary() *Previous {
	if p == nil {
		return nil
	}
	return &Previous{Dir: p.Dir, Model: p.Model, SegCount: p.SegCount, Count: p.Count}
}

// CheckPreviousDate returns an error when the previous run p is of a
// later analysis date than asOf, this run's (a backfill): its history would
// run backwards, customers' segments "changed" on a date after the run's
// own. nil when either date is unknown (a feature table's run has none),
// and for a run of the same date (a re-run, or no order newer than its),
// which SameDate tells apart: that is compared with as any previous run.
func CheckPreviousDate(p *Previous, asOf time.Time) error {
	if d, ok := p.date(asOf); ok && d > asOf.Format(time.DateOnly) {
		return fmt.Errorf("previous run %s is of a later analysis date (%s) than this run (%s): its history would run backwards; "+
			"give -previous an earlier run's folder, or -previous none to run this date alone", p.Dir, d, asOf.Format(time.DateOnly))
	}
	return nil
}

// WarnSameDate logs a warning when the previous run p has asOf's analysis
// date (a re-run, or no order newer than its): the run is compared with
// it (the report says so too).
func WarnSameDate(log *slog.Logger, p *Previous, asOf time.Time) {
	if log == nil || !p.SameDate(asOf) {
		return
	}
	log.Warn("the previous run has this run's analysis date (a re-run, or no order newer than its): the run is compared with it, not with the run before it; its tags_removed.csv lists the tags lost since that run and again that run's rows whose tag the customer still lacks",
		"previous", p.Dir, "as_of", p.Model.AsOf)
}

// SameDate reports whether the previous run p has asOf's analysis date.
func (p *Previous) SameDate(asOf time.Time) bool {
	d, ok := p.date(asOf)
	return ok && d == asOf.Format(time.DateOnly)
}

// date returns the previous run's analysis date, YYYY-MM-DD, when it has
// one that compares with asOf: both dates known, and counted in one time
// zone (a run of another store clock dates the same orders a day apart).
func (p *Previous) date(asOf time.Time) (string, bool) {
	if p == nil || p.Model == nil || !isDate(p.Model.AsOf) || asOf.IsZero() {
		return "", false
	}
	if cmp.Or(p.Model.Features.Timezone, "UTC") != asOf.Location().String() {
		return "", false
	}
	return p.Model.AsOf, true
}

// isDate reports whether s is an analysis date, YYYY-MM-DD: not empty and
// not the zero date a run of a feature table, which has none, writes.
func isDate(s string) bool {
	d, err := time.Parse(time.DateOnly, s)
	return err == nil && !d.IsZero()
}

// PreviousDir resolves Options.Previous: "none" means no previous run; ""
// means the output directory out when it holds a model.json; anything else
// is the directory itself.
func PreviousDir(previous, out string) string {
	switch previous {
	case "none":
		return ""
	case "":
		if _, err := os.Stat(filepath.Join(out, "model.json")); err == nil {
			return out
		}
		return ""
	}
	return previous
}

// warnNoModel logs, when o.Previous is "" and the output folder holds a
// run's assignments but no model.json (a run whose clustering was skipped,
// or a model.json removed), that this run has no previous run: a
// scheduled run would otherwise drop its history columns, stability
// section and tags removed without a word.
func warnNoModel(o *Options) {
	if o.Previous != "" {
		return
	}
	_, model := os.Stat(filepath.Join(o.Out, "model.json"))
	_, assignments := os.Stat(filepath.Join(o.Out, "assignments.parquet"))
	if errors.Is(model, fs.ErrNotExist) && assignments == nil {
		o.logger().Warn("previous run: the output folder holds assignments but no model.json, so this run has no previous run: no history columns, stability section or tags removed (-previous names another run)",
			"out", o.Out)
	}
}

// LoadPrevious reads a previous run's model.json and counts its customers
// by RFM segment from its assignments.parquet (the columns scan reads, a
// piece at a time), which must have the columns the history needs, in
// customer id order.
func LoadPrevious(ctx context.Context, dir string) (*Previous, error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("previous run %s: a file, not a folder: -previous names the output folder of an earlier run (the folder that holds its model.json)", dir)
	}
	m, err := LoadModel(filepath.Join(dir, "model.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("previous run %s: no model.json: not a folder segment run wrote (-previous names the -out of an earlier run; -previous none runs without one)", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("previous run: %w", err)
	}
	p := &Previous{Dir: dir, Model: m, SegCount: map[string]int{}}
	if err := p.sameRunManifest(); err != nil {
		return nil, err
	}
	keys := map[string]bool{ProspectKey: true, NotClusteredKey: true}
	for _, mc := range m.Clusters {
		keys[mc.Key] = true
	}
	err = p.scan(ctx, func(id string, c PreviousCustomer) error {
		if c.Key != ProspectKey { // a customer with orders
			p.Count++
		}
		if c.Segment != "" {
			p.SegCount[c.Segment]++
		}
		// (A segment date after model.json's as_of is no sign of a mix:
		// a feature table's run, of no date, or a run in another time zone
		// carries its customers' earlier dates forward.)
		if c.Key != "" && !keys[c.Key] {
			return p.mixed(fmt.Sprintf("assignments.parquet gives customer %q the cluster key %q, which its model.json does not have", id, c.Key))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// previousRows is the number of the previous run's customers read at a
// time.
const previousRows = 1 << 14

// scan calls fn with every customer of the previous run's
// assignments.parquet, in customer id order (the order the run wrote
// them in; a file out of order is an error).
func (p *Previous) scan(ctx context.Context, fn func(id string, c PreviousCustomer) error) error {
	path := filepath.Join(p.Dir, "assignments.parquet")
	names, err := data.ParquetColumns(path)
	if err != nil {
		return fmt.Errorf("previous run: %w", err)
	}
	if !slices.Contains(names, "customer_id") || !slices.Contains(names, "cluster_key") {
		return fmt.Errorf("previous run: %s lacks the columns customer_id and cluster_key", path)
	}
	cols := []string{"customer_id", "cluster_key"}
	at := func(name string) int { // the optional column's place, −1 without it
		if !slices.Contains(names, name) {
			return -1
		}
		cols = append(cols, name)
		return len(cols) - 1
	}
	seg, changed, tenure := at("rfm_segment"), at("segment_changed_at"), at("tenure_days")
	purchases := at(features.LifetimeFrequency) // with a window; frequency is then the window's
	if purchases < 0 {
		purchases = at(features.Frequency)
	}
	number := func(t *data.Table, j, i int) float64 { // a number column's value, NaN for null or another kind
		if j < 0 || t.Columns[j].IsNull(i) {
			return math.NaN()
		}
		switch c := &t.Columns[j]; c.Kind {
		case data.KindFloat64:
			return c.Floats[i]
		case data.KindInt64:
			return float64(c.Ints[i])
		}
		return math.NaN()
	}
	text := func(t *data.Table, j, i int) string { // a string column's value, "" for null or another kind
		if j < 0 || t.Columns[j].Kind != data.KindString || t.Columns[j].IsNull(i) {
			return ""
		}
		return t.Columns[j].Strings[i]
	}
	err = data.MergeScan(ctx, []string{path}, "customer_id", cols, previousRows, func(t *data.Table) error {
		if t.Columns[0].Kind != data.KindString || t.Columns[1].Kind != data.KindString {
			return fmt.Errorf("%s lacks string columns customer_id and cluster_key", path)
		}
		for i, id := range t.Columns[0].Strings {
			c := PreviousCustomer{Key: t.Columns[1].Strings[i], Segment: text(t, seg, i), ChangedAt: text(t, changed, i),
				Tenure: number(t, tenure, i), Purchases: number(t, purchases, i)}
			if err := fn(id, c); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
	switch {
	case err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, data.ErrNotSorted):
		// segment writes it sorted by customer_id, each customer once.
		return fmt.Errorf("previous run: %w (a duplicate id or an order segment run does not write: was the file rewritten by another tool? "+
			"Name the folder of a segment run with -previous, or -previous none to compare with nothing)", err)
	}
	return fmt.Errorf("previous run: %w", err)
}

// ScanPrevious calls fn with every customer of the previous run in dir, in
// customer id order (a scale-out fit splits them by shard with it).
func ScanPrevious(ctx context.Context, dir string, fn func(id string, c PreviousCustomer) error) error {
	return (&Previous{Dir: dir}).scan(ctx, fn)
}

// previousHistory is the previous run's cluster key, RFM segment and
// segment date of each customer of this run, in the order of its
// customers: indexes into vals (each distinct text once), −1 for none
// (a key of −1: a customer the previous run did not have). About 12 bytes
// a customer, whatever the previous run's size.
type previousHistory struct {
	asOf              string // the previous run's as_of
	key, seg, changed []int32
	vals              []string
	// missing counts the previous run's customers that this run does not
	// have, of its previous customers (missingExample is the first by
	// id), for the log (the report and run.json count them from the
	// customers' tally, as a scale-out run does). Both −1 when unknown
	// (p.Customers: a scale-out shard's).
	missing, previous int
	missingExample    string
	// shorter counts this run's customers whose first purchase is later
	// than in the previous run (tenureCheck), shorterExample the first
	// by id; 0 when not checked.
	shorter        int
	shorterExample string
}

// alignPrevious returns the previous run's history of the customers ids
// (sorted, as a run's customers are): from p.Customers when set, else read
// from p's assignments.parquet alongside ids in one pass.
func alignPrevious(ctx context.Context, p *Previous, ids []string, check *tenureCheck) (*previousHistory, error) {
	n := len(ids)
	h := &previousHistory{asOf: p.Model.AsOf, key: make([]int32, n), seg: make([]int32, n), changed: make([]int32, n)}
	index := map[string]int32{}
	intern := func(s string) int32 {
		v, ok := index[s]
		if !ok {
			v = int32(len(h.vals))
			index[s], h.vals = v, append(h.vals, s)
		}
		return v
	}
	optional := func(s string) int32 { // "" is none
		if s == "" {
			return -1
		}
		return intern(s)
	}
	set := func(i int, c PreviousCustomer) {
		h.key[i], h.seg[i], h.changed[i] = intern(c.Key), optional(c.Segment), optional(c.ChangedAt)
	}
	for i := range h.key {
		h.key[i], h.seg[i], h.changed[i] = -1, -1, -1
	}
	if p.Customers != nil {
		for i, id := range ids {
			if c, ok := p.Customers[id]; ok {
				set(i, c)
			}
		}
		h.missing, h.previous = -1, -1
		return h, nil
	}
	for i := 1; i < n; i++ { // the merge below needs them in order
		if ids[i] <= ids[i-1] {
			return nil, fmt.Errorf("pipeline: previous run: this run's customers are not in id order (%q after %q)", ids[i], ids[i-1])
		}
	}
	i := 0
	err := p.scan(ctx, func(id string, c PreviousCustomer) error {
		for i < n && ids[i] < id {
			i++
		}
		if c.Key != ProspectKey {
			h.previous++
		}
		if i < n && ids[i] == id {
			set(i, c)
			// A customer with a purchase in both runs: tenure_days counts
			// from the first line until there is one (NaN: false).
			if check != nil && c.Purchases >= 1 && check.purchases[i] >= 1 && check.tenure[i] < c.Tenure+check.days-0.5 {
				if h.shorter++; h.shorter == 1 {
					h.shorterExample = id
				}
			}
			i++
		} else if c.Key != ProspectKey {
			if h.missing++; h.missing == 1 {
				h.missingExample = id
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// columns returns the history columns of customers [lo, hi), whose RFM
// segments are segments (nil without RFM), in a run as of asOf: the
// previous segment and key (null for a new customer), and the date the
// segment was assigned: asOf when it changed (or the customer is new),
// else the previous date (the previous run's as_of when that run had
// none), in buf's slices (rowBuffers).
func (h *previousHistory) columns(lo, hi int, segments []string, asOf string, buf *rowBuffers) []data.Column {
	n := hi - lo
	prevSeg, prevKey, changedAt, nulls, undated := buf.strings(n), buf.strings(n), buf.strings(n), buf.bools(n), buf.bools(n)
	text := func(v int32) string {
		if v < 0 {
			return ""
		}
		return h.vals[v]
	}
	dated := map[string]bool{} // the dates are a few, each on many rows
	for i := range n {
		key := h.key[lo+i]
		known := key >= 0
		nulls[i] = !known
		if known {
			prevKey[i] = text(key)
		}
		prevSeg[i] = text(h.seg[lo+i])
		switch {
		case !known || segments == nil || prevSeg[i] != segments[i]:
			changedAt[i] = asOf
		case h.changed[lo+i] >= 0:
			changedAt[i] = text(h.changed[lo+i])
		default:
			changedAt[i] = h.asOf
		}
		// A run of a feature table has no analysis date (as_of 0001-01-01).
		ok, seen := dated[changedAt[i]]
		if !seen {
			ok = isDate(changedAt[i])
			dated[changedAt[i]] = ok
		}
		if undated[i] = !ok; undated[i] {
			changedAt[i] = ""
		}
	}
	return []data.Column{
		{Name: "previous_segment", Kind: data.KindString, Strings: prevSeg, Nulls: nulls},
		{Name: "previous_cluster_key", Kind: data.KindString, Strings: prevKey, Nulls: nulls},
		{Name: "segment_changed_at", Kind: data.KindString, Strings: changedAt, Nulls: undated},
	}
}

// warnLost warns of the previous run's customers this run lacks, and of
// those whose first purchase moved later (earlier orders lost).
func (h *previousHistory) warnLost(log *slog.Logger) {
	if h.missing > 0 {
		warnMissing(log, h.missing, h.previous, h.missingExample)
	}
	if h.shorter > 0 {
		log.Warn("previous run: some customers' first purchase is later than in that run (tenure_days shorter than then plus the days since): were their earlier orders cut from the inputs (an export by date)? or refunded since?",
			"customers", h.shorter, "first", h.shorterExample)
	}
}

// warnMissing warns that missing of the previous run's customers (of
// previous) are not in this run's data; first is the first by id, or "".
func warnMissing(log *slog.Logger, missing, previous int, first string) {
	attrs := []any{"missing", missing, "previous_customers", previous}
	if first != "" {
		attrs = append(attrs, "first", first)
	}
	log.Warn("previous run: some of its customers are not in this run's data: was an input cut short or filtered otherwise? (order history only grows; a rolling export window drops customers whose orders left it)", attrs...)
}
