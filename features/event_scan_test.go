package features

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestReadEventTableRowGroups reads a Parquet events table of several row
// groups, a row group at a time: the counts are those of all its rows and
// a rejected row is named by its row in the file, not in its row group.
func TestReadEventTableRowGroups(t *testing.T) {
	type event struct {
		CustomerID string `parquet:"customer_id"`
		Time       string `parquet:"time"`
		Type       string `parquet:"type"`
	}
	var rows []event
	for i := range 1000 {
		rows = append(rows, event{
			CustomerID: fmt.Sprintf("u%d", i%10),
			Time:       fmt.Sprintf("2025-02-%02d 10:00:00", 1+i%28),
			Type:       []string{"view", "add_to_cart", "checkout"}[i%3],
		})
	}
	rows[700].CustomerID = "" // row 701 of the file, in the sixth row group
	path := writeRowGroups(t, "events.parquet", rows, 128)
	var rejects []data.Reject
	e, err := ReadEventTable(context.Background(), path, nil, data.TimeFormat{}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), nil, 2,
		func(r data.Reject) { rejects = append(rejects, r) })
	if err != nil {
		t.Fatal(err)
	}
	if e.Rows != 1000 || e.Rejected != 1 || len(rejects) != 1 || rejects[0].Row != 701 {
		t.Fatalf("rows %d, rejected %d, rejects %+v; want 1000, 1 and row 701", e.Rows, e.Rejected, rejects)
	}
	if st := e.Agg.Stats(); st.Used != 999 {
		t.Errorf("%d events used, want 999", st.Used)
	}
	cols, err := e.Agg.Columns(context.Background(), []string{"u0", "u1"})
	if err != nil {
		t.Fatal(err)
	}
	// u0: rows 0, 10, 20, … but the rejected 700: 99 events, a view, cart
	// add or checkout by i%3.
	var views, carts float64
	for i := 0; i < 1000; i += 10 {
		if i == 700 {
			continue
		}
		switch i % 3 {
		case 0:
			views++
		case 1:
			carts++
		}
	}
	if cols[1][0] != views || cols[2][0] != carts {
		t.Errorf("u0: views %v, cart adds %v; want %v, %v", cols[1][0], cols[2][0], views, carts)
	}
}
