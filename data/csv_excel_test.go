package data

import (
	"bytes"
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
