package data

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// The generator's lines and events are sorted by an external merge sort:
// each block of generated records is sorted in memory and, unless it is the
// last, spilled to a run file; the runs are then merged into the table.
// Records have unique sort keys (see cmpLines and cmpEvents), so any sort
// gives the order a stable sort of all records would.

// recordCodec sorts and encodes one kind of record for the run files.
type recordCodec[T any] struct {
	cmp  func(a, b T) int
	time func(r *T) int64                                     // the first sort key
	keys func(recs []T, ks []keyedIndex) (width int, ok bool) // see sortedOrder
	// put appends r, given the previous record of its frame (the zero
	// record first), to dst; get decodes it from src and returns the
	// bytes read, or 0 if src is damaged.
	put func(dst []byte, r, prev *T) []byte
	get func(src []byte, r, prev *T) int
}

// frameRecords is the number of records per frame of a run file: a frame
// is its record count and byte length (uvarints) and the records,
// delta-encoded from the previous record of the frame.
const frameRecords = 4096

// runs are the sorted runs of one kind of record.
type runs[T any] struct {
	dir, name string
	codec     *recordCodec[T]
	files     []string
	last      []T        // the last block, kept in memory
	spilling  chan error // the spill in progress, or nil
	spilled   []T        // its records, reusable when it is done
	ks, tmp   []keyedIndex
}

// spill sorts block and writes it to a new run file in the background. It
// returns a slice to fill next (empty, perhaps with room: the block spilled
// before), having waited for the previous spill to end.
func (rs *runs[T]) spill(block []T) ([]T, error) {
	free, err := rs.wait()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(rs.dir, fmt.Sprintf("%s-%06d.run", rs.name, len(rs.files)))
	rs.files = append(rs.files, path)
	rs.spilled, rs.spilling = block, make(chan error, 1)
	go func(done chan<- error) {
		var order []keyedIndex
		order, rs.ks, rs.tmp = sortedOrder(block, rs.codec, rs.ks, rs.tmp)
		done <- writeRun(path, block, order, rs.codec)
	}(rs.spilling)
	if free == nil {
		free = make([]T, 0, cap(block))
	}
	return free[:0], nil
}

// wait waits for the spill in progress, if any, and returns its records.
func (rs *runs[T]) wait() ([]T, error) {
	if rs.spilling == nil {
		return nil, nil
	}
	err := <-rs.spilling
	free := rs.spilled
	rs.spilled, rs.spilling = nil, nil
	return free, err
}

// writeRun writes recs in the order of order's indexes as a run file.
func writeRun[T any](path string, recs []T, order []keyedIndex, c *recordCodec[T]) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("data: close %s: %w", path, cerr)
		}
	}()
	var payload, frame []byte
	for lo := 0; lo < len(order); lo += frameRecords {
		hi := min(lo+frameRecords, len(order))
		payload = payload[:0]
		var prev T
		for _, k := range order[lo:hi] {
			payload = c.put(payload, &recs[k.idx], &prev)
			prev = recs[k.idx]
		}
		frame = binary.AppendUvarint(frame[:0], uint64(hi-lo))
		frame = binary.AppendUvarint(frame, uint64(len(payload)))
		if _, err := f.Write(append(frame, payload...)); err != nil {
			return fmt.Errorf("data: write %s: %w", path, err)
		}
	}
	return nil
}

// merge waits for the last spill, sorts the last block and calls emit with
// every record in order, in batches of MaxRowsPerRowGroup (the last one
// shorter). emit owns each batch. merge stops at the first error, from
// emit or ctx.
func (rs *runs[T]) merge(ctx context.Context, emit func([]T) error) error {
	if _, err := rs.wait(); err != nil {
		return err
	}
	order, _, _ := sortedOrder(rs.last, rs.codec, rs.ks, rs.tmp)
	last := make([]T, len(rs.last))
	for k, o := range order {
		last[k] = rs.last[o.idx]
	}
	rs.last, rs.ks, rs.tmp = last, nil, nil
	if len(rs.files) == 0 { // one run, in memory: emit it as it is
		for lo := 0; lo < len(rs.last); lo += MaxRowsPerRowGroup {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := emit(rs.last[lo:min(lo+MaxRowsPerRowGroup, len(rs.last))]); err != nil {
				return err
			}
		}
		return nil
	}
	h := mergeHeap[T]{cmp: rs.codec.cmp}
	defer func() {
		for _, c := range h.cursors {
			c.close()
		}
	}()
	for _, path := range rs.files {
		c, err := openRun(path, rs.codec)
		if err != nil {
			return err
		}
		if err := h.push(c); err != nil {
			return err
		}
	}
	if err := h.push(&runCursor[T]{recs: rs.last, codec: rs.codec}); err != nil {
		return err
	}
	for batch := make([]T, 0, MaxRowsPerRowGroup); ; {
		if err := ctx.Err(); err != nil {
			return err
		}
		for len(batch) < MaxRowsPerRowGroup && len(h.cursors) > 0 {
			c := h.cursors[0]
			batch = append(batch, c.recs[c.i])
			if err := h.advance(); err != nil {
				return err
			}
		}
		if len(batch) == 0 {
			return nil
		}
		if err := emit(batch); err != nil {
			return err
		}
		batch = make([]T, 0, MaxRowsPerRowGroup)
	}
}

// runCursor reads a run: an in-memory one (r == nil) or a run file, a frame
// at a time.
type runCursor[T any] struct {
	recs    []T // the records read and not yet merged start at recs[i]
	i       int
	t       int64 // recs[i]'s time
	path    string
	f       *os.File
	r       *bufio.Reader
	payload []byte
	codec   *recordCodec[T]
}

func openRun[T any](path string, c *recordCodec[T]) (*runCursor[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	rc := &runCursor[T]{path: path, f: f, r: bufio.NewReaderSize(f, 64<<10), codec: c, recs: make([]T, 0, frameRecords)}
	return rc, nil
}

// next moves to the next record and reports whether there is one.
func (c *runCursor[T]) next() (bool, error) {
	c.i++
	if c.i < len(c.recs) {
		c.t = c.codec.time(&c.recs[c.i])
		return true, nil
	}
	if c.r == nil {
		return false, nil
	}
	n, err := binary.ReadUvarint(c.r)
	if err == io.EOF {
		return false, nil
	}
	size, err2 := binary.ReadUvarint(c.r)
	if err = errors.Join(err, err2); err != nil || n == 0 || n > frameRecords || size > uint64(n)*64 {
		return false, fmt.Errorf("data: read %s: damaged run file (%v)", c.path, err)
	}
	c.payload = slices.Grow(c.payload[:0], int(size))[:size]
	if _, err := io.ReadFull(c.r, c.payload); err != nil {
		return false, fmt.Errorf("data: read %s: %w", c.path, err)
	}
	c.recs, c.i = c.recs[:n], 0
	var prev T
	for k, src := 0, c.payload; k < int(n); k++ {
		m := c.codec.get(src, &c.recs[k], &prev)
		if m == 0 {
			return false, fmt.Errorf("data: read %s: damaged run file", c.path)
		}
		src, prev = src[m:], c.recs[k]
	}
	c.t = c.codec.time(&c.recs[0])
	return true, nil
}

func (c *runCursor[T]) close() {
	if c.f != nil {
		c.f.Close() // read only: nothing to lose
	}
}

// mergeHeap is a min-heap of run cursors by their current record.
type mergeHeap[T any] struct {
	cmp     func(a, b T) int
	cursors []*runCursor[T]
}

// push adds c, moved to its first record, unless it is empty.
func (h *mergeHeap[T]) push(c *runCursor[T]) error {
	c.i = -1
	if ok, err := c.next(); !ok {
		c.close()
		return err
	}
	h.cursors = append(h.cursors, c)
	for i := len(h.cursors) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			break
		}
		h.cursors[i], h.cursors[parent] = h.cursors[parent], h.cursors[i]
		i = parent
	}
	return nil
}

func (h *mergeHeap[T]) less(i, j int) bool {
	a, b := h.cursors[i], h.cursors[j]
	if a.t != b.t {
		return a.t < b.t
	}
	return h.cmp(a.recs[a.i], b.recs[b.i]) < 0
}

// advance moves the smallest cursor to its next record, dropping it at its
// end, and restores the heap.
func (h *mergeHeap[T]) advance() error {
	c := h.cursors[0]
	ok, err := c.next()
	if err != nil {
		return err
	}
	if !ok {
		c.close()
		last := len(h.cursors) - 1
		h.cursors[0] = h.cursors[last]
		h.cursors = h.cursors[:last]
	}
	for i, n := 0, len(h.cursors); ; {
		small, l := i, 2*i+1
		if l < n && h.less(l, small) {
			small = l
		}
		if r := l + 1; r < n && h.less(r, small) {
			small = r
		}
		if small == i {
			return nil
		}
		h.cursors[i], h.cursors[small] = h.cursors[small], h.cursors[i]
		i = small
	}
}
