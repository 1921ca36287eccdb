package main

import (
	"context"
	"fmt"

	"github.com/segment-tool/segment/data"
)

// loadProductCategories reads the products table into product_id →
// category. The table is small (one row per product) and held in memory.
func loadProductCategories(ctx context.Context, c *tableConfig) (cats map[string]string, rows int, err error) {
	t, err := data.ReadTable(ctx, c.Path)
	if err != nil {
		return nil, 0, err
	}
	idName, catName := "product_id", "category"
	if v := c.Columns["product_id"]; v != "" {
		idName = v
	}
	if v := c.Columns["category"]; v != "" {
		catName = v
	}
	idCol, catCol := t.Column(idName), t.Column(catName)
	for _, m := range []struct {
		col           *data.Column
		logical, name string
	}{{idCol, "product_id", idName}, {catCol, "category", catName}} {
		if m.col == nil {
			return nil, 0, fmt.Errorf("products %s: column %q (mapped as %s) not found", c.Path, m.name, m.logical)
		}
	}
	ids, err := idStrings(c.Path, *idCol)
	if err != nil {
		return nil, 0, err
	}
	if catCol.Kind != data.KindString {
		return nil, 0, fmt.Errorf("products %s: column %q: categories must be strings, not %s", c.Path, catName, catCol.Kind)
	}
	cats = make(map[string]string, len(ids))
	for i, id := range ids {
		if prev, ok := cats[id]; ok && prev != catCol.Strings[i] {
			return nil, 0, fmt.Errorf("products %s: row %d: product_id %q appears twice with different categories (%q, %q)",
				c.Path, i+1, id, prev, catCol.Strings[i])
		}
		cats[id] = catCol.Strings[i]
	}
	return cats, len(ids), nil
}

// joinCategories fills the category of lines that have none from the
// products table and returns how many lines had a product id the table
// lacks (their category stays empty and counts as "other").
func joinCategories(batch []data.OrderLine, cats map[string]string) int64 {
	var unmatched int64
	for i := range batch {
		l := &batch[i]
		if l.Category != "" {
			continue
		}
		if c, ok := cats[l.ProductID]; ok {
			l.Category = c
		} else {
			unmatched++
		}
	}
	return unmatched
}
