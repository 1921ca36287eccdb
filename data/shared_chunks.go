package data

import (
	"errors"
	"fmt"
	"sync"
)

// SharedChunks serves several readers of one table read in order (a
// RowReader such as MergeChunks), each of which reads every row in order
// in ranges of its own, from one read of it: the table is read in blocks,
// and a block is kept until every reader has passed it. A reader ahead of
// the others waits while window blocks are kept; the slowest reader never
// waits for the window, so the readers end whatever their ranges, as long
// as each runs on its own goroutine. A reader that stops early, or never
// starts, must be released (Release), or the others wait for it.
type SharedChunks struct {
	mu     sync.Mutex
	cond   *sync.Cond
	src    Chunks // a RowReader
	n      int    // the table's rows
	block  int    // rows read at once
	window int    // blocks kept before a reader ahead waits

	blocks  []*Table // the blocks kept, in order; the first starts at start
	start   int
	read    int   // the rows read from src
	reading bool  // a reader is reading the next block
	next    []int // each reader's next row, released for a reader released
	err     error // src's error, for every reader
}

const released = -1

// ShareChunks returns the table src, whose rows are read in order through
// its ReadRows, shared by readers readers (each Reader(i)), read block
// rows at a time with at most window blocks kept ahead of the slowest.
func ShareChunks(src Chunks, readers, block, window int) (*SharedChunks, error) {
	if _, ok := src.(RowReader); !ok {
		return nil, errors.New("data: share chunks: a table whose rows are not read")
	}
	if readers < 1 || block < 1 || window < 1 {
		return nil, fmt.Errorf("data: share chunks: %d readers, blocks of %d rows, a window of %d", readers, block, window)
	}
	s := &SharedChunks{src: src, n: src.NumRows(), block: block, window: window, next: make([]int, readers)}
	s.cond = sync.NewCond(&s.mu)
	return s, nil
}

// Reader returns reader i's view of the table: its rows asked for in
// order through CheckedRows. A range within one block shares the block's
// memory with the other readers' (none may change it); one across blocks
// is a table of its own.
func (s *SharedChunks) Reader(i int) Chunks { return sharedReader{s, i} }

// Release ends reader i: the others no longer wait for it. Releasing a
// reader twice does nothing.
func (s *SharedChunks) Release(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next[i] = released
	s.drop()
	s.cond.Broadcast()
}

type sharedReader struct {
	s *SharedChunks
	i int
}

func (r sharedReader) NumRows() int { return r.s.n }

// Rows panics: the ranges are read and may fail (CheckedRows asks
// through ReadRows).
func (r sharedReader) Rows(lo, hi int) *Table {
	panic("data: SharedChunks reader: ask through CheckedRows")
}

func (r sharedReader) ReadRows(lo, hi int) (*Table, error) { return r.s.readRows(r.i, lo, hi) }

// slowest returns the smallest next row of the readers not released (n
// when every one is).
func (s *SharedChunks) slowest() int {
	low := s.n
	for _, nx := range s.next {
		if nx != released {
			low = min(low, nx)
		}
	}
	return low
}

// drop lets go of the blocks every reader has passed.
func (s *SharedChunks) drop() {
	low := s.slowest()
	for len(s.blocks) > 0 && s.start+s.blocks[0].NumRows() <= low {
		s.start += s.blocks[0].NumRows()
		s.blocks[0] = nil
		s.blocks = s.blocks[1:]
	}
}

func (s *SharedChunks) readRows(i, lo, hi int) (*Table, error) {
	s.mu.Lock()
	if s.next[i] != lo || hi < lo || hi > s.n {
		s.mu.Unlock()
		return nil, fmt.Errorf("data: shared chunks: rows %d to %d asked for by a reader at row %d of %d", lo, hi, s.next[i], s.n)
	}
	for s.read < hi {
		switch {
		case s.err != nil:
			err := s.err
			s.mu.Unlock()
			return nil, err
		case s.reading || len(s.blocks) >= s.window && lo > s.slowest():
			s.cond.Wait() // another reader reads the next block, or this one is ahead
			continue
		}
		s.reading = true
		from, m := s.read, min(s.block, s.n-s.read)
		s.mu.Unlock()
		t, err := CheckedRows(s.src, from, from+m, nil)
		s.mu.Lock()
		s.reading = false
		if err != nil {
			s.err = err
		} else {
			if len(s.blocks) == 0 {
				s.start = from
			}
			s.blocks = append(s.blocks, t)
			s.read += m
		}
		s.cond.Broadcast()
	}
	// The blocks of [lo, hi): none is dropped while this reader is at lo.
	var parts []*Table
	at := s.start
	for _, b := range s.blocks {
		if at < hi && at+b.NumRows() > lo {
			parts = append(parts, b.Slice(max(lo, at)-at, min(hi, at+b.NumRows())-at))
		}
		at += b.NumRows()
	}
	s.mu.Unlock()
	out := &Table{}
	switch len(parts) {
	case 1: // a range within one block shares its memory
		out = parts[0]
	default:
		out = concatTables(parts)
	}
	s.mu.Lock()
	s.next[i] = hi
	s.drop()
	s.cond.Broadcast()
	s.mu.Unlock()
	return out, nil
}

// concatTables returns the rows of parts, tables of the same columns, one
// after the other, as a table of its own.
func concatTables(parts []*Table) *Table {
	if len(parts) == 0 {
		return &Table{}
	}
	rows := 0
	for _, p := range parts {
		rows += p.NumRows()
	}
	out := &Table{Columns: make([]Column, len(parts[0].Columns))}
	for j, c := range parts[0].Columns {
		dst := Column{Name: c.Name, Kind: c.Kind, Wall: c.Wall}
		nulls := false
		for _, p := range parts {
			nulls = nulls || p.Columns[j].Nulls != nil
		}
		if nulls {
			dst.Nulls = make([]bool, 0, rows)
		}
		for _, p := range parts {
			src := &p.Columns[j]
			switch c.Kind {
			case KindString:
				dst.Strings = append(dst.Strings, src.Strings...)
			case KindFloat64:
				dst.Floats = append(dst.Floats, src.Floats...)
			case KindInt64:
				dst.Ints = append(dst.Ints, src.Ints...)
			case KindBool:
				dst.Bools = append(dst.Bools, src.Bools...)
			case KindTime:
				dst.Times = append(dst.Times, src.Times...)
			}
			if nulls {
				if src.Nulls != nil {
					dst.Nulls = append(dst.Nulls, src.Nulls...)
				} else {
					dst.Nulls = append(dst.Nulls, make([]bool, src.Len())...)
				}
			}
		}
		out.Columns[j] = dst
	}
	return out
}
