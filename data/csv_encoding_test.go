package data

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]string{"": "", "UTF-8": EncodingUTF8, "utf8": EncodingUTF8, "Windows-1252": EncodingWindows1252,
		"cp1252": EncodingWindows1252, "Latin-1": EncodingWindows1252, " iso-8859-1 ": EncodingWindows1252} {
		if got, err := ParseEncoding(in); err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"utf-16", "ascii", "latin-2"} {
		if _, err := ParseEncoding(bad); err == nil {
			t.Errorf("ParseEncoding(%q): no error", bad)
		}
	}
}

// TestAppendWindows1252: every byte becomes one character, as Python's
// cp1252 codec (and the WHATWG table for its five undefined bytes) reads
// it.
func TestAppendWindows1252(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	out := appendWindows1252(nil, all)
	if !utf8.Valid(out) || utf8.RuneCount(out) != 256 {
		t.Fatalf("%d runes, valid %v: want 256 valid", utf8.RuneCount(out), utf8.Valid(out))
	}
	runes := []rune(string(out))
	for b, want := range map[byte]rune{'A': 'A', 0x80: '€', 0x81: 0x81, 0x8A: 'Š', 0x92: '’', 0x96: '–', 0x9F: 'Ÿ', 0xA0: 0xA0, 0xE9: 'é', 0xFC: 'ü', 0xFF: 'ÿ'} {
		if runes[b] != want {
			t.Errorf("byte %#x: %q, want %q", b, runes[b], want)
		}
	}
	// Read in pieces as small as a byte, the stream gives the same text.
	src := bytes.Repeat(all, 200)
	got, err := io.ReadAll(iotest.OneByteReader(&windows1252Reader{r: iotest.HalfReader(bytes.NewReader(src))}))
	if err != nil || !bytes.Equal(got, appendWindows1252(nil, src)) {
		t.Errorf("streamed: %d bytes, %v; want %d", len(got), err, len(appendWindows1252(nil, src)))
	}
}

func TestDetectEncoding(t *testing.T) {
	for _, c := range []struct {
		head string
		want string
	}{
		{"customer_id,city\nC1,Paris\n", ""}, // plain ASCII says nothing
		{"customer_id,city\nC1,M\xfcnchen\n", EncodingWindows1252},
		{"customer_id,city\nC1,M\xfcnchen\nC2,\x80 12\n", EncodingWindows1252},
		{"customer_id,city\nC1,München\n", EncodingUTF8},
		{"customer_id,city\nC1,München\nC2,Gen\xe8ve\n", EncodingUTF8}, // UTF-8 with a stray byte stays UTF-8
		{"customer_id,city\nC1,Paris\xc3", ""},                         // a UTF-8 sequence cut by the peek's end
		{"customer_id,city\nC1,M\xfcnchen\xc3", EncodingWindows1252},
	} {
		if got := detectEncoding([]byte(c.head)); got != c.want {
			t.Errorf("%q: %q, want %q", c.head, got, c.want)
		}
	}
}

// TestReadOrdersEncodingPerRead: the encoding the files of a read showed
// holds for a later file whose start does not show its own (plain ASCII),
// or shows only a stray byte after UTF-8 files: such a file is still read
// as UTF-8, not as Windows-1252, so "José" is spelled alike in both; a
// plain ASCII first file decides nothing; a file whose start holds UTF-8
// characters is read as UTF-8 after a Windows-1252 one ("Müller" in both
// is one customer).
func TestReadOrdersEncodingPerRead(t *testing.T) {
	dir := t.TempDir()
	head := "customer_id,order_id,time,amount\n"
	writeFile(t, dir, "utf8/a.csv", head+"José,O1,2024-01-02,10\n")
	writeFile(t, dir, "utf8/b.csv", head+"X\xff,O2,2024-01-03,5\nJosé,O3,2024-01-04,20\n")
	lines, rejects, _, err := readAll(t, OrderSource{Path: filepath.Join(dir, "utf8")})
	if err != nil || len(lines) != 2 || lines[0].CustomerID != "José" || lines[1].CustomerID != "José" || len(rejects) != 1 {
		t.Errorf("UTF-8 files: %+v, %d rejects, %v; want José twice and the stray byte's id rejected", lines, len(rejects), err)
	}
	writeFile(t, dir, "stray/a.csv", head+"José,O1,2024-01-02,10\n")
	writeFile(t, dir, "stray/b.csv", head+"X\xff,O2,2024-01-03,5\nJose,O3,2024-01-04,20\n")
	if lines, rejects, _, err := readAll(t, OrderSource{Path: filepath.Join(dir, "stray")}); err != nil || len(lines) != 2 || len(rejects) != 1 {
		t.Errorf("a stray byte after a UTF-8 file: %+v, %d rejects, %v; want its id rejected as not UTF-8", lines, len(rejects), err)
	}
	writeFile(t, dir, "mixed/a.csv", head+"M\xfcller,O1,2024-01-02,10\n")
	writeFile(t, dir, "mixed/b.csv", head+"Müller,O2,2024-01-03,20\n")
	if lines, _, _, err := readAll(t, OrderSource{Path: filepath.Join(dir, "mixed")}); err != nil || len(lines) != 2 || lines[0].CustomerID != "Müller" || lines[1].CustomerID != "Müller" {
		t.Errorf("a Windows-1252 file, then a UTF-8 one: %+v, %v; want Müller twice", lines, err)
	}
	writeFile(t, dir, "ascii/a.csv", head+"Jose,O1,2024-01-02,10\n")
	writeFile(t, dir, "ascii/b.csv", head+"Jos\xe9,O2,2024-01-03,20\n")
	lines, _, _, err = readAll(t, OrderSource{Path: filepath.Join(dir, "ascii")})
	if err != nil || len(lines) != 2 || lines[1].CustomerID != "José" {
		t.Errorf("an ASCII file, then a Windows-1252 one: %+v, %v; want José", lines, err)
	}
}

// TestReadOrdersCSVWindows1252: a CSV file saved as Windows-1252 (Excel's
// "CSV" on a Western European Windows) is read as such, detected from its
// start or set (orders.encoding); set as UTF-8, its accented ids are
// rejected as they were before the encoding was detected. A file whose
// first accent comes after the detection's 64 KiB is read as UTF-8 unless
// the encoding is set.
func TestReadOrdersCSVWindows1252(t *testing.T) {
	dir := t.TempDir()
	body := "order_id;customer_id;time;amount;category\n" +
		"A1;M\xfcller;2024-01-05;12,50;Caf\xe9\n" +
		"A2;Mueller;2024-01-06;3,00;\x80 deals\n" +
		"A3;M\xfcller;2024-02-05;7,25;Caf\xe9\n"
	path := writeFile(t, dir, "orders.csv", body)
	ids := func(lines []OrderLine) []string {
		var out []string
		for _, l := range lines {
			out = append(out, l.CustomerID+"/"+l.Category)
		}
		return out
	}
	want := []string{"Müller/Café", "Mueller/€ deals", "Müller/Café"}
	for _, enc := range []string{"", EncodingWindows1252} {
		lines, rejects, _, err := readAll(t, OrderSource{Path: path, CSV: CSVDialect{Encoding: enc}})
		if err != nil || len(rejects) != 0 || !slices.Equal(ids(lines), want) {
			t.Errorf("encoding %q: %q, %d rejects, %v; want %q", enc, ids(lines), len(rejects), err, want)
		}
	}
	lines, rejects, _, err := readAll(t, OrderSource{Path: path, CSV: CSVDialect{Encoding: EncodingUTF8}})
	if err != nil || len(lines) != 1 || len(rejects) != 2 || rejects[0].Reason != "customer_id is not valid UTF-8" {
		t.Errorf("read as UTF-8: %d lines, rejects %+v, %v; want the two accented ids rejected", len(lines), rejects, err)
	}

	var late strings.Builder
	late.WriteString("order_id,customer_id,time,amount\n")
	for i := 0; late.Len() < csvPeek+100; i++ {
		fmt.Fprintf(&late, "A%d,C%d,2024-01-05,1.5\n", i, i%50)
	}
	ascii := late.String()
	// The first byte beyond ASCII, past the first 64 KiB, decides: a
	// Windows-1252 accent is read as one (it was read as UTF-8, the id
	// rejected), as when the encoding is set; a UTF-8 one stays UTF-8.
	for _, c := range []struct{ name, row, enc, want string }{
		{"windows-1252", "Z1,J\xfcrgen,2024-01-05,2.5\nZ2,\x80uro,2024-01-05,1\n", "", "Jürgen €uro"},
		{"windows-1252 set", "Z1,J\xfcrgen,2024-01-05,2.5\nZ2,\x80uro,2024-01-05,1\n", EncodingWindows1252, "Jürgen €uro"},
		{"utf-8", "Z1,J\xc3\xbcrgen,2024-01-05,2.5\nZ2,\xe2\x82\xacuro,2024-01-05,1\n", "", "Jürgen €uro"},
		{"windows-1252 gzip", "Z1,J\xfcrgen,2024-01-05,2.5\nZ2,\x80uro,2024-01-05,1\n", "", "Jürgen €uro"},
	} {
		name := "late.csv"
		if strings.HasSuffix(c.name, "gzip") {
			name = "late.csv.gz"
		}
		path = writeFile(t, dir, name, ascii+c.row)
		lines, rejects, _, err := readAll(t, OrderSource{Path: path, CSV: CSVDialect{Encoding: c.enc}})
		if err != nil || len(rejects) != 0 || len(lines) < 2 || lines[len(lines)-2].CustomerID+" "+lines[len(lines)-1].CustomerID != c.want {
			t.Errorf("%s: %d rejects, %v; want %q read", c.name, len(rejects), err, c.want)
		}
		if c.enc != "" {
			continue
		}
		in, err := Inspect(context.Background(), path)
		if want := map[bool]string{true: EncodingWindows1252, false: EncodingUTF8}[strings.HasPrefix(c.name, "windows-1252")]; err != nil || in.Encoding != want {
			t.Errorf("%s: inspect says encoding %q (%v), want %q", c.name, in.Encoding, err, want)
		}
	}
	// A decision made past a file's start is that file's: the next file,
	// whose own late characters are UTF-8, is read as UTF-8, as a
	// scale-out run reading it on its own reads it.
	both := filepath.Join(dir, "both")
	writeFile(t, both, "a.csv", ascii+"Z1,J\xfcrgen,2024-01-05,2.5\n")
	writeFile(t, both, "b.csv", ascii+"Z2,M\xc3\xbcller,2024-01-05,2.5\n")
	lines, rejects, _, err = readAll(t, OrderSource{Path: filepath.Join(both, "*.csv")})
	var lateIDs []string
	for _, l := range lines {
		if l.OrderID[0] == 'Z' {
			lateIDs = append(lateIDs, l.CustomerID)
		}
	}
	if err != nil || len(rejects) != 0 || !slices.Equal(lateIDs, []string{"Jürgen", "Müller"}) {
		t.Errorf("two files decided late: %q, %d rejects, %v; want Jürgen and Müller", lateIDs, len(rejects), err)
	}
}

// TestInspectWindows1252: inspect says a file is Windows-1252.
func TestInspectWindows1252(t *testing.T) {
	path := writeFile(t, t.TempDir(), "orders.csv", "order_id,customer_id,time,amount\nA1,M\xfcller,2024-01-05,12.5\n")
	in, err := Inspect(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if in.Encoding != EncodingWindows1252 || !slices.ContainsFunc(in.Columns, func(c ColumnInfo) bool { return slices.Contains(c.Examples, "Müller") }) {
		t.Errorf("encoding %q, columns %+v; want windows-1252 and Müller among the examples", in.Encoding, in.Columns)
	}
}
