package features

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/canceltest"
)

// TestCustomGroupsCancel cancels custom groups whose expressions are slow:
// one that takes about 0.1 s per customer (810,000 comparisons, just under
// the expr VM's memory budget of 10⁶) on 2,000 customers, about 200 s in
// all uncancelled (the case of issue 15: SIGTERM was ignored for 133 s),
// and one whose single evaluation takes several seconds (a regular
// expression over a 64M-character string, 16M under the race detector,
// where it runs several times slower and the abandoned evaluation must
// still end before the wait for it does), which the per-customer check
// alone cannot stop.
func TestCustomGroupsCancel(t *testing.T) {
	doublings := 26
	if raceEnabled {
		doublings = 24
	}
	for _, tc := range []struct {
		name, when string
		n          int
	}{
		{"slow per customer", "all(1..900, all(1..900, # > 0))", 2000},
		{"one slow evaluation", fmt.Sprintf(`reduce(1..%d, #acc + #acc, "a") matches "(a|aa)*c"`, doublings), 1},
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
				// Eval left the evaluation in progress to finish on
				// its own: wait for it, or its 64 MB string and CPU
				// would weigh on the tests after this one.
				waitAbandonedEval(t)
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

// waitAbandonedEval waits until no goroutine is in CompiledGroups.eval:
// up to 5 minutes, for a machine loaded by other tests.
func waitAbandonedEval(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "features.(*CompiledGroups).eval") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the abandoned evaluation still runs after 5 minutes:\n%s", stacks)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTablesCancel cancels the events and customers tables just after the
// file is read, and the feature table of the aggregated orders at each of
// its checks: each returns context.Canceled, not a table.
func TestTablesCancel(t *testing.T) {
	const n = 50000
	var ev, cu strings.Builder
	ev.WriteString("customer_id,time,type\n")
	cu.WriteString("customer_id,email,newsletter,city,country,signup_time,b2b,age_band\n")
	for i := range n {
		fmt.Fprintf(&ev, "c%d,2024-06-%02d 10:00:00,view\n", i%9000, 1+i%28)
		fmt.Fprintf(&cu, "c%d,c%d@x.org,yes,Paris,FR,2024-01-02,no,25-34\n", i, i)
	}
	events, customers := writeFile(t, "events.csv", ev.String()), writeFile(t, "customers.csv", cu.String())
	asOf := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	agg := NewAggregator(Options{AsOf: asOf})
	agg.Add(attrLines())

	for _, tc := range []struct {
		name string
		file string // read by data.ReadTable first
		run  func(ctx context.Context) (any, error)
	}{
		{"events", events, func(ctx context.Context) (any, error) {
			return ReadEventTable(ctx, events, nil, data.TimeFormat{}, asOf, nil, 2, func(data.Reject) {})
		}},
		{"customers", customers, func(ctx context.Context) (any, error) {
			return ReadCustomerTable(ctx, customers, nil, data.TimeFormat{})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.run(context.Background()); err != nil {
				t.Fatalf("uncancelled: %v", err)
			}
			// How many checks reading the file makes.
			count := canceltest.AfterChecks(1 << 62)
			if _, err := data.ReadTable(count, tc.file); err != nil {
				t.Fatal(err)
			}
			ctx := canceltest.AfterChecks(count.Checks())
			defer ctx.Cancel()
			if got, err := tc.run(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("error %v (result %T), want context.Canceled", err, got)
			}
		})
	}

	// The feature table of the aggregated orders: cancelled at each of its
	// checks (between and inside its passes), it returns context.Canceled.
	count := canceltest.AfterChecks(1 << 62)
	if _, err := agg.TableContext(count); err != nil {
		t.Fatal(err)
	}
	if count.Checks() < 4 {
		t.Errorf("TableContext checks the context %d times, want at least 4 (before, inside and after its passes)", count.Checks())
	}
	for k := range count.Checks() {
		ctx := canceltest.AfterChecks(k)
		if tab, err := agg.TableContext(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled at check %d: error %v (table %v), want context.Canceled", k+1, err, tab != nil)
		}
		ctx.Cancel()
	}
}

// TestSegmentsCancel cancels the seed groups and the events columns
// part-way through (at their fourth and second checks): each returns
// context.Canceled.
func TestSegmentsCancel(t *testing.T) {
	const n = 20000
	ids := make([]string, n)
	freq, mon := make([]float64, n), make([]float64, n)
	for i := range ids {
		ids[i], freq[i], mon[i] = fmt.Sprintf("c%05d", i), float64(i%5), float64(i%700)
	}
	tab, err := FromColumns(ids, []string{Frequency, Monetary}, [][]float64{freq, mon})
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	events := NewEventAggregator(asOf)
	for i := range ids {
		events.Add(ids[i], asOf.Add(-time.Duration(1+i%90)*24*time.Hour), "view")
	}
	for _, tc := range []struct {
		name   string
		checks int64
		run    func(ctx context.Context) error
	}{
		{"seed groups", 3, func(ctx context.Context) error {
			_, err := SeedGroups(ctx, tab, nil, Thresholds{})
			return err
		}},
		{"events columns", 1, func(ctx context.Context) error {
			_, err := events.Columns(ctx, ids)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(context.Background()); err != nil {
				t.Fatalf("uncancelled: %v", err)
			}
			ctx := canceltest.AfterChecks(tc.checks)
			defer ctx.Cancel()
			if err := tc.run(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", err)
			}
		})
	}
}
