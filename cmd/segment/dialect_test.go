package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/translit"
)

// europeanOrders writes a ";" order export with decimal commas and
// dd/mm/yyyy dates (some day above 12 when decided), 60 customers.
func europeanOrders(t *testing.T, dir string, decided bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("Kunde;Beleg;Datum;Betrag\n")
	for c := range 60 {
		for o := range 1 + c%4 {
			day := 1 + (c+o)%12
			if decided {
				day = 1 + (c*7+o)%28
			}
			fmt.Fprintf(&b, "k%d;b%d-%d;%02d/%02d/2024 10:%02d;%d,%02d\n", c, c, o, day, 1+o%12, c%60, 10+c*o, c%100)
		}
	}
	path := filepath.Join(dir, "bestellungen.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunEuropeanCSV: a ";" export with decimal commas runs end to end
// with only its columns mapped; with dates that read both ways, the run
// fails (exit 1) with both readings and what to set, until time_format
// says which.
func TestRunEuropeanCSV(t *testing.T) {
	for _, c := range []struct {
		name       string
		decided    bool
		timeFormat string
		err        string
	}{
		{"decided by the data", true, "", ""},
		{"ambiguous", false, "", "set orders.time_format"},
		{"ambiguous, strftime set", false, "%d/%m/%Y %H:%M", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			orders := europeanOrders(t, dir, c.decided)
			cfg := fmt.Sprintf("orders:\n  path: %s\n  columns: {customer_id: Kunde, order_id: Beleg, time: Datum, amount: Betrag}\n", orders)
			if c.timeFormat != "" {
				cfg += fmt.Sprintf("  time_format: %q\n", c.timeFormat)
			}
			cfgPath := filepath.Join(dir, "segment.yaml")
			if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			code, _, stderr := segment(t, "run", "-quiet", "-config", cfgPath, "-k", "2", "-as-of", "2025-01-01", "-out", out)
			if c.err != "" {
				if code != 1 || !strings.Contains(stderr, c.err) || !strings.Contains(stderr, "reads as") || !strings.Contains(stderr, orders) {
					t.Fatalf("exit %d, stderr %s; want exit 1 naming %s, both readings and %q", code, stderr, orders, c.err)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			recs := readCSVFile(t, filepath.Join(out, "assignments.csv"))
			if len(recs) != 61 {
				t.Errorf("%d assignments, want 60", len(recs)-1)
			}
			// k1 bought for 10,01 and 11,01: the decimal commas are read.
			id, mon := slices.Index(recs[0], "customer_id"), slices.Index(recs[0], "monetary")
			for _, row := range recs[1:] {
				if row[id] == "k1" && row[mon] != "21.02" {
					t.Errorf("k1 monetary %s, want 21.02", row[mon])
				}
			}
		})
	}
}

// TestExportsTransliterated: cities with accents, Polish letters and
// another script give transliterated (or token) group columns and tags,
// and an invalid email is listed, not exported.
func TestExportsTransliterated(t *testing.T) {
	dir := t.TempDir()
	orders := europeanOrders(t, dir, true)
	cities := []string{"Köln", "São Paulo", "Łódź", "東京"}
	var b strings.Builder
	b.WriteString("customer_id;email;newsletter;city\n")
	for c := range 60 {
		email := fmt.Sprintf("k%d@shop.example", c)
		if c == 7 {
			email = "K Seven <k7@shop.example>"
		}
		fmt.Fprintf(&b, "k%d;%s;true;%s\n", c, email, cities[c%len(cities)])
	}
	customers := filepath.Join(dir, "kunden.csv")
	if err := os.WriteFile(customers, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("orders:\n  path: %s\n  columns: {customer_id: Kunde, order_id: Beleg, time: Datum, amount: Betrag}\ncustomers:\n  path: %s\n", orders, customers)
	cfgPath := filepath.Join(dir, "segment.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	mustSegment(t, "run", "-quiet", "-config", cfgPath, "-k", "2", "-as-of", "2025-01-01", "-out", out)
	header := readCSVFile(t, filepath.Join(out, "assignments.csv"))[0]
	for _, col := range []string{"city_koln", "city_sao_paulo", "city_lodz", "city_" + translit.Token("東京")} {
		if !slices.Contains(header, col) {
			t.Errorf("assignments have no column %s: %q", col, header)
		}
	}
	mailchimp, err := os.ReadFile(filepath.Join(out, "exports", "mailchimp.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mailchimp), "group:city_koln") || strings.Contains(string(mailchimp), "k_ln") {
		t.Errorf("mailchimp tags:\n%s", mailchimp)
	}
	if strings.Contains(string(mailchimp), "k7@") {
		t.Error("the invalid email k7 is exported")
	}
	invalid := readCSVFile(t, filepath.Join(out, "exports", "invalid_emails.csv"))
	if len(invalid) != 2 || invalid[1][0] != "k7" || !strings.Contains(invalid[1][2], "not a bare address") {
		t.Errorf("invalid_emails.csv = %q", invalid)
	}
}

// TestInspectEuropeanCSV: inspect shows the ";" dialect and the day/month
// order, or a note with both readings; the starter config it writes runs
// as is when the dates decide.
func TestInspectEuropeanCSV(t *testing.T) {
	for _, decided := range []bool{true, false} {
		t.Run(fmt.Sprint("decided=", decided), func(t *testing.T) {
			dir := t.TempDir()
			orders := europeanOrders(t, dir, decided)
			b, err := os.ReadFile(orders) // names inspect maps
			if err != nil {
				t.Fatal(err)
			}
			b = []byte(strings.Replace(string(b), "Kunde;Beleg;Datum;Betrag", "customer_id;order_id;order_date;amount", 1))
			if err := os.WriteFile(orders, b, 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(dir, "starter.yaml")
			code, stdout, stderr := segment(t, "inspect", "-write", cfg, orders)
			if code != 0 {
				t.Fatalf("inspect: exit %d: %s", code, stderr)
			}
			want := []string{`csv dialect: delimiter ";", decimal ","`}
			if decided {
				want = append(want, "time (%d/%m/%Y %H:%M)")
			} else {
				want = append(want, "day/month order unknown", "reads as", "set orders.time_format")
			}
			for _, w := range want {
				if !strings.Contains(stdout, w) {
					t.Errorf("inspect output lacks %q:\n%s", w, stdout)
				}
			}
			code, _, stderr = segment(t, "run", "-quiet", "-config", cfg, "-k", "2", "-as-of", "2025-01-01", "-out", filepath.Join(dir, "out"))
			if decided && code != 0 {
				t.Errorf("the starter config does not run: exit %d\n%s", code, stderr)
			}
			if !decided && (code != 1 || !strings.Contains(stderr, "set orders.time_format")) {
				t.Errorf("ambiguous dates: exit %d\n%s", code, stderr)
			}
		})
	}
}
