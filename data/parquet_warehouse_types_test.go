package data

import (
	"context"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"testing"
)

// testdata/duckdb_types.parquet was written by DuckDB 1.5.6 as warehouses
// write order lines: customer_uuid UUID, created_at TIMESTAMP WITH TIME
// ZONE, net_amount DECIMAL(38,4) (fixed-length bytes), quantity INTEGER.
// A UUID reads as the text databases print for it, so ids match another
// table's (or an export's) text ids; inspect shows every example as text
// and maps the UUID column as the customer id.
func TestReadWarehouseTypes(t *testing.T) {
	path := filepath.Join("testdata", "duckdb_types.parquet")
	cols := DefaultOrderColumns()
	cols.CustomerID, cols.OrderID, cols.Time, cols.Amount = "customer_uuid", "order_number", "created_at", "net_amount"
	lines, cents := map[string]int{}, map[string]int64{}
	_, err := ReadOrders(context.Background(), OrderSource{Path: path, Columns: cols}, func(batch []OrderLine) error {
		for _, l := range batch {
			lines[l.CustomerID]++
			cents[l.CustomerID] += int64(math.Round(l.Amount * 100))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// DuckDB: SELECT customer_uuid::VARCHAR, count(*), sum(net_amount) … GROUP BY 1.
	wantLines := map[string]int{"1679091c-5a88-0faf-6fb5-e6087eb1b2dc": 3, "8f14e45f-ceea-167a-5a36-dedd4bea2543": 2,
		"a87ff679-a2f3-e71d-9181-a67b7542122c": 3, "c4ca4238-a0b9-2382-0dcc-509a6f75849b": 3, "c81e728d-9d4c-2f63-6f06-7f89cc14862c": 3,
		"e4da3b7f-bbce-2345-d777-2b0674a318d5": 3, "eccbc87e-4b5c-e2fe-2830-8fd9f2a7baf3": 3}
	if !maps.Equal(lines, wantLines) {
		t.Errorf("lines by customer %v, want %v", lines, wantLines)
	}
	if got := cents["1679091c-5a88-0faf-6fb5-e6087eb1b2dc"]; got != 1632 {
		t.Errorf("1679091c-…'s amounts sum to %d cents, want 1632", got)
	}

	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"customer_uuid": "c4ca4238-a0b9-2382-0dcc-509a6f75849b", "created_at": "2024-01-01 10:00:00 UTC", "net_amount": "1.0000"}
	for _, c := range in.Columns {
		if w, ok := want[c.Name]; ok && (len(c.Examples) == 0 || c.Examples[0] != w) {
			t.Errorf("column %s: examples %q, want %q first", c.Name, c.Examples, w)
		}
	}
	if m := GuessMapping(in.Columns); m.Columns["customer_id"] != "customer_uuid" {
		t.Errorf("customer_id guessed as %q, want customer_uuid (mapping %v)", m.Columns["customer_id"], slices.Sorted(maps.Keys(m.Columns)))
	}
}
