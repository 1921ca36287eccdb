package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// quotedStore returns an order file of n rows whose category of row open
// starts with a stray '"' and whose category of row close ends with one
// (0: none): valid CSV in which the rows between are that field's text.
func quotedStore(n, open, close int) string {
	var b strings.Builder
	b.WriteString("customer_id,order_id,time,category,amount\n")
	for i := 1; i <= n; i++ {
		cat := "toys"
		switch i {
		case open:
			cat = `"toys`
		case close:
			cat = `hats"`
		}
		fmt.Fprintf(&b, "c%d,o%d,2024-03-%02d,%s,%d.5\n", i%97, i, 1+i%28, cat, i%50)
	}
	return b.String()
}

// TestSwallowedRows: a stray quote that opens a field and another that
// closes it rows later (valid CSV: the rows between become the field's
// text) stops the order read, the table readers and inspect, naming the
// file, the column, the row and the line where the field opens; a quoted
// field of a few lines (an address), even with one line shaped like a
// row, is read as text.
func TestSwallowedRows(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.csv", quotedStore(3000, 101, 2101))
	want := `column "category", row 101: a quote out of place: the quoted field that opens on line 102 runs over 2001 lines, 1999 of them shaped like rows of the file (line 103: "c5,o102,`
	check := func(name string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: error %v, want one naming %s and containing %q", name, err, bad, want)
		}
	}
	_, _, _, err := readAll(t, OrderSource{Path: bad})
	check("orders", err)
	_, err = ReadTable(context.Background(), bad)
	check("table", err)
	check("scanned table", ScanTable(context.Background(), bad, func(*Table, int64) error { return nil }))
	_, err = Inspect(context.Background(), bad)
	check("inspect", err)

	// Adjacent rows: one row lost in the field is not told from text.
	text := "customer_id,order_id,time,category,amount\n" +
		"c1,o1,2024-03-01,\"Home\nGarden, Patio\",10\n" + // two lines, one comma
		"c2,o2,2024-03-02,\"a\nx,y,z,w,v\nb\",20\n" + // one line shaped like a row
		"c3,o3,2024-03-03,toys,30\n"
	lines, rejects, _, err := readAll(t, OrderSource{Path: writeFile(t, dir, "ok.csv", text)})
	if err != nil || len(lines) != 3 || len(rejects) != 0 || lines[0].Category != "Home\nGarden, Patio" {
		t.Fatalf("%d lines, %d rejects, %v: want the 3 lines read", len(lines), len(rejects), err)
	}
}
