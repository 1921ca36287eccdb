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

	// Written in UTC, read as such; their days are the store's: 22:00 and
	// 18:00 on 27 February in New York, one session day (two in UTC).
	utcDays := writeFile(t, "events.csv", "customer_id,time,type\nu1,2025-02-27 23:00:00,view\nu1,2025-02-28 03:00:00,view\n")
	e, err = ReadEventTable(ctx, utcDays, nil, format("", time.UTC), asOf, nil, 1, noRejects)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := e.Agg.Columns(ctx, []string{"u1"})
	if err != nil {
		t.Fatal(err)
	}
	if sessions := cols[0][0]; sessions != 1 {
		t.Errorf("sessions_30d %v, want 1: the events' days are the store's", sessions)
	}

	customers := writeFile(t, "customers.csv", "customer_id,signup_time\nc1,12/24/2023 18:00\n")
	if _, err := ReadCustomerTable(ctx, customers, nil, data.TimeFormat{}); err == nil || !strings.Contains(err.Error(), "customers.time_format") {
		t.Errorf("US dates without a time_format: error %v, want one naming customers.time_format", err)
	}
	c, err := ReadCustomerTable(ctx, customers, nil, format("%m/%d/%Y %H:%M", ny))
	if err != nil {
		t.Fatal(err)
	}
	if signup := c.ColumnsFor([]string{"c1"}); len(signup) != 1 || signup[0].Name != "signup_time" || !signup[0].Times[0].Equal(time.Date(2023, 12, 24, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("columns %+v, want signup_time 2023-12-24 18:00 in New York", signup)
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

// TestEventsAllRejected: an events table every row of which is rejected
// stops the read, naming the file, the first row, its reason and what to
// set, as does one without rows; one row read among them is rows rejected.
func TestEventsAllRejected(t *testing.T) {
	ctx := context.Background()
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"unreadable times", "customer_id,when,type\nu1,24/02/2025 10:00,view\nu2,,view\nu3,25/02/2025 11:00,view\n",
			[]string{`every one of its 3 rows was rejected (row 1: unparseable time, column "when": "24/02/2025 10:00")`, "events.time_format"}},
		{"a field more in the header", "customer_id,when,type,channel\nu1,2025-02-24 10:00,view\nu2,2025-02-25 10:00,view\n",
			[]string{"(row 1: wrong number of fields)", "header"}},
		{"no ids", "customer_id,when,type\n,2025-02-24 10:00,view\n ,2025-02-25 10:00,view\n",
			[]string{`(row 1: missing customer_id, column "customer_id")`, "events.columns.customer_id"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, "events.csv", c.text)
			var reasons []string
			_, err := ReadEventTable(ctx, path, map[string]string{"time": "when"}, data.TimeFormat{}, asOf, nil, 2, func(r data.Reject) { reasons = append(reasons, r.Reason) })
			if err == nil || !strings.HasPrefix(err.Error(), "events "+path+": ") {
				t.Fatalf("error %v, want one naming %s", err, path)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %v\nwant one containing %q", err, w)
				}
			}
			if len(reasons) == 0 || !strings.HasPrefix(reasons[0], "events: ") {
				t.Errorf("reasons %q: want the rows handed to rejects", reasons)
			}
		})
	}
	empty := writeFile(t, "events.csv", "customer_id,when,type\n")
	if _, err := ReadEventTable(ctx, empty, map[string]string{"time": "when"}, data.TimeFormat{}, asOf, nil, 2, func(data.Reject) {}); err == nil ||
		!strings.Contains(err.Error(), "events "+empty+": the table has no rows") {
		t.Errorf("a header alone: error %v, want one naming %s", err, empty)
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
	customers := writeFile(t, "customers.csv", "customer_id,email,city\nc1,a@x.org,Paris\nc2,b@x.org\nc3,c@x.org,Lyon,x\n,e@x.org,Metz\nc4,d@x.org,Nice\n")
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
		{File: customers, Row: 4, Reason: "customers: missing customer_id", Raw: map[string]string{"customer_id": "", "email": "e@x.org", "city": "Metz"}},
	}
	if !reflect.DeepEqual(c.Rejects, want) {
		t.Errorf("rejects %+v\nwant    %+v", c.Rejects, want)
	}
	if cols := c.ColumnsFor([]string{"c4"}); len(cols) != 2 || cols[1].Name != "city" || cols[1].Strings[0] != "Nice" {
		t.Errorf("c4's columns %+v, want email and city Nice", cols)
	}

	events := writeFile(t, "events.csv", "customer_id,time,type\nu1,2025-02-24 10:00:00,view\nu2,2025-02-24\nu3,2025-02-25 10:00:00,view\n")
	// Out of time order from row 4 (u1 again, earlier): the file is read
	// again, and each ragged row, before and after, is rejected once.
	unordered := writeFile(t, "events.csv", "customer_id,time,type\nu1,2025-02-24 10:00:00,view\nu2,2025-02-24\nu3,2025-02-25 10:00:00,view\n"+
		"u1,2025-02-20 10:00:00,view\nu4,x,y,z\n")
	var rejects []data.Reject
	e, err := ReadEventTable(ctx, unordered, nil, data.TimeFormat{}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), nil, 2,
		func(r data.Reject) { rejects = append(rejects, r) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rejects) != 2 || rejects[0].Row != 2 || rejects[1].Row != 5 || e.Rows != 5 || e.Rejected != 2 || e.Agg.Stats().Used != 3 {
		t.Errorf("unordered: rows %d, rejected %d, used %d, rejects %+v; want 5, 2, 3 and rows 2 and 5", e.Rows, e.Rejected, e.Agg.Stats().Used, rejects)
	}
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

// TestCustomersAllRagged: a customers table none of whose rows has the
// header's number of fields stops the read, naming the file and the
// header, and one none of whose rows has an id, naming the id's key, and
// one without rows (a header alone), as an export gone wrong; a table with
// a row kept does not.
func TestCustomersAllRagged(t *testing.T) {
	ctx := context.Background()
	path := writeFile(t, "customers.csv", "customer_id,email,city,country\nc1,a@x.org,Paris\nc2,b@x.org,Lyon\n")
	_, err := ReadCustomerTable(ctx, path, nil, data.TimeFormat{})
	if err == nil || !strings.Contains(err.Error(), "customers "+path+": no row kept: 2 of its 2 rows") || !strings.Contains(err.Error(), "header") {
		t.Errorf("error %v, want one naming %s, its 2 rows and the header", err, path)
	}
	_, err = ReadCustomerTable(ctx, writeFile(t, "customers.csv", "customer_id,email\n,a@x.org\nNULL,b@x.org\n"), nil, data.TimeFormat{})
	if err == nil || !strings.Contains(err.Error(), "none of its 2 rows has a customer id") || !strings.Contains(err.Error(), "customers.columns.customer_id") {
		t.Errorf("no ids: error %v, want one naming the rows and customers.columns.customer_id", err)
	}
	empty := writeFile(t, "customers.csv", "customer_id,email\n")
	if _, err := ReadCustomerTable(ctx, empty, nil, data.TimeFormat{}); err == nil || !strings.Contains(err.Error(), "customers "+empty+": the table has no rows") {
		t.Errorf("a header alone: error %v, want one naming %s", err, empty)
	}
	for _, text := range []string{"customer_id,email\nc1,a@x.org,x\nc2,b@x.org\nc3,c@x.org\n", "customer_id,email\n,a@x.org\nc2,b@x.org\n"} {
		if _, err := ReadCustomerTable(ctx, writeFile(t, "customers.csv", text), nil, data.TimeFormat{}); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
}
