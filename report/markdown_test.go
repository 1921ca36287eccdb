package report

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixRun is a complete run shaped like the UCI Online Retail data set
// (541,909 lines, 4,338 customers); the numbers are invented but
// consistent: rejects add up, cluster sizes add up to the customers.
func fixRun() *Run {
	return &Run{
		Title:    "Customer segments — demo store",
		Version:  "0.1.0",
		AsOf:     time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC),
		Seed:     1,
		Currency: "GBP",
		Period:   Period{First: time.Date(2010, 12, 1, 0, 0, 0, 0, time.UTC), Last: time.Date(2011, 12, 9, 0, 0, 0, 0, time.UTC)},
		Inputs: []Input{
			{Path: "data/orders.parquet", SHA256: "3f2a9c1b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8", Rows: 541909},
			{Path: "data/customers.parquet", SHA256: "0011223344556677889900aabbccddeeff0011223344556677889900aabbccdd", Rows: 4372},
		},
		Quality: Quality{
			RowsRead: 541909, RowsUsed: 396690, RowsRejected: 143985, RevenueExcluded: 1447682.12,
			RejectsByReason: map[string]int64{
				"missing customer_id": 135080,
				"cancellation":        8000,
				"zero unit_price":     453,
				"unparseable time":    452,
			},
			LinesAfterAsOf: 1234,
			Customers:      4338, Orders: 18532, Revenue: 8911407.9,
		},
		Elbow: Elbow{
			Ks:               []int{2, 3, 4, 5, 6, 7, 8},
			Inertia:          []float64{21034.5, 15210.2, 9876.4, 8950.1, 8301.7, 7822.3, 7460.9},
			Silhouette:       []float64{0.412, 0.438, 0.467, 0.401, 0.389, 0.371, 0.366},
			CalinskiHarabasz: []float64{2870.4, 3050.9, 3420.7, 3011.2, 2804.5, 2650.3, 2511.8},
			K:                4,
			KneeFound:        true,
			Reason:           "Kneedle found the knee at k = 4 (normalised difference 0.41); silhouette is also highest there.",
		},
		Features: []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio", "mix_pets"},
		Population: Population{
			Features: []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio", "mix_pets"},
			Median:   []float64{30, 2, 600, 300, 0.03, 0},
			Share:    []float64{nan, nan, nan, nan, nan, 0.12},
			Groups:   map[string]float64{GroupLapsed: 0.2, GroupIdle: 0.2, GroupRecent: 0.3, GroupOneTime: 0.4},
		},
		Clusters: []Cluster{
			{ID: 0, Key: "c-1a2b", Name: "Recent high-spend frequent customers", Size: 480, Revenue: 4.1e6,
				Stats: ClusterStats{Median: []float64{5, 12, 5000, 420, 0.02, 0.05}, Pos: []float64{0.1, 0.92, 0.95, 0.7, 0.45, 0.5},
					Share: []float64{nan, nan, nan, nan, nan, 0.08}, Groups: map[string]float64{GroupRecent: 0.8, GroupLapsed: 0, GroupIdle: 0.05, GroupOneTime: 0}}},
			{ID: 1, Key: "c-3c4d", Name: "Lapsed low-spend one-time customers", Size: 1520, Revenue: 0.9e6,
				Stats: ClusterStats{Median: []float64{400, 1, 200, 180, 0.03, 0}, Pos: []float64{0.9, 0.2, 0.2, 0.3, 0.5, 0.4},
					Share: []float64{nan, nan, nan, nan, nan, 0.1}, Groups: map[string]float64{GroupRecent: 0, GroupLapsed: 0.7, GroupIdle: 0.2, GroupOneTime: 0.8}}},
			{ID: 2, Key: "c-5e6f", Name: "Discount-driven customers", Size: 1338, Revenue: 2.2e6,
				Stats: ClusterStats{Median: []float64{35, 2, 550, 280, 0.2, 0}, Pos: []float64{0.55, 0.5, 0.45, 0.45, 0.9, 0.4},
					Share: []float64{nan, nan, nan, nan, nan, 0.13}, Groups: map[string]float64{GroupRecent: 0.25, GroupLapsed: 0.1, GroupIdle: 0.2, GroupOneTime: 0.3}}},
			{ID: 3, Key: "c-7a8b", Name: "Typical customers", Size: 1000, Revenue: 1.7114079e6,
				Stats: ClusterStats{Median: []float64{30, 2, 600, 300, 0.03, 0}, Pos: []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
					Share: []float64{nan, nan, nan, nan, nan, 0.12}, Groups: map[string]float64{GroupRecent: 0.3, GroupLapsed: 0.2, GroupIdle: 0.2, GroupOneTime: 0.4}}},
		},
		Plots: []Plot{
			{Title: "Elbow curve", Path: "plots/elbow.png", Caption: "Inertia and silhouette for each number of segments; the dashed line marks the chosen k."},
			{Title: "Segment sizes", Path: "plots/sizes.png"},
			{Title: "Segment profiles", Path: "plots/heatmap.png", Caption: "Each cell is the segment's average divided by the average over all customers, minus one."},
			{Title: "Segments on the first two principal components", Path: "plots/pca scatter.png"},
		},
	}
}

var nan = math.NaN()

func writeString(t *testing.T, r *Run) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatalf("WriteMarkdown: %v", err)
	}
	return b.String()
}

func TestWriteMarkdownGolden(t *testing.T) {
	got := writeString(t, fixRun())
	golden := filepath.Join("testdata", "report.golden.md")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("report differs from %s (go test -update rewrites it):\n%s", golden, firstDiff(got, string(want)))
	}
	if again := writeString(t, fixRun()); again != got {
		t.Error("same run gave different bytes")
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

func TestFixtureNamesMatchNameClusters(t *testing.T) {
	r := fixRun()
	var stats []ClusterStats
	var want []string
	for _, c := range r.Clusters {
		stats = append(stats, c.Stats)
		want = append(want, c.Name)
	}
	if got := NameClusters(r.Population, stats); !slices.Equal(got, want) {
		t.Errorf("NameClusters on the fixture = %q, want %q", got, want)
	}
}

var linkRE = regexp.MustCompile(`\]\(([^)]*)\)`)

func TestMarkdownLinksAreRelative(t *testing.T) {
	md := writeString(t, fixRun())
	links := linkRE.FindAllStringSubmatch(md, -1)
	if len(links) != len(fixRun().Plots) {
		t.Fatalf("found %d links, want one per plot (%d)", len(links), len(fixRun().Plots))
	}
	for _, l := range links {
		u := l[1]
		if strings.HasPrefix(u, "/") || strings.Contains(u, "://") || strings.HasPrefix(u, "..") || strings.Contains(u, " ") {
			t.Errorf("link %q is not a plain relative path", u)
		}
	}
	for _, want := range []string{"![Elbow curve](plots/elbow.png)", "](plots/pca%20scatter.png)"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestMarkdownContent(t *testing.T) {
	md := writeString(t, fixRun())
	for _, want := range []string{
		"data as of **2011-12-10**",
		"| `data/orders.parquet` | 541,909 | `3f2a9c1b4d5e…` |",
		"| Rejected | 143,985 | 26.6% |", // 143,985 / 541,909
		// 396,690 + 1,234 + 143,985 = 541,909 rows read.
		"| On or after the analysis date | 1,234 | 0.2% |",
		"1,234 order lines dated on or after the analysis date (0.2% of rows read) were left out",
		"They are not errors and are not in the rejects file.",
		"| **4** | 9,876 | 0.467 | 3,421 | ← chosen |",
		"The elbow of the inertia curve (Kneedle, Satopää et al. 2011) is at **k = 4**.",
		// Cluster 0: 480 of 4,338 customers, 4.1M of 8,911,407.9 revenue.
		"| 0 | Recent high-spend frequent customers | 480 | 11.1% | 46.0% |",
		"| | **All clustered customers** | 4,338 | 100.0% | 100.0% |",
		"orders from 2010-12-01 to 2011-12-09 · seed 1 · amounts in GBP",
		"| Revenue | 8,911,408 GBP |",
		// The three clusters with the most revenue, most first.
		"  1. **Recent high-spend frequent customers**: 11.1% of customers, 46.0% of revenue.",
		"  1. **Discount-driven customers**: 30.8% of customers, 24.7% of revenue.",
		"### Cluster 2: Discount-driven customers",
		// discount_ratio median 0.2 at position 0.9 against the population's 0.03.
		"- Share of the gross order value given as discount: median 20.0%, higher than 90.0% of clustered customers (their median: 3.0%).",
		"- 70.0% of its customers have not bought for a year or more (the lapsed group), against 20.0% of all clustered customers.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Reasons are listed most frequent first.
	order := []string{"missing customer\\_id", "cancellation", "zero unit\\_price", "unparseable time"}
	last := -1
	for _, r := range order {
		i := strings.Index(md, "| "+r+" |")
		if i < 0 || i < last {
			t.Fatalf("reason %q missing or out of order", r)
		}
		last = i
	}
	// Every segment has a description and an action.
	if n := strings.Count(md, "**Suggested action:**"); n != len(fixRun().Clusters) {
		t.Errorf("%d suggested actions, want %d", n, len(fixRun().Clusters))
	}
	if strings.Contains(md, "counted apart, without a share") {
		t.Error("a note on other tables' rejects, though all are order lines'")
	}
}

// TestMarkdownOtherTablesRejects: the rejected rows of the customers and
// events tables are not order lines: no share of the order lines read.
func TestMarkdownOtherTablesRejects(t *testing.T) {
	r := fixRun()
	r.Quality.RejectsByReason["customers: missing customer_id"] = 3
	r.Quality.RejectsByReason["events: missing time"] = 2
	md := writeString(t, r)
	for _, want := range []string{
		"| customers: missing customer\\_id | 3 | – |",
		"| events: missing time | 2 | – |",
		"| cancellation | 8,000 | 1.5% |", // 8,000 / 541,909
		"the rejected rows of the customers and events tables are counted apart, without a share of them.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestMarkdownHowKWasChosen(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(e *Elbow)
		want  []string
		avoid []string
	}{
		{"knee", func(*Elbow) {}, []string{"is at **k = 4**"}, []string{"No clear elbow", "fixed by the user"}},
		{"fixed by the user", func(e *Elbow) { e.Fixed, e.K = true, 6 },
			[]string{"**k = 6 was fixed by the user**", "shown for reference", "| **6** |"}, []string{"No clear elbow"}},
		{"fixed without sweep", func(e *Elbow) { *e = Elbow{K: 5, Fixed: true} },
			[]string{"**k = 5 was fixed by the user**"}, []string{"| k |", "shown for reference"}},
		{"no knee", func(e *Elbow) { e.KneeFound, e.K, e.Reason = false, 3, "Fell back to the best silhouette." },
			[]string{"**No clear elbow**", "between k = 2 and k = 8", "k = 3 was chosen by the fallback rule. Fell back to the best silhouette."},
			[]string{"is at **k"}},
		{"knee too fine", func(e *Elbow) {
			e.KneeFound, e.Knee, e.K, e.Reason = false, 6, 2, "knee at k=6 (Kneedle, S=1); k=6 leaves a cluster under 2 customers, so k=2, the nearest k whose clusters all have at least that many, is used."
		},
			[]string{"**The elbow is at k = 6, but k = 2 was used**: at the elbow a segment would be below the minimum size."},
			[]string{"No clear elbow", "fallback rule"}},
		{"no metrics", func(e *Elbow) { e.Silhouette, e.CalinskiHarabasz = nil, nil },
			[]string{"| k | Inertia | |"}, []string{"Silhouette |", "Calinski–Harabasz |"}},
		{"NaN silhouette", func(e *Elbow) { e.Silhouette[0] = math.NaN() },
			[]string{"| 2 | 21,034 | – |"}, nil}, // 21,034.5 rounds half to even
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixRun()
			tt.edit(&r.Elbow)
			md := writeString(t, r)
			for _, w := range tt.want {
				if !strings.Contains(md, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			for _, a := range tt.avoid {
				if strings.Contains(md, a) {
					t.Errorf("report contains %q", a)
				}
			}
		})
	}
}

func TestWriteMarkdownInvalid(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *Run)
	}{
		{"inertia length", func(r *Run) { r.Elbow.Inertia = r.Elbow.Inertia[1:] }},
		{"silhouette length", func(r *Run) { r.Elbow.Silhouette = []float64{1} }},
		{"CH length", func(r *Run) { r.Elbow.CalinskiHarabasz = []float64{1} }},
		{"population median length", func(r *Run) { r.Population.Median = r.Population.Median[1:] }},
		{"cluster median length", func(r *Run) { r.Clusters[2].Stats.Median = nil }},
		{"absolute plot path", func(r *Run) { r.Plots[0].Path = "/tmp/out/plots/elbow.png" }},
		{"plot path with a scheme", func(r *Run) { r.Plots[0].Path = "file:///tmp/elbow.png" }},
		{"plot path leaving the directory", func(r *Run) { r.Plots[0].Path = "plots/../../elbow.png" }},
		{"Windows plot path", func(r *Run) { r.Plots[0].Path = `plots\elbow.png` }},
		{"empty plot path", func(r *Run) { r.Plots[0].Path = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fixRun()
			tt.edit(r)
			var b bytes.Buffer
			err := WriteMarkdown(&b, r)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "report: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if b.Len() != 0 {
				t.Error("wrote output for an invalid run")
			}
		})
	}
	if err := WriteMarkdown(&bytes.Buffer{}, nil); err == nil {
		t.Error("nil run: no error")
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriteMarkdownWriterError(t *testing.T) {
	sentinel := errors.New("disk full")
	err := WriteMarkdown(failWriter{sentinel}, fixRun())
	if !errors.Is(err, sentinel) {
		t.Errorf("error %v does not wrap the writer's error", err)
	}
}

func TestMarkdownEscapesText(t *testing.T) {
	r := fixRun()
	r.Clusters[0].Name = "A|B *x*"
	md := writeString(t, r)
	if !strings.Contains(md, `| A\|B \*x\* |`) {
		t.Error("a name with | and * is not escaped in the profile table")
	}
}
