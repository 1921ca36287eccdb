package features

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestTableTimeFormats: the optional tables' times as their time_format
// and timezone say (data.TimeFormat): events as Unix seconds, and text in
// a zone of their own, whose days and as_of are still the store's;
// customers' signups in a strftime layout and zone; products' launches as
// digits of a date.
func TestTableTimeFormats(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	ctx := context.Background()
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, ny) // 05:00 UTC
	format := func(f string, loc *time.Location) data.TimeFormat {
		t.Helper()
		tf, err := data.NewTimeFormat(f, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tf
	}
	noRejects := func(r data.Reject) { t.Errorf("reject %+v", r) }

	// 1740409200 is 2025-02-24 15:00 UTC; 1740801600 2025-03-01 04:00 UTC,
	// 23:00 the day before as_of in New York.
	unix := writeFile(t, "events.csv", "customer_id,at,type\nu1,1740409200,view\nu2,1740801600,add_to_cart\n")
	e, err := ReadEventTable(ctx, unix, map[string]string{"time": "at"}, format("unix", nil), asOf, nil, 2, noRejects)
	if err != nil {
		t.Fatal(err)
	}
	if st, want := e.Agg.Stats(), (EventStats{Used: 2}); st != want {
		t.Errorf("unix events: Stats = %+v, want %+v", st, want)
	}

	// The same text is before as_of in UTC (23:00 in New York), after it
	// in the store's zone.
	text := writeFile(t, "events.csv", "customer_id,time,type\nu1,2025-03-01 04:00:00,view\n")
	for _, c := range []struct {
		times data.TimeFormat
		want  EventStats
	}{{data.TimeFormat{}, EventStats{AfterAsOf: 1}}, {format("", time.UTC), EventStats{Used: 1}}} {
		e, err := ReadEventTable(ctx, text, nil, c.times, asOf, nil, 1, noRejects)
		if err != nil {
			t.Fatal(err)
		}
		if st := e.Agg.Stats(); st != c.want {
			t.Errorf("events in %v: Stats = %+v, want %+v", c.times.Location(), st, c.want)
		}
	}

	customers := writeFile(t, "customers.csv", "customer_id,signup_time\nc1,12/24/2023 18:00\n")
	if _, err := ReadCustomerTable(ctx, customers, nil, data.TimeFormat{}); err == nil || !strings.Contains(err.Error(), "customers.time_format") {
		t.Errorf("US dates without a time_format: error %v, want one naming customers.time_format", err)
	}
	c, err := ReadCustomerTable(ctx, customers, nil, format("%m/%d/%Y %H:%M", ny))
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range c.ColumnsFor([]string{"c1"}) {
		if col.Name == "signup_time" && !col.Times[0].Equal(time.Date(2023, 12, 24, 23, 0, 0, 0, time.UTC)) {
			t.Errorf("signup_time %v, want 2023-12-24 18:00 in New York", col.Times[0])
		}
	}

	products := writeFile(t, "products.csv", "product_id,launch_time\np1,20240105\n")
	p, err := ReadProductTable(ctx, products, nil, format("%Y%m%d", nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Attrs["p1"].Launch; !got.Equal(time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("launch %v, want 2024-01-05", got)
	}
}

// TestEventTimesNoneRead: an events table none of whose times could be
// read stops the read, naming the file, the column, the first row and
// events.time_format, where one good time among them is rows rejected.
func TestEventTimesNoneRead(t *testing.T) {
	ctx := context.Background()
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	none := writeFile(t, "events.csv", "customer_id,when,type\nu1,24/02/2025 10:00,view\nu2,,view\nu3,25/02/2025 11:00,view\n")
	var reasons []string
	_, err := ReadEventTable(ctx, none, map[string]string{"time": "when"}, data.TimeFormat{}, asOf, nil, 2, func(r data.Reject) { reasons = append(reasons, r.Reason) })
	if err == nil || !strings.Contains(err.Error(), none) || !strings.Contains(err.Error(), `column "when" (time)`) ||
		!strings.Contains(err.Error(), `row 1: "24/02/2025 10:00"`) || !strings.Contains(err.Error(), "events.time_format") {
		t.Errorf("error %v, want one naming %s, column when, row 1 and events.time_format", err, none)
	}
	if len(reasons) != 3 || reasons[0] != EventsUnparseableTime {
		t.Errorf("reasons %q, want 3 with %q first", reasons, EventsUnparseableTime)
	}
	one := writeFile(t, "events.csv", "customer_id,when,type\nu1,24/02/2025 10:00,view\nu3,2025-02-25 11:00,view\n")
	e, err := ReadEventTable(ctx, one, map[string]string{"time": "when"}, data.TimeFormat{}, asOf, nil, 2, func(data.Reject) {})
	if err != nil || e.Rejected != 1 {
		t.Errorf("one time read: %v, %v rows rejected; want no error, 1", err, e)
	}
}

// TestRaggedRowsRejected: rows of a CSV customers or events table with the
// wrong number of fields are rejected with their fields and their rows,
// the other rows read as without them.
func TestRaggedRowsRejected(t *testing.T) {
	ctx := context.Background()
	customers := writeFile(t, "customers.csv", "customer_id,email,city\nc1,a@x.org,Paris\nc2,b@x.org\nc3,c@x.org,Lyon,x\nc4,d@x.org,Nice\n")
	c, err := ReadCustomerTable(ctx, customers, nil, data.TimeFormat{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.IDs, []string{"c1", "c4"}) {
		t.Errorf("ids %q, want c1 c4", c.IDs)
	}
	want := []data.Reject{
		{File: customers, Row: 2, Reason: "customers: wrong number of fields", Raw: map[string]string{"customer_id": "c2", "email": "b@x.org"}},
		{File: customers, Row: 3, Reason: "customers: wrong number of fields", Raw: map[string]string{"customer_id": "c3", "email": "c@x.org", "city": "Lyon", "field 4": "x"}},
	}
	if !reflect.DeepEqual(c.Rejects, want) {
		t.Errorf("rejects %+v\nwant    %+v", c.Rejects, want)
	}
	for _, col := range c.ColumnsFor([]string{"c4"}) {
		if col.Name == "city" && col.Strings[0] != "Nice" {
			t.Errorf("c4's city %q, want Nice", col.Strings[0])
		}
	}

	events := writeFile(t, "events.csv", "customer_id,time,type\nu1,2025-02-24 10:00:00,view\nu2,2025-02-24\nu3,2025-02-25 10:00:00,view\n")
	for _, workers := range []int{1, 2} {
		var rejects []data.Reject
		e, err := ReadEventTable(ctx, events, nil, data.TimeFormat{}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), nil, workers,
			func(r data.Reject) { rejects = append(rejects, r) })
		if err != nil {
			t.Fatal(err)
		}
		want := []data.Reject{{File: events, Row: 2, Reason: "events: wrong number of fields", Raw: map[string]string{"customer_id": "u2", "time": "2025-02-24"}}}
		if !reflect.DeepEqual(rejects, want) || e.Rows != 3 || e.Rejected != 1 || e.Agg.Stats().Used != 2 {
			t.Errorf("%d workers: rows %d, rejected %d, used %d, rejects %+v; want 3, 1, 2, %+v", workers, e.Rows, e.Rejected, e.Agg.Stats().Used, rejects, want)
		}
	}
}
