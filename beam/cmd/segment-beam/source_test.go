package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/segment-tool/segment/beam/featurejob"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// exportConfig reads a warehouse export (writeExport): every order column
// under another name, the discount in two columns, city mapped
// explicitly, a ';' delimiter, a decimal comma, a strftime time format;
// sale days (SALE, dates of the store), the peak season and trend_days
// other than the defaults.
const exportConfig = `orders:
  columns: {customer_id: Kunde, order_id: Beleg, time: Zeitpunkt, amount: Betrag, quantity: Menge,
            discount: [Rabatt1, Rabatt2], coupon: Gutschein, category: Warengruppe, product_id: Artikel,
            status: Status, city: Ort, country: Land, channel: Kanal}
  delimiter: ";"
  decimal: ","
  time_format: "%d.%m.%Y %H:%M:%S"
  duplicates: DUPLICATES
features: {sale_days: [SALE], trend_days: 45, peak_season: ["06-01", "08-31"]}
`

// writeExport writes the lines of the order file orders as a warehouse
// export read with exportConfig, in two CSV files (two parts), and
// returns the folder and the sale days (the days of three of its lines).
// With dups, a line of every 50 is written twice more: once right after
// it, once in the other file.
func writeExport(t *testing.T, orders string, dups bool) (string, []string) {
	t.Helper()
	var lines []data.OrderLine
	_, err := data.ReadOrders(context.Background(), data.OrderSource{Path: orders}, func(b []data.OrderLine) error {
		lines = append(lines, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	num := func(v float64) string { return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1) }
	row := func(l data.OrderLine) string {
		return strings.Join([]string{l.CustomerID, l.OrderID, l.Time.UTC().Format("02.01.2006 15:04:05"), num(l.Amount), num(l.Quantity),
			num(l.Discount / 4), num(l.Discount - l.Discount/4), l.Coupon, l.Category, l.ProductID, l.Status, l.City, l.Country, l.Channel}, ";") + "\n"
	}
	header := "Kunde;Beleg;Zeitpunkt;Betrag;Menge;Rabatt1;Rabatt2;Gutschein;Warengruppe;Artikel;Status;Ort;Land;Kanal\n"
	files := [2]strings.Builder{}
	for k := range files {
		files[k].WriteString(header)
	}
	half := len(lines) / 2
	for i, l := range lines {
		k := min(i/half, 1)
		files[k].WriteString(row(l))
		if dups && i%50 == 7 {
			files[k].WriteString(row(l))
			files[1-k].WriteString(row(l))
		}
	}
	dir := filepath.Join(t.TempDir(), "export")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for k := range files {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("export-%d.csv", k)), []byte(files[k].String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var sale []string
	for _, i := range []int{len(lines) / 3, len(lines) / 2, 2 * len(lines) / 3} {
		sale = append(sale, lines[i].Time.UTC().Format("2006-01-02"))
	}
	return dir, sale
}

// exportOptions writes exportConfig for the export in dir with the given
// sale days and duplicates and returns a run's options with it, as
// segment run -config sets them.
func exportOptions(t *testing.T, dir string, sale []string, duplicates string) pipeline.Options {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.yaml")
	yaml := strings.NewReplacer("SALE", strings.Join(sale, ", "), "DUPLICATES", duplicates).Replace(exportConfig)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	o := pipeline.DefaultOptions()
	o.ConfigPath = path
	if err := o.ApplyConfig(c); err != nil {
		t.Fatal(err)
	}
	o.Orders, o.Restarts, o.Workers = dir, 3, 2
	return o
}

// TestExportOnPrism runs a warehouse export (exportConfig: other column
// names, two discount columns, a ';' delimiter and decimal comma, a time
// format, sale days, trend days and a peak season) through segment run
// -runner prism's driver and checks every output against a local run of
// the same options (compareRuns); then with a line of every 50 repeated,
// within a file and across the two, with orders.duplicates keep (the
// copies are purchases) and drop (the local run rejects every copy after
// the first, "duplicate line": rejects.csv and run.json's rows must be
// its own).
func TestExportOnPrism(t *testing.T) {
	generated := filepath.Join(generatedStore(t, 600, 5), "orders.parquet")
	tests := []struct {
		name        string
		dups        bool
		duplicates  string
		wantRejects int64
	}{
		{"export", false, "keep", 0},
		{"duplicates kept", true, "keep", 0},
		{"duplicates dropped", true, "drop", -1}, // -1: some
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			export, sale := writeExport(t, generated, tc.dups)
			m := readManifest(t, onPrism(t, exportOptions(t, export, sale, tc.duplicates), nil).out)
			if got := m.Rows.Rejected; tc.wantRejects >= 0 && got != tc.wantRejects || tc.wantRejects < 0 && got == 0 {
				t.Errorf("%d rows rejected, want %d (-1: some)", got, tc.wantRejects)
			}
		})
	}
}

// TestSourceFlags checks that the source flags set the job's
// configuration, and that bad ones are errors.
func TestSourceFlags(t *testing.T) {
	parse := func(args ...string) (featurejob.Config, error) {
		var cfg featurejob.Config
		fs := flag.NewFlagSet("segment-beam", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		src := addSourceFlags(fs, &cfg)
		if err := fs.Parse(args); err != nil {
			return cfg, err
		}
		return cfg, src.apply(&cfg)
	}
	cfg, err := parse("-column", "customer_id=Kunde", "-column", "discount=a", "-column", "discount=b", "-column", "city=Ort",
		"-delimiter", "tab", "-decimal", ",", "-encoding", "Latin-1", "-sale-days=", "-peak-season", "06-01,08-31", "-duplicates", "drop", "-trend-days", "9",
		"-products", "p.parquet", "-product-column", "price_tier=Stufe", "-customers", "c.csv", "-customer-column", "email=Mail",
		"-events", "e.csv", "-event-column", "type=Art", "-event-column", "time=Zeit", "-event-time-format", "unix", "-event-timezone", "Europe/Paris",
		"-customer-time-format", "%d/%m/%Y")
	if err != nil {
		t.Fatal(err)
	}
	want := data.DefaultOrderColumns()
	want.CustomerID, want.Discount, want.City = "Kunde", []string{"a", "b"}, "Ort"
	if !reflect.DeepEqual(cfg.Columns, want) || cfg.AttributesMapped != [3]bool{true, false, false} || cfg.CSV != (data.CSVDialect{Delimiter: '\t', Decimal: ',', Encoding: data.EncodingWindows1252}) ||
		cfg.SaleDays == nil || len(cfg.SaleDays) != 0 || cfg.PeakStart != "06-01" || cfg.PeakEnd != "08-31" || cfg.Duplicates != "drop" || cfg.TrendDays != 9 ||
		cfg.Products != "p.parquet" || !reflect.DeepEqual(cfg.ProductColumns, map[string]string{"price_tier": "Stufe"}) ||
		cfg.Customers != "c.csv" || !reflect.DeepEqual(cfg.CustomerColumns, map[string]string{"email": "Mail"}) ||
		cfg.Events != "e.csv" || !reflect.DeepEqual(cfg.EventColumns, map[string]string{"type": "Art", "time": "Zeit"}) ||
		cfg.EventTimes != (featurejob.TableTimes{Format: "unix", Zone: "Europe/Paris"}) || cfg.CustomerTimes != (featurejob.TableTimes{Format: "%d/%m/%Y"}) || cfg.ProductTimes != (featurejob.TableTimes{}) {
		t.Errorf("config %+v", cfg)
	}
	if cfg, err := parse(); err != nil || !reflect.DeepEqual(cfg.Columns, data.OrderColumns{}) || cfg.SaleDays != nil {
		t.Errorf("no flags: %+v, %v: want the zero mapping and no sale days", cfg, err)
	}
	for _, bad := range [][]string{{"-column", "kunde=Kunde"}, {"-column", "Kunde"}, {"-delimiter", "x"}, {"-decimal", ";"}, {"-encoding", "utf-16"}, {"-peak-season", "06-01"},
		{"-products", "p.parquet", "-product-column", "tier=Stufe"}, {"-product-column", "price_tier=Stufe"},
		{"-customers", "c.csv", "-customer-column", "phone=Tel"}, {"-customer-column", "email=Mail"},
		{"-events", "e.csv", "-event-column", "kind=Art"}, {"-event-column", "type=Art"},
		{"-event-time-format", "unix"}, {"-product-timezone", "UTC"}} {
		if _, err := parse(bad...); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
