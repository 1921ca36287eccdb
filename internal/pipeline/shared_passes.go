package pipeline

import (
	"slices"
	"sync"

	"github.com/segment-tool/segment/cluster"
)

// sharePasses runs fns, each on a goroutine of its own with passes over
// base, and reads base once for the passes they ask for together: a pass
// starts when every fn still running waits for one, and hands each run of
// rows to each waiting fn in turn, in fns' order, on the goroutine of
// whichever fn started it. A scale-out finish's quality figures and
// customer map need five passes over the transformed rows of job 2's
// shards between them; shared, they read the shards three times. Each fn
// sees every run of rows as it would alone, so its result does not depend
// on the others', as long as it neither keeps nor changes the rows it is
// given (both are read only, and copied where kept). A fn asks for its
// passes one at a time, from one goroutine, never from inside a pass's
// callback (that would wait for itself). A pass that a callback fails
// stops for every fn in it, which all get the error; once a fn has failed,
// the others' passes fail with its error at once, as they would have not
// run had the fns run one after another. sharePasses returns the first
// error of fns in argument order.
func sharePasses(base cluster.RowPasses, fns ...func(cluster.RowPasses) error) error {
	s := &passShare{base: base, active: len(fns)}
	run := make([]func() error, len(fns))
	for i, fn := range fns {
		run[i] = func() error {
			err := fn(func(yield func([]float64, []int) error) error { return s.pass(i, yield) })
			s.leave(err)
			return err
		}
	}
	return concurrently(run...) // every fn at once: each waits for the others
}

// passShare is the state of sharePasses: the fns still running, those
// waiting for a pass, and the first fn's error.
type passShare struct {
	base    cluster.RowPasses
	mu      sync.Mutex
	active  int
	waiting []*passWaiter
	failed  error
}

// passWaiter is a fn waiting for a pass: its callback, and where the pass's
// error goes.
type passWaiter struct {
	fn    int
	yield func([]float64, []int) error
	done  chan error
}

// pass runs a pass for fn i, with the other fns that ask for one: it
// returns when the pass is over.
func (s *passShare) pass(i int, yield func([]float64, []int) error) error {
	w := &passWaiter{fn: i, yield: yield, done: make(chan error, 1)}
	s.mu.Lock()
	if s.failed != nil {
		s.mu.Unlock()
		return s.failed
	}
	s.waiting = append(s.waiting, w)
	s.runIfAll()
	return <-w.done
}

// leave marks a fn done, with its error: the others no longer wait for it.
func (s *passShare) leave(err error) {
	s.mu.Lock()
	s.active--
	if err != nil && s.failed == nil {
		s.failed = err
	}
	s.runIfAll()
}

// runIfAll, with s.mu held, releases s.mu and, when every fn still running
// waits for a pass, runs it and hands each waiting fn its error (or, once
// a fn has failed, hands them that error without a pass).
func (s *passShare) runIfAll() {
	if len(s.waiting) == 0 || len(s.waiting) < s.active && s.failed == nil {
		s.mu.Unlock()
		return
	}
	batch, failed := s.waiting, s.failed
	s.waiting = nil
	s.mu.Unlock()
	if failed != nil {
		for _, w := range batch {
			w.done <- failed
		}
		return
	}
	slices.SortFunc(batch, func(a, b *passWaiter) int { return a.fn - b.fn })
	err := s.base(func(x []float64, labels []int) error {
		for _, w := range batch {
			if err := w.yield(x, labels); err != nil {
				return err
			}
		}
		return nil
	})
	for _, w := range batch {
		w.done <- err
	}
}
