package features

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// TestWorkers checks that the table does not depend on the number of
// partitions: customers are split by a hash of their id, and the store-wide
// figures (as_of, the mix categories, the median order, revenue, the
// attributes' ties) are combined across partitions.
func TestWorkers(t *testing.T) {
	lines, products := storeLines(5)
	shuffled := slices.Clone(lines)
	rand.New(rand.NewPCG(9, 0)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, opts := range []Options{
		{},
		{AsOf: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), WindowDays: 120, TopCategories: 3},
		{Products: products, Location: time.FixedZone("UTC+3", 3*3600)},
		{PurchaseDays: true, HoldoutDays: 200, Location: time.FixedZone("UTC-5", -5*3600)},
	} {
		want := aggregate(t, opts, lines)
		for _, workers := range []int{2, 3, 8} {
			for name, in := range map[string][]data.OrderLine{"in order": lines, "shuffled": shuffled} {
				t.Run(fmt.Sprintf("window %d products %t holdout %d/%d workers/%s", opts.WindowDays, opts.Products != nil, opts.HoldoutDays, workers, name), func(t *testing.T) {
					o := opts
					o.Workers = workers
					a := NewAggregator(o)
					addInBatches(a, in, []int{97, 1, 1000})
					got, err := a.Table()
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						diffTables(t, got, want)
					}
					if got.City == nil || got.Channel == nil {
						t.Fatal("attributes missing")
					}
				})
			}
		}
	}
}

// TestWorkersFirstBatches: with several partitions, batches that give the
// first partition no line (a store of one customer, the first lines of a
// store) fold each line once: every customer once, as with one partition.
// Partition 0 used to take a nil index for "every line" and fold the whole
// batch a second time.
func TestWorkersFirstBatches(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var lines []data.OrderLine
	for c := range 12 {
		id := fmt.Sprintf("c%d", c)
		for o := range 2 {
			lines = append(lines, data.OrderLine{CustomerID: id, OrderID: fmt.Sprintf("%s-o%d", id, o),
				Time: at.Add(time.Duration(c*24+o) * time.Hour), Quantity: 1, UnitPrice: 10, Amount: 10})
		}
	}
	for _, workers := range []int{2, 3, 8} {
		for c := range 12 {
			one := lines[2*c : 2*c+2] // one customer, whichever partition it hashes to
			want := aggregate(t, Options{}, one)
			a := NewAggregator(Options{Workers: workers})
			addInBatches(a, one, []int{1})
			got, err := a.Table()
			if err != nil {
				t.Fatal(err)
			}
			if got.N() != 1 || got.Lines != 2 || !reflect.DeepEqual(got, want) {
				t.Errorf("workers %d, customer %s alone: %d customers, %d lines, want 1 and 2", workers, one[0].CustomerID, got.N(), got.Lines)
			}
		}
		want := aggregate(t, Options{}, lines)
		a := NewAggregator(Options{Workers: workers})
		addInBatches(a, lines, []int{1, 3})
		got, err := a.Table()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			diffTables(t, got, want)
		}
	}
}

// TestWorkersFirstError checks that with several partitions the error is
// that of the first invalid line in the order lines were added, whichever
// partition holds it.
func TestWorkersFirstError(t *testing.T) {
	const workers = 4
	// Two customers in different partitions, each with a bad line.
	var ids []string
	seen := map[uint64]bool{}
	for i := 0; len(ids) < 2; i++ {
		id := fmt.Sprintf("c%d", i)
		if k := hashID(id) % workers; !seen[k] {
			seen[k] = true
			ids = append(ids, id)
		}
	}
	at := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	good := func(id string) data.OrderLine {
		return data.OrderLine{CustomerID: id, OrderID: "o1", Time: at, Quantity: 1, Amount: 10}
	}
	bad := func(id string) data.OrderLine {
		l := good(id)
		l.OrderID = "" // a missing order id
		return l
	}
	for _, first := range []int{0, 1} {
		second := 1 - first
		lines := []data.OrderLine{good(ids[0]), good(ids[1]), bad(ids[first]), good(ids[0]), bad(ids[second])}
		for _, w := range []int{1, workers} {
			a := NewAggregator(Options{Workers: w})
			a.Add(lines[:3])
			a.Add(lines[3:])
			_, err := a.Table()
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", ids[first])) {
				t.Errorf("workers %d: error %v, want the line of %s first", w, err, ids[first])
			}
		}
	}
}
