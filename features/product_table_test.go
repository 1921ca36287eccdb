package features

import (
	"context"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

func TestProductTableJoin(t *testing.T) {
	path := writeFile(t, "products.csv", "sku,category,price_tier,launch_time\n"+
		"p1,shoes,premium,2024-03-01\n"+
		"p2,bags,,\n"+
		"p3,hats,\" Premium \",\n"+ // a CHAR column's padding, another case
		"p4,hats,PREMIUM,\n")
	p, err := ReadProductTable(context.Background(), path, map[string]string{"product_id": "sku"}, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Rows != 4 || p.Path != path {
		t.Errorf("Rows %d, Path %s; want 4, %s", p.Rows, p.Path, path)
	}
	wantAttrs := map[string]Product{"p1": {Tier: "premium", Launch: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}, "p2": {},
		"p3": {Tier: PremiumTier}, "p4": {Tier: PremiumTier}}
	for id, want := range wantAttrs {
		if got := p.Attrs[id]; got.Tier != want.Tier || !got.Launch.Equal(want.Launch) {
			t.Errorf("Attrs[%s] = %+v, want %+v", id, got, want)
		}
	}
	batch := []data.OrderLine{
		{ProductID: "p1"},                    // filled
		{ProductID: "p2", Category: "totes"}, // a line's own category wins
		{ProductID: "p9"},                    // unmatched
		{ProductID: ""},                      // unmatched
		{ProductID: "p2"},
	}
	if n := p.Join(batch); n != 2 {
		t.Errorf("Join = %d unmatched, want 2", n)
	}
	want := []string{"shoes", "totes", "", "", "bags"}
	for i, l := range batch {
		if l.Category != want[i] {
			t.Errorf("line %d (%s): category %q, want %q", i, l.ProductID, l.Category, want[i])
		}
	}
}

// Without a category column the table still tells matched lines from
// unmatched ones, and leaves categories alone.
func TestProductTableJoinWithoutCategories(t *testing.T) {
	path := writeFile(t, "products.csv", "product_id,price_tier\np1,premium\np2,basic\n")
	p, err := ReadProductTable(context.Background(), path, nil, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Categories != nil {
		t.Errorf("Categories = %v, want nil", p.Categories)
	}
	batch := []data.OrderLine{{ProductID: "p1", Category: "c"}, {ProductID: "p3"}, {ProductID: "p2"}}
	if n := p.Join(batch); n != 1 {
		t.Errorf("Join = %d unmatched, want 1", n)
	}
	if batch[0].Category != "c" || batch[1].Category != "" || batch[2].Category != "" {
		t.Errorf("categories changed: %+v", batch)
	}
}

func TestReadProductTableErrors(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		columns map[string]string
		want    string // the error after "products <path>: "
	}{
		{"only ids", "product_id,name\np1,Boot\n", nil, "no category, price_tier or launch_time column"},
		{"no product_id", "sku,category\np1,shoes\n", nil, `column "product_id" (mapped as product_id) not found; the file has columns "sku", "category": map the one that holds it (products.columns.product_id: <column>)`},
		{"mapped column missing", "product_id,category\np1,shoes\n", map[string]string{"price_tier": "tier"},
			`column "tier" (mapped as price_tier) not found; the file has columns "product_id", "category": map the one that holds it (products.columns.price_tier: <column>)`},
		{"duplicate id", "product_id,category\np1,shoes\np2,bags\np1,hats\n", nil, `product_id "p1" on rows 1 and 3`},
		{"numeric categories", "product_id,category\np1,3\n", nil, `column "category": categories must be strings, not integer`},
		{"a header alone", "product_id,category\n", nil, "the table has no rows (a header alone at most): export its products, or leave the table out"},
		{"unreadable launch", "product_id,launch_time\np1,2024-01-01\np2,spring\n", nil,
			`column "launch_time" (launch_time), row 2: cannot read "spring" as a date or time in the years 1678–2261 (products.time_format sets its layout)`},
		{"the header again", "product_id,category\np1,shoes\nproduct_id,category\np2,bags\n", nil,
			"row 2 repeats the header (files concatenated with their headers?): remove it"},
		{"launch beyond the years", "product_id,launch_time\np1,2024-01-01\np2,9999-01-01\n", nil, // its nanoseconds would overflow
			`column "launch_time" (launch_time), row 2: cannot read "9999-01-01" as a date or time in the years 1678–2261 (products.time_format sets its layout)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "products.csv", tt.csv)
			_, err := ReadProductTable(context.Background(), path, tt.columns, data.TimeFormat{})
			want := "products " + path + ": " + tt.want
			if err == nil || err.Error() != want {
				t.Errorf("error %v\nwant %s", err, want)
			}
		})
	}
}
