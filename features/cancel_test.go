package features

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/segment-tool/segment/internal/canceltest"
)

// TestCustomGroupsCancel cancels custom groups whose expressions are slow:
// one that takes about 0.1 s per customer (810,000 comparisons, just under
// the expr VM's memory budget of 10⁶) on 2,000 customers, about 200 s in
// all uncancelled (the case of issue 15: SIGTERM was ignored for 133 s),
// and one whose single evaluation takes several seconds (a regular
// expression over a 64M-character string), which the per-customer check
// alone cannot stop.
func TestCustomGroupsCancel(t *testing.T) {
	for _, tc := range []struct {
		name, when string
		n          int
	}{
		{"slow per customer", "all(1..900, all(1..900, # > 0))", 2000},
		{"one slow evaluation", `reduce(1..26, #acc + #acc, "a") matches "(a|aa)*c"`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := CompileGroups([]CustomGroup{{Name: "slow", When: tc.when}})
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]string, tc.n)
			freq := make([]float64, tc.n)
			for i := range ids {
				ids[i], freq[i] = fmt.Sprintf("c%05d", i), float64(i%7)
			}
			tab, err := FromColumns(ids, []string{Frequency}, [][]float64{freq})
			if err != nil {
				t.Fatal(err)
			}
			canceltest.Check(t, func(ctx context.Context) error {
				_, err := c.Eval(ctx, tab, Segments{})
				return err
			})
			if tc.n == 1 {
				return
			}
			// The rows' goroutine stops too, rather than running on
			// unseen after Eval returned.
			t.Run("rows", func(t *testing.T) {
				get, err := c.bind(tab, Segments{})
				if err != nil {
					t.Fatal(err)
				}
				canceltest.Check(t, func(ctx context.Context) error {
					_, err := c.eval(ctx.Done(), tab, get)
					if errors.Is(err, errStopped) {
						return ctx.Err()
					}
					return err
				})
			})
		})
	}
}
