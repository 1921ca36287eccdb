package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestFeatureTableMixedColumn: one N/A in a column of numbers stops the
// run naming the file, column and row (the column was dropped without a
// word); a column of text is still left out.
func TestFeatureTableMixedColumn(t *testing.T) {
	dir := t.TempDir()
	mixed := writeCSV(t, dir, "mixed.csv", "customer_id,monetary,visits", "a,10,1", "b,N/A,2", "c,30,3")
	_, err := ReadFeatureTable(context.Background(), mixed)
	if err == nil || !strings.Contains(err.Error(), `column "monetary", row 2: "N/A" is not a number, but 2 of the column's 3 filled cells are`) {
		t.Errorf("N/A among numbers: %v", err)
	}
	text := writeCSV(t, dir, "text.csv", "customer_id,tier,visits", "a,gold,1", "b,silver,2", "c,3,3")
	in, err := ReadFeatureTable(context.Background(), text)
	if err != nil || !slices.Equal(in.FeatureColumns, []string{"visits"}) {
		t.Errorf("a text column: %v, %v; want visits alone", in, err)
	}
}

// TestFeatureTableIDColumn: the id column is customer_id but for letter
// case and separators (CustomerID) before the first column: a row number
// in front is not taken as the id, nor the ids clustered.
func TestFeatureTableIDColumn(t *testing.T) {
	path := writeCSV(t, t.TempDir(), "f.csv", "row_id,CustomerID,monetary", "1,C7,10", "2,C9,20")
	in, err := ReadFeatureTable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Table.IDs, []string{"C7", "C9"}) || !slices.Equal(in.FeatureColumns, []string{"row_id", "monetary"}) {
		t.Errorf("ids %v, features %v; want C7, C9 and row_id, monetary", in.Table.IDs, in.FeatureColumns)
	}
}

// TestFeatureTableCityGroupColumn: a feature table's column named like a
// city group the customers table makes (city_paris) stops the run when
// the groups are made, naming the column (it failed writing the outputs,
// naming no input).
func TestFeatureTableCityGroupColumn(t *testing.T) {
	dir := t.TempDir()
	o := runOptions(t)
	o.Orders, o.AsOf = "", time.Time{}
	o.Features = writeCSV(t, dir, "f.csv", "customer_id,spend,city_paris", "a,10,1", "b,12,0", "c,500,1", "d,520,0")
	o.CustomersPath = writeCSV(t, dir, "customers.csv", "customer_id,city", "a,Paris", "b,Paris", "c,Lyon", "d,Paris")
	_, err := Run(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), `column "city_paris" has the name of the seed group city_paris`) {
		t.Errorf("city_paris column: %v", err)
	}
}

// TestIDLikeColumn: names of ids and row numbers, not of features.
func TestIDLikeColumn(t *testing.T) {
	for name, want := range map[string]bool{
		"row_id": true, "Unnamed: 0": true, "index": true, "CustomerID": true, "rowId": true, "order-id": true, "ID": true,
		"paid": false, "PAID": false, "monetary": false, "visits": false, "void": false, "mid": false,
	} {
		if got := IDLikeColumn(name); got != want {
			t.Errorf("IDLikeColumn(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestFeatureTableCaseClash: columns whose names differ only in letter
// case from each other or from a column the assignments add (Cluster
// beside cluster) are refused: a case-insensitive warehouse could not
// load the assignments.
func TestFeatureTableCaseClash(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ header, want string }{
		{"customer_id,Cluster,spend", `column "Cluster" is a column segment's assignments add`},
		{"customer_id,Spend,spend", `columns "Spend" and "spend" differ only in letter case`},
		{"customer_id,CUSTOMER_ID,spend", `columns "customer_id" and "CUSTOMER_ID" differ only in letter case`},
	} {
		path := writeCSV(t, dir, "f.csv", c.header, "a,1,2", "b,3,4")
		if _, err := ReadFeatureTable(context.Background(), path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.header, err, c.want)
		}
	}
}

// TestFeatureTableNoWindowWording: features.window_days beside a feature
// table limits nothing (it has no orders): the report does not speak of
// a window (it said "the last 90 days before 0001-01-01").
func TestFeatureTableNoWindowWording(t *testing.T) {
	o := runOptions(t)
	o.Orders, o.AsOf, o.WindowDays = "", time.Time{}, 90
	o.Features = twoGroupFeatures(t)
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(o.Out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, wording := range []string{"before 0001-01-01", "in the window (the last", "over the last 90 days"} {
		if strings.Contains(string(md), wording) {
			t.Errorf("report.md says %q", wording)
		}
	}
}

// TestMixedColumnsPieces: the verdict on a text column is the file's
// however it is split: a first piece mostly N/A and a second of numbers
// make a column of numbers with a bad cell, named by its file row.
func TestMixedColumnsPieces(t *testing.T) {
	piece := func(cells ...string) *data.Table {
		ids := make([]string, len(cells))
		for i := range ids {
			ids[i] = fmt.Sprint("c", i)
		}
		return &data.Table{Columns: []data.Column{
			{Name: "customer_id", Kind: data.KindString, Strings: ids},
			{Name: "visits", Kind: data.KindFloat64, Floats: make([]float64, len(cells))},
			{Name: "spend", Kind: data.KindString, Strings: cells},
		}}
	}
	m := NewMixedColumns("f.csv")
	for _, p := range []struct {
		t     *data.Table
		first int64
	}{{piece("N/A", "N/A", "3"), 0}, {piece("4", "5", "6", "7"), 3}} {
		if _, _, _, err := FeatureColumnsOf("f.csv", p.t, p.first, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Err(); err == nil || !strings.Contains(err.Error(), `f.csv: column "spend", row 1: "N/A" is not a number, but 5 of the column's 7 filled cells are`) {
		t.Errorf("split file: %v", err)
	}
}
