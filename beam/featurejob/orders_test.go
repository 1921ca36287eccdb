package featurejob

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/segment-tool/segment/data"
)

// TestOrderCoder checks that an order's lines survive the coder, and that
// a damaged encoding is an error.
func TestOrderCoder(t *testing.T) {
	o := orderLines{Lines: []data.OrderLine{
		{CustomerID: "c1", OrderID: "o1", Time: time.Date(2024, 3, 1, 10, 0, 0, 5, time.UTC), Category: "Home", Amount: 0.1},
		{CustomerID: "c1", OrderID: "o1", Time: time.Date(2024, 3, 1, 10, 0, 1, 0, time.UTC), Quantity: -1, Amount: -3.5, Returned: true},
	}}
	b := encodeOrder(o)
	got, err := decodeOrder(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, o) {
		t.Fatalf("got %+v\nwant %+v", got, o)
	}
	for _, cut := range []int{0, 1, len(b) / 2, len(b) - 1} {
		if _, err := decodeOrder(b[:cut]); err == nil {
			t.Fatalf("cut to %d bytes: no error", cut)
		}
	}
	if n := bytes.Count(b, []byte("c1")); n != 1 {
		t.Fatalf("the customer id written %d times, want once", n)
	}
	if _, err := decodeOrder(append(b, 0)); err == nil {
		t.Fatal("a byte too many: no error")
	}
}

// TestHugeCustomer runs job 1 on the test store with one customer more
// who has 6,000 orders of 1 to 7 lines (about 24,000 lines: three chunks
// of the per-customer steps, eachChunk) spread over row groups of two
// files, and checks the feature rows, the store-wide values and the fit's
// values against the local run's, bit for bit.
func TestHugeCustomer(t *testing.T) {
	orders, _ := testStore(t)
	var rows []orderRow
	_, err := data.ReadOrders(context.Background(), data.OrderSource{Path: orders}, func(b []data.OrderLine) error {
		for _, l := range b {
			rows = append(rows, orderRow{l.CustomerID, l.OrderID, l.Time.UnixNano(), l.ProductID, l.Category, l.Coupon,
				l.Status, l.City, l.Country, l.Channel, l.Quantity, l.Amount, l.Discount})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	cats := []string{"apparel", "home", "toys", "books", "garden"}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	huge := 0
	for k := range 6000 {
		at := start.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour))))
		for j := range 1 + rng.IntN(7) {
			q := float64(1 + rng.IntN(3))
			if rng.IntN(20) == 0 {
				q = -q // a return
			}
			rows = append(rows, orderRow{CustomerID: "HUGE", OrderID: fmt.Sprintf("H%05d", k), Time: at.Add(time.Duration(j) * time.Second).UnixNano(),
				ProductID: fmt.Sprintf("p%d", rng.IntN(300)), Category: cats[rng.IntN(len(cats))], City: "Lyon", Country: "FR", Channel: "web",
				Quantity: q, Amount: q * float64(1+rng.IntN(9000)) / 100, Discount: float64(rng.IntN(3))})
			huge++
		}
	}
	if huge <= 2*chunkLines {
		t.Fatalf("the customer has %d lines: want more than 2 chunks", huge)
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	dir := t.TempDir()
	for k, part := range [][]orderRow{rows[:len(rows)/2], rows[len(rows)/2:]} {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("orders-%d.parquet", k)))
		if err != nil {
			t.Fatal(err)
		}
		w := parquet.NewGenericWriter[orderRow](f, parquet.MaxRowsPerRowGroup(5000))
		if _, err := w.Write(part); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"defaults", Config{Shards: 3, MinShare: 0.01, Seed: 1}},
		{"window", Config{Shards: 2, AsOf: "2025-01-01", WindowDays: 200, MinShare: 0.01, Seed: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Orders, cfg.Out = filepath.Join(dir, "*.parquet"), t.TempDir()
			want, stats := localTable(t, cfg)
			if err := runJob(t, cfg); err != nil {
				t.Fatal(err)
			}
			sum, got, _ := readShards(t, cfg.Out)
			compareTables(t, sum, got, want, stats)
			want.Absent = stats.Absent
			compareFit(t, cfg.Out, cfg, want)
		})
	}
}

// TestEachRun checks how the reader gathers an order's adjacent lines
// into one element: the runs are the longest stretches of one customer's
// order, at most maxRunLines, and hold every line once, in order.
func TestEachRun(t *testing.T) {
	var batch []data.OrderLine
	add := func(cust, order string, n int) {
		for range n {
			batch = append(batch, data.OrderLine{CustomerID: cust, OrderID: order, Quantity: float64(len(batch))})
		}
	}
	add("c1", "o1", 3)
	add("c2", "o1", 1) // the same order id, another customer
	add("c1", "o1", 2) // c1's o1 again, not adjacent: a run of its own
	add("c1", "o2", maxRunLines+5)
	add("c3", "", 2)
	want := []int{3, 1, 2, maxRunLines, 5, 2}
	var got []int
	next := 0
	eachRun(batch, func(run []data.OrderLine) {
		got = append(got, len(run))
		for _, l := range run {
			if l.Quantity != float64(next) || l.CustomerID != run[0].CustomerID || l.OrderID != run[0].OrderID {
				t.Fatalf("line %d in a run of %s/%s: %+v", next, run[0].CustomerID, run[0].OrderID, l)
			}
			next++
		}
	})
	if !reflect.DeepEqual(got, want) || next != len(batch) {
		t.Fatalf("runs %v (%d lines), want %v (%d)", got, next, want, len(batch))
	}
	eachRun(nil, func([]data.OrderLine) { t.Fatal("a run of no batch") })
}

// TestReadPartRuns reads the test store's parts as job 1 does and checks
// that the elements are its orders' runs: fewer than the lines (the
// generated store writes an order's lines together) and every line once.
func TestReadPartRuns(t *testing.T) {
	orders, _ := testStore(t)
	cfg := Config{Orders: orders, Out: t.TempDir(), Shards: 1, MinShare: 0.01, Seed: 1, Staging: "t"}
	ctx := context.Background()
	var parts []orderPart
	if err := listParts(ctx, orders, func(op orderPart) { parts = append(parts, op) }); err != nil {
		t.Fatal(err)
	}
	f := &readPartFn{Cfg: cfg}
	if err := f.Setup(); err != nil {
		t.Fatal(err)
	}
	var elements, lines int
	keys := map[string]int{}
	for _, op := range parts {
		err := f.ProcessElement(ctx, op, func(key string, o orderLines) {
			elements++
			lines += len(o.Lines)
			keys[key]++
			if key != orderKey(&o.Lines[0]) {
				t.Fatalf("key %q for an order of %q", key, orderKey(&o.Lines[0]))
			}
		}, func(partStats) {}, func(shardFile) { t.Fatal("rejects") })
		if err != nil {
			t.Fatal(err)
		}
	}
	var want int64
	if _, err := data.ReadOrders(ctx, data.OrderSource{Path: orders}, func(b []data.OrderLine) error { want += int64(len(b)); return nil }); err != nil {
		t.Fatal(err)
	}
	if int64(lines) != want {
		t.Fatalf("%d lines emitted, want %d", lines, want)
	}
	// An order's lines are one element but where a batch of the reader
	// (8,192 lines) ends within them.
	if elements > len(keys)+len(parts)+lines/4096 {
		t.Fatalf("%d elements for %d lines and %d orders in %d parts: the lines of an order were not gathered", elements, lines, len(keys), len(parts))
	}
}
