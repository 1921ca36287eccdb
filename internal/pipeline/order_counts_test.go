package pipeline

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestLogOrderCounts: negative discounts are a warning; rows that repeat
// earlier ones are a warning from 1 % of the rows read (an export written
// twice, more likely than identical purchases), else information; none of
// either logs nothing.
func TestLogOrderCounts(t *testing.T) {
	for _, tc := range []struct {
		neg, repeated, read int64
		want                []string
	}{
		{0, 0, 1000, nil},
		{0, 9, 1000, []string{"level=INFO msg=\"orders: rows repeat"}},
		{0, 10, 1000, []string{"level=WARN msg=\"orders: rows repeat"}},
		{3, 0, 1000, []string{"level=WARN msg=\"orders: negative discounts"}},
	} {
		var b bytes.Buffer
		logOrderCounts(slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})), tc.neg, tc.repeated, tc.read, false)
		if lines := strings.Count(b.String(), "\n"); lines != len(tc.want) {
			t.Errorf("%+v: %d lines logged, want %d:\n%s", tc, lines, len(tc.want), b.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%+v: logged %q, want %q", tc, b.String(), w)
			}
		}
	}
}

// TestWarnUnmatchedProducts: a products table whose ids match none, or
// fewer than half, of the order lines' is warned of, naming the table;
// a few unknown products are not.
func TestWarnUnmatchedProducts(t *testing.T) {
	for _, tc := range []struct {
		unmatched, lines int64
		want             string
	}{
		{0, 100, ""}, {49, 100, ""}, {50, 100, "half or more"}, {100, 100, "no order line's product_id"}, {0, 0, ""},
	} {
		var b bytes.Buffer
		warnUnmatchedProducts(slog.New(slog.NewTextHandler(&b, nil)), "p.csv", tc.unmatched, tc.lines)
		got := b.String()
		if tc.want == "" && got != "" || tc.want != "" && (!strings.Contains(got, tc.want) || !strings.Contains(got, "products=p.csv")) {
			t.Errorf("%d of %d unmatched: %q, want %q", tc.unmatched, tc.lines, got, tc.want)
		}
	}
}
