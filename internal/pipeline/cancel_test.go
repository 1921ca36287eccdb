package pipeline

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/canceltest"
)

// cancelStoreCustomers is the size of the generated store the cancellation
// tests run on: big enough for every stage to have work, small enough for
// the stages before the one cancelled to run quickly.
const cancelStoreCustomers = 3000

// storeOptions returns test options reading the generated store in dir
// (orders, customers, products and events), clustering on the default
// features with the elbow.
func storeOptions(t *testing.T, dir string) Options {
	o := withDemoInputs(*testOptions(t), dir)
	o.Use = DefaultOptions().Use
	return o
}

// TestCancel cancels a run in each of its stages and checks that it stops
// there with context.Canceled, promptly, leaving nothing behind.
func TestCancel(t *testing.T) {
	store := t.TempDir()
	if err := data.WriteGeneratedStore(context.Background(), store, data.GenOptions{Customers: cancelStoreCustomers, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	t.Run("every stage", func(t *testing.T) { testRunCancelledInEveryStage(t, store) })
	t.Run("segments", func(t *testing.T) { testSegmentCancel(t, store) })
	t.Run("outputs", func(t *testing.T) { testOutputsCancel(t, store) })
}

// testRunCancelledInEveryStage cancels Run as each stage starts: the stage
// must return context.Canceled within canceltest.Bound without the next
// stage starting, and neither the outputs nor a staging directory may be
// left behind.
func testRunCancelledInEveryStage(t *testing.T, store string) {
	for _, stage := range []string{"read+features", "customers", "events", "segments", "transform", "cluster", "outputs"} {
		t.Run(stage, func(t *testing.T) {
			o := storeOptions(t, store)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var started []string
			var cancelled time.Time
			stageStarts = func(name string) {
				started = append(started, name)
				if name == stage {
					cancelled = time.Now()
					cancel()
				}
			}
			defer func() { stageStarts = nil }()
			_, err := Run(ctx, o)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want context.Canceled", err)
			}
			if took := time.Since(cancelled); took > canceltest.Bound {
				t.Errorf("returned %v after the cancellation, want at most %v", took, canceltest.Bound)
			}
			if last := started[len(started)-1]; last != stage {
				t.Errorf("stages started %q: %s ran on after the cancellation", started, stage)
			}
			entries, err := os.ReadDir(filepath.Dir(o.Out))
			if err != nil {
				t.Fatal(err)
			}
			lock := "." + filepath.Base(o.Out) + ".lock" // the output folder's lock file stays (see outdir)
			for _, e := range entries {
				if e.Name() != lock {
					t.Errorf("left behind: %v, want nothing but %s", entries, lock)
					break
				}
			}
		})
	}
}

// testSegmentCancel cancels Segment during a slow custom group (about 0.1 s
// a customer, minutes for the store).
func testSegmentCancel(t *testing.T, store string) {
	o := storeOptions(t, store)
	in, err := AggregateOrders(context.Background(), &o, func(data.Reject) {})
	if err != nil {
		t.Fatal(err)
	}
	if o.Custom, err = features.CompileGroups([]features.CustomGroup{
		{Name: "slow", When: "frequency > 0 && all(1..900, all(1..900, # > 0))"},
	}); err != nil {
		t.Fatal(err)
	}
	canceltest.Check(t, func(ctx context.Context) error {
		_, err := Segment(ctx, in, &o)
		return err
	})
}

// files lists the files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// testOutputsCancel cancels the plots and the output files part-way
// through: they stop between files (and inside a file's writes) with
// context.Canceled, having written only some of the files. It also
// cancels the loading of those outputs as a previous run.
func testOutputsCancel(t *testing.T, store string) {
	o := storeOptions(t, store)
	var times timer
	in, err := readTables(context.Background(), &o, func(data.Reject) {}, &times)
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyse(context.Background(), &o, in, nil, &times)
	if err != nil {
		t.Fatal(err)
	}
	full := t.TempDir()
	if _, err := WriteOutputs(context.Background(), full, r); err != nil {
		t.Fatal(err)
	}
	all := files(t, full)
	plots := files(t, filepath.Join(full, "plots"))
	t.Run("previous run", func(t *testing.T) {
		// How many checks loading it makes; cancelled at the first or at
		// the last of them, it stops.
		count := canceltest.AfterChecks(1 << 62)
		if _, err := LoadPrevious(count, full); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int64{0, count.Checks() - 1} {
			ctx := canceltest.AfterChecks(n)
			if _, err := LoadPrevious(ctx, full); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled after %d of %d checks: error %v, want context.Canceled", n, count.Checks(), err)
			}
			ctx.Cancel()
		}
	})
	for _, tc := range []struct {
		name  string
		write func(ctx context.Context, dir string) (string, error)
		want  []string
	}{
		{"plots", func(ctx context.Context, dir string) (string, error) {
			_, err := r.writePlots(ctx, dir)
			return filepath.Join(dir, "plots"), err
		}, plots},
		{"outputs", func(ctx context.Context, dir string) (string, error) {
			_, err := WriteOutputs(ctx, dir, r)
			return dir, err
		}, all},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The fifth check of the context finds it cancelled.
			ctx := canceltest.AfterChecks(4)
			defer ctx.Cancel()
			dir, err := tc.write(ctx, t.TempDir())
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want context.Canceled", err)
			}
			if got := files(t, dir); len(got) >= len(tc.want) {
				t.Errorf("wrote %d files after the cancellation, as many as a whole run (%d)", len(got), len(tc.want))
			}
		})
	}
}

// TestWriteFileCancel cancels a long write: writeFileContext stops it at
// the next buffered write with context.Canceled. The writer is slowed
// down (4 KiB a millisecond, for 10 s at most) so that a broken check
// neither fills the disk nor ends before the cancellation.
func TestWriteFileCancel(t *testing.T) {
	dir := t.TempDir()
	canceltest.Check(t, func(ctx context.Context) error {
		return writeFileContext(ctx, filepath.Join(dir, "long.csv"), func(w io.Writer) error {
			block := make([]byte, 4096)
			for range 10000 {
				if _, err := w.Write(block); err != nil {
					return err
				}
				time.Sleep(time.Millisecond)
			}
			return nil
		})
	})
}

// TestClusterCancel cancels the clustering of a matrix large enough to
// take many seconds uncancelled, with the elbow sweep and with k fixed.
func TestClusterCancel(t *testing.T) {
	const n, d = 300000, 8
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	m := &Matrix{X: x, N: n, D: d, IDs: rowIDs(n)}
	for _, k := range []int{0, 12} {
		name := map[bool]string{true: "elbow", false: "fixed k"}[k == 0]
		t.Run(name, func(t *testing.T) {
			o := testOptions(t)
			o.K, o.Restarts = k, 10
			canceltest.Check(t, func(ctx context.Context) error {
				_, err := Cluster(ctx, m, o)
				return err
			})
		})
	}
}
