package featurejob

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// TestTablesAllRejected: the fit step stops, as a local run does, on an
// events table every row of which job 1 rejected (naming the reasons) and
// on a customers table none of whose rows had the header's number of
// fields; a table with a row kept goes on.
func TestTablesAllRejected(t *testing.T) {
	sum := &Summary{Fit: &Fit{Events: &EventsFit{Rows: 3, Rejected: 3, RejectsByReason: map[string]int64{"events: unparseable time": 2, "events: missing time": 1}}}}
	if _, err := hasEvents(&Config{Events: "e.csv"}, sum); err == nil ||
		!strings.Contains(err.Error(), "events e.csv: every one of its 3 rows was rejected (events: missing time: 1, events: unparseable time: 2)") {
		t.Errorf("events: error %v", err)
	}
	sum.Fit.Events.Rejected = 2
	if ok, err := hasEvents(&Config{Events: "e.csv"}, sum); !ok || err != nil {
		t.Errorf("events with a row kept: %v, %v", ok, err)
	}
	// A table of a header alone, as a local run.
	if _, err := hasEvents(&Config{Events: "e.csv"}, &Summary{Fit: &Fit{Events: &EventsFit{}}}); err == nil ||
		!strings.Contains(err.Error(), "events e.csv: the table has no rows") {
		t.Errorf("events without rows: error %v", err)
	}
	if _, err := sampleCustomers(context.Background(), &Config{Customers: "c.csv"}, jobFiles{}, &Summary{Fit: &Fit{Customers: &CustomersFit{}}}, nil); err == nil ||
		!strings.Contains(err.Error(), "customers c.csv: the table has no rows") {
		t.Errorf("customers without rows: error %v", err)
	}
	sum.Fit.Customers = &CustomersFit{Rejected: 2, RejectsByReason: map[string]int64{"customers: wrong number of fields": 2}}
	if _, err := sampleCustomers(context.Background(), &Config{Customers: "c.csv"}, jobFiles{}, sum, nil); err == nil ||
		!strings.Contains(err.Error(), "customers c.csv: no row kept: 2 of its 2 rows have a number of fields other than the header's") {
		t.Errorf("customers: error %v", err)
	}
}

// TestFitRefusesSameBytes: the fit step stops, as a local read does, when
// job 1 read two files of the same bytes (unless duplicates are dropped)
// or was given a products table beside order lines without product_id.
func TestFitRefusesSameBytes(t *testing.T) {
	out := t.TempDir()
	write := func(sum Summary) {
		t.Helper()
		b, err := json.Marshal(sum)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(out, FeaturesDir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, FeaturesDir, SummaryFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(Summary{Files: []InputFile{{Path: "a.csv", SHA256: "abcdef0123456789", Rows: 3}, {Path: "b.csv", SHA256: "abcdef0123456789", Rows: 3}}})
	o := pipeline.DefaultOptions()
	if _, err := FitResult(context.Background(), out, &o); err == nil || !strings.Contains(err.Error(), "a.csv and b.csv hold the same bytes") {
		t.Errorf("same bytes: %v", err)
	}
	write(Summary{Absent: []string{"product_id"}})
	o.Products = &config.Table{Path: "p.csv"}
	if _, err := FitResult(context.Background(), out, &o); err == nil || !strings.Contains(err.Error(), "products p.csv: the order lines have no product_id column") {
		t.Errorf("products without product_id: %v", err)
	}
}
