package canceltest

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// Bound is how long a stage may take to return once its context is
// cancelled. The requirement is "within a second"; the bound is generous
// because the test machines are shared and noisy, and three times as long
// under the race detector (raceFactor), where a 2 s bound failed on a
// loaded 2-core machine.
const Bound = raceFactor * 2 * time.Second

// Delay is how long Check lets a stage run before cancelling it in the
// "while running" case: the stages under test take many seconds
// uncancelled, so they are still running then.
const Delay = 150 * time.Millisecond

// Check runs stage twice, as subtests: once with a context cancelled
// before it starts, once cancelling the context Delay after it started.
// Both times stage must return an error that is context.Canceled
// (errors.Is) within Bound of the cancellation. The input the caller gives
// stage must keep it busy for much longer than Delay + Bound, so that a
// stage that ignores the context fails the test.
func Check(t *testing.T, stage func(ctx context.Context) error) {
	t.Helper()
	for _, tc := range []struct {
		name  string
		delay time.Duration
	}{
		{"cancelled before", 0},
		{"cancelled while running", Delay},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.delay == 0 {
				cancel()
			} else {
				time.AfterFunc(tc.delay, cancel)
			}
			errc := make(chan error, 1)
			go func() { errc <- stage(ctx) }()
			select {
			case err := <-errc:
				if ctx.Err() == nil {
					t.Fatalf("the stage returned %v before it was cancelled: give it a bigger input", err)
				}
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("error %v, want context.Canceled", err)
				}
			case <-time.After(tc.delay + Bound):
				t.Fatalf("still running %v after the context was cancelled", Bound)
			}
		})
	}
}

// Countdown is a context that cancels itself at its n+1st Err call: a
// deterministic way to cancel a stage part-way through, between two of
// its checks, whatever the speed of the machine.
type Countdown struct {
	context.Context
	left, checks atomic.Int64
	cancel       context.CancelFunc
}

// AfterChecks returns a context whose first n Err calls find it live and
// whose later calls cancel it. Call Cancel when done with it.
func AfterChecks(n int64) *Countdown {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Countdown{Context: ctx, cancel: cancel}
	c.left.Store(n)
	return c
}

// Err cancels c once its checks are used up, and returns its error.
func (c *Countdown) Err() error {
	c.checks.Add(1)
	if c.left.Add(-1) < 0 {
		c.cancel()
	}
	return c.Context.Err()
}

// Checks returns how many times Err was called.
func (c *Countdown) Checks() int64 { return c.checks.Load() }

// Cancel cancels c.
func (c *Countdown) Cancel() { c.cancel() }
