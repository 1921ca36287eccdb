package featurejob

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/segment-tool/segment/features"
)

// The products table (Config.Products): product attributes by product_id,
// joined to the order lines as the local run joins them (a line without
// a category takes its product's; the price tier and launch time give
// premium_share and new_product_share). Like the order files, every worker
// must see the file: each worker process reads it once (productTable),
// the first time a DoFn sets up, and holds it in memory, one entry a
// product, as the local run does — a side input read from the file
// rather than shipped through the runner. The worker that reads a part
// joins its lines (readPart) and counts those whose product the table
// lacks (run.json's rows.unmatched_products); the aggregators get the
// attributes (featureOptions). The finishing step lists the file in
// run.json's inputs after the order files, as a local run does.

// products caches the products tables read by this process, by
// productsKey.
var products sync.Map

// productsEntry is a products table read, or why it could not be.
type productsEntry struct {
	once sync.Once
	t    *features.ProductTable
	err  error
}

// productTable returns the products table of c, read once by this
// process; nil without one.
func (c *Config) productTable() (*features.ProductTable, error) {
	if c.Products == "" {
		return nil, nil
	}
	key := c.Products + "\x00" + c.ProductTimes.Format + "\x00" + c.ProductTimes.Zone + "\x00"
	for _, k := range slices.Sorted(maps.Keys(c.ProductColumns)) {
		key += k + "=" + c.ProductColumns[k] + "\x00"
	}
	v, _ := products.LoadOrStore(key, &productsEntry{})
	e := v.(*productsEntry)
	e.once.Do(func() {
		ctx := context.Background()
		e.err = withLocal(ctx, c.Products, func(local, _ string) (err error) {
			times, err := c.ProductTimes.format()
			if err != nil {
				return err
			}
			if e.t, err = features.ReadProductTable(ctx, local, c.ProductColumns, times); err == nil {
				e.t.Path = c.Products
			}
			return err
		})
		if e.err != nil {
			e.err = fmt.Errorf("featurejob: %w", e.err)
		}
	})
	return e.t, e.err
}
