package report

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/segment-tool/segment/internal/selectk"
)

// ChunkProfiles is StreamProfiles over customers held in memory as one
// chunk: the medians are selected from a copy of each feature's values
// (selectk.Median, n values of 8 bytes per worker) instead of narrowed
// down in passes, on workers goroutines (GOMAXPROCS when 0), at most
// maxProfileWorkers so that the copies stay a few per store, one feature
// at a time each. The results are StreamProfiles' bit for bit (both medians
// are exact, and so are the sums: ProfileSums), in a fraction of its
// time: a local run's profiles.
func ChunkProfiles(ctx context.Context, features, groups []string, k int, ch ProfileChunk, workers int) (Population, []ClusterStats, error) {
	d := len(features)
	if err := checkChunk(ch, d, len(groups), k); err != nil {
		return Population{}, nil, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, maxProfileWorkers)
	sums := NewProfileSums(features, len(groups), k)
	if err := sums.Add(ch); err != nil {
		return Population{}, nil, err
	}
	medians, err := chunkMedians(ctx, features, ch, k, sums.size, workers)
	if err != nil {
		return Population{}, nil, err
	}
	pop, stats := sums.stats(features, groups, func(s int) float64 { return medians[s] })
	err = eachFeature(ctx, d, workers, func(j int) error {
		meds := make([]float64, k)
		for c := range meds {
			meds[c] = stats[c].Median[j]
		}
		c := newCutCounts(meds)
		c.add(ch.Cols[j])
		c.setPositions(stats, j, sums.size[k])
		return nil
	})
	if err != nil {
		return Population{}, nil, err
	}
	return pop, stats, nil
}

// maxProfileWorkers bounds ChunkProfiles' goroutines, each of which holds
// a copy of a column.
const maxProfileWorkers = 4

// eachFeature calls fn(j) for every feature j < d on up to workers
// goroutines, and returns the error of the first feature that failed,
// whatever the workers, or ctx.Err().
func eachFeature(ctx context.Context, d, workers int, fn func(j int) error) error {
	next := make(chan int, d)
	for j := range d {
		next <- j
	}
	close(next)
	errs := make([]error, d)
	var wg sync.WaitGroup
	for range max(1, min(workers, d)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if errs[j] = ctx.Err(); errs[j] == nil {
					errs[j] = fn(j)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// chunkMedians returns the median of every series of ch (c·d+j: feature j
// over cluster c, k·d+j over everyone; NaN for none), size being the
// customers of each cluster and, at k, all. A NaN value is an error, as it
// is StreamProfiles'.
func chunkMedians(ctx context.Context, features []string, ch ProfileChunk, k int, size []int64, workers int) ([]float64, error) {
	d := len(features)
	out := make([]float64, (k+1)*d)
	start := make([]int, k+1) // where cluster c's values begin in a feature's buffer
	for c := 1; c <= k; c++ {
		start[c] = start[c-1] + int(size[c-1])
	}
	median := func(v []float64) float64 {
		if len(v) == 0 {
			return math.NaN()
		}
		return selectk.Median(v)
	}
	bufs := make(chan []float64, max(1, min(workers, d))) // a buffer per worker
	for range cap(bufs) {
		bufs <- make([]float64, len(ch.Labels))
	}
	err := eachFeature(ctx, d, workers, func(j int) error {
		buf := <-bufs
		defer func() { bufs <- buf }()
		at := slices.Clone(start)
		for i, v := range ch.Cols[j] {
			if math.IsNaN(v) {
				return fmt.Errorf("report: profiles: feature %s has a NaN", features[j])
			}
			c := ch.Labels[i]
			buf[at[c]] = v
			at[c]++
		}
		for c := range k {
			out[c*d+j] = median(buf[start[c]:at[c]])
		}
		out[k*d+j] = median(buf) // every value, in clusters' order
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
