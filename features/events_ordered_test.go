package features

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// eventRow is one row of an events table.
type eventRow struct {
	id  string
	t   time.Time
	typ string
}

// randomEvents returns n events of 40 customers over 90 days before asOf
// (some after it, some of unknown types), in time order.
func randomEvents(n int, asOf time.Time, seed uint64) []eventRow {
	rng := rand.New(rand.NewPCG(seed, 0))
	types := []string{"view", "view", "view", "add_to_cart", "checkout", "wishlist"}
	rows := make([]eventRow, n)
	for i := range rows {
		rows[i] = eventRow{fmt.Sprintf("u%02d", rng.IntN(40)), asOf.Add(-time.Duration(rng.Int64N(int64(90*24*time.Hour))) + time.Hour), types[rng.IntN(len(types))]}
	}
	slices.SortStableFunc(rows, func(a, b eventRow) int { return a.t.Compare(b.t) })
	return rows
}

// TestEventsOrderedMode checks that the ordered mode gives the columns of
// the (customer, day) pairs on events in time order, keeping no pairs, and
// that it reports an event out of order rather than wrong columns.
func TestEventsOrderedMode(t *testing.T) {
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	rows := randomEvents(3000, asOf, 7)
	pairs, ordered := NewEventAggregator(asOf), newOrderedEventAggregator(asOf)
	for _, r := range rows {
		pairs.Add(r.id, r.t, r.typ)
		ordered.Add(r.id, r.t, r.typ)
	}
	ids := append(pairs.IDs(), "nobody")
	want, err := pairs.Columns(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ordered.Columns(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ordered mode:\n%v\npairs:\n%v", got, want)
	}
	if ordered.Stats() != pairs.Stats() || len(ordered.days) != 0 {
		t.Errorf("ordered mode: stats %+v (pairs %+v), %d pairs kept", ordered.Stats(), pairs.Stats(), len(ordered.days))
	}
	ordered.Add(rows[0].id, rows[0].t.Add(-48*time.Hour), "view")
	if _, err := ordered.Columns(context.Background(), ids); err != errEventsUnordered {
		t.Errorf("after an event out of order: %v, want errEventsUnordered", err)
	}
}

// TestReadEventTableUnordered checks a file whose events are not in time
// order: it is read again with the pairs, giving the columns of the file
// in order, and each reject, before or after the first event out of
// order, is handed over once.
func TestReadEventTableUnordered(t *testing.T) {
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	rows := randomEvents(2000, asOf, 9)
	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	write := func(name string, rows []eventRow) string {
		var b strings.Builder
		b.WriteString("customer_id,time,type\n")
		for i, r := range rows {
			if i == 3 || i == len(rows)-3 {
				b.WriteString(",2025-01-01 00:00:00,view\n") // a reject near each end
			}
			fmt.Fprintf(&b, "%s,%s,%s\n", r.id, r.t.Format(time.DateTime), r.typ)
		}
		return writeFile(t, name, b.String())
	}
	spillDir := t.TempDir()
	spill := (*EventSpill)(nil)
	read := func(path string) (*EventTable, [][]float64, []int64) {
		var rejected []int64
		e, err := ReadEventTable(context.Background(), path, nil, data.TimeFormat{}, asOf, spill, 2, func(r data.Reject) { rejected = append(rejected, r.Row) })
		if err != nil {
			t.Fatal(err)
		}
		cols, err := e.Agg.Columns(context.Background(), e.Agg.IDs())
		if err != nil {
			t.Fatal(err)
		}
		return e, cols, rejected
	}
	inOrder, wantCols, wantRejects := read(write("ordered.csv", rows))
	if inOrder.Agg.ordered != true {
		t.Fatal("a file in time order was not read in the ordered mode")
	}
	path := write("shuffled.csv", shuffled)
	for _, spilled := range []bool{false, true} {
		if spilled {
			spill = &EventSpill{Dir: spillDir}
		}
		e, cols, rejects := read(path)
		if e.Agg.days != nil == spilled || e.Agg.ordered != spilled {
			t.Fatalf("spilled %v: a shuffled file was read with %d pairs, ordered %v", spilled, len(e.Agg.days), e.Agg.ordered)
		}
		if !reflect.DeepEqual(cols, wantCols) {
			t.Errorf("spilled %v: the shuffled file's columns differ from the ordered file's", spilled)
		}
		if !slices.Equal(rejects, wantRejects) || len(rejects) != 2 || e.Rows != inOrder.Rows || e.Rejected != 2 {
			t.Errorf("spilled %v: rejects at rows %v (want %v), %d rows, %d rejected", spilled, rejects, wantRejects, e.Rows, e.Rejected)
		}
	}
	if left, _ := os.ReadDir(spillDir); len(left) != 0 {
		t.Errorf("the events spill left %d files in its folder's parent", len(left))
	}
}

// TestEventsSpilledMode checks that the spilled mode gives the columns of
// the (customer, day) pairs on shuffled events of customers spread over
// every spill file and beyond the first index of each, and that a spill
// folder that cannot be made is an error.
func TestEventsSpilledMode(t *testing.T) {
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(3, 4))
	types := []string{"view", "add_to_cart", "checkout", "cart", "wishlist"}
	pairs := NewEventAggregator(asOf)
	spilled := NewEventAggregator(asOf)
	sp, err := newEventSpill(&EventSpill{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.close()
	spilled.spill, spilled.days = sp, nil
	for range 20000 {
		id := fmt.Sprintf("c%03d", rng.IntN(7*eventSpillParts))
		tm := asOf.Add(-time.Duration(rng.Int64N(int64(60*24*time.Hour))) + 2*time.Hour)
		typ := types[rng.IntN(len(types))]
		pairs.Add(id, tm, typ)
		spilled.Add(id, tm, typ)
	}
	if err := spilled.foldSpill(context.Background()); err != nil {
		t.Fatal(err)
	}
	ids := append(pairs.IDs(), "nobody")
	want, err := pairs.Columns(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	got, err := spilled.Columns(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || spilled.Stats() != pairs.Stats() {
		t.Errorf("spilled mode differs from the pairs (stats %+v, pairs %+v)", spilled.Stats(), pairs.Stats())
	}
	if _, err := newEventSpill(&EventSpill{Dir: filepath.Join(t.TempDir(), "missing", "dir")}); err == nil || !strings.Contains(err.Error(), "events spill folder") {
		t.Errorf("a spill folder in a missing folder: %v", err)
	}
}

// TestReadEventTableMemory: a file in time order costs memory per
// customer, not per (customer, day): its peak live heap is a fraction of
// the same events shuffled read with the pairs. So is the shuffled file's
// read with a spill.
func TestReadEventTableMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a million events twice")
	}
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	const customers, days = 1000, 1000
	type row struct {
		ID   string    `parquet:"customer_id"`
		Time time.Time `parquet:"time"`
		Type string    `parquet:"type"`
	}
	rows := make([]row, 0, customers*days)
	for d := range days {
		for c := range customers {
			rows = append(rows, row{fmt.Sprintf("u%04d", c), asOf.AddDate(0, 0, d-days), "view"})
		}
	}
	inOrder := writeRowGroups(t, "ordered.parquet", rows, 10000)
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	shuffled := writeRowGroups(t, "shuffled.parquet", rows, 10000)
	// The rows are let go before measuring: a large live heap makes each
	// collection long, and what is allocated while it marks counts as
	// live, which would measure the collector rather than the read.
	rows = nil
	peak := func(path string, spill *EventSpill) uint64 {
		var e *EventTable
		p := peakHeap(func() {
			var err error
			if e, err = ReadEventTable(context.Background(), path, nil, data.TimeFormat{}, asOf, spill, 2, func(data.Reject) {}); err != nil {
				t.Fatal(err)
			}
		})
		if e.Agg.Stats().Used != customers*days {
			t.Fatalf("%d events used, want %d", e.Agg.Stats().Used, customers*days)
		}
		return p
	}
	ordered, pairs := peak(inOrder, nil), peak(shuffled, nil)
	spilled := peak(shuffled, &EventSpill{Dir: t.TempDir()})
	t.Logf("peak live heap: %d bytes in time order, %d shuffled with the pairs, %d shuffled and spilled", ordered, pairs, spilled)
	if ordered > pairs/3 {
		t.Errorf("events in time order: peak heap %d bytes, shuffled %d: not per customer", ordered, pairs)
	}
	if spilled > pairs/3 {
		t.Errorf("events shuffled and spilled: peak heap %d bytes, with the pairs %d: not per customer", spilled, pairs)
	}
}
