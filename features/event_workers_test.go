package features

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestReadEventTableWorkers checks that the rows of each piece, checked
// and looked up on several goroutines (prepare), fold into exactly what
// folding the events one by one with Add gives, with any number of
// workers, in the ordered and the unordered modes: the same columns,
// counts and rejects. The file has 150,000 rows (three CSV pieces of many
// chunks each, or a Parquet row group of several windows) of 5,000 customers, most of them first seen in the middle
// of a piece and again later in it, with rejected rows, unknown types and
// events after as_of.
func TestReadEventTableWorkers(t *testing.T) {
	loc := time.FixedZone("UTC-5", -5*3600) // days are the store's calendar days
	asOf := time.Date(2025, 3, 1, 0, 0, 0, 0, loc)
	rng := rand.New(rand.NewPCG(11, 12))
	types := []string{"view", "View ", "add_to_cart", "checkout", "wishlist"}
	type row struct{ id, at, typ string }
	rows := make([]row, 150_000)
	for i := range rows {
		tm := asOf.Add(-time.Duration(rng.Int64N(int64(120*24*time.Hour))) + 6*time.Hour)
		rows[i] = row{fmt.Sprintf("c%04d", rng.IntN(5000)), tm.Format(time.DateTime), types[rng.IntN(len(types))]}
	}
	slices.SortStableFunc(rows, func(a, b row) int { return strings.Compare(a.at, b.at) })
	for i, bad := range []row{{"", "2025-01-01 00:00:00", "view"}, {"c0001", "not a time", "view"}, {"c\xff", "2025-01-01 00:00:00", "view"},
		{"c0002", "", "view"}, {"c0003", "1500-01-01 00:00:00", "view"}} {
		rows[9000+i*30_001] = bad
	}
	write := func(name string, rows []row) string {
		if strings.HasSuffix(name, ".parquet") { // one row group: a piece of several windows
			type prow struct {
				ID   string `parquet:"customer_id"`
				Time string `parquet:"time"`
				Type string `parquet:"type"`
			}
			prows := make([]prow, len(rows))
			for i, r := range rows {
				prows[i] = prow{r.id, r.at, r.typ}
			}
			return writeRowGroups(t, name, prows, int64(len(rows)))
		}
		var b strings.Builder
		b.WriteString("\ufeffcustomer_id,time,type\n") // UTF-8 by its mark: the invalid id is rejected

		for _, r := range rows {
			fmt.Fprintf(&b, "%s,%s,%s\n", r.id, r.at, r.typ)
		}
		return writeFile(t, name, b.String())
	}
	shuffled := slices.Clone(rows)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })

	for _, file := range []struct {
		name string
		rows []row
	}{{"ordered.csv", rows}, {"shuffled.csv", shuffled}, {"ordered.parquet", rows}} {
		path := write(file.name, file.rows)
		// The reference: every valid row folded with Add, in file order.
		ref := NewEventAggregator(asOf)
		var wantRejects []string
		for i, r := range file.rows {
			tm, err := time.ParseInLocation(time.DateTime, r.at, loc)
			if r.id == "" || r.id == "c\xff" || err != nil || tm.Before(data.MinTime) {
				wantRejects = append(wantRejects, fmt.Sprint(i+1))
				continue
			}
			ref.Add(r.id, tm, r.typ)
		}
		// The shuffled file is read a second time (spilled), the ordered one once.
		probe := newOrderedEventAggregator(asOf)
		for _, r := range file.rows {
			if tm, err := time.ParseInLocation(time.DateTime, r.at, loc); err == nil && r.id != "" && r.id != "c\xff" && !tm.Before(data.MinTime) {
				probe.Add(r.id, tm, r.typ)
			}
		}
		if probe.unordered != strings.HasPrefix(file.name, "shuffled") {
			t.Fatalf("%s: out of time order %v", file.name, probe.unordered)
		}
		ids := append(ref.IDs(), "nobody")
		want, err := ref.Columns(context.Background(), ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 2, 8} {
			var rejects, reasons []string
			e, err := ReadEventTable(context.Background(), path, nil, data.TimeFormat{}, asOf, &EventSpill{Dir: t.TempDir()}, workers,
				func(r data.Reject) { rejects, reasons = append(rejects, fmt.Sprint(r.Row)), append(reasons, r.Reason) })
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Agg.Columns(context.Background(), ids)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) || !slices.Equal(e.Agg.IDs(), ref.IDs()) {
				t.Errorf("%s, %d workers: the columns differ from folding the events one by one", file.name, workers)
			}
			if e.Agg.Stats() != ref.Stats() || ref.Stats().UnknownType == 0 || ref.Stats().AfterAsOf == 0 {
				t.Errorf("%s, %d workers: stats %+v, want %+v (with unknown types and events after as_of)", file.name, workers, e.Agg.Stats(), ref.Stats())
			}
			if !slices.Equal(rejects, wantRejects) || len(rejects) != 5 || e.Rejected != 5 || e.Rows != int64(len(rows)) {
				t.Errorf("%s, %d workers: rejects at rows %v (want %v), %d rows", file.name, workers, rejects, wantRejects, e.Rows)
			}
			slices.Sort(reasons)
			if want := []string{"events: customer_id is not valid UTF-8", "events: missing customer_id", "events: missing time",
				"events: time out of range (years 1678–2261)", "events: unparseable time"}; !slices.Equal(reasons, want) {
				t.Errorf("%s, %d workers: reasons %q, want %q", file.name, workers, reasons, want)
			}
		}
	}
}
