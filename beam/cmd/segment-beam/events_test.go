package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// eventsConfig joins an events table (PATH) and groups customers on its
// columns: job 2 evaluates them on each customer's events features.
const eventsConfig = `events:
  path: PATH
groups:
  - {name: recent_browser, when: 'sessions_30d >= 1 && frequency == 0'}
  - {name: cart_heavy, when: 'cart_adds >= 2 && views_without_purchase >= 1'}
`

// eventRow is a row of the events table as shuffledEvents writes it.
type eventRow struct {
	CustomerID string    `parquet:"customer_id"`
	Time       time.Time `parquet:"time"`
	Type       string    `parquet:"type"`
}

// TestEventsOnPrism runs a store with its events table through segment
// run -runner prism's driver and checks every output against a local run
// of the same options (compareRuns): the events features in the
// assignments bit for bit, the customers with events and no orders
// (prospects), the groups on the events columns (cart_abandoner,
// browser_never_bought, custom groups), run.json's events block and
// inputs, and rejects.csv. The events are not in time order (shuffled),
// so the local run reads the file twice and Beam folds them in any order;
// some are after as_of, some of an unknown type, some of customers with
// no orders. The tables: the generated one in row groups of 400 rows
// (several pieces), through a config file with custom groups; and a CSV
// export of it under other column names with rejected rows (a bad time,
// an empty customer id, an empty time), through -events with a mapping;
// and the table in row groups of 1,000 rows beside the store's customers
// and products tables (run.json's inputs in the local run's order).
func TestEventsOnPrism(t *testing.T) {
	dir := generatedStore(t, 400, 5)
	orders := filepath.Join(dir, "orders.parquet")
	rows := shuffledEvents(t, filepath.Join(dir, "events.parquet"))
	t.Run("generated table in row groups, config", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "segment.yaml")
		events := filepath.Join(t.TempDir(), "events.parquet")
		writeRowGroups(t, events, rows, 400)
		yaml := strings.Replace(eventsConfig, "PATH", events, 1)
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		o := optionsOf(t, path)
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		checkEventsRun(t, onPrism(t, o, nil), false, "recent_browser", "cart_heavy")
	})
	t.Run("CSV export, other names, rejects", func(t *testing.T) {
		o := pipeline.DefaultOptions()
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		o.Events = &config.Table{Path: eventsExport(t, rows), Columns: map[string]string{"customer_id": "Kunde", "time": "Zeit", "type": "Art"}}
		checkEventsRun(t, onPrism(t, o, nil), true)
	})
	t.Run("ids written with leading zeros", func(t *testing.T) {
		padded := slices.Clone(rows)
		ids := map[string]bool{}
		for i := range padded {
			padded[i].CustomerID = "0" + padded[i].CustomerID
			ids[padded[i].CustomerID] = true
		}
		o := pipeline.DefaultOptions()
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		o.Events = &config.Table{Path: filepath.Join(t.TempDir(), "events.parquet")}
		writeRowGroups(t, o.Events.Path, padded, 1000)
		checkMismatchReport(t, onPrism(t, o, nil), len(ids), "events")
	})
	t.Run("with the customers and products tables", func(t *testing.T) {
		o := pipeline.DefaultOptions()
		o.Orders, o.Restarts, o.Workers = orders, 3, 2
		o.CustomersPath, o.Products = filepath.Join(dir, "customers.parquet"), &config.Table{Path: filepath.Join(dir, "products.parquet")}
		o.Events = &config.Table{Path: filepath.Join(t.TempDir(), "events.parquet")}
		writeRowGroups(t, o.Events.Path, rows, 1000)
		run := onPrism(t, o, nil)
		checkEventsRun(t, run, false)
		if m := readManifest(t, run.out); len(m.Inputs) != 4 || m.Inputs[3].Path != o.Events.Path {
			t.Errorf("inputs %+v: want the events table after the orders, products and customers tables", m.Inputs)
		}
	})
}

// checkEventsRun checks that the run joined an events table: run.json
// counts used events, events after as_of, of an unknown type and (with
// rejected) rejected rows, which are in rejects.csv; customers with events
// and no orders are prospects; the groups on the events columns have
// members.
func checkEventsRun(t *testing.T, run prismRun, rejected bool, groups ...string) {
	t.Helper()
	m := readManifest(t, run.out)
	e := m.Events
	if e == nil || e.Used == 0 || e.AfterAsOf == 0 || e.UnknownType == 0 || (e.Rejected > 0) != rejected ||
		e.Read != e.Used+e.Rejected+e.AfterAsOf+e.UnknownType || len(m.Inputs) < 2 {
		t.Errorf("run.json: events %+v, inputs %+v: want used, after_as_of, unknown_type, rejected %v, and the events table in the inputs", e, m.Inputs, rejected)
	}
	rejects, err := os.ReadFile(filepath.Join(run.out, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, reason := range []string{"events: unparseable time", "events: missing customer_id", "events: missing time"} {
		if strings.Contains(string(rejects), reason) != rejected {
			t.Errorf("rejects.csv has %q: %v, want %v", reason, !rejected, rejected)
		}
	}
	tab, err := data.ReadTable(context.Background(), filepath.Join(run.out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	prospects := prospectsOf(tab)
	if prospects < 20 || tab.Column("abandoned_carts") == nil {
		t.Errorf("%d prospects, abandoned_carts column %v: want the 20 customers with events only and the events columns", prospects, tab.Column("abandoned_carts") != nil)
	}
	checkMembers(t, tab, append([]string{"cart_abandoner", "browser_never_bought"}, groups...))
}

// shuffledEvents returns the generated events table's rows, with events
// after as_of (a year after the newest event), of an unknown type and of
// 20 customers without orders (views and cart adds of the last days), in
// a seeded random order.
func shuffledEvents(t *testing.T, events string) []eventRow {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), events)
	if err != nil {
		t.Fatal(err)
	}
	ids, times, types := tab.Column("customer_id"), tab.Column("time"), tab.Column("type")
	if ids == nil || times == nil || types == nil {
		t.Fatalf("%s: no customer_id, time or type column", events)
	}
	rows := make([]eventRow, len(ids.Strings))
	var newest time.Time
	for i := range rows {
		rows[i] = eventRow{ids.Strings[i], times.Times[i].UTC(), types.Strings[i]}
		if rows[i].Time.After(newest) {
			newest = rows[i].Time
		}
	}
	for i := range 20 {
		id := fmt.Sprintf("E%04d", i)
		for j := range 3 + i%4 {
			typ := []string{"view", "page_view", "add_to_cart"}[j%3]
			rows = append(rows, eventRow{id, newest.Add(-time.Duration(24*(j+i%5)) * time.Hour), typ})
		}
	}
	for i := range 30 {
		rows = append(rows, eventRow{rows[i*7].CustomerID, newest.AddDate(1, 0, i), "view"}, eventRow{rows[i*5].CustomerID, rows[i*5].Time, "wishlist"})
	}
	r := rand.New(rand.NewPCG(5, 18))
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return rows
}

// eventsExport writes rows as a ';' CSV export under other column names
// (Kunde, Zeit, Art), with a row of every 97 of a bad time, one of every
// 89 without a customer id and one of every 83 without a time (rejected),
// and returns it.
func eventsExport(t *testing.T, rows []eventRow) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("Kunde;Zeit;Art\n")
	for i, r := range rows {
		id, tm := r.CustomerID, r.Time.Format(time.RFC3339)
		switch {
		case i%97 == 3:
			tm = "yesterday"
		case i%89 == 5:
			id = ""
		case i%83 == 7:
			tm = ""
		}
		fmt.Fprintf(&b, "%s;%s;%s\n", id, tm, r.Type)
	}
	path := filepath.Join(t.TempDir(), "events.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
