package featurejob

import (
	"context"
	"strings"
	"testing"
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
