package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

// checkSegmentsTellTruth checks, on the outputs of any run in dir, that
// the segments tell the truth (issue 12): no non-buyer is clustered, no
// cluster is under clustering.min_share, names are unique without numeric
// suffixes, every word of every name agrees with the cluster's medians
// against the clustered population's and with the groups, and no
// constant feature is clustered. It reads only the outputs
// (assignments.csv, run.json), never the code that named the clusters.
func checkSegmentsTellTruth(t reporter, dir string) {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), filepath.Join(dir, "assignments.csv"))
	if err != nil {
		t.Fatalf("%v", err)
	}
	cols := map[string]data.Column{}
	for _, c := range tab.Columns {
		cols[c.Name] = c
	}
	num := func(name string) []float64 {
		c, ok := cols[name]
		if !ok {
			return nil
		}
		v, ok := c.Float64s()
		if !ok {
			t.Fatalf("assignments column %s is not numeric", name)
		}
		return v
	}
	flag := func(name string) []bool {
		c, ok := cols[name]
		if !ok {
			return nil
		}
		if c.Kind == data.KindBool {
			return c.Bools
		}
		out := make([]bool, len(c.Strings))
		for i, s := range c.Strings {
			out[i] = s == "true"
		}
		return out
	}
	var run struct {
		Features   []string `json:"features"`
		K          int      `json:"k"`
		Clustering struct {
			Clustered int     `json:"clustered"`
			MinShare  float64 `json:"min_share"`
		} `json:"clustering"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		t.Fatalf("%v", err)
	}
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatalf("run.json: %v", err)
	}

	label := num("cluster")
	names := cols["cluster_name"].Strings
	freq, mon := num("frequency"), num("monetary")
	byCluster := map[int][]int{}
	var clustered []int
	for i, l := range label {
		if l < 0 {
			continue
		}
		if freq != nil && !(freq[i] >= 1) || mon != nil && !(mon[i] > 0) {
			t.Errorf("%s: customer %s is clustered but not a buyer (frequency %v, monetary %v)", dir, cols["customer_id"].Strings[i], freq[i], mon[i])
		}
		byCluster[int(l)] = append(byCluster[int(l)], i)
		clustered = append(clustered, i)
	}
	if len(clustered) != run.Clustering.Clustered {
		t.Errorf("%s: %d clustered customers in the assignments, run.json says %d", dir, len(clustered), run.Clustering.Clustered)
	}
	minSize := int(math.Ceil(run.Clustering.MinShare * float64(len(clustered))))
	nameOf := map[int]string{}
	for c, rows := range byCluster {
		nameOf[c] = names[rows[0]]
		if len(byCluster) > 1 && len(rows) < minSize {
			t.Errorf("%s: cluster %d (%s) holds %d customers, under min_share's %d", dir, c, nameOf[c], len(rows), minSize)
		}
	}
	seen := map[string]int{}
	suffix := regexp.MustCompile(`\s\d+$`)
	for c, n := range nameOf {
		if other, dup := seen[n]; dup {
			t.Errorf("%s: clusters %d and %d are both named %q", dir, other, c, n)
		}
		seen[n] = c
		if suffix.MatchString(n) {
			t.Errorf("%s: cluster name %q has a numeric suffix", dir, n)
		}
	}

	// Every word against the medians and the groups.
	medianOf := func(v []float64, rows []int) float64 {
		x := make([]float64, len(rows))
		for k, i := range rows {
			x[k] = v[i]
		}
		slices.Sort(x)
		if len(x)%2 == 1 {
			return x[len(x)/2]
		}
		return (x[len(x)/2-1] + x[len(x)/2]) / 2
	}
	share := func(f []bool, rows []int) float64 {
		if f == nil {
			return math.NaN()
		}
		in := 0
		for _, i := range rows {
			if f[i] {
				in++
			}
		}
		return float64(in) / float64(len(rows))
	}
	compare := func(feature string, rows []int) int { // sign of cluster median − population median
		v := num(feature)
		if v == nil {
			t.Fatalf("%s: a name speaks of %s, which the assignments lack", dir, feature)
		}
		a, b := medianOf(v, rows), medianOf(v, clustered)
		switch {
		case a > b:
			return 1
		case a < b:
			return -1
		}
		return 0
	}
	lapsed, idle, recent, oneTime := flag("lapsed"), flag("idle"), flag("bought_last_30d"), flag("one_time_buyer")
	words := []struct {
		word  string
		holds func(rows []int) bool
	}{
		{"high-spend", func(rows []int) bool { return compare("monetary", rows) > 0 }},
		{"low-spend", func(rows []int) bool { return compare("monetary", rows) < 0 }},
		{"infrequent", func(rows []int) bool { return compare("frequency", rows) < 0 }},
		{"frequent", func(rows []int) bool { return compare("frequency", rows) > 0 }},
		{"one-time", func(rows []int) bool { return share(oneTime, rows) > 0.5 && compare("frequency", rows) < 0 }},
		{"big-basket", func(rows []int) bool { return compare("aov", rows) > 0 }},
		{"small-basket", func(rows []int) bool { return compare("aov", rows) < 0 }},
		{"discount-driven", func(rows []int) bool { return compare("discount_ratio", rows) > 0 }},
		{"low-discount", func(rows []int) bool { return compare("discount_ratio", rows) < 0 }},
		{"full-price", func(rows []int) bool {
			return compare("discount_ratio", rows) < 0 && medianOf(num("discount_ratio"), rows) == 0
		}},
		{"lapsed", func(rows []int) bool { return share(lapsed, rows) > 0.5 }},
		{"inactive", func(rows []int) bool { return share(lapsed, rows)+share(idle, rows) > 0.5 }},
		{"recent", func(rows []int) bool {
			return share(lapsed, rows)+share(idle, rows) < 0.5 && (share(recent, rows) > 0.5 || compare("recency_days", rows) < 0)
		}},
	}
	specialist := regexp.MustCompile(`category specialists \(([^)]*)\)`)
	for c, name := range nameOf {
		rows := byCluster[c]
		// Words before the first comma describe the cluster against everyone;
		// a remark after it compares it with a cluster of the same name.
		lower, _, _ := strings.Cut(strings.ToLower(name), ",")
		tokens := strings.FieldsFunc(lower, func(r rune) bool { return r == ' ' || r == ',' })
		for _, w := range words {
			if slices.Contains(tokens, w.word) && !w.holds(rows) {
				t.Errorf("%s: cluster %d is called %q but %q does not hold for its customers", dir, c, name, w.word)
			}
		}
		if m := specialist.FindStringSubmatch(lower); m != nil {
			for _, cat := range strings.Split(m[1], ", ") {
				mix := num("mix_" + strings.ReplaceAll(cat, " ", "_"))
				var in, all float64
				for _, i := range rows {
					in += mix[i] * mon[i]
					all += mon[i]
				}
				if in <= 0.5*all {
					t.Errorf("%s: cluster %d is called %q but %s holds %.1f %% of its spend", dir, c, name, cat, 100*in/all)
				}
			}
		}
	}

	// No constant feature clustered.
	for _, f := range run.Features {
		v := num(f)
		if v == nil {
			t.Errorf("%s: clustered feature %s is not in the assignments", dir, f)
			continue
		}
		first, constant := v[clustered[0]], true
		for _, i := range clustered {
			constant = constant && v[i] == first
		}
		if constant {
			t.Errorf("%s: feature %s is clustered but constant (%v) among the clustered customers", dir, f, first)
		}
	}
}

// TestSegmentsTellTheTruth runs the check on the demo store and on every
// data set in ../shared/data, from the inspect -write starter config and
// from the example configs.
func TestSegmentsTellTheTruth(t *testing.T) {
	type run struct {
		name string
		args func(t *testing.T, dir string) []string
	}
	starter := func(rel string) func(t *testing.T, dir string) []string {
		return func(t *testing.T, dir string) []string {
			cfg := filepath.Join(dir, "starter.yaml")
			mustSegment(t, "inspect", "-write", cfg, sharedData(t, rel))
			return []string{"-config", cfg}
		}
	}
	example := func(cfg, rel string) func(t *testing.T, dir string) []string {
		return func(t *testing.T, dir string) []string {
			sharedData(t, rel)
			return []string{"-config", cfg}
		}
	}
	runs := []run{
		{"demo", func(*testing.T, string) []string { return nil }},
		{"completejourney starter", starter("completejourney/transactions_sample.csv")},
		{"cdnow starter", starter("cdnow/cdnow_sample.csv")},
		{"completejourney example", example("testdata/examples/completejourney.yaml", "completejourney/transactions_sample.csv")},
		{"cdnow example", example("testdata/examples/cdnow.yaml", "cdnow/cdnow_sample.csv")},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			mustSegment(t, append([]string{"run", "-quiet", "-out", out}, r.args(t, dir)...)...)
			checkSegmentsTellTruth(t, out)
			// The data period in the header is the published one (shared/data/README.md).
			period := map[string]string{"cdnow example": "orders from 1997-01-01 to 1998-06-30 · seed 1 · amounts in USD",
				"completejourney example": "orders from 2017-01-01 to 2017-12-31 · seed 1 · amounts in USD"}[r.name]
			md, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			if period != "" && !strings.Contains(string(md), period) {
				t.Errorf("report header lacks %q", period)
			}
			// Descriptions say what sets a cluster apart, not the categories it
			// does not buy ("0.0% against 16.3% (−100%)").
			if strings.Contains(string(md), "(-100%)") || strings.Contains(string(md), "0.0% against") {
				t.Error("a cluster description lists a category the cluster does not buy")
			}
		})
	}
}

// TestTruthCheckCatchesLies makes sure the check fails on outputs that lie:
// a cluster renamed to contradict its numbers.
func TestTruthCheckCatchesLies(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	mustSegment(t, "run", "-quiet", "-out", out, "-config", "testdata/small/small.yaml")
	b, err := os.ReadFile(filepath.Join(out, "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	header := strings.Split(lines[0], ",")
	nameCol := slices.Index(header, "cluster_name")
	clusterCol := slices.Index(header, "cluster")
	// Call cluster 0 both high-spend and low-spend: one of them is a lie.
	for i, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) > nameCol && f[clusterCol] == "0" {
			f[nameCol] = "High-spend low-spend customers"
			lines[i+1] = strings.Join(f, ",")
		}
	}
	if err := os.WriteFile(filepath.Join(out, "assignments.csv"), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	ft := &fakeT{}
	checkSegmentsTellTruth(ft, out)
	if len(ft.errors) == 0 {
		t.Fatal("the check passed a cluster called both high-spend and low-spend")
	}
	t.Logf("caught: %s", ft.errors[0])
}

// reporter is the part of testing.T the check uses, so that a test can
// watch it fail.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// fakeT records the check's failures.
type fakeT struct{ errors []string }

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeT) Fatalf(format string, a ...any) { panic(fmt.Sprintf(format, a...)) }
