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
