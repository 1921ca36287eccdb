package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/segment-tool/segment/internal/scratch"
)

// genBlockRecords is the number of lines and events generated before they
// are sorted and, unless they are the last, spilled to a run file: about
// 100 MB of records. A variable so that tests can make runs small.
var genBlockRecords = 1 << 22

// GeneratedFiles returns the names of the files WriteGeneratedStore writes,
// sorted.
func GeneratedFiles() []string { return slices.Sorted(slices.Values(storeFiles)) }

// storeFiles are the files WriteGeneratedStore writes.
var storeFiles = []string{"orders.parquet", "customers.parquet", "products.parquet", "events.parquet", "truth.parquet"}

// WriteGeneratedStore generates a synthetic store with planted personas
// (see Personas) and writes it into dir, creating dir if needed:
// orders.parquet (one row per order line, in time order), customers.parquet,
// products.parquet, events.parquet (views, cart adds and checkouts, in time
// order) and truth.parquet (each customer's persona and planted traits,
// TraitColumns). The same options give the same files, byte for byte.
//
// The store is never held in memory: customers are generated in id order
// and their profiles written as they come; their order lines and events
// are sorted in blocks of about four million (genBlockRecords), spilled to
// run files in a temporary directory inside dir, and merged into the
// tables. Memory does not grow with the store (about 1.2 GB peak for a
// million customers, most of it two blocks, their sort keys and the row
// groups being encoded); the run files take about 1.4 times the size of
// orders.parquet and events.parquet on disk until it returns. Row groups
// are encoded on GOMAXPROCS goroutines, at most maxEncoding.
//
// If ctx is done first it returns ctx.Err(). On any error the temporary
// directory and the files written so far are removed.
func WriteGeneratedStore(ctx context.Context, dir string, o GenOptions) (err error) {
	n, prospects := o.sizes()
	total := n + prospects
	if uint64(total) > math.MaxUint32 {
		return fmt.Errorf("data: gen: %d customers, more than %d", total, uint64(math.MaxUint32))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	scr, err := scratch.Make(dir, "gen") // removes those of killed runs
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	tmp := scr.Path
	w := &storeWriter{
		dir: dir, width: len(strconv.Itoa(total)), slots: encodeSlots(),
		lines:  runs[lineRec]{dir: tmp, name: "lines", codec: lineCodec},
		events: runs[eventRec]{dir: tmp, name: "events", codec: eventCodec},
	}
	defer func() {
		err = w.finish(err)
		if rerr := scr.Remove(); err == nil && rerr != nil {
			err = fmt.Errorf("data: %w", rerr)
		}
		if err != nil {
			for _, path := range w.created { // incomplete; only the files this call made
				os.Remove(path)
			}
			if cerr := ctx.Err(); cerr != nil {
				err = cerr
			}
		}
	}()
	if err := w.writeTable("products.parquet", productsTable()); err != nil {
		return err
	}
	if err := w.generate(ctx, o.Seed, n, total); err != nil {
		return err
	}
	return w.merge(ctx)
}

// writeTable writes t to the new file name as WriteParquet does, in the
// generator's layout (storeLayout).
func (w *storeWriter) writeTable(name string, t *Table) (err error) {
	path := filepath.Join(w.dir, name)
	f, err := createNew(path)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	w.created = append(w.created, path)
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("data: close %s: %w", path, cerr)
		}
	}()
	if err := writeParquet(f, Whole(t), storeLayout, MaxRowsPerRowGroup); err != nil {
		return fmt.Errorf("data: write %s: %w", path, err)
	}
	return nil
}

// createNew creates path, failing if it exists: the generator never
// overwrites a file, and so never removes one it did not make.
func createNew(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

// storeWriter is WriteGeneratedStore's state.
type storeWriter struct {
	dir     string
	width   int // digits of a customer id's number
	slots   chan struct{}
	streams []*parquetStream // open, to close
	created []string         // the files made so far: removed if the store is not complete
	lines   runs[lineRec]
	events  runs[eventRec]
}

// create starts writing the table file name.
func (w *storeWriter) create(name string, columns []Column) (*parquetStream, error) {
	path := filepath.Join(w.dir, name)
	s, err := createParquetStream(path, columns, w.slots)
	if err != nil {
		return nil, err
	}
	w.created = append(w.created, path)
	w.streams = append(w.streams, s)
	return s, nil
}

// finish waits for the spills in progress and closes the streams, and
// returns err or else the first error of these.
func (w *storeWriter) finish(err error) error {
	_, lerr := w.lines.wait()
	_, eerr := w.events.wait()
	err = firstError(err, lerr, eerr)
	for _, s := range w.streams {
		err = firstError(err, s.close())
	}
	return err
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// generate generates the customers, writes customers.parquet and
// truth.parquet, and leaves the lines and events in w.lines and w.events.
func (w *storeWriter) generate(ctx context.Context, seed uint64, n, total int) error {
	customers, err := w.create("customers.parquet", customersColumns)
	if err != nil {
		return err
	}
	truth, err := w.create("truth.parquet", truthColumns)
	if err != nil {
		return err
	}
	g := newGenerator(seed)
	// Room for a block, or for the whole store when it is smaller, at
	// about 20 lines and 45 events per customer.
	g.lines = make([]lineRec, 0, min(20*total, genBlockRecords*3/10))
	g.events = make([]eventRec, 0, min(45*total, genBlockRecords*7/10))
	g.profiles = make([]profileRec, 0, min(total, MaxRowsPerRowGroup))
	first := 0 // the customer of g.profiles[0]
	flush := func() error {
		cg := profilesGroup{profiles: g.profiles, first: uint32(first), width: w.width}
		tg := cg
		tg.truth = true
		g.profiles, first = make([]profileRec, 0, MaxRowsPerRowGroup), first+len(g.profiles)
		return firstError(customers.write(cg), truth.write(tg))
	}
	for i := range total {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		g.add(uint32(i), i >= n)
		if g.nextOrder > math.MaxUint32 {
			return fmt.Errorf("data: gen: more than %d orders", uint64(math.MaxUint32))
		}
		if len(g.profiles) == MaxRowsPerRowGroup {
			if err := flush(); err != nil {
				return err
			}
		}
		if len(g.lines)+len(g.events) >= genBlockRecords {
			if g.lines, err = w.lines.spill(g.lines); err != nil {
				return err
			}
			if g.events, err = w.events.spill(g.events); err != nil {
				return err
			}
		}
	}
	if len(g.profiles) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	w.lines.last, w.events.last = g.lines, g.events
	return nil
}

// merge writes orders.parquet and events.parquet from the runs, the two
// at once; an error of one stops the other.
func (w *storeWriter) merge(ctx context.Context) error {
	orders, err := w.create("orders.parquet", ordersColumns)
	if err != nil {
		return err
	}
	events, err := w.create("events.parquet", eventsColumns)
	if err != nil {
		return err
	}
	var failed atomic.Bool
	errStopped := errors.New("stopped")
	write := func(s *parquetStream, src rowGroupSource) error {
		if failed.Load() {
			return errStopped
		}
		return s.write(src)
	}
	var wg sync.WaitGroup
	var lerr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		lerr = w.lines.merge(ctx, func(b []lineRec) error { return write(orders, ordersGroup{lines: b, width: w.width}) })
		if lerr != nil {
			failed.Store(true)
		}
	}()
	eerr := w.events.merge(ctx, func(b []eventRec) error { return write(events, eventsGroup{events: b, width: w.width}) })
	if eerr != nil {
		failed.Store(true)
	}
	wg.Wait()
	if errors.Is(lerr, errStopped) {
		return eerr
	}
	if errors.Is(eerr, errStopped) {
		return lerr
	}
	return firstError(lerr, eerr)
}
