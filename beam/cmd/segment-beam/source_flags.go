package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/segment-tool/segment/beam/featurejob"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// sourceFlags are the flags of how the order lines are read (the config
// file's orders section: the column mapping, the CSV dialect,
// duplicates) and of the feature options of the config's features
// section, as segment run -runner passes them.
type sourceFlags struct {
	columns            []string
	delimiter, decimal string
	encoding           string
	saleDays           *string // nil: not given (Black Friday and Cyber Monday)
	peakSeason         string
	productColumns     []string
	customerColumns    []string
	eventColumns       []string
}

// addSourceFlags adds the flags to fs, setting cfg's Duplicates and
// TrendDays directly.
func addSourceFlags(fs *flag.FlagSet, cfg *featurejob.Config) *sourceFlags {
	f := &sourceFlags{}
	fs.Func("column", "`logical=name`: the file's column of a logical order column (orders.columns), one flag a column: customer_id, order_id, time, amount, quantity, unit_price, discount (repeat it for several columns; discount= for none), coupon, category, product_id, status, city, country, channel, currency; name may be empty (not read)",
		func(v string) error { f.columns = append(f.columns, v); return nil })
	fs.StringVar(&f.delimiter, "delimiter", "", `CSV field delimiter: ",", ";", "|" or "tab" (orders.delimiter; default: detected)`)
	fs.StringVar(&f.decimal, "decimal", "", `CSV decimal mark: "." or "," (orders.decimal; default: detected)`)
	fs.StringVar(&f.encoding, "encoding", "", `CSV text encoding: "utf-8" or "windows-1252" (also "latin-1"; orders.encoding; default: detected)`)
	fs.StringVar(&cfg.Duplicates, "duplicates", "", "exact duplicate lines: keep (the default) or drop every copy after the first (orders.duplicates)")
	fs.BoolVar(&cfg.AmountBeforeDiscount, "amount-before-discount", false, "the amount column is a line's total before its discount: net = amount − discount (orders.amount_before_discount)")
	fs.Float64Var(&cfg.AmountScale, "amount-scale", 0, "factor of the amount, unit price and discounts as read, 0.01 for cents (orders.amount_scale; default 1)")
	fs.Func("sale-days", "comma-separated sale days YYYY-MM-DD (features.sale_days; default: Black Friday and Cyber Monday; empty: none)",
		func(v string) error { f.saleDays = &v; return nil })
	fs.IntVar(&cfg.TrendDays, "trend-days", 0, "days of the trend windows (features.trend_days; 0: 30)")
	fs.StringVar(&f.peakSeason, "peak-season", "", "the peak season, MM-DD,MM-DD (features.peak_season; default 11-15,12-31)")
	fs.StringVar(&cfg.Products, "products", "", "products table (Parquet or CSV) joined on product_id, as segment run -products; a path or a gs://, s3:// URL (a path must be seen by every worker)")
	fs.Func("product-column", "`logical=name`: the products table's column of a logical column (products.columns), one flag a column",
		func(v string) error { f.productColumns = append(f.productColumns, v); return nil })
	fs.StringVar(&cfg.Customers, "customers", "", "customers table (Parquet or CSV) joined on customer_id, as segment run -customers; a path or a gs://, s3:// URL (a path must be seen by every worker)")
	fs.Func("customer-column", "`logical=name`: the customers table's column of a logical column (customers.columns), one flag a column",
		func(v string) error { f.customerColumns = append(f.customerColumns, v); return nil })
	fs.StringVar(&cfg.Events, "events", "", "events table (Parquet or CSV: customer_id, time, type) folded per customer, as segment run -events; a path or a gs://, s3:// URL (a path must be seen by every worker)")
	fs.Func("event-column", "`logical=name`: the events table's column of a logical column (events.columns), one flag a column",
		func(v string) error { f.eventColumns = append(f.eventColumns, v); return nil })
	for _, t := range []struct {
		what  string
		times *featurejob.TableTimes
	}{{"customer", &cfg.CustomerTimes}, {"product", &cfg.ProductTimes}, {"event", &cfg.EventTimes}} {
		fs.StringVar(&t.times.Format, t.what+"-time-format", "", "the "+t.what+"s table's time_format: a Go layout, a strftime format or "+data.EpochFormats+" ("+t.what+"s.time_format; default: the ISO layouts segment run reads)")
		fs.StringVar(&t.times.Zone, t.what+"-timezone", "", "the "+t.what+"s table's timezone, for times without an offset ("+t.what+"s.timezone)")
	}
	return f
}

// apply sets cfg from the flags given.
func (f *sourceFlags) apply(cfg *featurejob.Config) error {
	if len(f.columns) > 0 {
		cfg.Columns = data.DefaultOrderColumns()
		discounts := 0
		for _, v := range f.columns {
			if err := pipeline.SetBeamColumn(&cfg.Columns, &cfg.AttributesMapped, &discounts, v); err != nil {
				return err
			}
		}
	}
	var err error
	if cfg.ProductColumns, err = tableColumns("product", f.productColumns, data.ProductColumns, cfg.Products); err != nil {
		return err
	}
	if cfg.CustomerColumns, err = tableColumns("customer", f.customerColumns, data.CustomerColumns, cfg.Customers); err != nil {
		return err
	}
	if cfg.EventColumns, err = tableColumns("event", f.eventColumns, data.EventColumns, cfg.Events); err != nil {
		return err
	}
	for _, t := range []struct {
		what, path string
		times      featurejob.TableTimes
	}{{"customer", cfg.Customers, cfg.CustomerTimes}, {"product", cfg.Products, cfg.ProductTimes}, {"event", cfg.Events, cfg.EventTimes}} {
		if t.times != (featurejob.TableTimes{}) && t.path == "" {
			return fmt.Errorf("-%s-time-format or -%s-timezone without -%ss", t.what, t.what, t.what)
		}
	}
	d, err := data.ParseCSVDialect(f.delimiter, f.decimal)
	if err != nil {
		return fmt.Errorf("-delimiter, -decimal: %w", err)
	}
	if d.Encoding, err = data.ParseEncoding(f.encoding); err != nil {
		return fmt.Errorf("-%w", err)
	}
	cfg.CSV = d
	if f.saleDays != nil {
		cfg.SaleDays = []string{}
		if *f.saleDays != "" {
			cfg.SaleDays = strings.Split(*f.saleDays, ",")
		}
	}
	if f.peakSeason != "" {
		start, end, ok := strings.Cut(f.peakSeason, ",")
		if !ok {
			return fmt.Errorf("-peak-season %q: want MM-DD,MM-DD", f.peakSeason)
		}
		cfg.PeakStart, cfg.PeakEnd = start, end
	}
	return nil
}

// tableColumns returns the mapping of a table's -what-column flags
// (logical=name, logical one of logical), nil for none; path is the
// table's flag (-whats), which they need.
func tableColumns(what string, flags, logical []string, path string) (map[string]string, error) {
	var m map[string]string
	for _, v := range flags {
		l, name, ok := strings.Cut(v, "=")
		if !ok || !slices.Contains(logical, l) {
			return nil, fmt.Errorf("-%s-column %q: want logical=name, logical one of %s", what, v, strings.Join(logical, ", "))
		}
		if m == nil {
			m = map[string]string{}
		}
		m[l] = name
	}
	if len(flags) > 0 && path == "" {
		return nil, fmt.Errorf("-%s-column without -%ss", what, what)
	}
	return m, nil
}

// checkPrevious checks that the previous run in dir ("" or "none": none)
// has the files the fit reads (pipeline.LoadPrevious), so that a wrong
// -previous fails before the jobs run.
func checkPrevious(dir string) error {
	if dir == "" || dir == "none" {
		return nil
	}
	for _, name := range []string{"model.json", "assignments.parquet"} {
		_, err := os.Stat(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("previous run %s: no %s: not a folder segment run wrote (-previous names the -out of an earlier run; -previous none runs without one)", dir, name)
		}
		if err != nil {
			return fmt.Errorf("previous run: %w", err)
		}
	}
	return nil
}
