package data

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

// seqRows is a table read in order (a RowReader), counting the rows read
// and failing from row failAt (when ≥ 0).
type seqRows struct {
	mu     sync.Mutex
	t      *Table
	next   int
	read   int
	failAt int
}

func (s *seqRows) NumRows() int           { return s.t.NumRows() }
func (s *seqRows) Rows(lo, hi int) *Table { panic("seqRows: read through ReadRows") }
func (s *seqRows) ReadRows(lo, hi int) (*Table, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if lo != s.next {
		return nil, fmt.Errorf("seqRows: rows %d to %d after %d", lo, hi, s.next)
	}
	if s.failAt >= 0 && hi > s.failAt {
		return nil, errBroken
	}
	s.next, s.read = hi, s.read+hi-lo
	return s.t.Take(seqIndexes(lo, hi)), nil
}

var errBroken = errors.New("broken")

func seqIndexes(lo, hi int) []int {
	out := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}

// sharedTestTable has every kind of column, nulls in some, a wall clock.
func sharedTestTable(n int) *Table {
	ids := Column{Name: "customer_id", Kind: KindString}
	x := Column{Name: "x", Kind: KindFloat64, Nulls: make([]bool, n)}
	y := Column{Name: "y", Kind: KindInt64}
	b := Column{Name: "b", Kind: KindBool}
	ts := Column{Name: "t", Kind: KindTime, Wall: true}
	for i := range n {
		ids.Strings = append(ids.Strings, fmt.Sprintf("c%05d", i))
		x.Floats = append(x.Floats, float64(i)/3)
		x.Nulls[i] = i%7 == 0
		y.Ints = append(y.Ints, int64(i*i))
		b.Bools = append(b.Bools, i%2 == 0)
		ts.Times = append(ts.Times, time.Unix(int64(i)*3600, 0).UTC())
	}
	return &Table{Columns: []Column{ids, x, y, b, ts}}
}

// readAll reads every row of c in ranges of step rows and returns them as
// one table.
func readShared(c Chunks, step int) (*Table, error) {
	var parts []*Table
	for lo := 0; lo < c.NumRows(); lo += step {
		t, err := CheckedRows(c, lo, min(lo+step, c.NumRows()), nil)
		if err != nil {
			return nil, err
		}
		parts = append(parts, t)
	}
	return concatTables(parts), nil
}

// TestSharedChunks: readers of their own range sizes each read every row
// as the table holds them, from one read of it; a reader released early
// or never started holds nobody back; a failed read fails every reader.
func TestSharedChunks(t *testing.T) {
	const n = 10_000
	want := sharedTestTable(n)
	for _, window := range []int{1, 3, 50} {
		src := &seqRows{t: want, failAt: -1}
		s, err := ShareChunks(src, 5, 700, window)
		if err != nil {
			t.Fatal(err)
		}
		steps := []int{1, 333, 5000, 10_000}
		got := make([]*Table, len(steps))
		errs := make([]error, len(steps))
		var wg sync.WaitGroup
		for i, step := range steps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer s.Release(i)
				got[i], errs[i] = readShared(s.Reader(i), step)
			}()
		}
		// Reader 4 reads 100 rows and stops.
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.Release(4)
			if _, err := CheckedRows(s.Reader(4), 0, 100, nil); err != nil {
				t.Error(err)
			}
		}()
		wg.Wait()
		for i := range steps {
			if errs[i] != nil {
				t.Fatalf("window %d, reader %d: %v", window, i, errs[i])
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("window %d, reader %d (ranges of %d): not the table's rows", window, i, steps[i])
			}
		}
		if src.read != n {
			t.Errorf("window %d: %d rows read from the table, want %d", window, src.read, n)
		}
		if len(s.blocks) != 0 {
			t.Errorf("window %d: %d blocks kept after every reader", window, len(s.blocks))
		}
	}

	// A reader that never starts, released: the others do not wait.
	s, err := ShareChunks(&seqRows{t: want, failAt: -1}, 2, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	s.Release(1)
	if got, err := readShared(s.Reader(0), 999); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("beside a released reader: %v", err)
	}

	// A failed read fails every reader; a range out of order is an error.
	s, err = ShareChunks(&seqRows{t: want, failAt: 4321}, 3, 500, 4)
	if err != nil {
		t.Fatal(err)
	}
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.Release(i)
			_, errs[i] = readShared(s.Reader(i), 250*(i+1))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, errBroken) {
			t.Errorf("reader %d of a table failing: %v", i, err)
		}
	}
	s, _ = ShareChunks(&seqRows{t: want, failAt: -1}, 1, 100, 2)
	if _, err := CheckedRows(s.Reader(0), 10, 20, nil); err == nil {
		t.Error("rows asked for out of order")
	}
	if _, err := ShareChunks(Whole(want), 1, 100, 2); err == nil {
		t.Error("a table not read in order shared")
	}
	// Slice keeps a wall clock's mark.
	if !want.Slice(3, 9).Columns[4].Wall {
		t.Error("Slice dropped the wall clock's mark")
	}
}
