package data

import (
	"slices"
	"testing"
)

// TestReadOrdersTrimsIDs: ids with white space at either end (a CHAR
// column's padding, a stray space) are the ids without it, in CSV and
// Parquet alike, so "C1" and "C1 " are one customer; an id of spaces only
// is still a missing one.
func TestReadOrdersTrimsIDs(t *testing.T) {
	text := "customer_id,order_id,time,amount,product_id\n" +
		"C1,O1,2024-01-01,1,P1\n" +
		"\"C1 \",\" O2\",2024-01-02,1,\"P1  \"\n" +
		"\" C1\",O2 ,2024-01-02,1,P2\n" +
		"C1\u00a0,O3,2024-01-02,1,P2\n" + // a no-break space, as Excel pads
		"\u3000C1,O3,2024-01-02,1,P2\n" +
		"\"   \",O3,2024-01-03,1,P1\n"
	path := writeFile(t, t.TempDir(), "orders.csv", text)
	lines, rejects, _, err := readAll(t, OrderSource{Path: path, Columns: func() OrderColumns { c := DefaultOrderColumns(); c.ProductID = "product_id"; return c }()})
	if err != nil {
		t.Fatal(err)
	}
	var got [][3]string
	for _, l := range lines {
		got = append(got, [3]string{l.CustomerID, l.OrderID, l.ProductID})
	}
	if want := [][3]string{{"C1", "O1", "P1"}, {"C1", "O2", "P1"}, {"C1", "O2", "P2"}, {"C1", "O3", "P2"}, {"C1", "O3", "P2"}}; !slices.Equal(got, want) {
		t.Errorf("ids %q, want %q", got, want)
	}
	if len(rejects) != 1 || rejects[0].Reason != "missing customer_id" {
		t.Errorf("rejects %+v, want the id of spaces only as missing", rejects)
	}
}

// TestIDStringsTrims: the ids of the joined tables are trimmed as the
// order lines' are, without copying a column that needs none.
func TestIDStringsTrims(t *testing.T) {
	clean := Column{Name: "customer_id", Kind: KindString, Strings: []string{"C1", "C2"}}
	ids, err := IDStrings("customers.csv", clean, 0)
	if err != nil || &ids[0] != &clean.Strings[0] {
		t.Errorf("clean ids: %q, %v; want the column itself", ids, err)
	}
	padded := Column{Name: "customer_id", Kind: KindString, Strings: []string{"C1", "C2  ", "\tC3"}}
	ids, err = IDStrings("customers.csv", padded, 0)
	if err != nil || !slices.Equal(ids, []string{"C1", "C2", "C3"}) || padded.Strings[1] != "C2  " {
		t.Errorf("padded ids: %q, %v (column now %q); want them trimmed, the column unchanged", ids, err, padded.Strings)
	}
}

// TestCleanIDNullWords: the words tools write for a missing value are
// missing ids, in any case and padded; ids that merely contain them or are
// longer are not.
func TestCleanIDNullWords(t *testing.T) {
	for _, id := range []string{"NULL", "null", " Null ", `\N`, "NaN", "nan", "None", "nil", "N/A", "n/a", "#N/A", "<NA>", "  "} {
		if got := CleanID(id); got != "" {
			t.Errorf("CleanID(%q) = %q, want missing", id, got)
		}
	}
	for _, id := range []string{"NA", "N", "NULLS", "nullx", "C-null", "0", "Nana", "n/a1"} {
		if got := CleanID(id); got != id {
			t.Errorf("CleanID(%q) = %q, want it kept", id, got)
		}
	}
	text := "customer_id,order_id,time,amount,product_id\n" +
		"C1,O1,2024-01-01,1,NULL\n" +
		"NULL,O2,2024-01-02,1,P1\n" +
		"\\N,O3,2024-01-02,1,P1\n" +
		"C2,nan,2024-01-03,1,P1\n"
	path := writeFile(t, t.TempDir(), "orders.csv", text)
	lines, rejects, _, err := readAll(t, OrderSource{Path: path, Columns: func() OrderColumns { c := DefaultOrderColumns(); c.ProductID = "product_id"; return c }()})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].CustomerID != "C1" || lines[0].ProductID != "" {
		t.Errorf("lines %+v, want C1's only, with no product", lines)
	}
	var reasons []string
	for _, r := range rejects {
		reasons = append(reasons, r.Reason)
	}
	if want := []string{"missing customer_id", "missing customer_id", "missing order_id"}; !slices.Equal(reasons, want) {
		t.Errorf("rejects %q, want %q", reasons, want)
	}
	ids, err := IDStrings("customers.csv", Column{Name: "customer_id", Kind: KindString, Strings: []string{"C1", "NULL", "<NA>"}}, 0)
	if err != nil || !slices.Equal(ids, []string{"C1", "", ""}) {
		t.Errorf("joined table ids %q, %v; want the null words missing", ids, err)
	}
}
