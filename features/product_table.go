package features

import (
	"context"
	"fmt"
	"strings"

	"github.com/segment-tool/segment/data"
)

// ProductTable is the optional products table, held in memory as the
// attributes of each product.
type ProductTable struct {
	Path       string             // the file read
	Categories map[string]string  // product_id → category; nil without a category column
	Attrs      map[string]Product // price tier and launch; nil without either column
	Rows       int                // rows read, one per product
}

// ReadProductTable reads the products table at path. columns maps logical
// names (data.ProductColumns) to file columns; an unmapped logical column
// is looked for under its own name. product_id and at least one other
// column are required. times says how launch_time is read
// (products.time_format and timezone; the zero TimeFormat: the default
// layouts, a time without an offset a UTC time).
// A table without rows is an error. Errors name the file, and the column
// and row where there is one. The
// file is read a piece at a time (data.ScanTable): memory grows with the
// products, not with the file's other columns.
func ReadProductTable(ctx context.Context, path string, columns map[string]string, times data.TimeFormat) (*ProductTable, error) {
	p := &ProductTable{Path: path}
	seen := map[string]int64{}
	err := data.ScanTable(ctx, path, func(t *data.Table, first int64) error {
		return p.add(t, first, columns, times, seen)
	})
	if err != nil {
		return nil, err
	}
	if p.Rows == 0 {
		// A header alone is an export gone wrong: every product would go
		// without its category, tier and launch, as if the table said so.
		return nil, NoRowsError("products", path)
	}
	return p, nil
}

// add reads the rows of t, a piece of the products table whose first row
// is the file's row first (from 0); seen holds the row of every product id
// read so far.
func (p *ProductTable) add(t *data.Table, first int64, columns map[string]string, times data.TimeFormat, seen map[string]int64) error {
	path := p.Path
	cols := map[string]*data.Column{}
	for _, logical := range data.ProductColumns {
		name, mapped := columns[logical]
		if name == "" {
			name = logical
		}
		col := t.Column(name)
		if col == nil && (logical == "product_id" || mapped && columns[logical] != "") {
			return data.MissingColumnError("products", path, name, logical, t)
		}
		if col != nil {
			cols[logical] = col
		}
	}
	if len(cols) == 1 {
		return fmt.Errorf("products %s: no category, price_tier or launch_time column", path)
	}
	ids, err := data.IDStrings(path, *cols["product_id"], first)
	if err != nil {
		return err
	}
	p.Rows += len(ids)
	if cat := cols["category"]; cat != nil {
		if cat.Kind != data.KindString {
			return fmt.Errorf("products %s: column %q: categories must be strings, not %s", path, cat.Name, cat.Kind)
		}
		if p.Categories == nil {
			p.Categories = map[string]string{}
		}
	}
	tier, launch := cols["price_tier"], cols["launch_time"]
	if (tier != nil || launch != nil) && p.Attrs == nil {
		p.Attrs = map[string]Product{}
	}
	mapped := make([]*data.Column, 0, len(cols))
	for _, c := range cols {
		mapped = append(mapped, c)
	}
	for i, id := range ids {
		row := first + int64(i)
		if isHeaderRow(mapped, i) {
			// Files concatenated with their headers: the row would be a
			// product named "product_id" in the category "category".
			return fmt.Errorf("products %s: row %d repeats the header (files concatenated with their headers?): remove it", path, row+1)
		}
		if j, dup := seen[id]; dup {
			return fmt.Errorf("products %s: product_id %s on rows %d and %d", path, data.QuoteCell(id), j+1, row+1)
		}
		seen[id] = row
		if p.Categories != nil {
			// Bytes that are not UTF-8 become U+FFFD, as in the order
			// lines' categories: a category names a column of the outputs.
			p.Categories[id] = strings.ToValidUTF8(cols["category"].Text(i), "\uFFFD")
		}
		if p.Attrs == nil {
			continue
		}
		var a Product
		if tier != nil {
			// "Premium", "PREMIUM" and a CHAR column's "premium  " are the
			// premium tier (PremiumTier), as statuses and event types are
			// read case aside and trimmed.
			a.Tier = strings.ToLower(strings.TrimSpace(tier.Text(i)))
		}
		if launch != nil {
			t, null, ok := launch.TimeAs(i, times)
			if !ok || !null && (t.Before(data.MinTime) || t.After(data.MaxTime)) {
				return fmt.Errorf("products %s: column %q (launch_time), row %d: cannot read %s as a date or time in the years 1678–2261 (products.time_format sets its layout)", path, launch.Name, row+1, data.QuoteCell(launch.Text(i)))
			}
			if !null {
				a.Launch = t
			}
		}
		p.Attrs[id] = a
	}
	return nil
}

// Join fills the category of lines that have none from the table and
// returns how many lines had a product id the table lacks (their category
// stays empty and counts as "other"; they count as neither premium nor
// new).
func (p *ProductTable) Join(batch []data.OrderLine) int64 {
	var unmatched int64
	for i := range batch {
		l := &batch[i]
		c, ok := p.Categories[l.ProductID]
		if p.Categories == nil {
			_, ok = p.Attrs[l.ProductID]
		}
		if !ok {
			unmatched++
			continue
		}
		if l.Category == "" && p.Categories != nil {
			l.Category = c
		}
	}
	return unmatched
}
