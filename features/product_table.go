package features

import (
	"context"
	"fmt"
	"time"

	"github.com/segment-tool/segment/data"
)

// ProductTable is the optional products table, held in memory (one row per
// product).
type ProductTable struct {
	Path       string             // the file read
	Categories map[string]string  // product_id → category; nil without a category column
	Attrs      map[string]Product // price tier and launch; nil without either column
	Rows       int                // rows read, one per product
}

// ReadProductTable reads the products table at path. columns maps logical
// names (data.ProductColumns) to file columns; an unmapped logical column
// is looked for under its own name. product_id and at least one other
// column are required. A launch_time without an offset is a UTC time.
// Errors name the file, and the column and row where there is one.
func ReadProductTable(ctx context.Context, path string, columns map[string]string) (*ProductTable, error) {
	t, err := data.ReadTable(ctx, path)
	if err != nil {
		return nil, err
	}
	cols := map[string]*data.Column{}
	for _, logical := range data.ProductColumns {
		name, mapped := columns[logical]
		if name == "" {
			name = logical
		}
		col := t.Column(name)
		if col == nil && (logical == "product_id" || mapped && columns[logical] != "") {
			return nil, fmt.Errorf("products %s: column %q (mapped as %s) not found", path, name, logical)
		}
		if col != nil {
			cols[logical] = col
		}
	}
	if len(cols) == 1 {
		return nil, fmt.Errorf("products %s: no category, price_tier or launch_time column", path)
	}
	ids, err := data.IDStrings(path, *cols["product_id"])
	if err != nil {
		return nil, err
	}
	p := &ProductTable{Path: path, Rows: len(ids)}
	if cat := cols["category"]; cat != nil {
		if cat.Kind != data.KindString {
			return nil, fmt.Errorf("products %s: column %q: categories must be strings, not %s", path, cat.Name, cat.Kind)
		}
		p.Categories = make(map[string]string, len(ids))
	}
	tier, launch := cols["price_tier"], cols["launch_time"]
	if tier != nil || launch != nil {
		p.Attrs = make(map[string]Product, len(ids))
	}
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		if j, dup := seen[id]; dup {
			return nil, fmt.Errorf("products %s: product_id %q on rows %d and %d", path, id, j+1, i+1)
		}
		seen[id] = i
		if p.Categories != nil {
			p.Categories[id] = cols["category"].Text(i)
		}
		if p.Attrs == nil {
			continue
		}
		var a Product
		if tier != nil {
			a.Tier = tier.Text(i)
		}
		if launch != nil {
			t, null, ok := launch.TimeIn(i, time.UTC)
			if !ok {
				return nil, fmt.Errorf("products %s: column %q (launch_time), row %d: cannot read %q as a date or time", path, launch.Name, i+1, launch.Text(i))
			}
			if !null {
				a.Launch = t
			}
		}
		p.Attrs[id] = a
	}
	return p, nil
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
