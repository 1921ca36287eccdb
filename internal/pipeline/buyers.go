package pipeline

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
)

// Buyers are the customers with orders who are clustered: those with an
// order of positive net value and a positive net spend
// (features.NotClustered). The others keep their RFM scores and groups but
// get cluster −1 and a reason.
type Buyers struct {
	Table  *features.Table // the buyers, in the order of the customer table
	Row    []int           // row of the customer table → row of Table, or −1
	Reason []string        // why row i of the customer table is not clustered, "" when it is
}

// SelectBuyers splits the customers with orders (t) into the buyers and
// the others. It is an error when nobody is a buyer.
func SelectBuyers(t *features.Table, log *slog.Logger) (*Buyers, error) {
	b := &Buyers{Reason: features.NotClustered(t), Row: make([]int, t.N())}
	var rows []int
	for i, why := range b.Reason {
		b.Row[i] = -1
		if why == "" {
			b.Row[i] = len(rows)
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("cluster: none of the %d customers is a buyer (an order of positive net value and a positive net spend): nothing to cluster", t.N())
	}
	b.Table = t.Rows(rows)
	if n := t.N() - len(rows); n > 0 {
		log.Info("customers not clustered", "customers", n, "clustered", len(rows))
	}
	return b, nil
}

// Matrix is the clustered matrix: the buyers' informative features,
// transformed (log1p, z-score, winsorised at min_share/2), n×D row-major.
type Matrix struct {
	Transform *features.Transform
	X         []float64
	N, D      int
	Excluded  []features.Excluded // features of clustering.use left out, and why
	Clipped   int                 // buyers with a winsorised value
}

// BuildMatrix fits the transform on the buyers' informative features of
// o.Use and applies it, or applies a saved model's transform (o.Model).
func BuildMatrix(buyers *features.Table, o *Options) (*Matrix, error) {
	if m := o.Model; m != nil {
		x, err := m.Transform.Apply(buyers, nil)
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", o.ModelPath, err)
		}
		return &Matrix{Transform: m.Transform, X: x, N: buyers.N(), D: len(m.Transform.Columns)}, nil
	}
	use, excluded := features.Informative(buyers, o.Use, o.MinShare)
	if len(use) == 0 {
		return nil, fmt.Errorf("cluster: no informative feature to cluster on: %s", describeExcluded(excluded))
	}
	spec := features.Spec{Use: use, Scale: o.Scale != "none", Clip: o.MinShare / 2}
	if o.Scale == "none" {
		spec.Log1p = []string{}
	}
	tr, err := features.FitTransform(buyers, spec)
	if err != nil {
		return nil, err
	}
	x, err := tr.Apply(buyers, nil)
	if err != nil {
		return nil, err
	}
	return &Matrix{Transform: tr, X: x, N: buyers.N(), D: len(tr.Columns), Excluded: excluded, Clipped: tr.ClippedRows(buyers)}, nil
}

// describeExcluded lists excluded features for a message.
func describeExcluded(ex []features.Excluded) string {
	var parts []string
	for _, e := range ex {
		parts = append(parts, e.Feature+": "+e.Reason)
	}
	return strings.Join(parts, "; ")
}

// formatShare prints a share as a percentage: 0.01 → "1 %".
func formatShare(s float64) string {
	return strconv.FormatFloat(100*s, 'f', -1, 64) + " %"
}

// Label returns the cluster of row i of the customer table under fit, or
// −1 when the customer is not clustered.
func (b *Buyers) Label(fit *cluster.Result, i int) int {
	if c := b.Row[i]; c >= 0 {
		return fit.Labels[c]
	}
	return -1
}
