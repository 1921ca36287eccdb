package features

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// attrLines is a small store whose customers' city, country and channel
// are worked out by hand (want in TestAttributes).
func attrLines() []data.OrderLine {
	day := func(d int) time.Time { return at(2024, 1, d, 12, 0, 0) }
	l := func(cust, order string, d int, city, country, channel string) data.OrderLine {
		return data.OrderLine{CustomerID: cust, OrderID: order, Time: day(d), Quantity: 1, UnitPrice: 10, Amount: 10,
			City: city, Country: country, Channel: channel}
	}
	return []data.OrderLine{
		// a: one order of three lines in FR against two one-line orders in
		// DE: orders count, not lines, so DE.
		l("a", "a1", 1, "Paris", "FR", "web"), l("a", "a1", 1, "Paris", "FR", "web"), l("a", "a1", 1, "Paris", "FR", "web"),
		l("a", "a2", 2, "Berlin", "DE", "app"), l("a", "a3", 3, "Berlin", "DE", "app"),
		// b: one order each: ties go to the alphabetically first value.
		l("b", "b1", 1, "Zurich", "FR", "web"), l("b", "b2", 2, "Bern", "CH", "store"),
		// c: no value anywhere (blank counts as none).
		l("c", "c1", 1, "", "", ""), l("c", "c2", 2, " ", "\t", ""),
		// d: order d1's lines disagree (it counts as Lyon, the first
		// alphabetically); d2 is Nice; with one order each, Lyon wins the
		// tie. Values are trimmed. The line at as_of does not count.
		l("d", "d1", 1, "Nice", "FR", ""), l("d", "d1", 1, "Lyon", " FR ", ""), l("d", "d2", 2, "Nice", "FR", "app"),
		l("d", "d3", 20, "Nice", "FR", "app"), l("d", "d4", 21, "Nice", "FR", "app"),
		// e: a return counts as an order like a purchase; a line without a
		// country does not make its order count for "".
		{CustomerID: "e", OrderID: "e1", Time: day(1), Quantity: -1, UnitPrice: 10, Amount: -10, Returned: true, Country: "US"},
		l("e", "e2", 2, "", "", "web"), l("e", "e2", 2, "", "US", "web"),
		l("e", "e3", 3, "", "CA", ""),
	}
}

func TestAttributes(t *testing.T) {
	lines := attrLines()
	want := map[string][3]string{ // city, country, channel
		"a": {"Berlin", "DE", "app"},
		"b": {"Bern", "CH", "store"},
		"c": {"", "", ""},
		"d": {"Lyon", "FR", "app"}, // d3, d4 are on or after as_of; channel: only d2 has one
		"e": {"", "US", "web"},
	}
	asOf := at(2024, 1, 20, 0, 0, 0)
	check := func(t *testing.T, tab *Table) {
		t.Helper()
		if tab.City == nil || tab.Country == nil || tab.Channel == nil {
			t.Fatalf("City %v, Country %v, Channel %v: want every column", tab.City, tab.Country, tab.Channel)
		}
		for i, id := range tab.IDs {
			got := [3]string{tab.City[i], tab.Country[i], tab.Channel[i]}
			if got != want[id] {
				t.Errorf("customer %s: city, country, channel = %q, want %q", id, got, want[id])
			}
		}
	}
	t.Run("one batch", func(t *testing.T) {
		check(t, aggregate(t, Options{AsOf: asOf}, lines))
	})
	// The values do not depend on the order of the lines or the batches;
	// batches are reused buffers, as the reader passes them.
	rng := rand.New(rand.NewPCG(3, 0))
	for k := range 20 {
		shuffled := slices.Clone(lines)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		a := NewAggregator(Options{AsOf: asOf})
		addInBatches(a, shuffled, []int{1 + k%4, 3})
		tab, err := a.Table()
		if err != nil {
			t.Fatal(err)
		}
		check(t, tab)
	}
}

// TestAttributesAbsent checks that a column no line has a value of is nil,
// and that prospects joined by WithRows get "".
func TestAttributesAbsent(t *testing.T) {
	lines := []data.OrderLine{
		{CustomerID: "a", OrderID: "1", Time: at(2024, 1, 1, 0, 0, 0), Amount: 5},
		{CustomerID: "b", OrderID: "2", Time: at(2024, 1, 2, 0, 0, 0), Amount: 5, Country: "DE"},
	}
	tab := aggregate(t, Options{}, lines)
	if tab.City != nil || tab.Channel != nil {
		t.Errorf("City %q, Channel %q: want nil without values", tab.City, tab.Channel)
	}
	if !slices.Equal(tab.Country, []string{"", "DE"}) {
		t.Errorf("Country = %q, want [\"\" DE]", tab.Country)
	}
	if none := aggregate(t, Options{}, lines[:1]); none.City != nil || none.Country != nil || none.Channel != nil {
		t.Errorf("without any value: City %q, Country %q, Channel %q, want nil", none.City, none.Country, none.Channel)
	}
	all := tab.WithRows([]string{"aa", "c"})
	if !slices.Equal(all.IDs, []string{"a", "aa", "b", "c"}) || !slices.Equal(all.Country, []string{"", "", "DE", ""}) || all.City != nil {
		t.Errorf("WithRows: ids %q, country %q, city %q", all.IDs, all.Country, all.City)
	}
}

// TestCustomGroupsOnAttributes evaluates custom groups on country and
// channel, and checks the error when the run has no channel.
func TestCustomGroupsOnAttributes(t *testing.T) {
	tab := aggregate(t, Options{AsOf: at(2024, 1, 20, 0, 0, 0)}, attrLines())
	cg, err := CompileGroups([]CustomGroup{
		{Name: "de_app", When: `country == "DE" && channel == "app"`},
		{Name: "no_channel", When: `channel == ""`},
		{Name: "in_fr", When: `country in ["FR", "CH"] && city != "Lyon"`},
	})
	if err != nil {
		t.Fatal(err)
	}
	seg := Segments{Profile: &Profile{City: tab.City}, Country: tab.Country, Channel: tab.Channel}
	groups, err := cg.Eval(context.Background(), tab, seg)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"de_app": {"a"}, "no_channel": {"c"}, "in_fr": {"b"}}
	for _, g := range groups {
		var got []string
		for i, in := range g.Members {
			if in {
				got = append(got, tab.IDs[i])
			}
		}
		if !slices.Equal(got, want[g.ID]) {
			t.Errorf("%s = %q, want %q", g.ID, got, want[g.ID])
		}
	}
	seg.Channel = nil
	_, err = cg.Eval(context.Background(), tab, seg)
	var ee *ExprError
	if !errors.As(err, &ee) || ee.Group != "de_app" || !strings.Contains(err.Error(), "channel is not available") {
		t.Errorf("without channel: error %v, want an *ExprError for de_app naming channel", err)
	}
}
