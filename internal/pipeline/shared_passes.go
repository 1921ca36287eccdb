package pipeline

import (
	"slices"
	"sync"

	"github.com/segment-tool/segment/cluster"
)

// sharePasses runs fns, each on a goroutine of its own with passes over
// base, and reads base once for the passes they ask for together: a pass
// starts when every fn still running waits for one, and hands each run of
// rows to each waiting fn in turn, in fns' order. A scale-out finish's
// quality figures and customer map need five passes over the transformed
// rows of job 2's shards between them; shared, they read the shards three
// times. Each fn sees every run of rows as it would alone, so its result
// does not depend on the others', as long as it neither keeps nor changes
// the rows it is given (both are read only, and copied where kept). A
// pass a fn's callback fails stops for every fn in it, which all get the
// error. sharePasses returns the first error of fns in argument order.
func sharePasses(base cluster.RowPasses, fns ...func(cluster.RowPasses) error) error {
	s := &passShare{base: base, active: len(fns)}
	run := make([]func() error, len(fns))
	for i, fn := range fns {
		run[i] = func() error {
			defer s.leave()
			return fn(func(yield func([]float64, []int) error) error { return s.pass(i, yield) })
		}
	}
	return concurrently(run...)
}

// passShare is the state of sharePasses: the fns still running and those
// waiting for a pass.
type passShare struct {
	base    cluster.RowPasses
	mu      sync.Mutex
	active  int
	waiting []*passWaiter
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
	s.waiting = append(s.waiting, w)
	s.startIfAll()
	return <-w.done
}

// leave marks a fn done: the others no longer wait for it.
func (s *passShare) leave() {
	s.mu.Lock()
	s.active--
	s.startIfAll()
}

// startIfAll, with s.mu held, starts the pass of the waiting fns when
// every fn still running waits, and releases s.mu.
func (s *passShare) startIfAll() {
	if len(s.waiting) == 0 || len(s.waiting) < s.active {
		s.mu.Unlock()
		return
	}
	batch := s.waiting
	s.waiting = nil
	s.mu.Unlock()
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
