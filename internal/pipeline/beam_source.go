package pipeline

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
)

// How the order lines are read and the feature options travel to
// segment-beam: as flags, so that they reach it whether they came from a
// config file or were set by a library caller. The column mapping is one
// -column logical=name a column (SetBeamColumn reads them back), the CSV
// dialect -delimiter and -decimal, duplicates -duplicates, the feature
// options -sale-days, -trend-days and -peak-season, the products table
// -products and one -product-column logical=name a mapped column, the
// customers table -customers and one -customer-column logical=name a
// mapped column, the events table -events and one -event-column
// logical=name a mapped column.

// beamColumnNames are the logical order columns of -column, in the order
// of data.OrderColumns' fields.
var beamColumnNames = []string{"customer_id", "order_id", "time", "amount", "quantity", "unit_price", "discount",
	"coupon", "category", "product_id", "status", "city", "country", "channel", "currency", "refunded"}

// beamColumn returns the field of c that the logical column name maps
// (discount aside), or nil.
func beamColumn(c *data.OrderColumns, name string) *string {
	switch name {
	case "customer_id":
		return &c.CustomerID
	case "order_id":
		return &c.OrderID
	case "time":
		return &c.Time
	case "amount":
		return &c.Amount
	case "quantity":
		return &c.Quantity
	case "unit_price":
		return &c.UnitPrice
	case "coupon":
		return &c.Coupon
	case "category":
		return &c.Category
	case "product_id":
		return &c.ProductID
	case "status":
		return &c.Status
	case "city":
		return &c.City
	case "country":
		return &c.Country
	case "channel":
		return &c.Channel
	case "currency":
		return &c.Currency
	case "refunded":
		return &c.Refunded
	}
	return nil
}

// beamAttributes are the order columns whose explicit mapping
// (Options.AttributesMapped) makes a column of the assignments.
var beamAttributes = [3]string{"city", "country", "channel"}

// beamColumnArgs returns segment-beam's -column flags for the mapping c
// and the attributes mapped explicitly: none for the default mapping
// (or the zero value, which data reads as it), else every logical column
// that differs from its default, one -column discount=NAME a discount
// column (discount= for none), and the attributes mapped explicitly.
func beamColumnArgs(c data.OrderColumns, mapped [3]bool) []string {
	def := data.DefaultOrderColumns()
	var args []string
	add := func(name, v string) { args = append(args, "-column", name+"="+v) }
	zero := reflect.DeepEqual(c, data.OrderColumns{})
	for _, name := range beamColumnNames {
		if name == "discount" {
			if !zero && !reflect.DeepEqual(c.Discount, def.Discount) {
				if len(c.Discount) == 0 {
					add(name, "")
				}
				for _, d := range c.Discount {
					add(name, d)
				}
			}
			continue
		}
		v, dv := *beamColumn(&c, name), *beamColumn(&def, name)
		if zero {
			v = dv
		}
		explicit := false
		for k, a := range beamAttributes {
			explicit = explicit || (a == name && mapped[k])
		}
		if v != dv || explicit {
			add(name, v)
		}
	}
	return args
}

// SetBeamColumn applies one of segment-beam's -column flags, logical=name,
// to c (which starts as data.DefaultOrderColumns): name, which may be
// empty (not read), is the file's column of the logical column. The first
// discount= replaces the default discount column, the next ones add
// columns (discount= alone: none). city, country and channel set mapped
// (Options.AttributesMapped). seenDiscount counts the discount flags so
// far (0 before the first).
func SetBeamColumn(c *data.OrderColumns, mapped *[3]bool, seenDiscount *int, v string) error {
	logical, name, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("-column %q: want logical=name, logical one of %s", v, strings.Join(beamColumnNames, ", "))
	}
	if logical == "discount" {
		if *seenDiscount == 0 {
			c.Discount = []string{}
		}
		*seenDiscount++
		if name != "" {
			c.Discount = append(c.Discount, name)
		}
		return nil
	}
	f := beamColumn(c, logical)
	if f == nil {
		return fmt.Errorf("-column %q: unknown logical column %q: want one of %s", v, logical, strings.Join(beamColumnNames, ", "))
	}
	*f = name
	for k, a := range beamAttributes {
		if a == logical {
			mapped[k] = true
		}
	}
	return nil
}

// beamSourceArgs returns segment-beam's flags for how o's order lines are
// read (the column mapping, the CSV dialect, duplicates), for the feature
// options of features.sale_days, trend_days and peak_season, for the
// products table joined to the lines and for the customers and events
// tables.
func beamSourceArgs(o *Options) []string {
	args := beamColumnArgs(o.OrderColumns, o.AttributesMapped)
	if d := o.CSV.Delimiter; d != 0 {
		s := string(d)
		if d == '\t' {
			s = "tab"
		}
		args = append(args, "-delimiter", s)
	}
	if d := o.CSV.Decimal; d != 0 {
		args = append(args, "-decimal", string(d))
	}
	if e := o.CSV.Encoding; e != "" {
		args = append(args, "-encoding", e)
	}
	if o.Duplicates != "" {
		args = append(args, "-duplicates", o.Duplicates)
	}
	if o.AmountBeforeDiscount {
		args = append(args, "-amount-before-discount")
	}
	if o.AmountScale != 0 && o.AmountScale != 1 {
		args = append(args, "-amount-scale", strconv.FormatFloat(o.AmountScale, 'g', -1, 64))
	}
	if o.SaleDays != nil {
		args = append(args, "-sale-days="+strings.Join(o.SaleDays, ","))
	}
	if o.TrendDays != 0 {
		args = append(args, "-trend-days", strconv.Itoa(o.TrendDays))
	}
	if p := o.PeakSeason; p != DefaultOptions().PeakSeason {
		args = append(args, "-peak-season", p[0]+","+p[1])
	}
	for _, t := range []struct {
		what  string
		table *config.Table
	}{{"product", o.Products}, {"customer", o.CustomersTable()}, {"event", o.Events}} {
		if t.table == nil {
			continue
		}
		args = append(args, "-"+t.what+"s", t.table.Path)
		for _, k := range slices.Sorted(maps.Keys(t.table.Columns)) {
			args = append(args, "-"+t.what+"-column", k+"="+t.table.Columns[k])
		}
		if t.table.TimeFormat != "" {
			args = append(args, "-"+t.what+"-time-format", t.table.TimeFormat)
		}
		if t.table.Timezone != "" {
			args = append(args, "-"+t.what+"-timezone", t.table.Timezone)
		}
	}
	return args
}
