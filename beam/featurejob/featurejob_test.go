package featurejob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/parquet-go/parquet-go"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

func TestMain(m *testing.M) {
	beam.Init() // the testing flags are parsed by now
	// A temporary folder of the tests' own, removed at the end: Prism's
	// loopback environment leaves an empty beamloopbackworker-* file in
	// it for every pipeline run (as segment-beam's ownTempDir says).
	tmp, err := os.MkdirTemp("", "featurejob-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TMPDIR", tmp)
	code := m.Run()
	if store.dir != "" {
		os.RemoveAll(store.dir)
	}
	os.RemoveAll(tmp)
	os.Exit(code)
}

// store is a generated store of 2,000 customers, written once: its
// orders.parquet (one row group) and the same lines shuffled into three
// files of many row groups each.
var store struct {
	dir, orders, split string
	err                error
	done               bool
}

func testStore(t *testing.T) (orders, split string) {
	t.Helper()
	if !store.done {
		store.done = true
		store.dir, store.err = os.MkdirTemp("", "segment-beam-test-")
		if store.err == nil {
			store.err = data.WriteGeneratedStore(context.Background(), store.dir, data.GenOptions{Customers: 2000, Seed: 7})
		}
		store.orders = filepath.Join(store.dir, "orders.parquet")
		store.split = filepath.Join(store.dir, "split", "orders-*.parquet")
		if store.err == nil {
			store.err = splitOrders(store.orders, filepath.Dir(store.split), 3, 700)
		}
	}
	if store.err != nil {
		t.Fatal(store.err)
	}
	return store.orders, store.split
}

// orderRow is an order line as the split files hold it.
type orderRow struct {
	CustomerID string  `parquet:"customer_id"`
	OrderID    string  `parquet:"order_id"`
	Time       int64   `parquet:"time,timestamp(nanosecond)"`
	ProductID  string  `parquet:"product_id"`
	Category   string  `parquet:"category"`
	Coupon     string  `parquet:"coupon"`
	Status     string  `parquet:"status"`
	City       string  `parquet:"city"`
	Country    string  `parquet:"country"`
	Channel    string  `parquet:"channel"`
	Quantity   float64 `parquet:"quantity"`
	Amount     float64 `parquet:"amount"`
	Discount   float64 `parquet:"discount"`
}

// splitOrders reads the lines of orders, shuffles them and writes them to
// files files in dir, in row groups of rowGroup lines.
func splitOrders(orders, dir string, files, rowGroup int) error {
	var rows []orderRow
	_, err := data.ReadOrders(context.Background(), data.OrderSource{Path: orders}, func(b []data.OrderLine) error {
		for _, l := range b {
			rows = append(rows, orderRow{l.CustomerID, l.OrderID, l.Time.UnixNano(), l.ProductID, l.Category, l.Coupon,
				l.Status, l.City, l.Country, l.Channel, l.Quantity, l.Amount, l.Discount})
		}
		return nil
	})
	if err != nil {
		return err
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	per := (len(rows) + files - 1) / files
	for k := range files {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("orders-%d.parquet", k)))
		if err != nil {
			return err
		}
		w := parquet.NewGenericWriter[orderRow](f, parquet.MaxRowsPerRowGroup(int64(rowGroup)))
		if _, err := w.Write(rows[k*per : min((k+1)*per, len(rows))]); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// localTable computes the feature table as the local run does: every line
// read by data.ReadOrders into one features.Aggregator.
func localTable(t *testing.T, cfg Config) (*features.Table, data.ReadStats) {
	t.Helper()
	o, err := cfg.featureOptions()
	if err != nil {
		t.Fatal(err)
	}
	o.Workers = 2
	src, err := cfg.orderSource()
	if err != nil {
		t.Fatal(err)
	}
	src.Path = cfg.Orders
	a := features.NewAggregator(o)
	stats, err := data.ReadOrders(context.Background(), src, func(b []data.OrderLine) error { a.Add(b); return nil })
	if err != nil {
		t.Fatal(err)
	}
	tab, err := a.Table()
	if err != nil {
		t.Fatal(err)
	}
	return tab, stats
}

// runJob runs job 1 on Prism.
func runJob(t *testing.T, cfg Config) error {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, cfg); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a hang guard, not a timing check
	defer cancel()
	_, err := prism.Execute(ctx, p)
	ReleaseInputCopies() // Prism's workers ran in this process
	return err
}

// readShards reads the job's feature table: the summary and the rows of
// every shard, in shard order, with the SHA-256 of each shard file.
func readShards(t *testing.T, out string) (*Summary, *data.Table, []string) {
	t.Helper()
	sum, err := ReadSummary(out)
	if err != nil {
		t.Fatal(err)
	}
	all := &data.Table{}
	var hashes []string
	for _, name := range sum.Shards {
		path := filepath.Join(out, FeaturesDir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(b)
		hashes = append(hashes, hex.EncodeToString(h[:]))
		tab, err := data.ReadTable(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Columns) == 0 {
			all.Columns = make([]data.Column, len(tab.Columns))
			for j, c := range tab.Columns {
				all.Columns[j] = data.Column{Name: c.Name, Kind: c.Kind}
			}
		}
		for j, c := range tab.Columns {
			all.Columns[j].Strings = append(all.Columns[j].Strings, c.Strings...)
			all.Columns[j].Floats = append(all.Columns[j].Floats, c.Floats...)
		}
	}
	return sum, all, hashes
}

// compareTables reports the first difference between the job's table and
// the local one: ids, column names, every float by its bits, the top
// category and attributes, and the table-wide values of the summary.
func compareTables(t *testing.T, sum *Summary, got *data.Table, want *features.Table, stats data.ReadStats) {
	t.Helper()
	if !slices.Equal(sum.Columns, want.Names) {
		t.Fatalf("columns %q, want %q", sum.Columns, want.Names)
	}
	ids := got.Column("customer_id").Strings
	order := make([]int, len(ids)) // the rows by id: shards hold ranges of a hash
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return compareStrings(ids[a], ids[b]) })
	if len(ids) != want.N() {
		t.Fatalf("%d rows, want %d", len(ids), want.N())
	}
	for k, i := range order {
		if ids[i] != want.IDs[k] {
			t.Fatalf("row %d: customer %q, want %q", k, ids[i], want.IDs[k])
		}
	}
	for j, name := range want.Names {
		col := got.Column(name)
		if col == nil || col.Kind != data.KindFloat64 {
			t.Fatalf("column %q missing or not float", name)
		}
		for k, i := range order {
			if math.Float64bits(col.Floats[i]) != math.Float64bits(want.Cols[j][k]) {
				t.Fatalf("%s of %s = %v, want %v (bits differ)", name, want.IDs[k], col.Floats[i], want.Cols[j][k])
			}
		}
	}
	for _, c := range []struct {
		name string
		want []string
	}{{"top_category", want.TopCategory}, {"city", want.City}, {"country", want.Country}, {"channel", want.Channel}} {
		col := got.Column(c.name).Strings
		for k, i := range order {
			w := ""
			if c.want != nil {
				w = c.want[k]
			}
			if col[i] != w {
				t.Fatalf("%s of %s = %q, want %q", c.name, want.IDs[k], col[i], w)
			}
		}
	}
	switch {
	case !sum.AsOf.Equal(want.AsOf) || sum.TimeZone != want.AsOf.Location().String():
		t.Fatalf("as_of %v, want %v", sum.AsOf, want.AsOf)
	case !slices.Equal(sum.Categories, want.Categories):
		t.Fatalf("categories %q, want %q", sum.Categories, want.Categories)
	case sum.Customers != int64(want.N()) || sum.Orders != int64(want.Orders) || sum.Purchases != int64(want.Purchases):
		t.Fatalf("customers/orders/purchases %d/%d/%d, want %d/%d/%d", sum.Customers, sum.Orders, sum.Purchases, want.N(), want.Orders, want.Purchases)
	case math.Float64bits(sum.Revenue) != math.Float64bits(want.Revenue):
		t.Fatalf("revenue %v, want %v", sum.Revenue, want.Revenue)
	case math.Float64bits(sum.MedianOrder) != math.Float64bits(want.MedianOrder):
		t.Fatalf("median order %v, want %v", sum.MedianOrder, want.MedianOrder)
	case sum.Lines != want.Lines || sum.LinesAfterAsOf != want.LinesAfterAsOf:
		t.Fatalf("lines %d (after as_of %d), want %d (%d)", sum.Lines, sum.LinesAfterAsOf, want.Lines, want.LinesAfterAsOf)
	case !sum.FirstLine.Equal(want.FirstLine) || !sum.LastLine.Equal(want.LastLine):
		t.Fatalf("lines from %v to %v, want %v to %v", sum.FirstLine, sum.LastLine, want.FirstLine, want.LastLine)
	case sum.RowsRead != stats.RowsRead || sum.RowsUsed != stats.RowsUsed-want.LinesAfterAsOf || sum.RowsRejected != stats.RowsRejected:
		t.Fatalf("rows read/used/rejected %d/%d/%d, want %d/%d/%d", sum.RowsRead, sum.RowsUsed, sum.RowsRejected,
			stats.RowsRead, stats.RowsUsed-want.LinesAfterAsOf, stats.RowsRejected)
	case !maps.Equal(sum.RejectsByReason, stats.RejectsByReason):
		t.Fatalf("rejects by reason %v, want %v", sum.RejectsByReason, stats.RejectsByReason)
	}
	var files []data.FileStat // run.json's inputs
	for _, f := range sum.Files {
		files = append(files, data.FileStat{Path: f.Path, SHA256: f.SHA256, Rows: f.Rows})
	}
	if !slices.Equal(files, stats.Files) {
		t.Fatalf("files %v, want %v", files, stats.Files)
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestFeaturesMatchLocal runs job 1 on Prism over a generated store of
// 2,000 customers and checks that the feature table equals the local
// run's, bit for bit, and that the shard files are byte-identical whatever
// the input's split into row groups and files, the cores Prism's workers
// get (GOMAXPROCS) and Prism's runner-initiated splitting. Prism has no
// parallelism setting of its own: it runs at most 8 bundles at once.
func TestFeaturesMatchLocal(t *testing.T) {
	orders, split := testStore(t)
	type run struct {
		name        string
		orders      string
		maxProcs    int
		experiments string
	}
	tests := []struct {
		name string
		cfg  Config
		runs []run
	}{
		{"defaults", Config{Shards: 4, MinShare: 0.01, Seed: 1}, []run{
			{"one row group", orders, 0, ""},
			{"3 files of 700-line row groups", split, 0, ""},
			{"one core, no dynamic splitting", split, 1, "prism_disable_rtc,prism_disable_sdf_split"},
		}},
		{"as_of, window, time zone, top 3", Config{Shards: 3, AsOf: "2025-06-01", WindowDays: 180,
			Location: "Europe/Berlin", TopCategories: 3, MinShare: 0.05, Seed: 9, SampleSize: 500}, []run{
			{"3 files of 700-line row groups", split, 0, ""},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var first []string
			for _, r := range tc.runs {
				t.Run(r.name, func(t *testing.T) {
					cfg := tc.cfg
					cfg.Orders, cfg.Out = r.orders, t.TempDir()
					want, stats := localTable(t, cfg)
					if r.maxProcs > 0 {
						defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(r.maxProcs))
					}
					*jobopts.Experiments = r.experiments
					defer func() { *jobopts.Experiments = "" }()
					if err := runJob(t, cfg); err != nil {
						t.Fatal(err)
					}
					sum, got, hashes := readShards(t, cfg.Out)
					compareTables(t, sum, got, want, stats)
					want.Absent = stats.Absent
					compareFit(t, cfg.Out, cfg, want)
					b, err := os.ReadFile(filepath.Join(cfg.Out, FeaturesDir, SampleFile))
					if err != nil {
						t.Fatal(err)
					}
					h := sha256.Sum256(b)
					hashes = append(hashes, hex.EncodeToString(h[:]))
					if first == nil {
						first = hashes
					} else if !slices.Equal(hashes, first) {
						t.Fatalf("shard hashes %v, first run's %v", hashes, first)
					}
				})
			}
		})
	}
}

// TestCommit runs job 1 on an input with a file that is not Parquet into a
// folder holding an earlier feature table: the job fails and the earlier
// table is left as it was. Then a job on good input replaces it whole,
// leaving no staging folder behind.
func TestCommit(t *testing.T) {
	orders, _ := testStore(t)
	out := t.TempDir()
	previous := map[string]string{SummaryFile: `{"customers": 1}`, shardName(0, 1): "an earlier shard"}
	if err := os.MkdirAll(filepath.Join(out, FeaturesDir), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range previous {
		if err := os.WriteFile(filepath.Join(out, FeaturesDir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bad := t.TempDir()
	b, err := os.ReadFile(orders)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{"a.parquet": b, "b.parquet": []byte("not parquet")} {
		if err := os.WriteFile(filepath.Join(bad, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := runJob(t, Config{Orders: filepath.Join(bad, "*.parquet"), Out: out, Shards: 2}); err == nil {
		t.Fatal("the job on a damaged file did not fail")
	}
	entries, err := os.ReadDir(filepath.Join(out, FeaturesDir))
	if err != nil || len(entries) != len(previous) {
		t.Fatalf("the failed job changed the outputs: %v, %v", entries, err)
	}
	for name, content := range previous {
		if got, err := os.ReadFile(filepath.Join(out, FeaturesDir, name)); err != nil || string(got) != content {
			t.Fatalf("%s: %q, %v; want %q", name, got, err, content)
		}
	}

	if err := runJob(t, Config{Orders: orders, Out: out, Shards: 2}); err != nil {
		t.Fatal(err)
	}
	sum, tab, _ := readShards(t, out)
	entries, err = os.ReadDir(filepath.Join(out, FeaturesDir))
	if err != nil || len(entries) != 4 || sum.Customers != int64(len(tab.Column("customer_id").Strings)) || sum.Customers < 1900 {
		t.Fatalf("after a good job: %v (%v), %d customers", entries, err, sum.Customers)
	}
	if top, err := os.ReadDir(out); err != nil || len(top) != 1 {
		t.Fatalf("the output folder holds %v (%v), want only %s", top, err, FeaturesDir)
	}
}

// TestConfigCheck checks the errors of a configuration a job cannot run.
func TestConfigCheck(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no orders", Config{Out: "out"}},
		{"no output", Config{Orders: "x.parquet"}},
		{"negative shards", Config{Orders: "x.parquet", Out: "out", Shards: -1}},
		{"bad as_of", Config{Orders: "x.parquet", Out: "out", AsOf: "2025-13-01"}},
		{"bad zone", Config{Orders: "x.parquet", Out: "out", Location: "Mars/Olympus"}},
		{"bad peak", Config{Orders: "x.parquet", Out: "out", PeakStart: "13-40"}},
		{"category twice", Config{Orders: "x.parquet", Out: "out", Categories: []string{"a", "a"}}},
		{"negative lifetime-value holdout", Config{Orders: "x.parquet", Out: "out", CLV: &config.CLV{HoldoutDays: -30}}},
		{"bad clv section", Config{Orders: "x.parquet", Out: "out", CLV: &config.CLV{Period: "month"}}},
		{"bad customers time format", Config{Orders: "x.parquet", Out: "out", Customers: "c.csv", CustomerTimes: TableTimes{Format: "%Q"}}},
		{"bad events timezone", Config{Orders: "x.parquet", Out: "out", Events: "e.csv", EventTimes: TableTimes{Zone: "Mars/Olympus"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cfg.Check(); err == nil {
				t.Fatal("no error")
			}
		})
	}
	// A feature table refuses what needs order lines, with the local run's
	// reasons (pipeline.CheckFeatureTable).
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Features: "f.parquet", Out: "out", Events: "e.csv"}, "an events table"},
		{Config{Features: "f.parquet", Out: "out", Products: "p.csv"}, "a products table"},
		{Config{Features: "f.parquet", Out: "out", AsOf: "2025-01-01"}, "as_of"},
		{Config{Features: "f.parquet", Out: "out", CLV: &config.CLV{}}, "clv section"},
	} {
		if err := tc.cfg.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("feature table with %s: error %v", tc.want, err)
		}
	}
	for _, lv := range []*config.CLV{nil, {}, {HoldoutDays: 30}} {
		if err := (&Config{Orders: "x.parquet", Out: "out", CLV: lv}).Check(); err != nil {
			t.Fatalf("a valid configuration (clv %v): %v", lv, err)
		}
	}
}
