package pipeline

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// Matrix is the clustered matrix: the buyers' informative features,
// transformed (log1p, z-score, winsorised at min_share/2), n×D row-major.
type Matrix struct {
	Transform *features.Transform
	X         []float64
	N, D      int
	IDs       []string            // the rows' customers (the buyers' table's, not a copy)
	Excluded  []features.Excluded // features of clustering.use left out, and why
	Clipped   int                 // buyers with a winsorised value
}

// BuildMatrix fits the transform on the buyers' informative features of
// o.Use and applies it, or applies a saved model's transform (o.Model).
// Each of its passes over the buyers is short; ctx is checked between them.
func BuildMatrix(ctx context.Context, buyers *features.Table, o *Options) (*Matrix, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if m := o.Model; m != nil {
		// A feature the model clusters on, made from an order column these
		// orders lack, would be 0 for everyone: the customers placed by
		// a value they cannot have.
		for _, c := range m.Transform.Columns {
			if need := buyers.Lacks(c); need != "" {
				return nil, fmt.Errorf("model %s clusters on %s, which needs %s: these orders have none (map the column, or fit a model on orders like these with segment run)", o.ModelPath, c, need)
			}
		}
		if err := sharesCategories(buyers, m, o.ModelPath); err != nil {
			return nil, err
		}
		x, err := m.Transform.Apply(buyers, nil)
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", o.ModelPath, err)
		}
		return &Matrix{Transform: m.Transform, X: x, N: buyers.N(), D: len(m.Transform.Columns), IDs: buyers.IDs}, nil
	}
	use, excluded := features.Informative(buyers, o.Use, o.MinShare)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(use) == 0 { // nothing to cluster on: Cluster skips clustering and says why
		return &Matrix{Transform: &features.Transform{}, N: buyers.N(), IDs: buyers.IDs, Excluded: excluded}, nil
	}
	spec := features.Spec{Use: use, Scale: o.Scale != "none", Clip: o.MinShare / 2}
	if o.Scale == "none" {
		spec.Log1p = []string{}
	}
	tr, err := features.FitTransform(buyers, spec)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x, err := tr.Apply(buyers, nil)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Matrix{Transform: tr, X: x, N: buyers.N(), D: len(tr.Columns), IDs: buyers.IDs, Excluded: excluded, Clipped: tr.ClippedRows(buyers)}, nil
}

// formatShare prints a share as a percentage: 0.01 → "1 %".
func formatShare(s float64) string {
	// Rounded to 9 decimals after the multiplication, which is not exact
	// (100 × 0.009 is 0.8999999999999999).
	return strconv.FormatFloat(math.Round(100*s*1e9)/1e9, 'f', -1, 64) + " %"
}

// sharesCategories refuses to place buyers by a model's category mix when
// none of their spend is in any of the model's categories: every buyer
// would have mix_other = 1, and be placed by a value that only says the
// category column holds other names (another column mapped, or another
// catalogue).
func sharesCategories(buyers *features.Table, m *Model, path string) error {
	if buyers.N() == 0 || len(m.Categories) == 0 {
		return nil
	}
	if !slices.ContainsFunc(m.Transform.Columns, func(c string) bool { return strings.HasPrefix(c, features.MixPrefix) }) {
		return nil
	}
	// Every category of the model, clustered or not (use: [mix_other]
	// clusters on the spend outside them all).
	for _, c := range features.MixColumns(m.Categories) {
		for _, v := range buyers.Col(c) {
			if v != 0 {
				return nil
			}
		}
	}
	shown := make([]string, 0, min(len(m.Categories), 8))
	for _, c := range m.Categories[:cap(shown)] {
		shown = append(shown, data.QuoteCell(c))
	}
	if len(m.Categories) > len(shown) {
		shown = append(shown, "…")
	}
	return fmt.Errorf("model %s clusters on the category mix of %s, and no buyer of these orders spent in any of them: "+
		"their category column holds other names (map the column the model was fitted with, or fit a model on orders like these with segment run)",
		path, strings.Join(shown, ", "))
}
