package features

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/scratch"
)

// Spill, set in Options, makes an Aggregator keep the order lines on disk
// instead of folding them into per-order state as they arrive: Add checks
// each line and appends it, compactly encoded, to one of Parts files by a
// hash of its customer id, adjacent lines of one order summed into one
// record (see spillRun); Table then aggregates one file at a time
// (Options.Workers files at once) into a table of its customers, and merges
// these tables by customer id. Memory then grows with the customers and
// orders of the files being aggregated, not with every order of the store;
// the disk holds about 20–40 bytes per line, less when orders have several
// adjacent lines. The Table is the same, bit for bit, as without Spill.
type Spill struct {
	// Dir is where the spill folder is made (a new folder of its own,
	// removed by Close); "" means os.TempDir().
	Dir string
	// Parts is the number of files the lines are split into; at least 1.
	Parts int
}

// spillBlock is the size past which a file's buffered records are written
// as one block. Each block decodes on its own: the deltas and the
// "same customer and order" flag start afresh in every block.
const spillBlock = 64 << 10

// Flags of a spilled record.
const (
	spillCoupon    = 1 << iota // a line of the run carries a coupon
	spillSameOrder             // the customer and order ids are those of the previous record of the block
	spillRefund                // the run's sums hold a refund (runSums.refund)
)

// spiller is the Aggregator's state while it spills: the files and what
// the checks of the lines found.
type spiller struct {
	dir    *scratch.Dir
	files  []spillFile
	err    error       // the first write error…
	failed atomic.Bool // …once set: Err may be called from another goroutine

	span      lineSpan
	afterAsOf int64
	lineErr   error // the first invalid line…
	lineSeq   int64 // …and its position among all lines added

	// catIndex and catNames intern the categories of non-returned lines
	// (runs hold their index). catGross sums the gross spend per category
	// as the lines come, when the mix categories are ranked over all
	// history (no window): then they are known before the files are
	// aggregated.
	catIndex map[string]int32
	catNames []string
	catSeen  [16]seenCat // recent names by address, before catIndex
	noCat    int32       // the index of the empty category, or -1
	catGross []fixed
	catOvf   bool
	cats     bool // catGross is kept

	prodSums bool // runs carry the product sums (the products table has tiers or launches)

	// customers and orders are the numbers of customers and orders of the
	// last file aggregated: the files are hash partitions of about as
	// many customers each, so the next file's customer and order indexes
	// are made that size at once.
	customers, orders atomic.Int64
}

// spillFile is one partition's file and its block being filled.
type spillFile struct {
	f           *os.File
	buf         []byte
	seq, t      int64  // the previous record's, in this block…
	cust, order []byte // …and its ids (copies: the caller may reuse its strings)
	haveLast    bool

	run               spillRun // the run being gathered…
	runCust, runOrder []byte   // …and its ids
}

// newSpiller makes the spill folder and its files.
func newSpiller(s *Spill, o *Options) (*spiller, error) {
	if s.Parts < 1 {
		return nil, fmt.Errorf("features: spill parts %d: want at least 1", s.Parts)
	}
	dir, err := scratch.Make(s.Dir, "spill")
	if err != nil {
		return nil, fmt.Errorf("features: spill folder: %w", err)
	}
	sp := &spiller{dir: dir, files: make([]spillFile, s.Parts), catIndex: make(map[string]int32), noCat: -1}
	sp.cats = o.Categories == nil && o.WindowDays == 0
	for _, p := range o.Products {
		sp.prodSums = sp.prodSums || p.Tier != "" || !p.Launch.IsZero()
	}
	for k := range sp.files {
		f, err := os.OpenFile(sp.path(k), os.O_RDWR|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
		if err != nil {
			sp.close()
			return nil, fmt.Errorf("features: spill file: %w", err)
		}
		sp.files[k].f = f
	}
	return sp, nil
}

// path returns the name of partition k's file.
func (sp *spiller) path(k int) string {
	return filepath.Join(sp.dir.Path, fmt.Sprintf("part-%05d", k))
}

// add checks a batch of lines, seq being the position of lines[0], and
// spills the valid ones, gathered into runs (see spillRun).
func (sp *spiller) add(a *Aggregator, lines []data.OrderLine, seq int64) {
	n := uint64(len(sp.files))
	var lastID string
	k := 0
	var r lineRec
	for i := range lines {
		if sp.err != nil {
			return
		}
		l := &lines[i]
		after, err := a.check(l, &r)
		switch {
		case err != nil:
			if sp.lineErr == nil {
				sp.lineErr, sp.lineSeq = err, seq+int64(i)
			}
			continue
		case after:
			sp.afterAsOf++
			continue
		}
		sp.span.note(l.Time, r.t)
		if i == 0 || r.cust != lastID {
			k, lastID = int(spillHash(hashID(r.cust))%n), r.cust
		}
		sp.addLine(a, k, &r, seq+int64(i))
	}
}

// addLine adds a checked line at position seq to partition k's run, first
// writing out the run it does not continue.
func (sp *spiller) addLine(a *Aggregator, k int, r *lineRec, seq int64) {
	f := &sp.files[k]
	var gross fixed
	cat := int32(-1)
	var prem, newQty fixed
	if r.bought() {
		gross = r.amount.add(r.discount, &sp.catOvf) // at most 2×10¹⁸: never overflows
		cat = sp.category(r.category)
		if sp.cats {
			sp.catGross[cat] = sp.catGross[cat].add(gross, &sp.catOvf)
		}
		if sp.prodSums {
			prem, newQty = a.productTerms(r, gross)
		}
	}
	signs := termSigns(r, gross)
	u := &f.run
	same := u.open && r.cust == string(f.runCust) && r.order == string(f.runOrder)
	if same && u.continues(seq, signs) && u.add(r, seq, signs, gross, cat, prem, newQty) {
		return
	}
	sp.put(k)
	f.runCust, f.runOrder = append(f.runCust[:0], r.cust...), append(f.runOrder[:0], r.order...)
	u.add(r, seq, signs, gross, cat, prem, newQty) // one line never overflows a run
}

// category returns the spiller's index of a category, interning it.
func (sp *spiller) category(name string) int32 {
	if name == "" && sp.noCat >= 0 {
		return sp.noCat // a store without categories: every line
	}
	seen := &sp.catSeen[seenSlot(name)]
	if seen.is(name) {
		return seen.c
	}
	c, ok := sp.catIndex[name]
	if !ok {
		c = int32(len(sp.catNames))
		kept := strings.Clone(name)
		sp.catIndex[kept] = c
		sp.catNames = append(sp.catNames, kept)
		sp.catGross = append(sp.catGross, 0)
		if name == "" {
			sp.noCat = c
		}
	}
	*seen = seenCat{name: name, c: c} // the caller's string: the address its next lines share
	return c
}

// seenCat is a category name the spiller looked up, and its index. The
// lines of a dictionary-encoded Parquet page share one string per value,
// so most of their names are found by address, without hashing them (the
// slot's string keeps those bytes alive, and a Go string's bytes never
// change). A CSV file's and a plain-encoded page's names have bytes of
// their own: they are found in the map, as before.
type seenCat struct {
	name string
	c    int32
}

// is reports whether name is the slot's string: the same bytes at the
// same address. An empty name is never found here.
func (s *seenCat) is(name string) bool {
	return len(name) > 0 && len(s.name) == len(name) && unsafe.StringData(s.name) == unsafe.StringData(name)
}

// seenSlot returns the slot of spiller.catSeen for name's address.
func seenSlot(name string) int {
	return int(uint64(uintptr(unsafe.Pointer(unsafe.StringData(name)))) * 0x9e3779b97f4a7c15 >> 60)
}

// productTerms returns a non-returned line's terms of its order's product
// sums: its gross when the product is premium, its quantity when bought
// within Options.TrendDays of the product's launch.
func (a *Aggregator) productTerms(r *lineRec, gross fixed) (prem, newQty fixed) {
	prod, ok := a.opts.Products[r.product]
	if !ok {
		return 0, 0
	}
	if prod.Tier == PremiumTier {
		prem = gross
	}
	if launch, ok := unixNano(prod.Launch); ok && !prod.Launch.IsZero() && r.t >= launch && r.t-launch < a.trendNano {
		newQty = r.quantity
	}
	return prem, newQty
}

// put appends partition k's run, if any, to its block as a record,
// writing the block out once it is full, and empties the run.
func (sp *spiller) put(k int) {
	f := &sp.files[k]
	u := &f.run
	if !u.open {
		return
	}
	var flags byte
	if u.coupon {
		flags |= spillCoupon
	}
	same := f.haveLast && string(f.runCust) == string(f.cust) && string(f.runOrder) == string(f.order)
	if same {
		flags |= spillSameOrder
	}
	if u.sums.refund != 0 {
		flags |= spillRefund
	}
	b := binary.AppendUvarint(f.buf, uint64(u.first-f.seq))
	b = binary.AppendUvarint(b, uint64(u.last-u.first))
	b = append(b, flags)
	b = binary.AppendVarint(b, u.minT-f.t)
	b = binary.AppendUvarint(b, uint64(u.maxT-u.minT))
	if !same {
		b = appendString(b, f.runCust)
		b = appendString(b, f.runOrder)
		f.cust, f.order = append(f.cust[:0], f.runCust...), append(f.order[:0], f.runOrder...)
	}
	b = u.appendBody(b, sp.prodSums)
	f.buf, f.seq, f.t, f.haveLast = b, u.last, u.minT, true
	u.reset()
	if len(b) >= spillBlock {
		sp.flush(k)
	}
}

// flush writes partition k's block and starts a new one.
func (sp *spiller) flush(k int) {
	f := &sp.files[k]
	if len(f.buf) == 0 || sp.err != nil {
		return
	}
	var head [binary.MaxVarintLen64]byte
	h := binary.PutUvarint(head[:], uint64(len(f.buf)))
	_, err := f.f.Write(head[:h])
	if err == nil {
		_, err = f.f.Write(f.buf)
	}
	if err != nil {
		sp.err = fmt.Errorf("features: spill: %w", err)
		sp.failed.Store(true) // after sp.err: Err reads it once it sees the flag
		return
	}
	f.buf, f.seq, f.t, f.haveLast = f.buf[:0], 0, 0, false
}

// finish writes every partial block. The files are opened for appending:
// lines added after Table go after those read.
func (sp *spiller) finish() error {
	for k := range sp.files {
		sp.put(k)
		sp.flush(k)
		sp.files[k].buf = nil
	}
	return sp.err
}

// close closes and removes the spill folder and its files.
func (sp *spiller) close() error {
	var errs []error
	for k := range sp.files {
		if f := sp.files[k].f; f != nil {
			errs = append(errs, f.Close())
			sp.files[k].f = nil
		}
	}
	errs = append(errs, sp.dir.Remove())
	return errors.Join(errs...)
}

// appendString appends s's length and bytes; s may be a []byte, which is
// then not converted (a copy) first.
func appendString[S string | []byte](b []byte, s S) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// errClosed is Table's error once the Aggregator is closed.
var errClosed = errors.New("features: the aggregator is closed")

// spillHash mixes a customer's hashID (murmur3's finalizer) into the
// number that picks its file: hashID's own bits are poorly spread for short
// ids, and a file's customers are split again by hashID % Workers.
func spillHash(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// categoryGross returns the gross spend summed per category name.
func (sp *spiller) categoryGross() map[string]fixed {
	out := make(map[string]fixed, len(sp.catIndex))
	for name, c := range sp.catIndex {
		out[name] = sp.catGross[c]
	}
	return out
}
