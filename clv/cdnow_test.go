package clv

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"strconv"
	"testing"
	"time"
)

// The CDNOW 1/10 sample (Fader & Hardie 2001) as the repository's CI sees
// it: ../shared beside the checkout. See ../shared/data/README.md.
const (
	cdnowDir  = "../../shared/data/cdnow/"
	cdnowCBS  = cdnowDir + "cdnow_sample_cbs.csv"
	cdnowLog  = cdnowDir + "cdnow_sample.csv"
	cdnowCust = 2357
)

// cbsRow is one row of BTYD's published customer-by-sufficient-statistic
// table.
type cbsRow struct {
	Stats
	XStar int
}

// readCSV returns the records of path without its header, skipping the
// test if the shared data is absent.
func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s absent", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

func atof(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// loadCBS reads cdnow_sample_cbs.csv: cust, x, t.x, T.cal, x.star.
func loadCBS(t testing.TB) []cbsRow {
	t.Helper()
	var rows []cbsRow
	for _, r := range readCSV(t, cdnowCBS) {
		rows = append(rows, cbsRow{
			Stats: Stats{X: int(atof(t, r[1])), Tx: atof(t, r[2]), T: atof(t, r[3])},
			XStar: int(atof(t, r[4])),
		})
	}
	if len(rows) != cdnowCust {
		t.Fatalf("%s: %d customers, want %d", cdnowCBS, len(rows), cdnowCust)
	}
	return rows
}

// purchase is one line of cdnow_sample.csv.
type purchase struct {
	day     int
	dollars float64
}

// loadLog reads cdnow_sample.csv into each customer's purchases in file
// order, customers in order of sample_customer_id (1…2357, as the cbs).
func loadLog(t testing.TB) [][]purchase {
	t.Helper()
	byCust := make([][]purchase, cdnowCust)
	for _, r := range readCSV(t, cdnowLog) {
		id, err := strconv.Atoi(r[1])
		if err != nil || id < 1 || id > cdnowCust {
			t.Fatalf("sample_customer_id %q", r[1])
		}
		d, err := time.Parse("2006-01-02", r[2])
		if err != nil {
			t.Fatal(err)
		}
		byCust[id-1] = append(byCust[id-1], purchase{day: DayNumber(d), dollars: atof(t, r[4])})
	}
	return byCust
}

func dayOf(t testing.TB, s string) int {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return DayNumber(d)
}
