package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunDateGap: an order line dated decades after the rest, with as_of
// left to follow the newest line, is warned of in the log and at the top
// of the report; with as_of given, the line is after it and neither says
// more than the lines after the analysis date.
func TestRunDateGap(t *testing.T) {
	lines := append(twoGroupOrders(), "Z1,H1,2100-06-01 10:00:00,1,20")
	for _, given := range []bool{false, true} {
		o := testOptions(t)
		o.Orders = writeCSV(t, t.TempDir(), "orders.csv", lines...)
		if given {
			o.AsOf = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
		}
		var log bytes.Buffer
		o.Log = slog.New(slog.NewTextHandler(&log, nil))
		if _, err := Run(context.Background(), *o); err != nil {
			t.Fatal(err)
		}
		md, err := os.ReadFile(filepath.Join(o.Out, "report.md"))
		if err != nil {
			t.Fatal(err)
		}
		warned := strings.Contains(log.String(), "level=WARN") && strings.Contains(log.String(), "newest=2100-06-01")
		told := strings.Contains(string(md), "- **Check the dates first:** the newest order line is dated 2100-06-01")
		if warned == given || told == given {
			t.Errorf("as_of given %v: warned %v, told in the report %v; want %v", given, warned, told, !given)
		}
	}
}
