package features

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// storeLines are synthLines(400, seed) with cities, channels and products,
// and the products table of those products.
func storeLines(seed uint64) ([]data.OrderLine, map[string]Product) {
	lines := synthLines(400, seed)
	cities := []string{"Köln", "Bucharest", " Lyon ", "", "Oslo"}
	for i := range lines {
		l := &lines[i]
		l.City = cities[(i/3)%len(cities)]
		l.Channel = []string{"web", "app"}[i%2]
		l.ProductID = fmt.Sprintf("p%d", i%7)
	}
	products := map[string]Product{
		"p1": {Tier: PremiumTier},
		"p2": {Launch: time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	return lines, products
}

// TestSpill checks that an Aggregator that spills its lines to disk gives
// the table of one that does not, bit for bit, whatever the number of
// files, workers, batches and the order of the lines; and that Close
// removes its files.
func TestSpill(t *testing.T) {
	lines, products := storeLines(11)
	shuffled := slices.Clone(lines)
	rand.New(rand.NewPCG(3, 0)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, opts := range []Options{
		{},
		{AsOf: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), WindowDays: 120, TopCategories: 3},
		{AsOf: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)}, // lines after as_of
		{Products: products, Location: time.FixedZone("UTC+3", 3*3600)},
		{PurchaseDays: true, HoldoutDays: 200, Location: time.FixedZone("UTC-5", -5*3600)},
		{Categories: []string{"toys", "books"}},
	} {
		want := aggregate(t, opts, lines)
		for _, parts := range []int{1, 3, 16} {
			for _, workers := range []int{1, 2} {
				for name, in := range map[string][]data.OrderLine{"in order": lines, "shuffled": shuffled} {
					t.Run(fmt.Sprintf("window %d products %t holdout %d cats %v/%d parts %d workers/%s",
						opts.WindowDays, opts.Products != nil, opts.HoldoutDays, opts.Categories, parts, workers, name), func(t *testing.T) {
						dir := t.TempDir()
						o := opts
						o.Workers, o.Spill = workers, &Spill{Dir: dir, Parts: parts}
						a := NewAggregator(o)
						addInBatches(a, in, []int{97, 1, 1000})
						got, err := a.Table()
						if err != nil {
							t.Fatal(err)
						}
						if !reflect.DeepEqual(got, want) {
							diffTables(t, got, want)
						}
						if entries, _ := os.ReadDir(dir); len(entries) != 2 {
							t.Fatalf("spill folder: %d entries in %s, want 2 (the run's folder and its lock file)", len(entries), dir)
						}
						if err := a.Close(); err != nil {
							t.Fatal(err)
						}
						if entries, _ := os.ReadDir(dir); len(entries) != 0 {
							t.Fatalf("after Close: %v left in %s", entries, dir)
						}
						if _, err := a.Table(); err == nil {
							t.Fatal("Table after Close: no error")
						}
					})
				}
			}
		}
	}
}

// TestSpillSparse checks pieces without lines and pieces where no line has
// a city: the merged table is still the in-memory one.
func TestSpillSparse(t *testing.T) {
	lines := synthLines(30, 4)
	for i := range lines {
		if lines[i].CustomerID == lines[0].CustomerID {
			lines[i].City = "Oslo" // one customer's city only
		}
	}
	want := aggregate(t, Options{}, lines)
	a := NewAggregator(Options{Spill: &Spill{Dir: t.TempDir(), Parts: 64}, Workers: 2})
	defer a.Close()
	a.Add(lines)
	got, err := a.Table()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		diffTables(t, got, want)
	}
	if got.City == nil || got.Country != nil {
		t.Fatalf("city %v, country %v: want a city column only", got.City != nil, got.Country != nil)
	}
}

// TestSpillAddAfterTable checks that lines added after Table count, as
// without spilling.
func TestSpillAddAfterTable(t *testing.T) {
	lines, _ := storeLines(11)
	want := aggregate(t, Options{}, lines)
	a := NewAggregator(Options{Spill: &Spill{Dir: t.TempDir(), Parts: 4}})
	defer a.Close()
	half := len(lines) / 2
	a.Add(lines[:half])
	if _, err := a.Table(); err != nil {
		t.Fatal(err)
	}
	a.Add(lines[half:])
	got, err := a.Table()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		diffTables(t, got, want)
	}
}

// TestSpillErrors checks that a spilling Aggregator reports the error the
// in-memory one reports: the first invalid line in input order, whether
// it is found when the line is spilled (a missing id) or only when its
// file is aggregated (an order total that overflows), and no customers.
func TestSpillErrors(t *testing.T) {
	at := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	line := func(c, o string, amount float64) data.OrderLine {
		return data.OrderLine{CustomerID: c, OrderID: o, Time: at, Quantity: 1, Amount: amount}
	}
	var overflow []data.OrderLine // ten lines of 10^12: the order's net overflows at the tenth
	for range 10 {
		overflow = append(overflow, line("big", "o1", 1e12))
	}
	missing := line("c2", "", 10)
	cases := map[string][]data.OrderLine{
		"overflow first":   append(append([]data.OrderLine{line("c1", "o1", 5)}, overflow...), missing),
		"missing first":    append([]data.OrderLine{line("c1", "o1", 5), missing}, overflow...),
		"only invalid":     {missing},
		"no lines":         nil,
		"only after as_of": {line("c1", "o1", 5)},
	}
	for name, lines := range cases {
		t.Run(name, func(t *testing.T) {
			o := Options{}
			if name == "only after as_of" {
				o.AsOf = at
			}
			mem := NewAggregator(o)
			mem.Add(lines)
			_, want := mem.Table()
			if want == nil {
				t.Fatal("in memory: no error")
			}
			for _, parts := range []int{1, 5} {
				o.Spill = &Spill{Dir: t.TempDir(), Parts: parts}
				a := NewAggregator(o)
				a.Add(lines)
				_, err := a.Table()
				if err == nil || err.Error() != want.Error() || errors.Is(err, ErrInvalidLine) != errors.Is(want, ErrInvalidLine) {
					t.Errorf("parts %d: error %v, want %v", parts, err, want)
				}
				a.Close()
			}
		})
	}
}

// TestSpillCorrupt checks that a spill file changed behind the
// Aggregator's back gives an error, not a wrong table.
func TestSpillCorrupt(t *testing.T) {
	lines, _ := storeLines(11)
	dir := t.TempDir()
	a := NewAggregator(Options{Spill: &Spill{Dir: dir, Parts: 2}})
	defer a.Close()
	a.Add(lines)
	if err := a.spill.finish(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "part-*"))
	if len(files) != 2 {
		t.Fatalf("spill files %v", files)
	}
	info, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(files[0], info.Size()-3); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Table(); !errors.Is(err, errSpillCorrupt) {
		t.Fatalf("error %v, want %v", err, errSpillCorrupt)
	}
}

// TestSpillCancel checks that Table returns ctx.Err() once ctx is done.
func TestSpillCancel(t *testing.T) {
	lines, _ := storeLines(11)
	a := NewAggregator(Options{Spill: &Spill{Dir: t.TempDir(), Parts: 3}, Workers: 2})
	defer a.Close()
	a.Add(lines)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.TableContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

// TestSpillBadFolder checks that a spill folder that cannot be made fails
// the table with an error naming it.
func TestSpillBadFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing", "deeper")
	a := NewAggregator(Options{Spill: &Spill{Dir: dir, Parts: 2}})
	defer a.Close()
	if err := a.Err(); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("Err %v, want one naming %s", err, dir)
	}
	if _, err := a.Table(); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("error %v, want one naming %s", err, dir)
	}
}

// TestSpillWriteError checks that a spill file that cannot be written is
// reported by Err as soon as a block fails, and by Table.
func TestSpillWriteError(t *testing.T) {
	lines, _ := storeLines(11)
	a := NewAggregator(Options{Spill: &Spill{Dir: t.TempDir(), Parts: 1}})
	defer a.Close()
	a.spill.files[0].f.Close() // every write fails
	a.Add(lines[:10])
	if err := a.Err(); err != nil {
		t.Fatalf("Err before a block is written: %v", err)
	}
	for a.Err() == nil && len(a.spill.files[0].buf) < spillBlock {
		a.Add(lines) // until a block fills
	}
	if err := a.Err(); err == nil || !strings.Contains(err.Error(), "spill") {
		t.Fatalf("Err %v, want the write error", err)
	}
	if _, err := a.Table(); err == nil || err.Error() != a.Err().Error() {
		t.Fatalf("Table: %v, want %v", err, a.Err())
	}
}
