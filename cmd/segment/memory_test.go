package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
)

func TestParseMemoryLimit(t *testing.T) {
	sys := pipeline.SystemMemory()
	for _, tc := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "none"}, {in: "0"},
		{in: "12GiB", want: 12 << 30}, {in: "500MB", want: 500e6}, {in: "64KiB", want: 64 << 10}, {in: "1.5GB", want: 1.5e9},
		{in: "123456", want: 123456}, {in: "2 MiB", want: 2 << 20},
		{in: "50%", want: sys / 2}, {in: "100%", want: sys},
		{in: "0%", bad: true}, {in: "150%", bad: true}, {in: "-1GiB", bad: true}, {in: "12XB", bad: true}, {in: "", bad: true}, {in: "lots", bad: true},
	} {
		got, err := parseMemoryLimit(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("parseMemoryLimit(%q): err %v, want error %v", tc.in, err, tc.bad)
			continue
		}
		if !tc.bad && (got < tc.want-1 || got > tc.want+1) {
			t.Errorf("parseMemoryLimit(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestMemoryLimitStopsEarly: a run over its memory budget stops with exit
// status 1 and an error naming the budget and the flag, and leaves the
// previous outputs as they were.
func TestMemoryLimitStopsEarly(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	small := filepath.Join("testdata", "small", "small.yaml")
	mustSegment(t, "run", "-quiet", "-config", small, "-out", out)
	before, err := os.ReadFile(filepath.Join(out, "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := segment(t, "run", "-quiet", "-config", small, "-out", out, "-memory-limit", "64KiB")
	if code != 1 || !strings.Contains(stderr, "budget of 64 KiB (-memory-limit)") || !strings.Contains(stderr, "raise -memory-limit") {
		t.Errorf("exit %d, stderr %q; want 1 and the budget named", code, stderr)
	}
	after, err := os.ReadFile(filepath.Join(out, "assignments.csv"))
	if err != nil || string(after) != string(before) {
		t.Errorf("the previous outputs changed (err %v)", err)
	}
	if code, _, stderr := segment(t, "run", "-quiet", "-config", small, "-out", out, "-memory-limit", "lots"); code != 2 || !strings.Contains(stderr, "-memory-limit") {
		t.Errorf("bad -memory-limit: exit %d, stderr %q; want a usage error", code, stderr)
	}
}
