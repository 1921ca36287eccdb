package data

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReadOrdersRejectReasons covers the rejects that depend on the
// source's settings: a non-positive unit price and exact duplicate lines
// when asked to drop them. Times are not checked against an analysis date:
// lines on or after as_of are no rejects (features counts them apart).
func TestReadOrdersRejectReasons(t *testing.T) {
	const body = "customer_id,order_id,time,quantity,unit_price\n" +
		"c1,o1,2024-03-01 10:00:00,1,5\n" + // row 1: used
		"c1,o1,2024-03-01 10:00:00,1,5\n" + // row 2: exact duplicate of row 1
		"c2,o2,2024-03-02 10:00:00,1,0\n" + // row 3: zero price
		"c3,o3,2024-03-02 11:00:00,2,-1\n" + // row 4: negative price
		"c4,o4,2024-03-05 00:00:00,1,5\n" + // row 5: used
		"c4,o5,2024-03-04 23:59:59,1,5\n" // row 6: used
	path := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		dupes    string
		want     map[int64]string // row → reason
		excluded float64          // revenue of the rejected rows
	}{
		// Rows 2, 3, 4 amount to 5, 0 and −2.
		{"keep duplicates", "", map[int64]string{3: "non-positive unit_price", 4: "non-positive unit_price"}, -2},
		{"drop duplicates", DropDuplicates, map[int64]string{2: "duplicate line", 3: "non-positive unit_price", 4: "non-positive unit_price"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, rejects, stats, err := readAll(t, OrderSource{Path: path, Duplicates: tt.dupes})
			if err != nil {
				t.Fatal(err)
			}
			got := map[int64]string{}
			for _, r := range rejects {
				got[r.Row] = r.Reason
				if r.File != path || r.Raw["customer_id"] == "" {
					t.Errorf("reject %+v lacks its file or raw values", r)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("rejects %v, want %v", got, tt.want)
			}
			for row, reason := range tt.want {
				if got[row] != reason {
					t.Errorf("row %d: reason %q, want %q", row, got[row], reason)
				}
			}
			if stats.RevenueExcluded != tt.excluded {
				t.Errorf("RevenueExcluded = %v, want %v", stats.RevenueExcluded, tt.excluded)
			}
			if len(lines)+len(rejects) != 6 || stats.RowsRead != 6 || stats.RowsUsed != int64(len(lines)) {
				t.Errorf("%d lines + %d rejects, stats %+v", len(lines), len(rejects), stats)
			}
		})
	}
}

// TestRevenueExcluded: a rejected row counts in RevenueExcluded when its
// amount can be read, whatever the reason, and not otherwise; each
// reject carries what it adds (Reject.Excluded).
func TestRevenueExcluded(t *testing.T) {
	const body = "customer_id,order_id,time,amount\n" +
		",o1,2024-03-01 10:00:00,12.5\n" + // missing customer_id: 12.5 excluded
		"c2,,2024-03-01 10:00:00,7\n" + // missing order_id: 7 excluded
		"c3,o3,2024-03-01 10:00:00,\n" + // missing amount: nothing known
		"c4,o4,2024-03-01 10:00:00,100\n" // used
	path := filepath.Join(t.TempDir(), "orders.csv")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, rejects, stats, err := readAll(t, OrderSource{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if len(rejects) != 3 || stats.RevenueExcluded != 19.5 {
		t.Fatalf("%d rejects, RevenueExcluded %v; want 3 and 19.5", len(rejects), stats.RevenueExcluded)
	}
	for i, want := range []float64{12.5, 7, 0} {
		if rejects[i].Excluded != want {
			t.Errorf("reject %d (%s): Excluded %v, want %v", i, rejects[i].Reason, rejects[i].Excluded, want)
		}
	}
}

// TestUnitPriceBesideAmount: where a unit_price column is read beside the
// amount, an empty price is "missing unit_price" (not "non-positive"), a
// zero one "non-positive unit_price", and the amount is counted as
// excluded either way.
func TestUnitPriceBesideAmount(t *testing.T) {
	const body = "customer_id,order_id,time,amount,unit_price\n" +
		"c1,o1,2024-03-01,10,5\n" + // used
		"c2,o2,2024-03-01,7,\n" + // no price
		"c3,o3,2024-03-01,4,0\n" // a zero price
	lines, rejects, stats, err := readAll(t, OrderSource{Path: writeFile(t, t.TempDir(), "orders.csv", body)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, r := range rejects {
		got[r.Row] = r.Reason
	}
	if len(lines) != 1 || len(got) != 2 || got[2] != "missing unit_price" || got[3] != "non-positive unit_price" {
		t.Errorf("%d lines, rejects %v: want row 2 missing unit_price, row 3 non-positive unit_price", len(lines), got)
	}
	if stats.RevenueExcluded != 11 {
		t.Errorf("RevenueExcluded = %v, want 11", stats.RevenueExcluded)
	}
}
