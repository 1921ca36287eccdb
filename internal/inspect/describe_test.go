package inspect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
)

// describe inspects a CSV file of content and returns Describe's text.
func describe(t *testing.T, content string, several bool) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := data.Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	tab := config.StarterTable{Path: path, In: in, Guess: data.GuessTable(in.Columns)}
	if err := Describe(&b, tab, several); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDescribe(t *testing.T) {
	orders := describe(t, "customer_id ,order_id,time,amount\nc1,o1,2024-01-02,1250.5\nc2,o2,2024-01-03,3\n", false)
	for _, want := range []string{
		"csv, 2 rows",
		`"customer_id "`, // a name with a trailing space is quoted
		"guessed mapping (order lines):",
		"order_id     order_id",
	} {
		if !strings.Contains(orders, want) {
			t.Errorf("orders description lacks %q:\n%s", want, orders)
		}
	}

	const products = "product_id,category,price_tier\np1,dairy,low\np2,bakery,high\n"
	alone := describe(t, products, false)
	if !strings.Contains(alone, "this looks like the products table") || !strings.Contains(alone, "to use it, inspect it with the order lines") {
		t.Errorf("a products table alone: description lacks its kind or its usage:\n%s", alone)
	}
	if together := describe(t, products, true); strings.Contains(together, "to use it") {
		t.Errorf("a products table inspected with others: the usage hint is for one file:\n%s", together)
	}
}

func TestJoinCounts(t *testing.T) {
	if got, want := joinCounts([]int64{1000, 2, 3, 4, 5, 6, 7}), "1,000, 2, 3, 4, 5, …"; got != want {
		t.Errorf("joinCounts = %q, want %q", got, want)
	}
}

// TestDescribeLongValue: an example value of a megabyte is cut to
// maxExample runes, so the table stays the size of a screen, and a
// semicolon file of whole numbers says the run takes the decimal mark
// from the first number that shows one.
func TestDescribeLongValue(t *testing.T) {
	long := strings.Repeat("é", 1<<20)
	got := describe(t, "customer_id;order_id;time;amount\n"+long+";o1;2024-01-02;12\nc2;o2;2024-01-03;3\n", false)
	if len(got) > 4000 {
		t.Errorf("description of %d bytes", len(got))
	}
	if want := strings.Repeat("é", maxExample-1) + "…"; !strings.Contains(got, want) {
		t.Errorf("description lacks the cut value %q:\n%s", want, got)
	}
	if !strings.Contains(got, "the run takes the decimal mark from the first number that shows it") {
		t.Errorf("description lacks the undecided decimal mark:\n%s", got)
	}
	if got := examples([]string{"a", "b"}); got != "a | b" {
		t.Errorf("examples = %q", got)
	}
}
