package features

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/data"
)

// piecewiseTable computes the feature table the way a distributed run
// does: the lines split by customer into pieces, as_of from the newest
// line, the mix categories from the summed CategoryGross of the pieces,
// then CustomerRows of each piece, merged and sorted by id. Every other
// piece goes through a Piece instead of the functions, its lines given
// in reverse order, seven at a time (inPiece).
func piecewiseTable(t *testing.T, o Options, lines []data.OrderLine, pieces int) *Table {
	t.Helper()
	split := make([][]data.OrderLine, pieces)
	var newest time.Time
	for _, l := range lines {
		k := hashID(l.CustomerID+"salt") % uint64(pieces)
		split[k] = append(split[k], l)
		if l.Time.After(newest) {
			newest = l.Time
		}
	}
	s := StoreValues{AsOf: o.AsOf, Categories: o.Categories}
	if s.AsOf.IsZero() {
		s.AsOf = DefaultAsOf(newest, o.Location)
	}
	if s.Categories == nil {
		total := map[string]int64{}
		for k, p := range split {
			g, err := CategoryGross(o, s.AsOf, p)
			if k%2 == 1 {
				g, err = inPiece(o, StoreValues{AsOf: s.AsOf}, p).CategoryGross()
			}
			if err != nil {
				t.Fatal(err)
			}
			for name, v := range g {
				total[name] += v
			}
		}
		s.Categories = TopCategories(total, o.TopCategories)
	}
	var tabs []*Table
	var nets []fixed
	for k, p := range split {
		tab, err := CustomerRows(o, s, p)
		n, nerr := PurchaseNets(o, s.AsOf, p)
		switch k % 3 {
		case 1:
			pc := inPiece(o, s, p)
			tab, err = pc.Rows()
			n, nerr = pc.PurchaseNets()
		case 2: // both from one pass, as a scale-out run makes them
			tab, n, err = inPiece(o, s, p).RowsAndNets()
			nerr = nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if nerr != nil {
			t.Fatal(nerr)
		}
		tabs = append(tabs, tab)
		for _, v := range n {
			nets = append(nets, fixed(v))
		}
	}
	m := mergeRows(tabs)
	m.MedianOrder = medianOf([][]fixed{nets})
	return m
}

// inPiece returns a Piece given lines in reverse order, seven at a time.
func inPiece(o Options, s StoreValues, lines []data.OrderLine) *Piece {
	p := NewPiece(o, s)
	rev := slices.Clone(lines)
	slices.Reverse(rev)
	for len(rev) > 0 {
		n := min(7, len(rev))
		p.Add(rev[:n])
		rev = rev[n:]
	}
	return p
}

// mergeRows merges tables of disjoint customers into one sorted by id,
// with the per-customer columns and the summed counts.
func mergeRows(tabs []*Table) *Table {
	type ref struct{ t, i int }
	var refs []ref
	for k, tab := range tabs {
		for i := range tab.IDs {
			refs = append(refs, ref{k, i})
		}
	}
	slices.SortFunc(refs, func(a, b ref) int { return strings.Compare(tabs[a.t].IDs[a.i], tabs[b.t].IDs[b.i]) })
	first := tabs[0]
	m := &Table{AsOf: first.AsOf, Names: first.Names, Categories: first.Categories, Cols: make([][]float64, len(first.Names))}
	attr := func(tab *Table, col []string, i int) string {
		if col == nil {
			return ""
		}
		return col[i]
	}
	for _, r := range refs {
		tab := tabs[r.t]
		m.IDs = append(m.IDs, tab.IDs[r.i])
		m.TopCategory = append(m.TopCategory, tab.TopCategory[r.i])
		for j := range m.Cols {
			m.Cols[j] = append(m.Cols[j], tab.Cols[j][r.i])
		}
		m.City = append(m.City, attr(tab, tab.City, r.i))
		m.Country = append(m.Country, attr(tab, tab.Country, r.i))
		m.Channel = append(m.Channel, attr(tab, tab.Channel, r.i))
	}
	for _, tab := range tabs {
		m.Orders += tab.Orders
		m.Purchases += tab.Purchases
		m.Lines += tab.Lines
		m.LinesAfterAsOf += tab.LinesAfterAsOf
	}
	return m
}

// sameRows reports the first difference between the rows of two tables,
// comparing every float by its bits.
func sameRows(got, want *Table) error {
	switch {
	case !got.AsOf.Equal(want.AsOf):
		return fmt.Errorf("as_of %v, want %v", got.AsOf, want.AsOf)
	case !slices.Equal(got.Names, want.Names):
		return fmt.Errorf("names %q, want %q", got.Names, want.Names)
	case !slices.Equal(got.Categories, want.Categories):
		return fmt.Errorf("categories %q, want %q", got.Categories, want.Categories)
	case !slices.Equal(got.IDs, want.IDs):
		return fmt.Errorf("%d ids, want %d (or they differ)", len(got.IDs), len(want.IDs))
	case !slices.Equal(got.TopCategory, want.TopCategory):
		return fmt.Errorf("top categories differ")
	case math.Float64bits(got.MedianOrder) != math.Float64bits(want.MedianOrder):
		return fmt.Errorf("median order %v, want %v", got.MedianOrder, want.MedianOrder)
	case got.Orders != want.Orders || got.Purchases != want.Purchases || got.Lines != want.Lines || got.LinesAfterAsOf != want.LinesAfterAsOf:
		return fmt.Errorf("orders/purchases/lines/after %d/%d/%d/%d, want %d/%d/%d/%d", got.Orders, got.Purchases, got.Lines,
			got.LinesAfterAsOf, want.Orders, want.Purchases, want.Lines, want.LinesAfterAsOf)
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{{"city", got.City, want.City}, {"country", got.Country, want.Country}, {"channel", got.Channel, want.Channel}} {
		if c.want == nil {
			c.want = make([]string, len(want.IDs))
		}
		if !slices.Equal(c.got, c.want) {
			return fmt.Errorf("%s differs", c.name)
		}
	}
	for j, col := range want.Cols {
		for i, v := range col {
			if math.Float64bits(got.Cols[j][i]) != math.Float64bits(v) {
				return fmt.Errorf("%s of %s = %v, want %v", want.Names[j], want.IDs[i], got.Cols[j][i], v)
			}
		}
	}
	return nil
}

// TestCustomerRowsPiecewise checks that the table computed piece by piece
// (CategoryGross, TopCategories, CustomerRows) has the rows of one
// Aggregator's Table, bit for bit, whatever the number of pieces.
func TestCustomerRowsPiecewise(t *testing.T) {
	lines, products := storeLines(11)
	tests := []struct {
		name string
		opts Options
	}{
		{"defaults", Options{}},
		{"window with default as_of", Options{WindowDays: 90}},
		{"as_of with later lines, window, top 3", Options{AsOf: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), WindowDays: 120, TopCategories: 3}},
		{"time zone and products", Options{Location: time.FixedZone("UTC+3", 3*3600), Products: products, TopCategories: 2}},
		{"fixed categories", Options{Categories: []string{"Toys", "Books"}}},
		{"no mix categories", Options{Categories: []string{}}},
	}
	for _, tc := range tests {
		a := NewAggregator(tc.opts)
		a.Add(lines)
		want, err := a.Table()
		if err != nil {
			t.Fatal(err)
		}
		for _, pieces := range []int{1, 3, 16} {
			t.Run(fmt.Sprintf("%s/%d pieces", tc.name, pieces), func(t *testing.T) {
				if err := sameRows(piecewiseTable(t, tc.opts, lines, pieces), want); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// TestCustomerRowsEdges checks a piece whose lines are all after as_of,
// and the errors.
func TestCustomerRowsEdges(t *testing.T) {
	asOf := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	late := []data.OrderLine{{CustomerID: "c", OrderID: "o", Time: asOf.Add(time.Hour), Amount: 5, Quantity: 1, Category: "Toys"}}
	tab, err := CustomerRows(Options{}, StoreValues{AsOf: asOf, Categories: []string{"Toys"}}, late)
	if err != nil {
		t.Fatal(err)
	}
	if tab.N() != 0 || tab.LinesAfterAsOf != 1 || len(tab.Cols) != len(tab.Names) || !slices.Contains(tab.Names, "mix_toys") {
		t.Fatalf("got %d rows, %d lines after as_of, names %q", tab.N(), tab.LinesAfterAsOf, tab.Names)
	}
	g, err := CategoryGross(Options{}, asOf, late)
	if err != nil || len(g) != 0 {
		t.Fatalf("category gross of lines after as_of: %v, %v", g, err)
	}
	if _, err := CustomerRows(Options{}, StoreValues{}, late); err == nil {
		t.Fatal("no error without as_of")
	}
	if _, err := CategoryGross(Options{}, time.Time{}, late); err == nil {
		t.Fatal("no error without as_of")
	}
	if _, err := PurchaseNets(Options{}, time.Time{}, late); err == nil {
		t.Fatal("no error without as_of")
	}
	if nets, err := PurchaseNets(Options{}, asOf, late); err != nil || len(nets) != 0 {
		t.Fatalf("purchase nets of lines after as_of: %v, %v", nets, err)
	}
	if _, err := CustomerRows(Options{}, StoreValues{AsOf: asOf, Categories: []string{"a", "a"}}, late); err == nil {
		t.Fatal("no error for a category listed twice")
	}
	bad := []data.OrderLine{{CustomerID: "c", OrderID: "o", Time: asOf.Add(-time.Hour), Amount: math.NaN()}}
	if _, err := CategoryGross(Options{}, asOf, bad); err == nil {
		t.Fatal("no error for a NaN amount")
	}
	if got := TopCategories(map[string]int64{"": 9, "a": 1, "b": 3, "c": 3, "d": 0}, 0); !slices.Equal(got, []string{"b", "c", "a"}) {
		t.Fatalf("TopCategories = %q", got)
	}
}

// TestPieceNeedsStoreValues checks that a Piece without as_of, or asked
// for rows without the mix categories, is an error, not a table measured
// at the zero time or with categories ranked within the piece.
func TestPieceNeedsStoreValues(t *testing.T) {
	line := data.OrderLine{CustomerID: "c1", OrderID: "o1", Time: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), Quantity: 1, Amount: 10, Category: "home"}
	p := NewPiece(Options{}, StoreValues{})
	p.Add([]data.OrderLine{line})
	if _, err := p.CategoryGross(); err == nil || !strings.Contains(err.Error(), "as_of") {
		t.Fatalf("no as_of: category gross error %v", err)
	}
	if _, err := p.Rows(); err == nil || !strings.Contains(err.Error(), "as_of") {
		t.Fatalf("no as_of: rows error %v", err)
	}
	asOf := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	p = NewPiece(Options{}, StoreValues{AsOf: asOf})
	p.Add([]data.OrderLine{line})
	if _, err := p.Rows(); err == nil || !strings.Contains(err.Error(), "mix categories") {
		t.Fatalf("no categories: rows error %v", err)
	}
	g, err := p.CategoryGross()
	if err != nil || g["home"] != 10e6 {
		t.Fatalf("category gross %v, %v: want home 10,000,000 millionths", g, err)
	}
	p = NewPiece(Options{}, StoreValues{AsOf: asOf, Categories: []string{}})
	p.Add([]data.OrderLine{line})
	tab, err := p.Rows()
	if err != nil || tab.N() != 1 {
		t.Fatalf("rows %v, %v: want one customer", tab, err)
	}
}
