package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
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
		{"as-of beyond the times", []string{"run", "-as-of", "2999-01-01"}, "-as-of: 2999-01-01 is outside the years 1678–2261"},
		{"empty orders flag", []string{"run", "-orders", ""}, "-orders is empty"},
		{"missing spill folder", []string{"run", "-orders", "x.csv", "-spill-dir", "/nonexistent/spill"}, "-spill-dir: stat /nonexistent/spill: no such file or directory"},
		{"inspect flag after the path", []string{"inspect", "orders.csv", "-write", "seg.yaml"}, "flags go before the PATHs"},
		{"bad scale", []string{"run", "-scale", "minmax"}, "-scale: want auto or none"},
		{"k range", []string{"run", "-k-min", "5", "-k-max", "3"}, "k-min <= k-max"},
		{"orders and features", []string{"run", "-orders", "a.csv", "-features", "b.csv"}, "not both"},
		{"a URL, run locally", []string{"run", "-orders", "gs://b/orders/*.parquet"}, "gs://b/orders/*.parquet: an object store's URL is read by -runner prism, flink, spark or dataflow only"},
		{"a URL table, run locally", []string{"run", "-orders", "a.csv", "-events", "s3://b/events.csv"}, "s3://b/events.csv: an object store's URL"},
		{"bad report format", []string{"run", "-report", "md,pdf"}, `-report: unknown report format "pdf" (want md, html)`},
		{"no report format", []string{"run", "-report", ""}, "-report: unknown report format"},
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
	if code != 0 || stdout != "segment "+pipeline.Version+"\n" {
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
	good := "customer_id,order_id,time,amount\nc1,o1,2024-01-01,10\n"
	goodCSV := write("good.csv", good)
	orders := filepath.Join(store, "orders.parquet")
	whole, err := os.ReadFile(orders)
	if err != nil {
		t.Fatal(err)
	}
	truncated := write("truncated.parquet", string(whole[:len(whole)/2]))
	empty := write("empty.csv", "")
	textAmount := write("textamount.csv", "customer_id,order_id,time,amount\nc1,o1,2024-01-01,ten\n")
	nanAmount := write("nan.csv", "customer_id,order_id,time,amount\nc1,o1,2024-01-01,NaN\n")
	infAmount := write("inf.csv", "customer_id,order_id,time,amount\nc1,o1,2024-01-01,+Inf\n")
	ragged := write("ragged.csv", "customer_id,order_id,time,amount\nc1,o1,2024-01-01\n")
	badYAML := write("bad.yaml", "orders: [unclosed\n")
	badTZ := write("tz.yaml", "orders:\n  path: "+goodCSV+"\n  timezone: Mars/Olympus\n")
	badDupes := write("dupes.yaml", "orders:\n  path: "+goodCSV+"\n  duplicates: sometimes\n")
	badK := write("k.yaml", "orders:\n  path: "+goodCSV+"\nclustering:\n  k: lots\n")
	badUse := write("use.yaml", "orders:\n  path: "+goodCSV+"\nclustering:\n  use: [frequency, loyalty_score]\n")
	noProducts := write("products.yaml", "orders:\n  path: "+goodCSV+"\nproducts:\n  path: nowhere.csv\n")
	emptyDir := filepath.Join(dir, "emptydir")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	badWhen := write("when.yaml", "orders:\n  path: "+goodCSV+"\ngroups:\n  - {name: paris_fans, when: 'city == \"Paris\" &&'}\n")
	badThreshold := write("threshold.yaml", "orders:\n  path: "+goodCSV+"\nthresholds:\n  vip_share: 5\n")
	badEvents := write("events.yaml", "orders:\n  path: "+goodCSV+"\nevents:\n  path: "+goodCSV+"\n")
	badReport := write("report.yaml", "orders:\n  path: "+goodCSV+"\noutput:\n  report: [html, pdf]\n")
	badFreeze := write("freeze.yaml", "orders:\n  path: "+goodCSV+"\nrfm:\n  freeze_from: nomodel.json\n")
	dupIDs := write("dupids.csv", "customer_id,recency\nc1,3\nc1,4\n")
	noNumeric := write("nonumeric.csv", "customer_id,city\nc1,Paris\n")

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
		{"k above customers", []string{"-orders", orders, "-k", "100000"}, []string{"k=100000"}},
		{"truncated parquet", []string{"-orders", truncated}, []string{"truncated.parquet"}},
		{"empty file", []string{"-orders", empty}, []string{"empty.csv"}},
		{"text amount", []string{"-orders", textAmount}, []string{"textamount.csv", "amount", "row 1", "ten"}},
		{"NaN amount", []string{"-orders", nanAmount}, []string{"nan.csv", "amount", "row 1"}},
		{"Inf amount", []string{"-orders", infAmount}, []string{"inf.csv", "amount", "row 1"}},
		{"ragged CSV row", []string{"-orders", ragged}, []string{"ragged.csv"}},
		{"bad YAML", []string{"-config", badYAML}, []string{"bad.yaml"}},
		{"missing config", []string{"-config", filepath.Join(dir, "none.yaml")}, []string{"none.yaml"}},
		{"unknown timezone", []string{"-config", badTZ}, []string{"tz.yaml", "timezone", "Mars/Olympus"}},
		{"bad duplicates rule", []string{"-config", badDupes}, []string{"dupes.yaml", "duplicates", "sometimes"}},
		{"bad k in config", []string{"-config", badK}, []string{"k.yaml", "clustering.k", "lots"}},
		{"bad report format in config", []string{"-config", badReport}, []string{"report.yaml", "output.report", `"pdf"`}},
		{"unknown feature", []string{"-config", badUse}, []string{"loyalty_score"}},
		{"missing products table", []string{"-config", noProducts}, []string{"nowhere.csv"}},
		{"empty directory", []string{"-orders", emptyDir}, []string{"emptydir"}},
		{"glob matching nothing", []string{"-orders", filepath.Join(dir, "*.nothing")}, []string{"*.nothing"}},
		{"duplicate customer ids in features", []string{"-features", dupIDs}, []string{"dupids.csv", "c1"}},
		{"features without numbers", []string{"-features", noNumeric}, []string{"nonumeric.csv", "numeric"}},
		{"bad group expression", []string{"-config", badWhen}, []string{"when.yaml", `group "paris_fans"`, "line 1, column"}},
		{"threshold out of range", []string{"-config", badThreshold}, []string{"threshold.yaml", "vip_share"}},
		{"events table without its columns", []string{"-config", badEvents}, []string{"good.csv", "type"}},
		{"missing model to freeze RFM cuts from", []string{"-config", badFreeze}, []string{"nomodel.json"}},
		{"missing features file", []string{"-features", filepath.Join(dir, "nofeatures.parquet")}, []string{"nofeatures.parquet"}},
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

// TestCPUProfile: -cpuprofile writes a profile go tool pprof reads (a
// gzipped protocol buffer), and a path that cannot be created fails the
// run before it starts.
func TestCPUProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.prof")
	mustSegment(t, "run", "-quiet", "-config", filepath.Join("testdata", "small", "small.yaml"), "-out", filepath.Join(dir, "out"), "-cpuprofile", prof)
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile is not gzip data (%d bytes)", len(b))
	}
	code, _, stderr := segment(t, "run", "-quiet", "-config", filepath.Join("testdata", "small", "small.yaml"), "-out", filepath.Join(dir, "out2"),
		"-cpuprofile", filepath.Join(dir, "missing", "cpu.prof"))
	if code != 1 || !strings.Contains(stderr, "cpuprofile") {
		t.Errorf("unwritable -cpuprofile: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out2")); !os.IsNotExist(err) {
		t.Errorf("the run went ahead despite the bad -cpuprofile (err %v)", err)
	}
	// An existing file (the profile of the first run, an input) is never
	// replaced, nor is a file written inside -out: usage errors.
	for _, c := range []struct{ path, want string }{
		{prof, "the file exists"},
		{filepath.Join(dir, "out", "cpu.prof"), "inside the output folder"},
	} {
		code, _, stderr := segment(t, "run", "-quiet", "-config", filepath.Join("testdata", "small", "small.yaml"), "-out", filepath.Join(dir, "out"), "-cpuprofile", c.path)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("-cpuprofile %s: exit %d, stderr %q", c.path, code, stderr)
		}
	}
	if after, err := os.ReadFile(prof); err != nil || !bytes.Equal(after, b) {
		t.Errorf("the first profile was replaced (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "cpu.prof")); !os.IsNotExist(err) {
		t.Errorf("a profile was written inside -out (err %v)", err)
	}
}
