package features

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/segment-tool/segment/data"
)

func TestReadEventTable(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, ny)
	path := writeFile(t, "events.csv", "who,when,what\n"+
		"u1,2025-02-24 10:00:00,view\n"+
		"u1,,view\n"+ // missing time
		",2025-02-24 10:00:00,view\n"+ // missing customer id
		"u2,soon,view\n"+ // unparseable time
		"u2,2025-02-20T10:00:00Z,add_to_cart\n"+
		"u3,2025-03-01 02:00:00,view\n"+ // after as_of in New York (not in UTC)
		"u1,2025-02-25 09:00:00,teleport\n"+ // unknown type
		"u4,1500-02-25 09:00:00,view\n"+ // before 1678: out of the range of the orders' times
		"who,when,what\n") // the header again (files concatenated)
	var rejects []data.Reject
	e, err := ReadEventTable(context.Background(), path, map[string]string{"customer_id": "who", "time": "when", "type": "what"}, data.TimeFormat{}, asOf, nil, 2,
		func(r data.Reject) { rejects = append(rejects, r) })
	if err != nil {
		t.Fatal(err)
	}
	if e.Path != path || e.Rows != 9 || e.Rejected != 5 {
		t.Errorf("Path %s, Rows %d, Rejected %d; want %s, 9, 5", e.Path, e.Rows, e.Rejected, path)
	}
	want := []data.Reject{
		{File: path, Row: 2, Reason: "events: missing time", Raw: map[string]string{"who": "u1", "when": "", "what": "view"}},
		{File: path, Row: 3, Reason: "events: missing customer_id", Raw: map[string]string{"who": "", "when": "2025-02-24 10:00:00", "what": "view"}},
		{File: path, Row: 4, Reason: "events: unparseable time", Raw: map[string]string{"who": "u2", "when": "soon", "what": "view"}},
		{File: path, Row: 8, Reason: "events: time out of range (years 1678–2261)", Raw: map[string]string{"who": "u4", "when": "1500-02-25 09:00:00", "what": "view"}},
		{File: path, Row: 9, Reason: "events: repeated header row", Raw: map[string]string{"who": "who", "when": "when", "what": "what"}},
	}
	if len(rejects) != len(want) {
		t.Fatalf("%d rejects, want %d: %+v", len(rejects), len(want), rejects)
	}
	for i, r := range rejects {
		w := want[i]
		if r.File != w.File || r.Row != w.Row || r.Reason != w.Reason || !maps.Equal(r.Raw, w.Raw) {
			t.Errorf("reject %d = %+v, want %+v", i, r, w)
		}
	}
	if st, want := e.Agg.Stats(), (EventStats{Used: 2, AfterAsOf: 1, UnknownType: 1}); st != want {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
	if ids := e.Agg.IDs(); !slices.Equal(ids, []string{"u1", "u2"}) {
		t.Errorf("IDs = %q, want [u1 u2]", ids)
	}
}

// TestReadEventTableNumericTimes checks that a time column of numbers
// (seconds since 1970, say) is an error naming the file and the column,
// not a reject of every row.
func TestReadEventTableNumericTimes(t *testing.T) {
	path := writeFile(t, "events.csv", "customer_id,at,type\nu1,1740000000,view\nu2,1740003600,view\n")
	_, err := ReadEventTable(context.Background(), path, map[string]string{"time": "at"}, data.TimeFormat{}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), nil, 2,
		func(r data.Reject) { t.Errorf("reject %+v", r) })
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `column "at" (mapped as time) holds integer values`) {
		t.Errorf("error %v, want one naming %s and its column at", err, path)
	}
}

func TestReadEventTableMissingColumn(t *testing.T) {
	path := writeFile(t, "events.csv", "customer_id,time\nu1,2025-01-01\n")
	_, err := ReadEventTable(context.Background(), path, nil, data.TimeFormat{}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), nil, 2, func(data.Reject) {})
	if want := "events " + path + `: column "type" (mapped as type) not found; the file has columns "customer_id", "time": map the one that holds it (events.columns.type: <column>)`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// TestReadEventTableInvalidID checks that an events row whose customer id
// is not valid UTF-8 (a Parquet file can hold any bytes) is rejected: the
// id would otherwise reach the outputs as a prospect's.
func TestReadEventTableInvalidID(t *testing.T) {
	type row struct {
		ID   string    `parquet:"customer_id"`
		Time time.Time `parquet:"time"`
		Type string    `parquet:"type"`
	}
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "events.parquet")
	day := asOf.AddDate(0, 0, -2)
	if err := parquet.WriteFile(path, []row{{"u1", day, "view"}, {"u\xff2", day, "view"}, {"u\x003", day, "view"}}); err != nil {
		t.Fatal(err)
	}
	var rejects []data.Reject
	e, err := ReadEventTable(context.Background(), path, nil, data.TimeFormat{}, asOf, nil, 2, func(r data.Reject) { rejects = append(rejects, r) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rejects) != 2 || rejects[0].Row != 2 || rejects[0].Reason != "events: customer_id is not valid UTF-8" ||
		rejects[1].Row != 3 || rejects[1].Reason != "events: customer_id holds a NUL byte" {
		t.Errorf("rejects %+v, want rows 2 and 3 for their customer_id", rejects)
	}
	if ids := e.Agg.IDs(); !slices.Equal(ids, []string{"u1"}) {
		t.Errorf("customers with events %q, want [u1]", ids)
	}
}
