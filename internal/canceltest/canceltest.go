// Package canceltest checks, in tests, that a stage of a run stops
// promptly when its context is cancelled.
package canceltest

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Bound is how long a stage may take to return once its context is
// cancelled. The requirement is "within a second"; the bound is generous
// because the test machines are shared and noisy.
const Bound = 2 * time.Second

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
