package main

import (
	"context"
	"fmt"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// products is the optional products table, held in memory (one row per
// product).
type products struct {
	categories map[string]string           // product_id → category; nil without a category column
	attrs      map[string]features.Product // price tier and launch; nil without either column
	rows       int
}

// loadProducts reads the products table. columns maps logical names to file
// columns; an unmapped logical column is looked for under its own name.
func loadProducts(ctx context.Context, c *tableConfig) (*products, error) {
	t, err := data.ReadTable(ctx, c.Path)
	if err != nil {
		return nil, err
	}
	cols := map[string]*data.Column{}
	for _, logical := range data.ProductColumns {
		name, mapped := c.Columns[logical]
		if name == "" {
			name = logical
		}
		col := t.Column(name)
		if col == nil && (logical == "product_id" || mapped && c.Columns[logical] != "") {
			return nil, fmt.Errorf("products %s: column %q (mapped as %s) not found", c.Path, name, logical)
		}
		if col != nil {
			cols[logical] = col
		}
	}
	if len(cols) == 1 {
		return nil, fmt.Errorf("products %s: no category, price_tier or launch_time column", c.Path)
	}
	ids, err := data.IDStrings(c.Path, *cols["product_id"])
	if err != nil {
		return nil, err
	}
	p := &products{rows: len(ids)}
	if cat := cols["category"]; cat != nil {
		if cat.Kind != data.KindString {
			return nil, fmt.Errorf("products %s: column %q: categories must be strings, not %s", c.Path, cat.Name, cat.Kind)
		}
		p.categories = make(map[string]string, len(ids))
	}
	tier, launch := cols["price_tier"], cols["launch_time"]
	if tier != nil || launch != nil {
		p.attrs = make(map[string]features.Product, len(ids))
	}
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		if j, dup := seen[id]; dup {
			return nil, fmt.Errorf("products %s: product_id %q on rows %d and %d", c.Path, id, j+1, i+1)
		}
		seen[id] = i
		if p.categories != nil {
			p.categories[id] = cols["category"].Text(i)
		}
		if p.attrs == nil {
			continue
		}
		var a features.Product
		if tier != nil {
			a.Tier = tier.Text(i)
		}
		if launch != nil {
			t, null, ok := launch.TimeIn(i, time.UTC)
			if !ok {
				return nil, fmt.Errorf("products %s: column %q (launch_time), row %d: cannot read %q as a date or time", c.Path, launch.Name, i+1, launch.Text(i))
			}
			if !null {
				a.Launch = t
			}
		}
		p.attrs[id] = a
	}
	return p, nil
}

// join fills the category of lines that have none from the products table
// and returns how many lines had a product id the table lacks (their
// category stays empty and counts as "other"; they count as neither premium
// nor new).
func (p *products) join(batch []data.OrderLine) int64 {
	var unmatched int64
	for i := range batch {
		l := &batch[i]
		c, ok := p.categories[l.ProductID]
		if p.categories == nil {
			_, ok = p.attrs[l.ProductID]
		}
		if !ok {
			unmatched++
			continue
		}
		if l.Category == "" && p.categories != nil {
			l.Category = c
		}
	}
	return unmatched
}
