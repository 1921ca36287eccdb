package features

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/internal/scratch"
)

// A file whose events are not in time order is read a second time (see
// events_ordered.go). With an EventSpill that second pass keeps no
// (customer, day) pairs in memory: each event goes, as one 8-byte record
// (the customer, the day, the type), to one of eventSpillParts files by
// its customer's index; each file is then read, sorted and folded day by
// day into its customers' sums, one file at a time. Memory grows with the
// customers and one file's events (an eighth of a byte per event of the
// table, with 64 files); the disk holds 8 bytes per event counted. The
// columns are the same as the pairs' (the same per-day counts, added as
// whole numbers).

// EventSpill, given to ReadEventTable, makes the second pass over a file
// whose events are not in time order keep them on disk.
type EventSpill struct {
	// Dir is where the spill folder is made (a new folder of its own,
	// removed before ReadEventTable returns); "" means os.TempDir().
	Dir string
}

// eventSpillParts is the number of files the events are split into.
const eventSpillParts = 64

// eventSpillBlock is the size past which a file's buffered records are
// written.
const eventSpillBlock = 32 << 10

// Event type codes of a spilled record.
const (
	codeView = iota
	codeCartAdd
	codeCheckout
)

// eventSpill is an EventAggregator's files in the spilled mode.
type eventSpill struct {
	dir   *scratch.Dir
	files []*os.File
	bufs  [][]byte
	err   error // the first write error
}

// newEventSpill makes the spill folder and its files.
func newEventSpill(s *EventSpill) (*eventSpill, error) {
	dir, err := scratch.Make(s.Dir, "events")
	if err != nil {
		return nil, fmt.Errorf("features: events spill folder: %w", err)
	}
	sp := &eventSpill{dir: dir, files: make([]*os.File, eventSpillParts), bufs: make([][]byte, eventSpillParts)}
	for k := range sp.files {
		f, err := os.OpenFile(filepath.Join(dir.Path, fmt.Sprintf("events-%03d", k)), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			sp.close()
			return nil, fmt.Errorf("features: events spill file: %w", err)
		}
		sp.files[k] = f
	}
	return sp, nil
}

// put spills an event of type typ (one of the Event constants) of
// customer ci on day key.
func (sp *eventSpill) put(ci int32, key uint32, typ string) {
	code := uint64(codeView)
	switch typ {
	case EventCartAdd:
		code = codeCartAdd
	case EventCheckout:
		code = codeCheckout
	}
	k := int(ci) % eventSpillParts
	r := uint64(int(ci)/eventSpillParts)<<34 | uint64(key)<<2 | code
	sp.bufs[k] = binary.LittleEndian.AppendUint64(sp.bufs[k], r)
	if len(sp.bufs[k]) >= eventSpillBlock {
		sp.flush(k)
	}
}

// flush writes file k's buffered records.
func (sp *eventSpill) flush(k int) {
	if sp.err == nil && len(sp.bufs[k]) > 0 {
		if _, err := sp.files[k].Write(sp.bufs[k]); err != nil {
			sp.err = fmt.Errorf("features: events spill: %w", err)
		}
	}
	sp.bufs[k] = sp.bufs[k][:0]
}

// close closes the files and removes them with the folder.
func (sp *eventSpill) close() error {
	var errs []error
	for k, f := range sp.files {
		if f != nil {
			errs = append(errs, f.Close())
			sp.files[k] = nil
		}
	}
	errs = append(errs, sp.dir.Remove())
	return errors.Join(errs...)
}

// foldSpill folds the spilled events into a.cust, one file at a time, and
// leaves a in the ordered mode with every day over: Columns then reads
// the sums. It returns a write or read error, or ctx.Err().
func (a *EventAggregator) foldSpill(ctx context.Context) error {
	sp := a.spill
	for k := range sp.files {
		sp.flush(k)
	}
	if sp.err != nil {
		return sp.err
	}
	a.cust = make([]custDays, len(a.ids))
	fromKey := a.fromKey()
	var recs []uint64
	for k, f := range sp.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if recs, err = readRecords(f, recs[:0]); err != nil {
			return err
		}
		slices.Sort(recs) // by customer, then day
		for i := 0; i < len(recs); {
			if i%(1<<20) == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			day := recs[i] >> 2 // the customer and the day
			var d dayEvents
			for ; i < len(recs) && recs[i]>>2 == day; i++ {
				switch recs[i] & 3 {
				case codeView:
					inc(&d.views)
				case codeCartAdd:
					inc(&d.carts)
				case codeCheckout:
					inc(&d.checkouts)
				}
			}
			ci := int(day>>32)*eventSpillParts + k
			addDay(&a.cust[ci].sums, uint32(day), d, fromKey)
		}
	}
	a.ordered, a.spill = true, nil
	return nil
}

// readRecords appends the records of file f to recs, reading it in
// blocks of 1 MiB.
func readRecords(f *os.File, recs []uint64) ([]uint64, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("features: events spill: %w", err)
	}
	if st, err := f.Stat(); err == nil {
		recs = slices.Grow(recs, int(st.Size()/8))
	}
	buf := make([]byte, 1<<20)
	for {
		n, err := io.ReadFull(f, buf)
		last := err == io.EOF || err == io.ErrUnexpectedEOF
		switch {
		case err != nil && !last:
			return nil, fmt.Errorf("features: events spill: %w", err)
		case n%8 != 0:
			return nil, fmt.Errorf("features: events spill: %s ends in a partial record", f.Name())
		}
		for b := buf[:n]; len(b) > 0; b = b[8:] {
			recs = append(recs, binary.LittleEndian.Uint64(b))
		}
		if last {
			return recs, nil
		}
	}
}
