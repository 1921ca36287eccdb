package pipeline

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/features"
)

// buyersTable is six buyers with a varying spend and frequency and a
// constant discount_ratio.
func buyersTable(t *testing.T) *features.Table {
	return featureTable(t, []string{"A", "B", "C", "D", "E", "F"},
		col(features.Frequency, 1, 2, 3, 4, 5, 6),
		col(features.Monetary, 10, 20, 40, 80, 160, 320),
		col(features.DiscountRatio, 0, 0, 0, 0, 0, 0))
}

func TestBuildMatrix(t *testing.T) {
	b := buyersTable(t)
	o := testOptions(t)
	o.Use = []string{features.Monetary, features.DiscountRatio, features.Frequency}
	m, err := BuildMatrix(context.Background(), b, o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Transform.Columns, []string{features.Monetary, features.Frequency}) || m.N != 6 || m.D != 2 || len(m.X) != 12 {
		t.Fatalf("columns %v, %d×%d, %d values; want monetary, frequency, 6×2, 12", m.Transform.Columns, m.N, m.D, len(m.X))
	}
	if len(m.Excluded) != 1 || m.Excluded[0].Feature != features.DiscountRatio || !strings.Contains(m.Excluded[0].Reason, "the same value") {
		t.Errorf("excluded %+v, want discount_ratio as constant", m.Excluded)
	}
	// Every column is z-scored: mean 0, population variance 1. No value
	// is clipped: the bounds are the min_share/2 = 0.5 % quantiles, which
	// for six values are the smallest and the largest.
	if m.Clipped != 0 {
		t.Errorf("%d buyers clipped, want none", m.Clipped)
	}
	for j := range m.D {
		var sum, sq float64
		for i := range m.N {
			sum += m.X[i*m.D+j]
		}
		mean := sum / float64(m.N)
		for i := range m.N {
			sq += (m.X[i*m.D+j] - mean) * (m.X[i*m.D+j] - mean)
		}
		if math.Abs(mean) > 1e-12 || math.Abs(sq/float64(m.N)-1) > 1e-12 {
			t.Errorf("column %d: mean %g, variance %g; want 0 and 1", j, mean, sq/float64(m.N))
		}
	}
	// monetary doubles from row to row: after log1p the steps are nearly
	// even, so the middle rows C and D lie either side of 0.
	if !(m.X[0] < m.X[4] && m.X[4] < 0 && 0 < m.X[6] && m.X[6] < m.X[10]) {
		t.Errorf("monetary column %v", []float64{m.X[0], m.X[2], m.X[4], m.X[6], m.X[8], m.X[10]})
	}
}

func TestBuildMatrixScaleNone(t *testing.T) {
	o := testOptions(t)
	o.Use, o.Scale = []string{features.Monetary}, "none"
	m, err := BuildMatrix(context.Background(), buyersTable(t), o)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{10, 20, 40, 80, 160, 320}; !slices.Equal(m.X, want) {
		t.Errorf("X = %v, want the raw values %v", m.X, want)
	}
}

// TestBuildMatrixNothingInformative: with no feature to cluster on, the
// matrix has no dimension (Cluster then skips clustering) and lists the
// features left out.
func TestBuildMatrixNothingInformative(t *testing.T) {
	o := testOptions(t)
	o.Use = []string{features.DiscountRatio}
	m, err := BuildMatrix(context.Background(), buyersTable(t), o)
	if err != nil {
		t.Fatal(err)
	}
	if m.D != 0 || len(m.Transform.Columns) != 0 || len(m.Excluded) != 1 || m.Excluded[0].Feature != features.DiscountRatio {
		t.Errorf("matrix d %d, columns %v, excluded %v; want no dimension and discount_ratio left out", m.D, m.Transform.Columns, m.Excluded)
	}
}

func TestBuildMatrixModel(t *testing.T) {
	o := testOptions(t)
	o.Use = []string{features.Frequency} // ignored: the model says what is clustered
	o.ModelPath = "saved/model.json"
	o.Model = &Model{Transform: &features.Transform{
		Columns: []string{features.Monetary, features.DiscountRatio},
		Log1p:   []bool{false, false},
		Center:  []float64{100, 0},
		Scale:   []float64{10, 1},
	}}
	m, err := BuildMatrix(context.Background(), buyersTable(t), o)
	if err != nil {
		t.Fatal(err)
	}
	// (monetary − 100) / 10 and the constant discount_ratio, kept.
	want := []float64{-9, 0, -8, 0, -6, 0, -2, 0, 6, 0, 22, 0}
	if m.Transform != o.Model.Transform || m.D != 2 || !slices.Equal(m.X, want) || m.Excluded != nil {
		t.Errorf("X = %v (d %d, excluded %v), want %v with the model's transform", m.X, m.D, m.Excluded, want)
	}

	o.Model.Transform.Columns[1] = features.AOV
	_, err = BuildMatrix(context.Background(), buyersTable(t), o)
	if err == nil || !strings.Contains(err.Error(), "saved/model.json") || !strings.Contains(err.Error(), "aov") {
		t.Errorf("error %v, want one naming the model and aov", err)
	}
}

// TestBuildMatrixModelCategories: a model clustered on the category mix
// refuses buyers none of whose spend is in its categories (every one would
// be placed as mix_other = 1), and takes them when some is.
func TestBuildMatrixModelCategories(t *testing.T) {
	o := testOptions(t)
	o.ModelPath = "saved/model.json"
	o.Model = &Model{Categories: []string{"apparel", "home"}, Transform: &features.Transform{
		Columns: []string{features.Monetary, "mix_apparel", "mix_home", features.MixOther},
		Log1p:   []bool{false, false, false, false},
		Center:  []float64{0, 0, 0, 0},
		Scale:   []float64{1, 1, 1, 1},
	}}
	ids := []string{"A", "B", "C"}
	none := featureTable(t, ids, col(features.Monetary, 10, 20, 30),
		col("mix_apparel", 0, 0, 0), col("mix_home", 0, 0, 0), col(features.MixOther, 1, 1, 1))
	_, err := BuildMatrix(context.Background(), none, o)
	if err == nil || !strings.Contains(err.Error(), "saved/model.json") || !strings.Contains(err.Error(), `"apparel", "home"`) {
		t.Errorf("error %v, want one naming the model and its categories", err)
	}
	some := featureTable(t, ids, col(features.Monetary, 10, 20, 30),
		col("mix_apparel", 0, 0.5, 0), col("mix_home", 0, 0, 0), col(features.MixOther, 1, 0.5, 1))
	if _, err := BuildMatrix(context.Background(), some, o); err != nil {
		t.Errorf("buyers with some spend in the model's categories: %v", err)
	}
	// A model clustered on mix_other alone still knows its categories.
	o.Model.Transform = &features.Transform{Columns: []string{features.Monetary, features.MixOther},
		Log1p: []bool{false, false}, Center: []float64{0, 0}, Scale: []float64{1, 1}}
	if _, err := BuildMatrix(context.Background(), some, o); err != nil {
		t.Errorf("use: [monetary, mix_other], buyers with spend in the model's categories: %v", err)
	}
	if _, err := BuildMatrix(context.Background(), none, o); err == nil {
		t.Error("use: [monetary, mix_other], buyers with no spend in the model's categories: no error")
	}
}

// TestFormatShare: shares print as percentages without the noise of the
// multiplication by 100.
func TestFormatShare(t *testing.T) {
	for s, want := range map[float64]string{0.009: "0.9 %", 0.01: "1 %", 0.123: "12.3 %", 1: "100 %", 0.0005: "0.05 %", 0: "0 %"} {
		if got := formatShare(s); got != want {
			t.Errorf("formatShare(%v) = %q, want %q", s, got, want)
		}
	}
}
