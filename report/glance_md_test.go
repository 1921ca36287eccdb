package report

import (
	"strings"
	"testing"
	"time"
)

// TestMarkdownFirstScreen checks that the report opens with what a
// marketing lead needs (the summary, the segments at a glance, the three
// to act on) and keeps technical material (data quality, thresholds,
// input hashes) for the end.
func TestMarkdownFirstScreen(t *testing.T) {
	r := fixRun()
	r.Settings = []Setting{{Key: "thresholds.recent_days", Value: "30", Meaning: "bought_last_30d"}}
	md := writeString(t, r)
	order := []string{
		"# Customer segments",
		"## In short",
		"- **Act first on**",
		"## Segments at a glance",
		"## Summary",
		"## Segments\n",
		"## How the number of segments was chosen",
		"## Data quality",
		"## Appendix: thresholds and options",
		"## Appendix: inputs",
		"| Input | Rows | SHA-256 |",
	}
	last := -1
	for _, h := range order {
		i := strings.Index(md, h)
		if i < 0 {
			t.Fatalf("report lacks %q", h)
		}
		if i < last {
			t.Errorf("%q comes before %q; want the order %q", h, order[0], order)
		}
		last = i
	}
	first := md[:strings.Index(md, "## Summary")]
	for _, want := range []string{
		"orders from 2010-12-01 to 2011-12-09", "amounts in GBP", "8,911,408 GBP of revenue",
		"- **Data:** 143,985 of the 541,909 rows read (26.6%) were rejected",
		"| Segment | Customers | Share of clustered customers | Share of their revenue | Typical spend (GBP) | Days since last order | Action |",
		// Most revenue first: cluster 0 (4.1M of 8.9M), then cluster 2 (2.2M); medians 5,000 and 5 days.
		"| **Recent high-spend frequent customers** | 480 | 11.1% | 46.0% | 5,000 | 5 | Treat as VIPs",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("first screen lacks %q:\n%s", want, first)
		}
	}
	if strings.Contains(first, "SHA-256") || strings.Contains(first, "3f2a9c1b4d5e") {
		t.Error("first screen shows input hashes")
	}
	if a, b := strings.Index(first, "**Recent high-spend"), strings.Index(first, "**Discount-driven"); a > b {
		t.Error("segments at a glance are not sorted by revenue, most first")
	}
}

func TestFormatDays(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{2, "2"}, {12.5, "12.5"}, {474, "474"}, {1234, "1,234"}, {nan, "–"}} {
		if got := formatDays(tc.v); got != tc.want {
			t.Errorf("formatDays(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// TestMarkdownDateGap: a gap of more than a year before the newest lines,
// with the analysis date following them, is said at the top and in the
// data quality section; without one, neither says anything of it.
func TestMarkdownDateGap(t *testing.T) {
	r := fixRun()
	if md := writeString(t, r); strings.Contains(md, "Check the dates") || strings.Contains(md, "**Dates:**") {
		t.Fatal("a report without a date gap speaks of one")
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	r.Quality.DateGap = &DateGap{Days: 1, Newest: day(2100, 6, 1), First: day(2100, 6, 1), Before: day(2024, 12, 1), AsOf: day(2100, 6, 2)}
	md := writeString(t, r)
	first := md[:strings.Index(md, "## Summary")]
	want := "the newest order line is dated 2100-06-01, 27,575 days after every other line (the newest of them dated 2024-12-01), and the analysis date follows it (2100-06-02)"
	if !strings.Contains(first, "- **Check the dates first:** "+want) {
		t.Errorf("first screen lacks the date gap:\n%s", first)
	}
	quality := md[strings.Index(md, "## Data quality"):]
	if !strings.Contains(quality, "**Dates:** "+want) {
		t.Errorf("data quality lacks the date gap")
	}
	r.Quality.DateGap.Days, r.Quality.DateGap.First = 3, day(2100, 5, 2)
	if md := writeString(t, r); !strings.Contains(md, "the order lines of the 3 newest days (2100-05-02 to 2100-06-01), 27,545 days after") {
		t.Errorf("three days after the gap: %s", md[:strings.Index(md, "## Summary")])
	}
	// 1700 to 2200: longer than a time.Duration holds (292 years).
	r.Quality.DateGap = &DateGap{Days: 1, Newest: day(2200, 1, 1), First: day(2200, 1, 1), Before: day(1700, 1, 1), AsOf: day(2200, 1, 2)}
	if md := writeString(t, r); !strings.Contains(md, "182,621 days after every other line") {
		t.Errorf("five centuries: %s", md[:strings.Index(md, "## Summary")])
	}
}

// TestMarkdownNegativeDiscounts checks that the data quality section says
// how many lines had a negative discount read as its magnitude, and says
// nothing of it when none had.
func TestMarkdownNegativeDiscounts(t *testing.T) {
	r := fixRun()
	if md := writeString(t, r); strings.Contains(md, "**Discounts:**") {
		t.Fatal("a report without negative discounts speaks of them")
	}
	for n, want := range map[int64]string{
		1:    "**Discounts:** 1 order line carries a negative discount, read as the amount taken off",
		1234: "**Discounts:** 1,234 order lines carry a negative discount, read as the amount taken off",
	} {
		r.Quality.NegativeDiscounts = n
		md := writeString(t, r)
		if quality := md[strings.Index(md, "## Data quality"):]; !strings.Contains(quality, want) {
			t.Errorf("%d lines: data quality lacks %q", n, want)
		}
	}
}

// TestMarkdownPartlyAbsent: a column some input files lack is said in the
// data quality section, with the first files that lack it.
func TestMarkdownPartlyAbsent(t *testing.T) {
	r := fixRun()
	if md := writeString(t, r); strings.Contains(md, "**Columns:**") {
		t.Fatal("a report without missing columns speaks of them")
	}
	r.Quality.Files = 6
	r.Quality.PartlyAbsent = map[string][]string{"product_id": {"p1.csv", "p2.csv", "p3.csv", "p4.csv"}, "category": {"p1.csv"}}
	md := writeString(t, r)
	quality := md[strings.Index(md, "## Data quality"):]
	for _, want := range []string{
		"**Columns:** `category` is missing from 1 of the 6 input files (p1.csv): their lines have no category.",
		"**Columns:** `product_id` is missing from 4 of the 6 input files (p1.csv, p2.csv, p3.csv and 1 more): their lines have no product id.",
	} {
		if !strings.Contains(quality, want) {
			t.Errorf("data quality lacks %q", want)
		}
	}
}

// TestMarkdownIDMismatch checks that a customers table sharing no id with
// the orders is said first and in the data quality section, with the
// leading-zeros advice when it fits.
func TestMarkdownIDMismatch(t *testing.T) {
	r := fixRun()
	if md := writeString(t, r); strings.Contains(md, "Check the customer ids") || strings.Contains(md, "**Customer ids:**") {
		t.Fatal("a report without a mismatch speaks of one")
	}
	r.Quality.IDMismatches = []IDMismatch{{Table: "customers.csv", OrderExample: "4", TableExample: "00004", LeadingZeros: true}}
	md := writeString(t, r)
	first := md[:strings.Index(md, "## Summary")]
	want := `no customer id of the customers table (customers.csv) is the id of a customer with orders (the orders have ids such as "4", the table "00004")`
	if !strings.Contains(first, "- **Check the customer ids first:** "+want) || !strings.Contains(first, "leading zeros are dropped") {
		t.Errorf("first screen lacks the mismatch:\n%s", first)
	}
	if quality := md[strings.Index(md, "## Data quality"):]; !strings.Contains(quality, "**Customer ids:** "+want) {
		t.Errorf("data quality lacks the mismatch")
	}
	r.Quality.IDMismatches = append(r.Quality.IDMismatches, IDMismatch{Events: true, Table: "events.csv", OrderExample: "4", TableExample: "u4"})
	md = writeString(t, r)
	if !strings.Contains(md, `no customer id of the events table (events.csv) is the id of a customer with orders (the orders have ids such as "4", the table "u4"), so no buyer got its events`) {
		t.Errorf("report lacks the events table's mismatch")
	}
}

// TestMarkdownNotPurchasesUnmatched: the data quality section says how many
// orders count as no purchase (the summary's orders are purchases) and how
// many lines have a product the products table lacks; nothing when none.
func TestMarkdownNotPurchasesUnmatched(t *testing.T) {
	r := fixRun()
	if md := writeString(t, r); strings.Contains(md, "**Orders:**") || strings.Contains(md, "**Products:**") {
		t.Fatal("a report without such orders or lines speaks of them")
	}
	r.Quality.NotPurchases, r.Quality.UnmatchedProducts = 255, 222
	md := writeString(t, r)
	quality := md[strings.Index(md, "## Data quality"):]
	for _, want := range []string{
		"**Orders:** 255 orders of a net value of zero or less (returned, cancelled or free in full) count as no purchase: the " +
			FormatInt(int64(r.Quality.Orders)) + " orders of the summary are purchases.",
		"**Products:** 222 order lines have a product the products table lacks",
	} {
		if !strings.Contains(quality, want) {
			t.Errorf("data quality lacks %q", want)
		}
	}
}
