package main

import (
	"context"
	"database/sql"
	"math"
	"path/filepath"
	"testing"
)

// testLines are order lines in the layout of segment gen's orders.parquet.
// The newest line is 2025-01-31 23:00 UTC, so as_of is 2025-02-01.
const testLines = `SELECT order_id, customer_id, CAST(time AS TIMESTAMPTZ) AS time, product_id, category,
	CAST(quantity AS BIGINT) AS quantity, CAST(unit_price AS DOUBLE) AS unit_price, CAST(discount AS DOUBLE) AS discount, coupon
FROM (VALUES
	-- A: two purchases (one with a coupon, one line outside the mix categories) and a return
	('O1', 'A', '2025-01-10 10:00:00+00', 'p1', 'apparel', 2, 10.0, 2.0, 'SAVE5'),
	('O1', 'A', '2025-01-10 10:00:00+00', 'p2', 'toys', 1, 5.0, 0.0, 'SAVE5'),
	('O2', 'A', '2025-01-20 12:00:00+00', 'p3', 'home', 1, 30.0, 3.0, ''),
	('R1', 'A', '2025-01-25 09:00:00+00', 'p1', 'apparel', -1, 10.0, 0.0, ''),
	-- B: one purchase the evening before as_of
	('O3', 'B', '2025-01-31 23:00:00+00', 'p4', 'pets', 4, 2.5, 0.0, ''),
	-- C: a return only, no purchase
	('R2', 'C', '2025-01-15 08:00:00+00', 'p3', 'home', -1, 30.0, 0.0, ''),
	-- D: one order of a bought line and a larger returned one: net −10, not a purchase
	('O4', 'D', '2025-01-05 00:00:00+00', 'p3', 'home', 1, 10.0, 0.0, ''),
	('O4', 'D', '2025-01-05 00:00:00+00', 'p3', 'home', -2, 10.0, 0.0, '')
) t(order_id, customer_id, time, product_id, category, quantity, unit_price, discount, coupon)`

// testColumns are FeatureSQL's columns with categories apparel, home, pets.
var testColumns = []string{"recency_days", "tenure_days", "frequency", "monetary", "aov", "discount_ratio",
	"coupon_order_share", "items_per_order", "mix_apparel", "mix_home", "mix_pets", "mix_other"}

// Computed by hand from testLines with segment's definitions (FeatureSQL).
var wantTwoLevel = map[string][]float64{
	// recency: 11.5 days from O2 → 11; tenure: 21.6 days from O1 → 21;
	// monetary 18 + 5 + 27 − 10; gross 20 + 5 + 30 (the return is not
	// counted), discount 2 + 3; items 3 + 1 over 2 purchases.
	"A": {11, 21, 2, 40, 20, 5.0 / 55, 0.5, 2, 20.0 / 55, 30.0 / 55, 0, 5.0 / 55},
	"B": {0, 0, 1, 10, 10, 0, 0, 4, 0, 0, 1, 0},
	// no purchase: recency and tenure from its lines, per-purchase ratios 0
	"C": {16, 16, 0, -30, 0, 0, 0, 0, 0, 0, 0, 0},
	// O4 has net −10: no purchase. Its bought line counts in gross and mix.
	"D": {27, 27, 0, -10, 0, 0, 0, 0, 0, 1, 0, 0},
}

// testDB opens an in-memory DuckDB, closed at the test's end, and writes
// testLines to a Parquet file, whose path it returns.
func testDB(t *testing.T) (*sql.DB, string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	orders := filepath.Join(t.TempDir(), "orders.parquet")
	if _, err := db.Exec("COPY (" + testLines + ") TO " + literal(orders) + " (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	return db, orders
}

func TestFeatureSQL(t *testing.T) {
	ctx := context.Background()
	db, orders := testDB(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	// Distinct counts an order with a non-returned line as a purchase
	// whatever its net: D's order O4 (FeatureSQL's doc).
	wantDistinct := map[string][]float64{}
	for id, v := range wantTwoLevel {
		wantDistinct[id] = v
	}
	wantDistinct["D"] = []float64{27, 27, 1, -10, -10, 0, 0, 1, 0, 1, 0, 0}

	for _, tc := range []struct {
		q    Query
		want map[string][]float64
	}{
		{TwoLevel, wantTwoLevel},
		{Distinct, wantDistinct},
	} {
		t.Run(string(tc.q), func(t *testing.T) {
			rows, err := conn.QueryContext(ctx, FeatureSQL(tc.q, orders, []string{"apparel", "home", "pets"})+" ORDER BY customer_id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, err := rows.Columns()
			if err != nil {
				t.Fatal(err)
			}
			if len(cols) != 1+len(testColumns) {
				t.Fatalf("columns %v, want customer_id and %v", cols, testColumns)
			}
			for j, c := range testColumns {
				if cols[1+j] != c {
					t.Errorf("column %d is %s, want %s", 1+j, cols[1+j], c)
				}
			}
			n := 0
			for rows.Next() {
				var id string
				got := make([]float64, len(testColumns))
				dst := []any{&id}
				for j := range got {
					dst = append(dst, &got[j])
				}
				if err := rows.Scan(dst...); err != nil {
					t.Fatal(err)
				}
				n++
				want, ok := tc.want[id]
				if !ok {
					t.Errorf("unexpected customer %q", id)
					continue
				}
				for j, c := range testColumns {
					if math.Abs(got[j]-want[j]) > 1e-12 {
						t.Errorf("customer %s %s = %v, want %v", id, c, got[j], want[j])
					}
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if n != len(tc.want) {
				t.Errorf("%d customers, want %d", n, len(tc.want))
			}
		})
	}
}

func TestFeatureSQLPanicsOnBadCategory(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for category \"a'b\"")
		}
	}()
	FeatureSQL(Distinct, "x.parquet", []string{"a'b"})
}

// TestScanSQL: the scan reads every line and every column it names.
func TestScanSQL(t *testing.T) {
	db, orders := testDB(t)
	var lines, qty int64
	var cust, order, coupon, cat string
	var tm int64
	var price, disc float64
	if err := db.QueryRow(ScanSQL(orders)).Scan(&lines, &cust, &order, &tm, &qty, &price, &disc, &coupon, &cat); err != nil {
		t.Fatal(err)
	}
	// 8 lines; quantities 2+1+1−1+4−1+1−2; prices 10+5+30+10+2.5+30+10+10; discounts 2+3.
	if lines != 8 || cust != "D" || order != "R2" || qty != 5 || price != 107.5 || disc != 5 || coupon != "SAVE5" || cat != "toys" {
		t.Errorf("scan = %d lines, %s, %s, qty %d, price %v, discount %v, %q, %q", lines, cust, order, qty, price, disc, coupon, cat)
	}
	if want := int64(1738364400000000); tm != want { // 2025-01-31 23:00 UTC
		t.Errorf("max time %d, want %d", tm, want)
	}
}
