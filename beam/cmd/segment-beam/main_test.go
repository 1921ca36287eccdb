package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/segment-tool/segment/beam/featurejob"
	"github.com/segment-tool/segment/data"
)

// TestRunJobUsage checks that a command line the job cannot run is a
// usage error (exit code 2), found before any pipeline is built.
func TestRunJobUsage(t *testing.T) {
	tests := []struct {
		name    string
		cfg     featurejob.Config
		args    []string
		reports string
	}{
		{"no orders", featurejob.Config{Out: "out"}, nil, ""},
		{"no output", featurejob.Config{Orders: "o.parquet"}, nil, ""},
		{"bad as_of", featurejob.Config{Orders: "o.parquet", Out: "out", AsOf: "June"}, nil, ""},
		{"bad min_share", featurejob.Config{Orders: "o.parquet", Out: "out", MinShare: 0.5}, nil, ""},
		{"extra argument", featurejob.Config{Orders: "o.parquet", Out: "out"}, []string{"run"}, ""},
		{"bad reports", featurejob.Config{Orders: "o.parquet", Out: "out"}, nil, "md,pdf"},
		{"bad duplicates", featurejob.Config{Orders: "o.parquet", Out: "out", Duplicates: "first"}, nil, ""},
		{"bad delimiter", featurejob.Config{Orders: "o.parquet", Out: "out", CSV: data.CSVDialect{Delimiter: 'x'}}, nil, ""},
		{"bad time format", featurejob.Config{Orders: "o.parquet", Out: "out", TimeFormat: "%Q"}, nil, ""},
		{"orders and a feature table", featurejob.Config{Orders: "o.parquet", Features: "f.csv", Out: "out"}, nil, ""},
		{"a feature table and events", featurejob.Config{Features: "f.csv", Events: "e.csv", Out: "out"}, nil, ""},
		{"a local working location", featurejob.Config{Orders: "o.parquet", Out: "out", Work: "/mnt/work"}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ue usageError
			if err := runJob(context.Background(), tc.cfg, fitFlags{kMin: 2, kMax: 12, restarts: 1, reports: tc.reports}, tc.args); !errors.As(err, &ue) {
				t.Fatalf("got %v, want a usage error", err)
			}
		})
	}
}

// TestRunJobPrevious checks that a -previous folder without a run fails
// before any job runs (the orders do not exist: a job would fail on them).
func TestRunJobPrevious(t *testing.T) {
	cfg := featurejob.Config{Orders: "no-such-orders.parquet", Out: t.TempDir()}
	err := runJob(context.Background(), cfg, fitFlags{kMin: 2, kMax: 12, restarts: 1, previous: t.TempDir()}, nil)
	var ue usageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "previous run") || !strings.Contains(err.Error(), "model.json") {
		t.Fatalf("got %v, want a failed run naming the previous run's model.json", err)
	}
}
