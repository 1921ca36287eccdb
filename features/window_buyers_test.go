package features

import (
	"context"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestWindowBuyersBeforeWindow: with features.window_days, a customer who
// bought only before the window is still a buyer of the store's history:
// lifetime_frequency counts their purchases, RFM scores them (recency
// from all history; frequency and monetary 0: lost), the groups on
// history hold them (lapsed, idle, one_time_buyer; not registered_lead),
// and they are not clustered for a reason of their own. A customer whose
// one purchase in the window is their third is no seasonal first-timer.
func TestWindowBuyersBeforeWindow(t *testing.T) {
	line := func(cust, order string, y int, m time.Month, d int, amount float64) data.OrderLine {
		return data.OrderLine{CustomerID: cust, OrderID: order, Time: at(y, m, d, 10, 0, 0), Quantity: 1, UnitPrice: amount, Amount: amount}
	}
	lines := []data.OrderLine{
		line("lapsed", "1", 2022, 9, 1, 50),  // 547 days before as_of
		line("idle", "2", 2023, 10, 20, 50),  // 133 days
		line("thrice", "3", 2022, 12, 1, 10), // the first in the peak season…
		line("thrice", "4", 2023, 6, 1, 10),
		line("thrice", "5", 2024, 2, 20, 10), // …the third in the window
		line("b", "6", 2024, 2, 10, 20),
		line("c", "7", 2024, 2, 12, 30),
	}
	tab := aggregate(t, Options{AsOf: knownAsOf, WindowDays: 30}, lines)
	row := func(id string) int {
		t.Helper()
		for i, x := range tab.IDs {
			if x == id {
				return i
			}
		}
		t.Fatalf("no row %s", id)
		return -1
	}
	life, freq := tab.Col(LifetimeFrequency), tab.Col(Frequency)
	if l, f := life[row("thrice")], freq[row("thrice")]; l != 3 || f != 1 {
		t.Errorf("thrice: lifetime_frequency %v, frequency %v; want 3 and 1", l, f)
	}
	why := NotClustered(tab)
	for _, c := range []struct{ id, want string }{{"lapsed", NotClusteredBeforeWindow}, {"idle", NotClusteredBeforeWindow}, {"b", ""}} {
		if got := why[row(c.id)]; got != c.want {
			t.Errorf("%s: not clustered %q, want %q", c.id, got, c.want)
		}
	}
	rfm, err := ScoreRFM(tab, FitRFMCuts(tab))
	if err != nil {
		t.Fatal(err)
	}
	segs := rfm.Segments()
	if i := row("lapsed"); rfm.R[i] != 1 || rfm.F[i] != 1 || rfm.M[i] != 1 || segs[i] != "lost" {
		t.Errorf("lapsed: R %d F %d M %d %s; want 1 1 1 lost", rfm.R[i], rfm.F[i], rfm.M[i], segs[i])
	}
	registered := make([]bool, tab.N())
	for i := range registered {
		registered[i] = true
	}
	groups, err := SeedGroups(context.Background(), tab, &Profile{Registered: registered}, DefaultThresholds)
	if err != nil {
		t.Fatal(err)
	}
	member := func(group, id string) bool {
		for _, g := range groups {
			if g.ID == group {
				return g.Members[row(id)]
			}
		}
		t.Fatalf("no group %s", group)
		return false
	}
	for _, c := range []struct {
		group, id string
		want      bool
	}{
		{"lapsed", "lapsed", true}, {"idle", "idle", true}, {"one_time_buyer", "lapsed", true},
		{"registered_lead", "lapsed", false}, {"repeat_buyer", "thrice", true},
		{"seasonal_first_timer", "thrice", false}, {"top20", "lapsed", false},
	} {
		if got := member(c.group, c.id); got != c.want {
			t.Errorf("%s in %s: %v, want %v", c.id, c.group, got, c.want)
		}
	}
}
