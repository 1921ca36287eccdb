package cluster

import (
	"context"
	"math/rand/v2"
	"testing"
)

// TestStepAllocations: a Lloyd iteration allocates nothing, with bounds or
// without, with one worker or several (the workspace's pool starts its
// goroutines once).
func TestStepAllocations(t *testing.T) {
	x, n, d, _ := blobs(4, eightBlobs, []int{3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000}, 1.5)
	for _, bounds := range []bool{true, false} {
		for _, workers := range []int{1, 2, 8} {
			p := newProblem(x, n, d, nil, 1e-4)
			p.bounds = bounds
			ws := newWorkspace(p, 8, workers)
			defer ws.close()
			if err := ws.seed(context.Background(), rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			ws.fresh = true
			for i := range ws.labels {
				ws.labels[i] = -1
			}
			ws.step()
			allocs := testing.AllocsPerRun(20, func() { ws.step() })
			if allocs != 0 {
				t.Errorf("bounds=%v workers=%d: %.1f allocations per iteration, want 0", bounds, workers, allocs)
			}
		}
	}
}
