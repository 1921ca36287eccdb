package data

import (
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadOrdersCSVDialects: ";" files with decimal commas are read right,
// detected or configured; what cannot be told apart is an error naming
// the file and what to set, never a misread.
func TestReadOrdersCSVDialects(t *testing.T) {
	const hdr = "customer_id;order_id;time;amount\n"
	for _, c := range []struct {
		name    string
		text    string
		dialect CSVDialect
		amounts []float64
		err     string // a part of the error; "" for none
	}{
		{"comma file", "customer_id,order_id,time,amount\nc1,o1,2021-04-03,12.5\n", CSVDialect{}, []float64{12.5}, ""},
		{"semicolon, decimal comma", hdr + "c1;o1;2021-04-03;12,50\nc1;o2;2021-04-04;1.234,5\nc2;o3;2021-04-05;7\n", CSVDialect{}, []float64{12.5, 1234.5, 7}, ""},
		{"semicolon, decimal point", hdr + "c1;o1;2021-04-03;12.50\nc2;o3;2021-04-05;7\n", CSVDialect{}, []float64{12.5, 7}, ""},
		{"semicolon, integers only", hdr + "c1;o1;2021-04-03;12\n", CSVDialect{}, []float64{12}, ""},
		{"quoted header commas do not count", "\"a,b,c\";customer_id;order_id;time;amount\nx;c1;o1;2021-04-03;3,5\n", CSVDialect{}, []float64{3.5}, ""},
		{"configured", hdr + "c1;o1;2021-04-03;1.234\n", CSVDialect{Delimiter: ';', Decimal: ','}, []float64{1234}, ""},
		{"configured point", hdr + "c1;o1;2021-04-03;1.234\n", CSVDialect{Decimal: '.'}, []float64{1.234}, ""},
		{"configured tab", "customer_id\torder_id\ttime\tamount\nc1\to1\t2021-04-03\t2.5\n", CSVDialect{Delimiter: '\t'}, []float64{2.5}, ""},
		{"Excel's sep line", "sep=;\n" + hdr + "c1;o1;2021-04-03;12,50\nc2;o3;2021-04-05;1.234,5\n", CSVDialect{}, []float64{12.5, 1234.5}, ""},
		{"sep line after a byte order mark, CRLF", "\ufeffsep=|\r\ncustomer_id|order_id|time|amount\r\nc1|o1|2021-04-03|2.5\r\n", CSVDialect{}, []float64{2.5}, ""},
		{"byte order mark before a quoted name", "\ufeff\"customer_id\",order_id,time,amount\nc1,o1,2021-04-03,2.5\n", CSVDialect{}, []float64{2.5}, ""},
		{"byte order mark, semicolons, quoted names", "\ufeff\"customer_id\";\"order_id\";\"time\";\"amount\"\nc1;o1;2021-04-03;2,5\n", CSVDialect{}, []float64{2.5}, ""},
		{"configured delimiter over the sep line", "sep=,\n" + hdr + "c1;o1;2021-04-03;7\n", CSVDialect{Delimiter: ';'}, []float64{7}, ""},
		{"detected tab", "customer_id\torder_id\ttime\tamount\nc1\to1\t2021-04-03\t2.5\n", CSVDialect{}, []float64{2.5}, ""},
		{"detected tab, decimal comma", "customer_id\torder_id\ttime\tamount\nc1\to1\t2021-04-03\t1.234,5\nc1\to2\t2021-04-04\t2,25\n", CSVDialect{}, []float64{1234.5, 2.25}, ""},
		{"tab, 1,250 reads either way", "customer_id\torder_id\ttime\tamount\nc1\to1\t2021-04-03\t1,250\nc1\to2\t2021-04-04\t3\n", CSVDialect{}, nil,
			`"1,250" in column "amount" read as a decimal or as thousands; set orders.decimal`},
		{"tab, 1,250 beside a decimal comma", "customer_id\torder_id\ttime\tamount\nc1\to1\t2021-04-03\t1,250\nc1\to2\t2021-04-04\t12,5\n", CSVDialect{}, []float64{1.25, 12.5}, ""},
		{"semicolon, 1,250 is a decimal comma", hdr + "c1;o1;2021-04-03;1,250\n", CSVDialect{}, []float64{1.25}, ""},
		{"sep line, a bad quote names its file line", "sep=;\n" + hdr + "c1;o1;2021-04-03;1\nc2;o\"2;2021-04-03;1\n", CSVDialect{}, nil, "on line 4, column"},
		{"tab beside a comma in a column name", "customer_id\torder_id\ttime\tamount\tnote, free text\nc1\to1\t2021-04-03\t2.5\tx\n", CSVDialect{}, []float64{2.5}, ""},
		{"tab, a quote inside a field", "customer_id\torder_id\ttime\tamount\tproduct\nc1\to1\t2021-04-03\t2.5\t55\" TV\nc2\to2\t2021-04-03\t4\tx\n", CSVDialect{}, []float64{2.5, 4}, ""},
		{"CR line ends", "\ufeffcustomer_id;order_id;time;amount\rc1;o1;2021-04-03;2,5\rc2;\"o\rx\";2021-04-04;3\r", CSVDialect{}, []float64{2.5, 3}, ""},
		{"CR line ends, a bad quote names its line", "customer_id,order_id,time,amount\rc1,o1,2021-04-03,1\rc2,o\"2,2021-04-03,1\r", CSVDialect{}, nil, "on line 3, column"},
		{"detected pipe", "customer_id|order_id|time|amount\nc1|o1|2021-04-03|2.5\n", CSVDialect{}, []float64{2.5}, ""},
		{"tabs beside commas: comma", "customer_id,order_id,time,amount,\"a\tb\"\nc1,o1,2021-04-03,4.5,x\n", CSVDialect{}, []float64{4.5}, ""},
		{"header ties", "customer_id,order_id;time,amount;x\nc1,o1;2021-04-03,1;2\n", CSVDialect{}, nil, `as many "," as ";" (2) outside quotes; set orders.delimiter to the file's delimiter (",", ";", "|" or "tab")`},
		{"pipe header ties", "customer_id|amount (a,b;c)|time|order_id\nc1|1|2021-04-03|o1\n", CSVDialect{}, nil, `as many "," as ";" (1) outside quotes; set orders.delimiter to the file's delimiter (",", ";", "|" or "tab")`},
		{"mixed decimals", hdr + "c1;o1;2021-04-03;12,50\nc1;o2;2021-04-04;3.25\n", CSVDialect{}, nil, `"12,50" in column "amount"`},
		{"grouped only", hdr + "c1;o1;2021-04-03;1.234\n", CSVDialect{}, nil, `"1.234" in column "amount" read as a decimal or as thousands; set orders.decimal`},
		{"decimal comma after the decision", hdr + "c1;o1;2021-04-03;12.5\n" + strings.Repeat("c1;o1;2021-04-03;1\n", 5000) + "c1;o9;2021-04-03;2,5\n", CSVDialect{}, nil,
			`row 5002: cannot parse "2,5" as number: it has a decimal comma, but the file's decimal mark is "."; set orders.decimal to ","`},
		{"decimal point after the decision", hdr + "c1;o1;2021-04-03;12,5\n" + strings.Repeat("c1;o1;2021-04-03;1\n", 5000) + "c1;o9;2021-04-03;2.55\n", CSVDialect{}, nil,
			`cannot parse "2.55" as number: a decimal comma`},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "orders.csv", c.text)
			lines, _, _, err := readAll(t, OrderSource{Path: path, CSV: c.dialect})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v, want one naming %s and containing %q", err, path, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(c.amounts) > len(lines) {
				t.Fatalf("%d lines, want %d", len(lines), len(c.amounts))
			}
			for i, want := range c.amounts {
				if lines[i].Amount != want {
					t.Errorf("line %d amount %v, want %v", i, lines[i].Amount, want)
				}
			}
		})
	}
}

func TestCommaNumber(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"12,50", "12.50", true}, {"-1.234,5", "-1234.5", true}, {"1.234.567,89", "1234567.89", true},
		{"7", "7", true}, {"1.234", "1234", true},
		{"12.5", "", false}, {"1.23,4", "", false}, {"1,2,3", "", false}, {",5", "", false}, {"1.2345,6", "", false},
		{"", "", false}, {"12,", "", false}, {"abc", "", false}, {"1e5", "", false},
	} {
		got, ok := commaNumber(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("commaNumber(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestReadTableDecimalComma: an optional table in the ";" dialect (or
// separated by tabs or "|") has its decimal-comma columns read as numbers;
// text columns are left alone.
func TestReadTableDecimalComma(t *testing.T) {
	for _, sep := range []string{";", "\t", "|"} {
		text := strings.ReplaceAll("product_id;price;version;weight;rating\np1;12,50;1.2.3;1.500;4.5\np2;3;1.2.4;2.000;3\n", ";", sep)
		path := writeFile(t, t.TempDir(), "products.csv", text)
		tab, err := ReadTable(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		// ScanTable, which the optional tables' readers use, types the
		// columns alike.
		var scanned []*Table
		if err := ScanTable(context.Background(), path, func(p *Table, _ int64) error { scanned = append(scanned, p); return nil }); err != nil {
			t.Fatal(err)
		}
		for j, c := range tab.Columns {
			if len(scanned) != 1 || scanned[0].Columns[j].Kind != c.Kind {
				t.Errorf("%q: ScanTable gave %d pieces, column %s not of kind %v", sep, len(scanned), c.Name, c.Kind)
			}
		}
		if c := tab.Column("price"); c == nil || c.Kind != KindFloat64 || c.Floats[0] != 12.5 || c.Floats[1] != 3 {
			t.Errorf("%q: price column %+v, want floats 12.5 and 3", sep, c)
		}
		if c := tab.Column("version"); c == nil || c.Kind != KindString || c.Strings[0] != "1.2.3" {
			t.Errorf("%q: version column %+v, want the strings as written", sep, c)
		}
		if c := tab.Column("weight"); c == nil || c.Kind != KindString || c.Strings[0] != "1.500" {
			t.Errorf("%q: weight column %+v, want text: 1.500 reads as 1.5 or 1500", sep, c)
		}
		if c := tab.Column("rating"); c == nil || c.Kind != KindFloat64 || c.Floats[0] != 4.5 {
			t.Errorf("%q: rating column %+v, want 4.5: its own decimals have a point", sep, c)
		}
	}
	// Beside tabs, a column of "1,250" reads either way: text, read whole
	// or a piece at a time.
	thousands := writeFile(t, t.TempDir(), "products.csv", "product_id\tprice\np1\t1,250\np2\t3\n")
	tab, err := ReadTable(context.Background(), thousands)
	if err != nil {
		t.Fatal(err)
	}
	var piece *Table
	if err := ScanTable(context.Background(), thousands, func(p *Table, _ int64) error { piece = p; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, tb := range []*Table{tab, piece} {
		if c := tb.Column("price"); c == nil || c.Kind != KindString || c.Strings[0] != "1,250" {
			t.Errorf("tab table, price 1,250: column %+v, want text", c)
		}
	}
	bad := writeFile(t, t.TempDir(), "products.csv", "product_id;price\np1;12,50\np2;3.25\n")
	if _, err := ReadTable(context.Background(), bad); err == nil || !strings.Contains(err.Error(), `"price"`) || !strings.Contains(err.Error(), bad) {
		t.Errorf("both decimal marks in a column: error %v, want one naming the file and column", err)
	}
}

// TestSepLine: only a whole first line "sep=X" (X a delimiter segment
// reads), after an optional byte order mark, is Excel's delimiter line;
// the optional tables skip it too.
func TestSepLine(t *testing.T) {
	for _, c := range []struct {
		head string
		sep  rune
		n    int
	}{
		{"sep=;\nid;x\n", ';', 6},
		{"sep=\t\r\nid\tx\n", '\t', 7},
		{"\ufeffsep=,\nid,x\n", ',', 9},
		{"sep=;x\nid\n", 0, 0},
		{"sep=#\nid\n", 0, 0},
		{"sep=;", 0, 0},
		{"id,sep=;\n", 0, 0},
	} {
		if sep, n := sepLine([]byte(c.head)); sep != c.sep || n != c.n {
			t.Errorf("sepLine(%q) = %q, %d; want %q, %d", c.head, sep, n, c.sep, c.n)
		}
	}
	path := writeFile(t, t.TempDir(), "customers.csv", "sep=;\ncustomer_id;score\nc1;1,5\nc2;2\n")
	tab, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if c := tab.Column("score"); tab.Column("customer_id") == nil || c == nil || c.Kind != KindFloat64 || c.Floats[0] != 1.5 || len(c.Floats) != 2 {
		t.Errorf("customers table with a sep line: columns %+v", tab.Columns)
	}
}

func TestParseCSVDialect(t *testing.T) {
	for _, c := range []struct {
		delim, dec string
		want       CSVDialect
		err        string
	}{
		{"", "", CSVDialect{}, ""},
		{";", ",", CSVDialect{Delimiter: ';', Decimal: ','}, ""},
		{"tab", ".", CSVDialect{Delimiter: '\t', Decimal: '.'}, ""},
		{":", "", CSVDialect{}, "delimiter: want"},
		{"", ";", CSVDialect{}, "decimal: want"},
	} {
		got, err := ParseCSVDialect(c.delim, c.dec)
		if (err != nil) != (c.err != "") || (err != nil && !strings.Contains(err.Error(), c.err)) || (err == nil && got != c.want) {
			t.Errorf("ParseCSVDialect(%q, %q) = %v, %v; want %v, %q", c.delim, c.dec, got, err, c.want, c.err)
		}
	}
}

// TestReadTableDelimiter: optional tables detect ";" too, and a header
// that cannot tell says how to fix the file (tables have no setting).
func TestReadTableDelimiter(t *testing.T) {
	path := writeFile(t, t.TempDir(), "customers.csv", "customer_id;city\nc1;Köln\n")
	tab, err := ReadTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if c := tab.Column("city"); c == nil || c.Strings[0] != "Köln" {
		t.Errorf("city column %+v", c)
	}
	tie := writeFile(t, t.TempDir(), "customers.csv", "customer_id;city,zip\nc1;Köln,50667\n")
	if _, err := ReadTable(context.Background(), tie); err == nil || !strings.Contains(err.Error(), `quote the column names`) {
		t.Errorf("error %v, want one saying to quote the column names", err)
	}
}

// TestLateDecimalMark: a ";" (or tab) file whose first 64 KiB hold whole
// numbers only takes its decimal mark from the first later number that
// shows one; a number that reads either way before it stops the read
// naming its row and column, never read as 1.234.
func TestLateDecimalMark(t *testing.T) {
	whole := func(sep string) string {
		return strings.Join([]string{"customer_id", "order_id", "time", "amount"}, sep) + "\n" +
			strings.Repeat(strings.Join([]string{"c1", "o1", "2021-04-03", "12"}, sep)+"\n", 5000)
	}
	row := func(sep, amount string) string {
		return strings.Join([]string{"c2", "o2", "2021-04-04", amount}, sep) + "\n"
	}
	for _, c := range []struct {
		name, text string
		last       []float64 // the amounts of the lines after the whole numbers
		err        string
	}{
		{"comma decides", whole(";") + row(";", "2,5") + row(";", "1.234,5"), []float64{2.5, 1234.5}, ""},
		{"point decides", whole(";") + row(";", "2.55") + row(";", "1.234"), []float64{2.55, 1.234}, ""},
		{"either way first", whole(";") + row(";", "1.234") + row(";", "2,5"), nil, `column "amount", row 5001: "1.234" reads as a decimal or as thousands`},
		{"tab, comma thousands first", whole("\t") + row("\t", "1,250"), nil, `row 5001: "1,250" reads as a decimal or as thousands`},
		{"tab, point decides", whole("\t") + row("\t", "1.25") + row("\t", "1,250.5"), []float64{1.25, 1250.5}, ""},
		{"whole numbers only", whole(";") + row(";", "7"), []float64{7}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "orders.csv", c.text)
			lines, _, _, err := readAll(t, OrderSource{Path: path})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "orders.decimal") {
					t.Fatalf("error %v, want one naming %s, containing %q and naming orders.decimal", err, path, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != 5000+len(c.last) {
				t.Fatalf("%d lines, want %d", len(lines), 5000+len(c.last))
			}
			for i, want := range c.last {
				if got := lines[5000+i].Amount; got != want {
					t.Errorf("line %d: amount %v, want %v", 5000+i, got, want)
				}
			}
		})
	}
}

// TestLineEnds: CR alone ends a line wherever it is in the file (after LF
// or CRLF lines too), CRLF and LF lines stay as they are, whatever the
// sizes of the reads, and a CR alone inside a quoted field is a line break.
func TestLineEnds(t *testing.T) {
	const in = "a\r\nb\rc\n\rd\r\r\ne\r"
	const want = "a\nb\nc\n\nd\n\ne\n" // CRLF read as LF, as encoding/csv reads it
	for name, r := range map[string]func(io.Reader) io.Reader{
		"whole": func(r io.Reader) io.Reader { return r }, "one byte": iotest.OneByteReader, "halves": iotest.HalfReader,
	} {
		got, err := io.ReadAll(&lineEnds{r: r(strings.NewReader(in))})
		if err != nil {
			t.Fatal(err)
		}
		if s := strings.ReplaceAll(string(got), "\r\n", "\n"); s != want {
			t.Errorf("%s: %q, want %q", name, s, want)
		}
	}
	hdr := "customer_id,order_id,time,amount"
	for name, text := range map[string]string{
		"LF then CR":   hdr + "\nc1,o1,2021-04-03,1\n" + strings.Repeat("c1,o1,2021-04-03,1\n", 4000) + "c2,o2,2021-04-04,2\rc3,\"o\r3\",2021-04-05,3\r",
		"CRLF then CR": hdr + "\r\nc1,o1,2021-04-03,1\r\n" + strings.Repeat("c1,o1,2021-04-03,1\r\n", 4000) + "c2,o2,2021-04-04,2\rc3,\"o\r3\",2021-04-05,3\r",
		"CR then LF":   hdr + "\rc1,o1,2021-04-03,1\r" + strings.Repeat("c1,o1,2021-04-03,1\r", 4000) + "c2,o2,2021-04-04,2\nc3,\"o\r3\",2021-04-05,3\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "orders.csv", text)
			lines, rejects, _, err := readAll(t, OrderSource{Path: path})
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != 4003 || len(rejects) != 0 {
				t.Fatalf("%d lines, %d rejects: want 4003 and none", len(lines), len(rejects))
			}
			if l := lines[4002]; l.CustomerID != "c3" || l.OrderID != "o\n3" || l.Amount != 3 {
				t.Errorf("last line %+v: want c3, order \"o\\n3\", amount 3", l)
			}
		})
	}
}

// TestInspectQuotedDecimalComma: a file separated by commas whose money
// is quoted with a decimal comma ("12,50 €", as a spreadsheet in a
// European locale saves it) is read with decimal ","; quoted thousands
// ("1,250") or a decimal point elsewhere leave it at ".".
func TestInspectQuotedDecimalComma(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"decimal commas", "order_id,customer_id,time,amount\nA1,C1,2024-01-05,\"12,50 €\"\nA2,C2,2024-01-06,\"1.299,00 €\"\n", ","},
		{"thousands", "order_id,customer_id,time,amount\nA1,C1,2024-01-05,\"1,250\"\nA2,C2,2024-01-06,\"2,500\"\n", "."},
		{"a decimal point too", "order_id,customer_id,time,amount,tax\nA1,C1,2024-01-05,\"12,50\",1.5\n", "."},
		{"ids in a text cell", "order_id,customer_id,time,amount,tag_ids\nA1,C1,2024-01-05,12,\"5,12\"\n", "."},
		{"whole amounts and thousands", "order_id,customer_id,time,amount\nA1,C1,2024-01-05,\"1,250\"\nA2,C1,2024-01-06,\"12,50 €\"\n", "."},
	} {
		path := writeFile(t, t.TempDir(), "orders.csv", c.body)
		in, err := Inspect(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if in.Decimal != c.want {
			t.Errorf("%s: decimal %q, want %q", c.name, in.Decimal, c.want)
		}
		if c.want == "," {
			for _, col := range in.Columns {
				if col.Name == "amount" && col.Kind != KindFloat64 {
					t.Errorf("%s: amount typed %v, want numbers", c.name, col.Kind)
				}
			}
		}
	}
}
