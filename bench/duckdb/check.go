package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// tolerance is the relative difference allowed between DuckDB's value and
// segment's: segment sums money in exact 1e-6 fixed point, DuckDB in
// float64, so their sums differ by float64 rounding (about 1e-15
// relative per line), far below it.
const tolerance = 1e-9

// errDiffer reports that the result and segment's table disagree.
var errDiffer = errors.New("duckdb: check: the result differs from segment's")

// compare compares the first n customers (by id) of table features with
// segment's assignments.csv at path: every column of features must be a
// column of the CSV, every mix_ column of the CSV one of features, the CSV
// must have rows rows, and every value must agree within tolerance. It
// returns the number of customers compared.
func compare(ctx context.Context, conn *sql.Conn, path string, n int, rows int64) (int, error) {
	ours, err := columns(ctx, conn, "SELECT * FROM features")
	if err != nil {
		return 0, err
	}
	src := "read_csv(" + literal(path) + ", header = true, all_varchar = true)"
	theirs, err := columns(ctx, conn, "SELECT * FROM "+src)
	if err != nil {
		return 0, err
	}
	for _, c := range ours {
		if !slices.Contains(theirs, c) {
			return 0, fmt.Errorf("%w: %s has no column %s (its columns: %s)", errDiffer, path, c, strings.Join(theirs, ", "))
		}
	}
	for _, c := range theirs {
		if strings.HasPrefix(c, "mix_") && !slices.Contains(ours, c) {
			return 0, fmt.Errorf("%w: segment has a column %s, DuckDB's mix categories do not (-categories)", errDiffer, c)
		}
	}

	// Read the CSV once, keeping the compared columns.
	casts := make([]string, 0, len(ours))
	for _, c := range ours[1:] {
		casts = append(casts, fmt.Sprintf("CAST(%s AS DOUBLE) AS %s", c, c))
	}
	stmt := "CREATE TEMP TABLE seg AS SELECT customer_id, " + strings.Join(casts, ", ") + " FROM " + src
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		return 0, fmt.Errorf("duckdb: check: read %s: %w", path, err)
	}
	var segRows int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM seg").Scan(&segRows); err != nil {
		return 0, fmt.Errorf("duckdb: check: %w", err)
	}
	if segRows != rows {
		return 0, fmt.Errorf("%w: %d customers in %s, %d in DuckDB's result", errDiffer, segRows, path, rows)
	}

	var checked int
	stmt = fmt.Sprintf(`SELECT count(*) FROM (SELECT customer_id FROM features ORDER BY customer_id LIMIT %d) f
		JOIN seg s USING (customer_id)`, n)
	if err := conn.QueryRowContext(ctx, stmt).Scan(&checked); err != nil {
		return 0, fmt.Errorf("duckdb: check: %w", err)
	}
	if want := min(int64(n), rows); int64(checked) != want {
		return 0, fmt.Errorf("%w: %d of DuckDB's first %d customers are in %s", errDiffer, checked, want, path)
	}
	var bad []string
	for _, c := range ours[1:] {
		stmt := fmt.Sprintf(`SELECT f.customer_id, f.%[1]s, s.%[1]s
			FROM (SELECT * FROM features ORDER BY customer_id LIMIT %[2]d) f JOIN seg s USING (customer_id)
			WHERE NOT (abs(f.%[1]s - s.%[1]s) <= %[3]g * greatest(1, abs(s.%[1]s)))
			ORDER BY f.customer_id LIMIT 1`, c, n, tolerance)
		var id string
		var duck, seg float64
		switch err := conn.QueryRowContext(ctx, stmt).Scan(&id, &duck, &seg); {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return 0, fmt.Errorf("duckdb: check %s: %w", c, err)
		default:
			bad = append(bad, fmt.Sprintf("%s: customer %s: DuckDB %v, segment %v", c, id, duck, seg))
		}
	}
	if len(bad) > 0 {
		return 0, fmt.Errorf("%w (first customers by id; first difference per column):\n  %s", errDiffer, strings.Join(bad, "\n  "))
	}
	return checked, nil
}

// columns returns the column names of a query's result.
func columns(ctx context.Context, conn *sql.Conn, query string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE "+query+")")
	if err != nil {
		return nil, fmt.Errorf("duckdb: check: columns of %s: %w", query, err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("duckdb: check: %w", err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("duckdb: check: columns of %s: %w", query, err)
	}
	return names, nil
}
