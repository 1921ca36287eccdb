package data

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestExcelSafe(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"Alice":             "Alice",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"=1+2":              "'=1+2",
		"@SUM(A1)":          "'@SUM(A1)",
		"+cmd":              "'+cmd",
		"-2+3":              "'-2+3",
		"\tx":               "'\tx",
		"-12.5":             "-12.5",
		"+447700900000":     "+447700900000",
		"a=b":               "a=b",
		"-":                 "'-",
		"-Inf":              "'-Inf", // Excel reads these as formulas, not numbers
		"+NaN":              "'+NaN",
		"-Infinity":         "'-Infinity",
		"+1e5":              "+1e5",
	} {
		if got := ExcelSafe(in); got != want {
			t.Errorf("ExcelSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWriteExcelCSV: for a spreadsheet, text cells that would run as
// formulas get a ' (quoted where the text needs it); numbers, and the
// same table written by WriteCSVChunks, are as they were.
func TestWriteExcelCSV(t *testing.T) {
	tab := &Table{Columns: []Column{
		{Name: "customer_id", Kind: KindString, Strings: []string{"c1", "=1+2", "=1+2", "-5", "@x,y"}},
		{Name: "monetary", Kind: KindFloat64, Floats: []float64{-3, 1, 2, 3, 4}},
		{Name: "=cmd", Kind: KindFloat64, Floats: []float64{0, 0, 0, 0, 0}}, // a feature table's column name
	}}
	var plain, excel bytes.Buffer
	if err := WriteCSVChunks(&plain, Whole(tab)); err != nil {
		t.Fatal(err)
	}
	if err := WriteExcelCSVChunks(&excel, Whole(tab)); err != nil {
		t.Fatal(err)
	}
	if want := "customer_id,monetary,=cmd\nc1,-3,0\n=1+2,1,0\n=1+2,2,0\n-5,3,0\n\"@x,y\",4,0\n"; plain.String() != want {
		t.Errorf("plain CSV:\n%s\nwant\n%s", plain.String(), want)
	}
	if want := "customer_id,monetary,'=cmd\nc1,-3,0\n'=1+2,1,0\n'=1+2,2,0\n-5,3,0\n\"'@x,y\",4,0\n"; excel.String() != want {
		t.Errorf("Excel CSV:\n%s\nwant\n%s", excel.String(), want)
	}
}

// TestWriteCSVAlternatingLabels: a column of more labels than quoteMemo
// has slots, the rows switching label at random (as a cluster name does
// from one customer to the next), some labels needing quotes or Excel's
// quote mark: every cell is written as on its own.
func TestWriteCSVAlternatingLabels(t *testing.T) {
	var labels []string
	for i := range 3 * quoteSlots {
		labels = append(labels, []string{"plain %d", "comma, %d", "=formula %d", `say "%d"`, " lead %d"}[i%5])
		labels[i] = strings.Replace(labels[i], "%d", strconv.Itoa(i), 1)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 2000
	col := Column{Name: "label", Kind: KindString, Strings: make([]string, n)}
	for i := range col.Strings {
		col.Strings[i] = labels[rng.IntN(len(labels))] // shares the label's bytes
	}
	tab := &Table{Columns: []Column{col}}
	for _, excel := range []bool{false, true} {
		want := []byte("label\n")
		for _, s := range col.Strings {
			if excel {
				s = ExcelSafe(s)
			}
			want = append(appendCSVField(want, s), '\n')
		}
		var got bytes.Buffer
		if err := writeCSVChunks(&got, Whole(tab), excel); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("excel %v: got %q, want %q", excel, firstLineDiff(got.Bytes(), want), firstLineDiff(want, got.Bytes()))
		}
	}
}
