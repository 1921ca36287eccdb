package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// TestSeedGroupsFindPlantedMembers runs segment on a generated store with
// all its tables and checks each seed group against the members the
// generator planted (truth.parquet's persona and trait columns, and the
// customers table's flags): precision and recall ≥ 0.95. Groups without a
// planted persona (the top shares, big_order, bought_last_30d) have exact
// hand-built tests in package features.
func TestSeedGroupsFindPlantedMembers(t *testing.T) {
	dir := t.TempDir()
	store, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "8000", "-seed", "21", "-out", store)
	cfg := filepath.Join(dir, "segment.yaml")
	yaml := fmt.Sprintf("orders: {path: %s}\ncustomers: {path: %s}\nproducts: {path: %s}\nevents: {path: %s}\nclustering: {k: 7}\n",
		filepath.Join(store, "orders.parquet"), filepath.Join(store, "customers.parquet"),
		filepath.Join(store, "products.parquet"), filepath.Join(store, "events.parquet"))
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSegment(t, "run", "-quiet", "-config", cfg, "-out", out)

	ctx := context.Background()
	truth, err := data.ReadTable(ctx, filepath.Join(store, "truth.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	customers, err := data.ReadTable(ctx, filepath.Join(store, "customers.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := data.ReadTable(ctx, filepath.Join(out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	// The planted members of each group, by customer id.
	planted := map[string]map[string]bool{}
	add := func(group, id string) {
		if planted[group] == nil {
			planted[group] = map[string]bool{}
		}
		planted[group][id] = true
	}
	ids := truth.Column("customer_id").Strings
	for i, id := range ids {
		switch p := truth.Column("persona").Strings[i]; p {
		case "one_time":
			add("one_time_buyer", id)
		case "seasonal_first_timers":
			add("one_time_buyer", id)
			add("seasonal_first_timer", id)
			add("idle", id)
		case data.ProspectPersona:
			add("registered_lead", id)
		default:
			add("repeat_buyer", id)
			switch p {
			case "lapsed_big_spenders":
				add("lapsed", id)
			case "discount_hunters":
				add("discount_hunter", id)
			}
		}
		for _, trait := range data.TraitColumns() {
			if truth.Column(trait).Bools[i] {
				add(trait, id)
			}
		}
	}
	for i, id := range customers.Column("customer_id").Strings {
		if customers.Column("newsletter").Bools[i] {
			add("newsletter_subscriber", id)
		}
		if customers.Column("b2b").Bools[i] {
			add("b2b", id)
		}
		add("city_"+features.Slug(customers.Column("city").Strings[i]), id)
	}
	outIDs := got.Column("customer_id").Strings
	checked := 0
	for group, members := range planted {
		col := got.Column(group)
		if col == nil {
			if strings.HasPrefix(group, "city_") { // only the top cities get a group
				continue
			}
			t.Errorf("no column for group %s", group)
			continue
		}
		tp, fp := 0, 0
		for i, in := range col.Bools {
			switch {
			case in && members[outIDs[i]]:
				tp++
			case in:
				fp++
			}
		}
		precision, recall := float64(tp)/float64(tp+fp), float64(tp)/float64(len(members))
		if precision < 0.95 || recall < 0.95 {
			t.Errorf("%s: precision %.3f, recall %.3f (%d planted, %d found, %d wrong)", group, precision, recall, len(members), tp, fp)
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("only %d groups checked", checked)
	}
}
