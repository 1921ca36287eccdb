package pipeline

import (
	"context"
	"runtime"
	"sync"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/report"
)

// customerMap is the map of the customers that the pca_scatter plot draws:
// the clustered customers on the first two principal components of the
// matrix, fitted on a sample of them (Quality), with how much of the
// variance each component explains and which features each follows, and
// the points drawn (at most report.MaxScatterPoints, drawn at random).
type customerMap struct {
	points    *report.ScatterPoints
	explained []float64
	load      [2][]float64 // the correlation of each matrix column with each axis
}

// forOutputs returns m without its rows: the outputs need only the
// customer map (Clustering), while the rows are 8 bytes a customer and
// column and the run's largest allocation after the feature table.
func (m *Matrix) forOutputs() *Matrix {
	out := *m
	out.X = nil
	return &out
}

// quality runs Quality over the matrix's rows, clustered in labels among
// the clusters of fit's centroids: each round over parts of the rows, one
// a worker, merged. The figures do not depend on the number of workers.
func (m *Matrix) quality(ctx context.Context, fit *cluster.Result, o *Options) (*Quality, error) {
	labels := fit.Labels
	q := NewQuality(m.D, fit.K, o.Seed).WithCentroids(fit.Centroids)
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parts := max(1, min(workers, m.N/4096))
	for !q.Done() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		forks := make([]*Quality, parts)
		errs := make([]error, parts)
		var wg sync.WaitGroup
		for p := range parts {
			lo, hi := p*m.N/parts, (p+1)*m.N/parts
			forks[p] = q.Fork()
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[p] = forks[p].Add(m.IDs[lo:hi], m.X[lo*m.D:hi*m.D], labels[lo:hi])
			}()
		}
		wg.Wait()
		for p, f := range forks {
			if errs[p] != nil {
				return nil, errs[p]
			}
			if err := q.Merge(f); err != nil {
				return nil, err
			}
		}
		if err := q.EndRound(); err != nil {
			return nil, err
		}
	}
	return q, nil
}
