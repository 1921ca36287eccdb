package data

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/parquet-go/parquet-go"
)

// rowGroupSource is the rows of one row group, read a column at a time.
type rowGroupSource interface {
	numRows() int
	// appendValues appends the values of column j in rows [lo, hi) to dst,
	// without levels. Values may point into scratch, grown as
	// needed; both are returned, and reused once the values are written.
	appendValues(dst []parquet.Value, scratch []byte, j, lo, hi int) ([]parquet.Value, []byte)
}

// parquetStream writes a Parquet file a row group at a time, without
// holding the table: the bytes are those WriteParquet writes for the same
// rows and layout, when every row group but the last has MaxRowsPerRowGroup
// rows. It uses WriteParquet's writer options, and hands each column's values to
// parquet-go in chunks of 64 rows, the unit in which parquet-go's row
// writer decides where pages end (its maxRowsPerWrite), so pages end at the
// same rows.
//
// Row groups are encoded and compressed concurrently, at most cap(slots) at
// a time among the streams that share slots, and written in order.
type parquetStream struct {
	path      string   // the file's name, for messages
	f         *os.File // the file to close, or nil when the caller owns the writer
	pw        *parquet.GenericWriter[any]
	slots     chan struct{}
	free      chan *parquet.ConcurrentRowGroupWriter // committed, to reuse
	queue     chan *encodedGroup                     // in file order, to the committer
	done      chan struct{}                          // closed when the committer returns
	short     bool                                   // a row group shorter than groupRows was written
	groupRows int                                    // the row groups' rows, the last may have fewer (MaxRowsPerRowGroup unless set)

	mu  sync.Mutex
	err error // the first error
}

// encodedGroup is a row group being encoded.
type encodedGroup struct {
	ready chan struct{} // closed when rg or err is set
	rg    *parquet.ConcurrentRowGroupWriter
	err   error
}

// createParquetStream creates path for a table of columns (of which only
// Name, Kind and whether Nulls is set are used), in the generator's layout
// (storeLayout).
func createParquetStream(path string, columns []Column, slots chan struct{}) (*parquetStream, error) {
	f, err := createNew(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	s := newParquetStream(f, path, columns, slots, storeLayout)
	s.f = f
	return s, nil
}

// newParquetStream returns a stream writing to w in layout l; name is w's
// name in messages.
func newParquetStream(w io.Writer, name string, columns []Column, slots chan struct{}, l parquetLayout) *parquetStream {
	s := &parquetStream{
		path: name, slots: slots, groupRows: MaxRowsPerRowGroup,
		free:  make(chan *parquet.ConcurrentRowGroupWriter, 2*cap(slots)+1),
		queue: make(chan *encodedGroup, cap(slots)), done: make(chan struct{}),
	}
	s.pw = parquet.NewGenericWriter[any](w, parquet.NewSchema("table", tableNode(&Table{Columns: columns}, l.plainDistinct)),
		parquet.Compression(l.codec),
		parquet.MaxRowsPerRowGroup(MaxRowsPerRowGroup),
		parquet.CreatedBy(createdBy, "", ""),
	)
	go s.commit()
	return s
}

// write encodes src as the next row group, in the background; src must not
// change until close returns. It blocks while every slot is busy, and
// returns the error of an earlier row group, if any.
func (s *parquetStream) write(src rowGroupSource) error {
	if err := s.failed(); err != nil {
		return err
	}
	n := src.numRows()
	if s.short || n > s.groupRows {
		panic(fmt.Sprintf("data: parquetStream: a row group of %d rows after a short one, or too long", n))
	}
	s.short = n < s.groupRows
	g := &encodedGroup{ready: make(chan struct{})}
	s.slots <- struct{}{}
	go func() {
		var rg *parquet.ConcurrentRowGroupWriter
		select {
		case rg = <-s.free:
		default:
			rg = s.pw.BeginRowGroup()
		}
		g.rg, g.err = encodeRowGroup(rg, src)
		<-s.slots
		close(g.ready)
	}()
	s.queue <- g
	return nil
}

// encodeRowGroup writes src into rg, an empty row group, column by column.
func encodeRowGroup(rg *parquet.ConcurrentRowGroupWriter, src rowGroupSource) (_ *parquet.ConcurrentRowGroupWriter, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parquet-go panicked: %v", r)
		}
	}()
	n := src.numRows()
	values := make([]parquet.Value, 0, 64)
	var scratch []byte
	for j, c := range rg.ColumnWriters() {
		for lo := 0; lo < n; lo += 64 {
			values, scratch = src.appendValues(values[:0], scratch[:0], j, lo, min(lo+64, n))
			if _, err := c.WriteRowValues(values); err != nil {
				return nil, err
			}
		}
	}
	return rg, nil
}

// commit writes the encoded row groups to the file, in order.
func (s *parquetStream) commit() {
	defer close(s.done)
	for g := range s.queue {
		<-g.ready
		if s.failed() != nil {
			continue
		}
		err := g.err
		if err == nil {
			err = recoverParquetPanic(func() error { _, err := g.rg.Commit(); return err })
		}
		if err != nil {
			s.fail(fmt.Errorf("data: write %s: %w", s.path, err))
			continue
		}
		select { // Commit empties it, as parquet-go's writer reuses its own
		case s.free <- g.rg:
		default:
		}
	}
}

func (s *parquetStream) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

func (s *parquetStream) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// close waits for the row groups written, then writes the footer, unless
// one failed, and closes the file. It returns the first error.
func (s *parquetStream) close() error {
	close(s.queue)
	<-s.done
	err := s.failed()
	if err == nil {
		if perr := recoverParquetPanic(s.pw.Close); perr != nil {
			err = fmt.Errorf("data: write %s: %w", s.path, perr)
		}
	}
	if s.f == nil {
		return err
	}
	if cerr := s.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("data: close %s: %w", s.path, cerr)
	}
	return err
}

// recoverParquetPanic calls f, returning a panic inside parquet-go as an
// error.
func recoverParquetPanic(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parquet-go panicked: %v", r)
		}
	}()
	return f()
}
