package featurejob

import (
	"bytes"
	"context"
	"encoding/binary"
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
// who has 6,000 orders of 1 to 7 lines (about 24,000 lines: more than two
// chunks of the steps after the grouping, eachLines) spread over row
// groups of two files, and checks the feature rows, the store-wide values
// and the fit's values against the local run's, bit for bit.
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

// TestReadPartBlocks reads the test store's parts as job 1 does and checks
// the elements: at most a block per part and line shard, and one per
// blockBytes sent when a block fills, each holding only lines of its shard's
// customers, every line once, and the ids once per run of an order's
// adjacent lines (the generated store writes an order's lines together: at
// least two lines a run on average).
func TestReadPartBlocks(t *testing.T) {
	orders, _ := testStore(t)
	const lineShards = 7
	cfg := Config{Orders: orders, Out: t.TempDir(), Shards: 1, LineShards: lineShards, MinShare: 0.01, Seed: 1, Staging: "t"}
	ctx := context.Background()
	var parts []orderPart
	if err := listParts(ctx, orders, func(op orderPart) { parts = append(parts, op) }); err != nil {
		t.Fatal(err)
	}
	f := &readPartFn{Cfg: cfg}
	if err := f.Setup(); err != nil {
		t.Fatal(err)
	}
	var elements, size, lines, blockRuns, sharedRuns int
	seen := map[string]int{} // line count by customer
	for _, op := range parts {
		err := f.ProcessElement(ctx, op, func(shard int, b lineBlock) {
			elements++
			size += len(b.Runs)
			for r := b.Runs; len(r) > 0; { // each run: its length, then encodeOrder's bytes
				n, k := binary.Uvarint(r)
				if k <= 0 || n > uint64(len(r)-k) {
					t.Fatalf("a block of shard %d does not split into runs", shard)
				}
				_, c := binary.Uvarint(r[k:])
				if r[k+c] == orderSharedIDs {
					sharedRuns++
				}
				blockRuns++
				r = r[k+int(n):]
			}
			one := func(blk *lineBlock) bool { *blk = b; b = lineBlock{}; return blk.Runs != nil }
			if _, err := eachLines(nil, one, func(ls []data.OrderLine) {
				for _, l := range ls {
					if got := shardOf(l.CustomerID, lineShards); got != shard {
						t.Fatalf("customer %s (line shard %d) in a block of shard %d", l.CustomerID, got, shard)
					}
					seen[l.CustomerID]++
					lines++
				}
			}); err != nil {
				t.Fatal(err)
			}
		}, func(partStats) {}, func(shardFile) { t.Fatal("rejects") })
		if err != nil {
			t.Fatal(err)
		}
	}
	var want int64
	wantBy := map[string]int{}
	if _, err := data.ReadOrders(ctx, data.OrderSource{Path: orders}, func(b []data.OrderLine) error {
		want += int64(len(b))
		for _, l := range b {
			wantBy[l.CustomerID]++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if int64(lines) != want || !reflect.DeepEqual(seen, wantBy) {
		t.Fatalf("%d lines emitted, want %d, or not those of each customer", lines, want)
	}
	if elements > len(parts)*lineShards+size/blockBytes {
		t.Fatalf("%d elements of %d bytes for %d parts and %d line shards: want a block per part and shard, and one per %d bytes, at most",
			elements, size, len(parts), lineShards, blockBytes)
	}
	if blockRuns*2 > lines || sharedRuns != blockRuns {
		t.Fatalf("%d lines in %d runs, %d with their ids once: want the ids once per run, and runs of an order's lines", lines, blockRuns, sharedRuns)
	}
}

// TestEachLinesDamaged checks that a block that does not decode is an
// error, not lines.
func TestEachLinesDamaged(t *testing.T) {
	run := encodeOrder(orderLines{Lines: []data.OrderLine{{CustomerID: "c1", OrderID: "o1", Amount: 2}}})
	good := append(binary.AppendUvarint(nil, uint64(len(run))), run...)
	for name, b := range map[string][]byte{
		"cut":     good[:len(good)-1],
		"long":    append(binary.AppendUvarint(nil, uint64(len(run)+5)), run...),
		"bad run": append(binary.AppendUvarint(nil, 1), 9),
		"good":    good,
	} {
		blk := lineBlock{Runs: b}
		one := func(dst *lineBlock) bool { *dst = blk; blk = lineBlock{}; return dst.Runs != nil }
		n := 0
		_, err := eachLines(nil, one, func(ls []data.OrderLine) { n += len(ls) })
		if name == "good" {
			if err != nil || n != 1 {
				t.Fatalf("%s: %d lines, %v", name, n, err)
			}
			continue
		}
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
	}
}
