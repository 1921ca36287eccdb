package features

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/segment-tool/segment/data"
)

// A Piece aggregates every line of some customers, given a batch at a time
// in any order and in any number of Add calls, for one of the computations
// of a distributed run (customer_rows.go): CategoryGross, Rows or
// PurchaseNets, as the functions of those names give them for the same
// lines at once (RowsAndNets both of the last two from one pass). Its memory grows with the piece's orders (the state of
// each), not its lines, so a piece may hold many customers, and a customer
// any number of orders.
type Piece struct {
	a   *Aggregator
	s   StoreValues
	err error
}

// NewPiece returns an empty Piece measured with the store-wide values s:
// s.AsOf is required; s.Categories, the mix categories, are needed by Rows
// only (nil: not known yet, as for CategoryGross, which ranks them; empty:
// none). o.AsOf, o.Categories and o.Workers are ignored.
func NewPiece(o Options, s StoreValues) *Piece {
	p := &Piece{s: s}
	if s.AsOf.IsZero() {
		p.err = fmt.Errorf("features: a piece of the store needs the store's as_of")
	}
	o.AsOf, o.Categories, o.Workers, o.Spill = s.AsOf, s.Categories, 1, nil
	p.a = NewAggregator(o)
	return p
}

// Add aggregates lines; it does not keep them.
func (p *Piece) Add(lines []data.OrderLine) { p.a.Add(lines) }

// CategoryGross returns the gross spend per category of the piece's
// customers (see the function CategoryGross).
func (p *Piece) CategoryGross() (map[string]int64, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	a := p.a
	from := windowStart(p.s.AsOf, a.loc, a.opts.WindowDays)
	gross := make(map[string]int64)
	ovf := false
	for _, pt := range a.parts {
		acc, _, err := pt.totals(context.Background(), from)
		if err != nil {
			return nil, err
		}
		sums := make([]fixed, len(pt.cats))
		for ci := range acc {
			for _, s := range acc[ci].cats {
				sums[s.cat] = sums[s.cat].add(s.gross, &ovf)
			}
		}
		for c, name := range pt.cats {
			gross[name] = int64(fixed(gross[name]).add(sums[c], &ovf))
		}
	}
	if ovf {
		return nil, errCategoryOverflow
	}
	return gross, nil
}

// PurchaseNets returns the net value of every purchase of the piece's
// customers (see the function PurchaseNets).
func (p *Piece) PurchaseNets() ([]int64, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	a := p.a
	from := windowStart(p.s.AsOf, a.loc, a.opts.WindowDays)
	var out []int64
	for _, pt := range a.parts {
		_, nets, err := pt.totals(context.Background(), from)
		if err != nil {
			return nil, err
		}
		for _, v := range nets {
			out = append(out, int64(v))
		}
	}
	return out, nil
}

// Rows returns the feature table of the piece's customers (see
// CustomerRows); NewPiece must have been given the mix categories.
func (p *Piece) Rows() (*Table, error) {
	if p.err != nil {
		return nil, p.err
	}
	cats := p.s.Categories
	if cats == nil {
		return nil, fmt.Errorf("features: the rows of a piece of the store need the store's mix categories")
	}
	a := p.a
	t, err := a.Table()
	if errors.Is(err, ErrNoCustomers) && a.firstError() == nil {
		if err := checkCategories(cats); err != nil {
			return nil, err
		}
		names := append(append(a.columns(), MixColumns(cats)...), MixOther)
		return &Table{
			AsOf:           p.s.AsOf,
			Names:          names,
			Cols:           make([][]float64, len(names)),
			Categories:     slices.Clone(cats),
			IDs:            []string{},
			TopCategory:    []string{},
			LinesAfterAsOf: a.span().afterAsOf,
		}, nil
	}
	return t, err
}

// RowsAndNets returns Rows and PurchaseNets from one pass over the
// piece's orders: a scale-out run needs both of every piece, and each
// alone sums every order of the piece.
func (p *Piece) RowsAndNets() (*Table, []int64, error) {
	if p.err != nil {
		return nil, nil, p.err
	}
	if p.s.Categories == nil {
		return nil, nil, fmt.Errorf("features: the rows of a piece of the store need the store's mix categories")
	}
	t, nets, err := p.a.table(context.Background())
	if errors.Is(err, ErrNoCustomers) {
		t, err = p.Rows() // the empty table of a piece without customers, or its error
		return t, nil, err
	}
	if err != nil {
		return nil, nil, err
	}
	var out []int64
	for _, part := range nets {
		for _, v := range part {
			out = append(out, int64(v))
		}
	}
	return t, out, nil
}

// check returns the piece's first error: a missing as_of or an invalid line.
func (p *Piece) check() error {
	if p.err != nil {
		return p.err
	}
	return p.a.firstError()
}
