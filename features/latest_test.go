package features

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestLatest: the newest LatestKept distinct instants, newest first,
// whatever the order the times come in and however they are split and
// merged.
func TestLatest(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1))
	for range 200 {
		ts := make([]int64, r.IntN(40))
		for i := range ts {
			ts[i] = r.Int64N(30) // many repeats
		}
		want := slices.Compact(slices.Sorted(slices.Values(ts)))
		slices.Reverse(want)
		want = want[:min(len(want), LatestKept)]
		var all latest
		for _, x := range ts {
			all.note(x)
		}
		cut := r.IntN(len(ts) + 1)
		var a, b latest
		for _, x := range ts[:cut] {
			a.note(x)
		}
		for _, x := range ts[cut:] {
			b.note(x)
		}
		ab, ba := MergeLatest(a, b), MergeLatest(b, a)
		if !slices.Equal(all, want) || !slices.Equal(ab, want) || !slices.Equal(ba, want) {
			t.Fatalf("times %v: noted %v, merged %v and %v; want %v", ts, all, ab, ba, want)
		}
	}
}

// TestDateGap: a line dated decades after the rest (2100 for 2010) is a
// gap of more than DateGapMin before the newest lines, counted in distinct
// times; a store whose lines are spread out has none.
func TestDateGap(t *testing.T) {
	line := func(cust, order string, tm time.Time) data.OrderLine {
		return data.OrderLine{CustomerID: cust, OrderID: order, Time: tm, Quantity: 1, UnitPrice: 10, Amount: 10}
	}
	base := knownLines()[:4]
	for _, c := range []struct {
		name  string
		extra []data.OrderLine
		times int // 0: no gap
	}{
		{"none", nil, 0},
		{"a line ten months later", []data.OrderLine{line("z", "Z1", at(2024, 11, 1, 0, 0, 0))}, 0},
		{"one line in 2100", []data.OrderLine{line("z", "Z1", at(2100, 6, 1, 0, 0, 0))}, 1},
		{"two lines of one time", []data.OrderLine{line("z", "Z1", at(2100, 6, 1, 0, 0, 0)), line("y", "Y1", at(2100, 6, 1, 0, 0, 0))}, 1},
		{"three times", []data.OrderLine{line("z", "Z1", at(2100, 6, 1, 0, 0, 0)), line("y", "Y1", at(2100, 6, 1, 0, 0, 1)), line("z", "Z2", at(2100, 1, 1, 0, 0, 0))}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := aggregate(t, Options{}, append(slices.Clone(base), c.extra...))
			g := tab.DateGap()
			switch {
			case c.times == 0 && g != nil:
				t.Errorf("gap %+v, want none", g)
			case c.times > 0 && (g == nil || g.Times != c.times || !g.Before.Equal(at(2024, 1, 10, 9, 0, 0)) || !g.Newest.Equal(tab.LastLine)):
				t.Errorf("gap %+v, want %d times after 2024-01-10 09:00 up to %v", g, c.times, tab.LastLine)
			}
		})
	}
}
