package data

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestRepeatsEqualDropped reads order files with lines that repeat
// earlier ones (within a row group, across row groups and files, Parquet
// and CSV, some copies rejected for another reason) with duplicates kept:
// ReadStats.Repeated must be the number of lines DropDuplicates rejects as
// "duplicate line", exactly, and the part-by-part read of a distributed
// run, its Repeats merged in any order (MergeRepeats), must give the same
// Repeats as one read of every file.
func TestRepeatsEqualDropped(t *testing.T) {
	glob := writeDuplicateLines(t)
	ctx := context.Background()

	_, _, dropped, err := readAll(t, OrderSource{Path: glob, BatchSize: 41, Duplicates: DropDuplicates})
	if err != nil {
		t.Fatal(err)
	}
	_, _, kept, err := readAll(t, OrderSource{Path: glob, BatchSize: 41})
	if err != nil {
		t.Fatal(err)
	}
	if d := dropped.RejectsByReason["duplicate line"]; d == 0 || kept.Repeated != d || kept.RepeatedEstimated {
		t.Fatalf("kept: %d repeated (estimated %v); want the %d lines dropped as duplicates, exactly", kept.Repeated, kept.RepeatedEstimated, d)
	}
	if dropped.Repeated != 0 {
		t.Errorf("dropped: %d repeated, want 0 (rejected instead)", dropped.Repeated)
	}
	parts, err := OrderParts(glob)
	if err != nil {
		t.Fatal(err)
	}
	each := make([]Repeats, len(parts))
	for k, p := range parts {
		st, err := ReadOrderPart(ctx, OrderSource{}, p, func([]OrderLine) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		each[k] = st.Repeats
	}
	var forward, backward Repeats
	for k := range each {
		forward = MergeRepeats(forward, each[k])
		backward = MergeRepeats(each[len(each)-1-k], backward)
	}
	if !reflect.DeepEqual(forward, kept.Repeats) || !reflect.DeepEqual(backward, kept.Repeats) {
		t.Fatalf("merged parts: %d and %d repeated; want %d, the same Repeats", forward.Count(math.MaxInt64), backward.Count(math.MaxInt64), kept.Repeats.Count(math.MaxInt64))
	}
}

// TestRepeatsSampled counts more distinct lines than Repeats holds: the
// count is then estimated from a sample of the lines (Shift > 0), close to
// the truth, and the same whatever the order of the lines and their split
// into parts merged in any order; an order of more lines than the sample
// holds is sampled too, not left out whole. An estimate never passes the
// lines used less one.
func TestRepeatsSampled(t *testing.T) {
	var lines []OrderLine
	truth := int64(0)
	add := func(l OrderLine, copies int) {
		for range copies {
			lines = append(lines, l)
		}
		truth += int64(copies - 1)
	}
	const orders = repeatsCap
	for o := range orders { // two lines an order, every tenth order's first written twice
		for k := range 2 {
			copies := 1
			if o%10 == 0 && k == 0 {
				copies = 2
			}
			add(OrderLine{CustomerID: fmt.Sprintf("c%d", o/3), OrderID: fmt.Sprintf("o%d", o), ProductID: fmt.Sprintf("p%d", k), Amount: float64(o%17 + k)}, copies)
		}
	}
	for k := range 2 * repeatsCap { // one order of more lines than the sample holds, every fifth written twice
		copies := 1
		if k%5 == 0 {
			copies = 2
		}
		add(OrderLine{CustomerID: "wholesale", OrderID: "big", ProductID: fmt.Sprintf("sku-%d", k), Amount: 1}, copies)
	}
	count := func(ls []OrderLine) Repeats {
		var s repeatSampler
		for i := range ls {
			s.add(&ls[i])
		}
		return s.result()
	}
	used := int64(len(lines))
	want := count(lines)
	if !want.Estimated(used) || len(want.Hashes) > repeatsCap {
		t.Fatalf("shift %d, %d lines held: want a sample of at most %d", want.Shift, len(want.Hashes), repeatsCap)
	}
	if got := want.Count(used); got < truth*8/10 || got > truth*12/10 {
		t.Errorf("estimated %d repeated lines, want %d within 20%%", got, truth)
	}
	if got := want.Count(10); got != 9 {
		t.Errorf("estimated %d repeated lines of 10 used, want at most 9", got)
	}
	shuffled := append([]OrderLine(nil), lines...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if got := count(shuffled); !reflect.DeepEqual(got, want) {
		t.Errorf("shuffled: shift %d, count %d; want shift %d, count %d", got.Shift, got.Count(used), want.Shift, want.Count(used))
	}
	third := len(shuffled) / 3
	a, b, c := count(shuffled[:third]), count(shuffled[third:2*third]), count(shuffled[2*third:])
	for _, got := range []Repeats{MergeRepeats(MergeRepeats(a, b), c), MergeRepeats(c, MergeRepeats(b, a))} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("merged parts: shift %d, count %d; want shift %d, count %d", got.Shift, got.Count(used), want.Shift, want.Count(used))
		}
	}
}

// TestLineHashIsFNV checks that LineHash, written out, is FNV-1a of the
// line's strings (each ended by a zero byte), its time and its numbers'
// little-endian bits, with the refund only when not 0, as hash/fnv
// computes it: the hashes of a distributed run's parts must agree.
func TestLineHashIsFNV(t *testing.T) {
	ref := func(l *OrderLine) uint64 {
		h := fnv.New64a()
		for _, s := range []string{l.CustomerID, l.OrderID, l.ProductID, l.Category, l.Coupon, l.Status, l.City, l.Country, l.Channel} {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
		vs := []uint64{uint64(l.Time.UnixNano()), math.Float64bits(l.Quantity), math.Float64bits(l.UnitPrice), math.Float64bits(l.Amount), math.Float64bits(l.Discount)}
		if l.Refunded != 0 {
			vs = append(vs, math.Float64bits(l.Refunded))
		}
		for _, v := range vs {
			h.Write(binary.LittleEndian.AppendUint64(nil, v))
		}
		return h.Sum64()
	}
	lines := []OrderLine{
		{},
		{CustomerID: "c1", OrderID: "o1", Time: t0, Amount: 12.5},
		{CustomerID: "c1", OrderID: "o1", ProductID: "p", Category: "Bücher", Coupon: "X", Status: "paid", City: "Zürich", Country: "CH", Channel: "web",
			Time: t0.Add(-time.Hour), Quantity: -2, UnitPrice: 3.25, Amount: -6.5, Discount: 0.1, Refunded: 4},
	}
	for i := range lines {
		if got, want := LineHash(&lines[i]), ref(&lines[i]); got != want {
			t.Errorf("line %d: LineHash %x, hash/fnv %x", i, got, want)
		}
	}
}

// TestRepeatsCarriedRefund: a refund carried to a line from a rejected line
// of its order (a missing amount) is not part of the line as duplicates
// compare it. A copy of that line in the next file is dropped as a
// duplicate by ReadOrders, by a distributed run (PartLineHashes, then
// ReadOrderPartAfter) and counted as repeated with duplicates kept; a line
// that only gave its refund away is not a copy of one that kept its own.
func TestRepeatsCarriedRefund(t *testing.T) {
	dir := t.TempDir()
	header := "customer_id,order_id,time,amount,Refunded Amount\n"
	writeFile(t, dir, "part-0.csv", header+"c1,o1,2024-01-02,,5\nc1,o1,2024-01-02,10,\n")
	writeFile(t, dir, "part-1.csv", header+"c1,o1,2024-01-02,10,\nc2,o2,2024-01-03,10,5\nc2,o2,2024-01-03,,\nc2,o2,2024-01-03,10,\n")
	cols := DefaultOrderColumns()
	cols.Refunded = "Refunded Amount"
	glob := filepath.Join(dir, "part-*.csv")
	lines, _, dropped, err := readAll(t, OrderSource{Path: glob, Columns: cols, Duplicates: DropDuplicates})
	if err != nil {
		t.Fatal(err)
	}
	if d := dropped.RejectsByReason["duplicate line"]; d != 1 || len(lines) != 3 || lines[0].Refunded != 5 {
		t.Fatalf("dropped: %d duplicates, %d lines (the first refunded %v); want 1, 3 and the carried 5", d, len(lines), lines[0].Refunded)
	}
	_, _, kept, err := readAll(t, OrderSource{Path: glob, Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	if kept.Repeated != 1 {
		t.Errorf("kept: %d repeated, want 1", kept.Repeated)
	}
	if d := partDuplicates(t, glob, cols); d != 1 {
		t.Errorf("part after the first: %d duplicates, want 1 (the copy of a line given a carried refund)", d)
	}
}

// partDuplicates returns how many lines of the second of two order files
// (glob) a distributed run drops as copies of the first's lines: the
// files' PartLineHashes, then ReadOrderPartAfter of the second.
func partDuplicates(t *testing.T, glob string, cols OrderColumns) int64 {
	t.Helper()
	ctx := context.Background()
	parts, err := OrderParts(glob)
	if err != nil || len(parts) != 2 {
		t.Fatalf("%s: %d parts, %v; want 2", glob, len(parts), err)
	}
	src := OrderSource{Columns: cols}
	first, err := PartLineHashes(ctx, src, parts[0])
	if err != nil {
		t.Fatal(err)
	}
	second, err := PartLineHashes(ctx, src, parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var earlier []uint64
	for h := range second {
		if _, ok := first[h]; ok {
			earlier = append(earlier, h)
		}
	}
	st, err := ReadOrderPartAfter(ctx, src, parts[1], earlier, func([]OrderLine) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	return st.RejectsByReason["duplicate line"]
}

// TestRepeatsRestOfRow: CSV lines equal in every mapped column but not in
// a column no logical column maps (WooCommerce's Item #: two lines of one
// product in an order) are not repeats and are not dropped as duplicate
// lines; a row repeated in every field is.
func TestRepeatsRestOfRow(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "customer_id,order_id,time,amount,Item #\n"+
		"C1,O1,2024-01-05,10,1\n"+
		"C1,O1,2024-01-05,10,2\n"+ // another line of the order: the same product and price
		"C1,O1,2024-01-05,10,2\n"+ // a copy of the row before
		"C2,O2,2024-01-06,7,1\n")
	for _, dups := range []string{KeepDuplicates, DropDuplicates} {
		lines, _, st, err := readAll(t, OrderSource{Path: path, Duplicates: dups})
		if err != nil {
			t.Fatal(err)
		}
		wantLines, wantRepeated := 4, int64(1)
		if dups == DropDuplicates {
			wantLines, wantRepeated = 3, 0
		}
		if len(lines) != wantLines || st.Repeated != wantRepeated || dups == DropDuplicates && st.RejectsByReason["duplicate line"] != 1 {
			t.Errorf("duplicates %v: %d lines, %d repeated, rejects %v; want %d lines, %d repeated", dups, len(lines), st.Repeated, st.RejectsByReason, wantLines, wantRepeated)
		}
	}
}

// TestRepeatsCarriedRefundParquet: TestRepeatsCarriedRefund's lines in
// Parquet files, read by row group and page: the line given a carried
// refund is counted, and hashed for a distributed run, as it was read.
func TestRepeatsCarriedRefundParquet(t *testing.T) {
	dir := t.TempDir()
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	write := func(name string, cust, order []string, days []int, amount, refunded []float64, nulls []bool) {
		t.Helper()
		times := make([]time.Time, len(days))
		for i, d := range days {
			times[i] = day(d)
		}
		tab := &Table{Columns: []Column{
			{Name: "customer_id", Kind: KindString, Strings: cust},
			{Name: "order_id", Kind: KindString, Strings: order},
			{Name: "time", Kind: KindTime, Times: times},
			{Name: "amount", Kind: KindFloat64, Floats: amount, Nulls: nulls},
			{Name: "Refunded Amount", Kind: KindFloat64, Floats: refunded},
		}}
		writeParquetFile(t, dir, name, tab)
	}
	write("part-0.parquet", []string{"c1", "c1"}, []string{"o1", "o1"}, []int{2, 2}, []float64{0, 10}, []float64{5, 0}, []bool{true, false})
	write("part-1.parquet", []string{"c1", "c2", "c2", "c2"}, []string{"o1", "o2", "o2", "o2"}, []int{2, 3, 3, 3},
		[]float64{10, 10, 0, 10}, []float64{0, 5, 0, 0}, []bool{false, false, true, false})
	cols := DefaultOrderColumns()
	cols.Refunded = "Refunded Amount"
	glob := filepath.Join(dir, "part-*.parquet")
	lines, _, kept, err := readAll(t, OrderSource{Path: glob, Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 4 || lines[0].Refunded != 5 || kept.Repeated != 1 {
		t.Errorf("%d lines (the first refunded %v), %d repeated; want 4, the carried 5 and 1", len(lines), lines[0].Refunded, kept.Repeated)
	}
	_, _, dropped, err := readAll(t, OrderSource{Path: glob, Columns: cols, Duplicates: DropDuplicates})
	if err != nil {
		t.Fatal(err)
	}
	if d := dropped.RejectsByReason["duplicate line"]; d != 1 {
		t.Errorf("dropped: %d duplicates, want 1", d)
	}
	if d := partDuplicates(t, glob, cols); d != 1 {
		t.Errorf("part after the first: %d duplicates, want 1 (the copy of a line given a carried refund)", d)
	}
}
