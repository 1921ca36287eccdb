package features

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestEventSumsMatchAggregator folds the same events as a scale-out run
// does (pieces in a shuffled order, each piece's (customer, day) counts,
// merged by day, summed per customer, NewEventTable) and as one
// aggregator, and wants the same columns and counts.
func TestEventSumsMatchAggregator(t *testing.T) {
	asOf := at(2025, 3, 1, 0, 0, 0)
	type event struct {
		id  string
		t   time.Time
		typ string
	}
	r := rand.New(rand.NewPCG(1, 2))
	var events []event
	for range 3000 {
		events = append(events, event{fmt.Sprintf("c%d", r.IntN(40)), asOf.Add(-time.Duration(r.IntN(60*24)-24) * time.Hour),
			[]string{"view", "add_to_cart", "checkout", "wishlist", "page_view"}[r.IntN(5)]})
	}
	whole := NewEventAggregator(asOf)
	for _, e := range events {
		whole.Add(e.id, e.t, e.typ)
	}
	r.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	days := map[string]map[uint32]EventDay{}
	var st EventStats
	for p := range 3 { // three pieces, each folded alone
		a := NewEventAggregator(asOf)
		for _, e := range events[p*1000 : (p+1)*1000] {
			a.Add(e.id, e.t, e.typ)
		}
		a.EachDay(func(id string, d EventDay) {
			if days[id] == nil {
				days[id] = map[uint32]EventDay{}
			}
			m := days[id][d.Day]
			m.Day = d.Day
			m.Merge(d)
			days[id][d.Day] = m
		})
		s := a.Stats()
		st.Used, st.AfterAsOf, st.UnknownType = st.Used+s.Used, st.AfterAsOf+s.AfterAsOf, st.UnknownType+s.UnknownType
	}
	var ids []string
	var sums []EventSums
	for id, byDay := range days {
		ids, sums = append(ids, id), append(sums, SumEventDays(slices.Collect(maps.Values(byDay)), asOf))
	}
	e := NewEventTable("events.csv", 3000, 0, st, asOf, ids, sums)
	if e.Agg.Stats() != whole.Stats() || !slices.Equal(e.Agg.IDs(), whole.IDs()) {
		t.Fatalf("stats %+v, ids %v; want %+v, %v", e.Agg.Stats(), e.Agg.IDs(), whole.Stats(), whole.IDs())
	}
	all := append(whole.IDs(), "nobody")
	got, err := e.Agg.Columns(context.Background(), all)
	if err != nil {
		t.Fatal(err)
	}
	want, err := whole.Columns(context.Background(), all)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("columns %v, want %v", got, want)
	}
}

// TestEventDayMerge checks that merged counts saturate as an
// aggregator's do.
func TestEventDayMerge(t *testing.T) {
	d := EventDay{Day: 20250301, Views: math.MaxUint32 - 1, CartAdds: 2}
	d.Merge(EventDay{Day: 20250301, Views: 5, Checkouts: 1})
	if d != (EventDay{Day: 20250301, Views: math.MaxUint32, CartAdds: 2, Checkouts: 1}) {
		t.Errorf("Merge = %+v", d)
	}
}

// TestReadEventPiece checks that a piece of the table is folded as
// ReadEventTable folds the file: the same rejects (rows counted from the
// piece's first row), rows and counts.
func TestReadEventPiece(t *testing.T) {
	asOf := at(2025, 3, 1, 0, 0, 0)
	path := writeFile(t, "events.csv", "who,when,what\n"+
		"u1,2025-02-24 10:00:00,view\n"+
		"u1,,view\n"+
		"u2,soon,view\n"+
		"u2,2025-03-02 10:00:00,view\n")
	columns := map[string]string{"customer_id": "who", "time": "when", "type": "what"}
	var want []data.Reject
	whole, err := ReadEventTable(context.Background(), path, columns, data.TimeFormat{}, asOf, nil, 2, func(r data.Reject) { want = append(want, r) })
	if err != nil {
		t.Fatal(err)
	}
	tab, err := data.ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var got []data.Reject
	e, err := ReadEventPiece(context.Background(), path, tab, 0, columns, data.TimeFormat{}, asOf, func(r data.Reject) { got = append(got, r) })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || e.Rows != whole.Rows || e.Rejected != whole.Rejected || e.Agg.Stats() != whole.Agg.Stats() {
		t.Errorf("rejects %+v, rows %d, rejected %d, stats %+v; want %+v, %d, %d, %+v", got, e.Rows, e.Rejected, e.Agg.Stats(),
			want, whole.Rows, whole.Rejected, whole.Agg.Stats())
	}
	n := 0
	e.Agg.EachDay(func(id string, d EventDay) {
		n++
		if id != "u1" || d != (EventDay{Day: 20250224, Views: 1}) {
			t.Errorf("EachDay: %s %+v", id, d)
		}
	})
	if n != 1 {
		t.Errorf("EachDay: %d days, want 1", n)
	}
}
