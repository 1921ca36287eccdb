package features

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestLatest: the newest instant of each of the newest LatestKept days,
// newest first, whatever the order the times come in (in time order
// too) and however they are split and merged; days before 1970 included.
func TestLatest(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1))
	for range 300 {
		ts := make([]int64, r.IntN(120))
		for i := range ts {
			ts[i] = (r.Int64N(60)-20)*dayNanos/3 + r.Int64N(3) // many repeats, several a day
		}
		newest := map[int64]int64{}
		for _, x := range ts {
			if n, ok := newest[day(x)]; !ok || x > n {
				newest[day(x)] = x
			}
		}
		var want []int64
		for _, x := range newest {
			want = append(want, x)
		}
		slices.Sort(want)
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
		var inOrder latest // as most files come: oldest first
		for _, x := range slices.Sorted(slices.Values(ts)) {
			inOrder.note(x)
		}
		if !slices.Equal(inOrder, want) {
			t.Fatalf("times %v in order: noted %v, want %v", ts, inOrder, want)
		}
	}
}

// TestDateGap: a line dated decades after the rest (2100 for 2010) is a
// gap of more than DateGapMin before the newest lines, counted in days
// with lines; a store whose lines are spread out has none, and a month of
// mistyped lines, each at its own time, is found.
func TestDateGap(t *testing.T) {
	line := func(cust, order string, tm time.Time) data.OrderLine {
		return data.OrderLine{CustomerID: cust, OrderID: order, Time: tm, Quantity: 1, UnitPrice: 10, Amount: 10}
	}
	base := knownLines()[:4]
	for _, c := range []struct {
		name  string
		extra []data.OrderLine
		days  int // 0: no gap
	}{
		{"none", nil, 0},
		{"a line ten months later", []data.OrderLine{line("z", "Z1", at(2024, 11, 1, 0, 0, 0))}, 0},
		{"one line in 2100", []data.OrderLine{line("z", "Z1", at(2100, 6, 1, 0, 0, 0))}, 1},
		{"two lines of one time", []data.OrderLine{line("z", "Z1", at(2100, 6, 1, 0, 0, 0)), line("y", "Y1", at(2100, 6, 1, 0, 0, 0))}, 1},
		{"three times, two days", []data.OrderLine{line("z", "Z1", at(2100, 6, 1, 0, 0, 0)), line("y", "Y1", at(2100, 6, 1, 0, 0, 1)), line("z", "Z2", at(2100, 1, 1, 0, 0, 0))}, 2},
		{"a month of lines", func() []data.OrderLine {
			var ls []data.OrderLine
			for d := range 30 {
				for h := range 5 {
					ls = append(ls, line("m", fmt.Sprintf("M%d-%d", d, h), at(2100, 1, 1+d, h, 0, 0)))
				}
			}
			return ls
		}(), 30},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := aggregate(t, Options{}, append(slices.Clone(base), c.extra...))
			g := tab.DateGap()
			switch {
			case c.days == 0 && g != nil:
				t.Errorf("gap %+v, want none", g)
			case c.days > 0 && (g == nil || g.Days != c.days || !g.Before.Equal(at(2024, 1, 10, 9, 0, 0)) || !g.Newest.Equal(tab.LastLine)):
				t.Errorf("gap %+v, want %d days after 2024-01-10 09:00 up to %v", g, c.days, tab.LastLine)
			}
		})
	}
}
