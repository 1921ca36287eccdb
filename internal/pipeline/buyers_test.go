package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/features"
)

func TestSelectBuyers(t *testing.T) {
	ft := featureTable(t, []string{"A", "B", "C", "D", "E"},
		col(features.Frequency, 2, 0, 0, 3, 1),
		col(features.Monetary, 80, 0, -25, -10, 15))
	b, err := SelectBuyers(ft, DefaultOptions().Log)
	if err != nil {
		t.Fatal(err)
	}
	wantReason := []string{
		"",                                 // A: two purchases, 80 spent
		features.NotClusteredZeroValue,     // B: free orders only
		features.NotClusteredReturnsOnly,   // C: a refund, no purchase
		features.NotClusteredReturnsExceed, // D: purchases, but refunds exceed them
		"",                                 // E
	}
	var reasons []string
	for i := range b.Row {
		reasons = append(reasons, b.Reason(i))
	}
	if !slices.Equal(reasons, wantReason) {
		t.Errorf("reasons %q, want %q", reasons, wantReason)
	}
	if want := []int{0, -1, -1, -1, 1}; !slices.Equal(b.Row, want) {
		t.Errorf("rows %v, want %v", b.Row, want)
	}
	if !slices.Equal(b.Table.IDs, []string{"A", "E"}) || !slices.Equal(b.Table.Col(features.Monetary), []float64{80, 15}) {
		t.Errorf("buyers %v with monetary %v, want A, E with 80, 15", b.Table.IDs, b.Table.Col(features.Monetary))
	}
	if ft.N() != 5 {
		t.Errorf("SelectBuyers modified its table")
	}

	// Label maps rows of the customer table through Row to the fit's labels.
	fit := &cluster.Result{K: 2, Labels: []int{1, 0}}
	var labels []int
	for i := range ft.N() {
		labels = append(labels, b.Label(fit, i))
	}
	if want := []int{1, -1, -1, -1, 0}; !slices.Equal(labels, want) {
		t.Errorf("labels %v, want %v", labels, want)
	}
}

// A feature table without frequency and monetary has no notion of a
// purchase: everyone is clustered.
func TestSelectBuyersFeatureTable(t *testing.T) {
	ft := featureTable(t, []string{"A", "B"}, col("score", -1, 0))
	b, err := SelectBuyers(ft, DefaultOptions().Log)
	if err != nil {
		t.Fatal(err)
	}
	if b.Table.N() != 2 || !slices.Equal(b.Row, []int{0, 1}) {
		t.Errorf("buyers %v, rows %v; want both", b.Table.IDs, b.Row)
	}
}

func TestSelectBuyersNobody(t *testing.T) {
	ft := featureTable(t, []string{"A", "B"}, col(features.Frequency, 0, 0), col(features.Monetary, 0, -5))
	_, err := SelectBuyers(ft, DefaultOptions().Log)
	want := "no customer has a purchase (an order of positive net value and a positive net spend), nothing to segment: " +
		"1 customer: orders of zero net value only; 1 customer: only returns or cancellations"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
