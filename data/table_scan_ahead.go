package data

import (
	"context"
	"errors"
)

// errStopped ends the scan of ScanTableAhead once its fn has failed.
var errStopped = errors.New("data: scan stopped")

// ScanTableAhead is ScanTable reading the next piece of the table on a
// goroutine of its own while fn works on the current one: fn is called
// with the same tables, in the same order, one call at a time, on the
// caller's goroutine. Memory grows with two pieces instead of one (fn's,
// and the next one, read or being read). An error from fn stops the
// reading and is returned; otherwise the first error of the scan. The
// scan checks ctx as ScanTable does. With ragged, the tables are
// ScanTableRagged's.
func ScanTableAhead(ctx context.Context, path string, ragged bool, fn func(t *Table, first int64) error) error {
	type piece struct {
		t     *Table
		first int64
	}
	pieces := make(chan piece) // unbuffered: one piece waits while fn works
	stop := make(chan struct{})
	stopped := false
	halt := func() {
		if !stopped {
			stopped = true
			close(stop)
		}
	}
	defer halt()
	scanned := make(chan error, 1)
	go func() {
		defer close(pieces)
		scanned <- scanTableColumns(ctx, path, nil, ragged, func(t *Table, first int64) error {
			select {
			case pieces <- piece{t, first}:
				return nil
			case <-stop:
				return errStopped
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var err error
	for p := range pieces {
		if err == nil {
			if err = fn(p.t, p.first); err != nil {
				halt() // the scan stops; the pieces it sent meanwhile are dropped
			}
		}
	}
	if serr := <-scanned; err == nil {
		err = serr
	}
	return err
}
