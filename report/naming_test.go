package report

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

func TestNameClusters(t *testing.T) {
	rfm := []string{"recency_days", "frequency", "monetary"}
	tests := []struct {
		name      string
		features  []string
		rel       []float64
		threshold float64
		want      string
	}{
		{"value then frequency", rfm, []float64{0.05, 0.8, 1.5}, 0, "High-spend frequent customers"},
		{"recency first", rfm, []float64{0.9, -0.6, -0.1}, 0, "Lapsed infrequent customers"},
		{"recent low spend", rfm, []float64{-0.7, 0.1, -0.4}, 0, "Recent low-spend customers"},
		{"discount", []string{"discount_ratio", "aov"}, []float64{1.2, 0.1}, 0, "Discount-driven customers"},
		{"seasonal", []string{"peak_season_share"}, []float64{0.9}, 0, "Seasonal customers"},
		{"category specialist", []string{"recency_days", "mix_pets"}, []float64{-0.4, 2}, 0, "Recent category specialists (pets)"},
		{"two categories", []string{"mix_home_garden", "mix_toys"}, []float64{1.5, 3}, 0, "Category specialists (toys, home garden)"},
		// A category share 50 % above average is not specialism (specialistRel).
		{"category below specialist bar", []string{"mix_home_garden", "mix_toys"}, []float64{0.5, 3}, 0, "Category specialists (toys)"},
		{"nothing stands out", rfm, []float64{0.29, -0.29, 0.1}, 0, "Typical customers"},
		{"at the threshold", rfm, []float64{0, 0, 0.30}, 0, "High-spend customers"},
		{"at most three traits", []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio"},
			[]float64{-0.5, 0.6, 2.0, 1.0, 0.9}, 0, "High-spend big-basket discount-driven customers"},
		{"threshold given", rfm, []float64{0, 0, 0.35}, 0.5, "Typical customers"},
		{"negative threshold means default", rfm, []float64{0, 0, 0.35}, -1, "High-spend customers"},
		{"no phrase for low returns", []string{"return_rate"}, []float64{-1}, 0, "Typical customers"},
		{"no phrase for a category below", []string{"mix_pets"}, []float64{-0.8}, 0, "Typical customers"},
		{"unknown feature", []string{"nps_score"}, []float64{0.6}, 0, "High nps score customers"},
		{"NaN skipped", rfm, []float64{math.NaN(), 0, 0.5}, 0, "High-spend customers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel := slices.Clone(tt.rel)
			got := NameClusters(tt.features, [][]float64{rel}, tt.threshold)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("NameClusters = %q, want %q", got, tt.want)
			}
			if !slices.EqualFunc(rel, tt.rel, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
				t.Error("NameClusters modified its input")
			}
		})
	}
}

func TestNameClustersUnique(t *testing.T) {
	features := []string{"recency_days", "monetary"}
	rel := [][]float64{
		{0.9, 0},    // Lapsed customers
		{0.1, 0.1},  // Typical customers
		{1.5, 0.2},  // Lapsed customers 2
		{0, 0},      // Typical customers 2
		{2.0, -0.1}, // Lapsed customers 3
	}
	want := []string{"Lapsed customers", "Typical customers", "Lapsed customers 2", "Typical customers 2", "Lapsed customers 3"}
	got := NameClusters(features, rel, 0)
	if !slices.Equal(got, want) {
		t.Errorf("NameClusters = %q, want %q", got, want)
	}
}

func TestUniqueNamesSkipsTakenSuffix(t *testing.T) {
	got := uniqueNames([]string{"A", "A 2", "A", "B"})
	want := []string{"A", "A 2", "A 3", "B"}
	if !slices.Equal(got, want) {
		t.Errorf("uniqueNames = %q, want %q", got, want)
	}
}

func TestNameClustersPanicsOnShape(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a row shorter than features")
		}
	}()
	NameClusters([]string{"a", "b"}, [][]float64{{1}}, 0)
}

func ExampleNameClusters() {
	features := []string{"recency_days", "frequency", "monetary", "discount_ratio", "mix_pets"}
	pop := []float64{120, 2.5, 300, 0.05, 0.10}
	means := [][]float64{
		{40, 6.0, 1100, 0.02, 0.10},  // recent, frequent, big spenders
		{400, 1.1, 90, 0.04, 0.09},   // long gone, one or two orders
		{100, 2.4, 280, 0.25, 0.08},  // buy on discount
		{110, 2.6, 310, 0.05, 0.70},  // pet products
		{125, 2.4, 295, 0.055, 0.11}, // close to average
	}
	rel := make([][]float64, len(means))
	for i, m := range means {
		rel[i] = RelativeTo(nil, m, pop)
	}
	for _, n := range NameClusters(features, rel, 0) {
		fmt.Println(n)
	}
	// Output:
	// Recent high-spend frequent customers
	// Lapsed low-spend infrequent customers
	// Discount-driven customers
	// Category specialists (pets)
	// Typical customers
}
