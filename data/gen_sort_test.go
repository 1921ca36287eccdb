package data

import (
	"bytes"
	"slices"
	"testing"
)

// TestCmpLinesComparesOrderIDs: order ids compare as the strings they are,
// also past 99,999,999 where they grow a digit.
func TestCmpLinesComparesOrderIDs(t *testing.T) {
	var lines []lineRec
	for _, order := range []uint32{1, 7, 99_999_999, 100_000_000, 123_456_789, 20_000_000, 1_000_000_000} {
		for _, flags := range []uint8{0, lineReturn} {
			lines = append(lines, lineRec{t: 5e6, order: order, flags: flags})
		}
	}
	for _, a := range lines {
		for _, b := range lines {
			want := bytes.Compare(a.appendOrderID(nil), b.appendOrderID(nil))
			if got := cmpLines(a, b); got != want {
				t.Errorf("cmpLines(%s, %s) = %d, want %d", a.appendOrderID(nil), b.appendOrderID(nil), got, want)
			}
		}
	}
}

// TestSortedOrderKeys: the radix sort of lineKeys and eventKeys gives the
// order of comparing the records, on a generated block.
func TestSortedOrderKeys(t *testing.T) {
	g := newGenerator(11)
	for i := range 400 {
		g.add(uint32(i), i >= 380)
	}
	check := func(name string, got, want []keyedIndex) {
		t.Helper()
		if !slices.EqualFunc(got, want, func(a, b keyedIndex) bool { return a.idx == b.idx }) {
			t.Errorf("%s: radix sorted keys and comparisons give different orders", name)
		}
	}
	if _, ok := lineKeys(g.lines, make([]keyedIndex, len(g.lines))); !ok {
		t.Fatal("lineKeys: no keys for generated lines")
	}
	if _, ok := eventKeys(g.events, make([]keyedIndex, len(g.events))); !ok {
		t.Fatal("eventKeys: no keys for generated events")
	}
	lc, ec := *lineCodec, *eventCodec // comparing only
	lc.keys = func([]lineRec, []keyedIndex) (int, bool) { return 0, false }
	ec.keys = func([]eventRec, []keyedIndex) (int, bool) { return 0, false }
	got, _, _ := sortedOrder(g.lines, lineCodec, nil, nil)
	want, _, _ := sortedOrder(g.lines, &lc, nil, nil)
	check("lines", got, want)
	got, _, _ = sortedOrder(g.events, eventCodec, nil, nil)
	want, _, _ = sortedOrder(g.events, &ec, nil, nil)
	check("events", got, want)

	// A time that is not a whole second has no key: the records are compared.
	g.lines[0].t++
	if _, ok := lineKeys(g.lines, make([]keyedIndex, len(g.lines))); ok {
		t.Error("lineKeys: a key for a time with microseconds")
	}
}
