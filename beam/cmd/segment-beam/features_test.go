package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// userRow is a row of a feature table of the user's own columns, without
// recency, frequency or monetary: numeric columns (integers and floats)
// and a text column (plan), which is not a feature.
type userRow struct {
	Plan   string  `parquet:"plan"`
	ID     string  `parquet:"customer_id"`
	Visits int64   `parquet:"visits"`
	Basket float64 `parquet:"basket"`
	Tenure int64   `parquet:"tenure_months"`
	Score  float64 `parquet:"score"`
}

// TestFeaturesOnPrism runs feature tables (-features) through segment run
// -runner prism's driver and checks every output against a local run of
// the same options (compareRuns): a CSV table of the features a local run
// aggregates from a generated store's order lines (the order columns:
// RFM scores and seed groups as a local run computes them, clustering.use
// the table's columns), and a Parquet table in row groups of 70 rows of
// the user's own columns in no id order (no RFM, the groups on order
// columns left out; the text column ignored), with -scale none -k 3 and
// with the default scale and elbow sweep, and with a customers table
// (prospects, cities, emails: its rows joined as for order lines). A table with a customer on two
// rows, one with an empty id (its row numbered in the file, past the
// first row group) and one without a numeric column fail with the local
// run's error, and leave no outputs.
func TestFeaturesOnPrism(t *testing.T) {
	t.Run("order columns, CSV", func(t *testing.T) {
		o := pipeline.DefaultOptions()
		o.Features, o.Restarts, o.Workers = orderFeatures(t, 300), 3, 2
		run := onPrism(t, o, nil)
		if run.local.Customers != 300 {
			t.Fatalf("%d customers, want 300", run.local.Customers)
		}
	})
	user := userTable(t, 320, nil)
	for _, tc := range []struct {
		name  string
		scale string
		k     int
	}{{"user columns, scale none, k 3", "none", 3}, {"user columns, default scale and elbow", "auto", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			o := pipeline.DefaultOptions()
			o.Features, o.Scale, o.K, o.Restarts, o.Workers = user, tc.scale, tc.k, 3, 2
			run := onPrism(t, o, nil)
			if tc.k > 0 && len(run.local.Clusters) != tc.k {
				t.Fatalf("%d clusters, want %d", len(run.local.Clusters), tc.k)
			}
		})
	}
	t.Run("user columns, customers table", func(t *testing.T) {
		// Some customers of the table have no features (prospects), some
		// features have no row of the table; cities for the city_ groups.
		var b strings.Builder
		b.WriteString("customer_id,email,city,newsletter\n")
		for i := 100; i < 360; i++ {
			fmt.Fprintf(&b, "u%04d,u%d@example.com,%s,%v\n", i, i, []string{"Berlin", "Paris", "Oslo", ""}[i%4], i%2 == 0)
		}
		path := filepath.Join(t.TempDir(), "customers.csv")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		o := pipeline.DefaultOptions()
		o.Features, o.CustomersPath, o.K, o.Restarts, o.Workers = user, path, 3, 3, 2
		run := onPrism(t, o, nil)
		if p := run.local.Clustering.NotClustered[features.NotClusteredProspect]; p != 40 {
			t.Fatalf("%d prospects, want 40", p)
		}
	})
	dup := userTable(t, 60, func(rows []userRow) []userRow { return append(rows, rows[17]) })
	// An empty id in the third row group: the row is numbered in the file.
	blank := userTable(t, 200, func(rows []userRow) []userRow { rows[150].ID = ""; return rows })
	noNumbers := filepath.Join(t.TempDir(), "plans.csv")
	if err := os.WriteFile(noNumbers, []byte("customer_id,plan\na,gold\nb,basic\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path, want string }{
		{"a customer on two rows", dup, `appears twice`},
		{"an empty id", blank, "row 151 has an empty customer id"},
		{"no numeric column", noNumbers, `no numeric feature columns besides "customer_id"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := pipeline.DefaultOptions()
			o.Features, o.Restarts, o.Workers = tc.path, 3, 2
			o.Out = filepath.Join(t.TempDir(), "local")
			_, err := pipeline.Run(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("local run: %v, want %s", err, tc.want)
			}
			local := err.Error()
			t.Setenv(asMain, "1")
			var stderr bytes.Buffer
			o.Out = filepath.Join(t.TempDir(), "beam")
			err = pipeline.RunBeam(context.Background(), o, pipeline.BeamRun{Runner: "prism", Binary: os.Args[0], Stdout: &stderr, Stderr: &stderr})
			if err == nil || !strings.Contains(stderr.String(), local) {
				t.Fatalf("beam run: %v, want the local run's error %q:\n%s", err, local, stderr.Bytes())
			}
			if _, err := os.Stat(filepath.Join(o.Out, "model.json")); err == nil {
				t.Errorf("the failed run left outputs in %s", o.Out)
			}
		})
	}
}

// orderFeatures writes the feature table a local run aggregates from the
// order lines of a generated store of n customers as a CSV file (values
// printed exactly) and returns its path.
func orderFeatures(t *testing.T, n int) string {
	t.Helper()
	o := pipeline.DefaultOptions()
	o.Orders, o.Location = filepath.Join(generatedStore(t, n, 5), "orders.parquet"), time.UTC
	in, err := pipeline.AggregateOrders(context.Background(), &o, func(data.Reject) {})
	if err != nil {
		t.Fatal(err)
	}
	tab := in.Table
	var b strings.Builder
	b.WriteString("customer_id," + strings.Join(tab.Names, ",") + "\n")
	for i, id := range tab.IDs {
		b.WriteString(id)
		for _, col := range tab.Cols {
			b.WriteString("," + strconv.FormatFloat(col[i], 'g', -1, 64))
		}
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "features.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// userTable writes a feature table of n customers of the user's own
// columns (userRow) in three groups, in no id order, into a Parquet file
// of row groups of 70 rows, and returns its path; edit, when not nil,
// changes the rows (shuffled) before they are written.
func userTable(t *testing.T, n int, edit func([]userRow) []userRow) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	rows := make([]userRow, n)
	for i := range rows {
		g := float64(i % 3)
		rows[i] = userRow{ID: fmt.Sprintf("u%04d", i), Plan: []string{"basic", "plus", "gold"}[i%3],
			Visits: int64(2 + 10*g + float64(rng.IntN(5))), Basket: 20 + 60*g + 10*rng.Float64(),
			Tenure: int64(1 + rng.IntN(48)), Score: rng.NormFloat64() + 2*g}
	}
	rng.Shuffle(n, func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	if edit != nil {
		rows = edit(rows)
	}
	path := filepath.Join(t.TempDir(), "users.parquet")
	writeRowGroups(t, path, rows, 70)
	return path
}
