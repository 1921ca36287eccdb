package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "usage: segment"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"run", "-nope"}, "flag provided but not defined: -nope"},
		{"bad k", []string{"run", "-k", "many"}, "-k: want auto or a positive number"},
		{"bad as-of", []string{"run", "-as-of", "yesterday"}, "-as-of: want YYYY-MM-DD"},
		{"bad scale", []string{"run", "-scale", "minmax"}, "-scale: want auto or none"},
		{"k range", []string{"run", "-k-min", "5", "-k-max", "3"}, "k-min <= k-max"},
		{"orders and features", []string{"run", "-orders", "a.csv", "-features", "b.csv"}, "not both"},
		{"gen without out", []string{"gen"}, "-out is required"},
		{"stray argument", []string{"version", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := segment(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, stdout, _ := segment(t, "version")
	if code != 0 || stdout != "segment "+version+"\n" {
		t.Errorf("version: exit %d, stdout %q", code, stdout)
	}
	code, _, stderr := segment(t, "run", "-h")
	if code != 0 || !strings.Contains(stderr, "EXIT STATUS") || !strings.Contains(stderr, "-orders") {
		t.Errorf("run -h: exit %d, stderr %q", code, stderr)
	}
}

// TestBadInputKeepsPreviousOutputs: each bad input exits 1 with one message
// naming the problem and leaves an existing out/ byte-identical.
func TestBadInputKeepsPreviousOutputs(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	store := filepath.Join(dir, "store")
	mustSegment(t, "gen", "-customers", "300", "-seed", "2", "-out", store)
	mustSegment(t, "run", "-quiet", "-orders", filepath.Join(store, "orders.parquet"), "-k", "3", "-out", out)
	before := snapshot(t, out)

	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notParquet := write("fake.parquet", "this is not a parquet file")
	missingCol := write("missing.csv", "customer_id,order_id,amount\nc1,o1,10\n")
	badTime := write("badtime.csv", "customer_id,order_id,time,amount\nc1,o1,2024-01-01,10\nc2,o2,not-a-date,5\n")
	headerOnly := write("header.csv", "customer_id,order_id,time,amount\n")
	unknownKey := write("unknown.yaml", "orders:\n  path: x.csv\nclustring:\n  k: 3\n")
	missingMapped := write("mapped.yaml", "orders:\n  path: "+missingCol+"\n  columns:\n    time: order_date\n")

	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"missing file", []string{"-orders", filepath.Join(dir, "nope.parquet")}, []string{"nope.parquet"}},
		{"not parquet", []string{"-orders", notParquet}, []string{"fake.parquet"}},
		{"missing column", []string{"-orders", missingCol}, []string{"missing.csv", "time"}},
		{"unparseable time", []string{"-orders", badTime}, []string{"badtime.csv", "time", "not-a-date"}},
		{"header only", []string{"-orders", headerOnly}, []string{"header.csv"}},
		{"unknown config key", []string{"-config", unknownKey}, []string{"unknown.yaml", "clustring", "line 3"}},
		{"mapped column missing", []string{"-config", missingMapped}, []string{"missing.csv", "order_date"}},
		{"k above customers", []string{"-orders", filepath.Join(store, "orders.parquet"), "-k", "100000"}, []string{"k=100000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "-quiet", "-out", out}, tt.args...)
			code, _, stderr := segment(t, args...)
			if code != exitFailed {
				t.Errorf("exit %d, want %d; stderr %q", code, exitFailed, stderr)
			}
			if strings.Count(stderr, "segment: ") != 1 {
				t.Errorf("want exactly one error line, got %q", stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
			if after := snapshot(t, out); !sameSnapshot(before, after) {
				t.Errorf("the previous outputs in %s changed", out)
			}
		})
	}
	// No staging directories are left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".out.tmp-") {
			t.Errorf("staging directory %s left behind", e.Name())
		}
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		m[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameSnapshot(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
