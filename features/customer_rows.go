package features

import (
	"maps"
	"slices"
	"time"

	"github.com/segment-tool/segment/data"
)

// This file lets a distributed run (the beam module) compute the feature
// table in pieces, each piece holding every line of some customers, with
// rows bit-identical to those of one Aggregator given every line:
//
//  1. as_of: Options.AsOf, or DefaultAsOf of the newest line of the store;
//  2. the mix categories: Options.Categories, or TopCategories of the
//     CategoryGross of every piece, summed per category;
//  3. the rows: CustomerRows of every piece, with as_of and the categories;
//  4. MedianOrder: the median of the PurchaseNets of every piece.
//
// A customer's row depends only on the customer's lines, the options and
// the two store-wide values of steps 1 and 2.

// StoreValues are the store-wide values a customer's features depend on,
// beyond the customer's own lines and the Options.
type StoreValues struct {
	AsOf       time.Time // the analysis date (Table.AsOf)
	Categories []string  // the mix categories, in column order (Table.Categories)
}

// CategoryGross returns the gross spend per category of the customers
// whose lines are given, summed exactly in millionths of the currency unit,
// over the orders the category mix counts when the table is measured at
// asOf: every order before asOf, or with Options.WindowDays those of the
// window. Each customer's lines must all be in one call. Summed over calls
// that together hold every customer (the caller checks the int64 sums for
// overflow), the totals rank the mix categories (TopCategories).
// o.AsOf, o.Categories and o.Workers are ignored. (Piece takes the lines a
// batch at a time.)
func CategoryGross(o Options, asOf time.Time, lines []data.OrderLine) (map[string]int64, error) {
	p := NewPiece(o, StoreValues{AsOf: asOf})
	p.Add(lines)
	return p.CategoryGross()
}

// TopCategories returns the mix categories Table picks from the store-wide
// gross spend per category (in millionths, as CategoryGross gives it): the
// n highest, ties broken by name, leaving out the empty category and those
// whose gross is not positive. n 0 means DefaultTopCategories. The result
// is never nil.
func TopCategories(gross map[string]int64, n int) []string {
	if n == 0 {
		n = DefaultTopCategories
	}
	names := slices.Sorted(maps.Keys(gross))
	sums := make([]fixed, len(names))
	for i, name := range names {
		sums[i] = fixed(gross[name])
	}
	return topCategories(names, sums, n)
}

// CustomerRows returns the feature table of the customers whose lines are
// given, every line of each of them, measured with the store-wide values
// s. Its rows are those the same customers have, bit for bit, in the Table
// of an Aggregator with options o given every line of the store, when s
// holds that table's AsOf and Categories (nil: no mix categories).
// o.AsOf, o.Categories and o.Workers are ignored. Table-wide fields are
// those of these customers only (MedianOrder among them: a store-wide
// median needs every order). When no line is before s.AsOf the table has
// no rows (not ErrNoCustomers) and counts the lines in LinesAfterAsOf.
func CustomerRows(o Options, s StoreValues, lines []data.OrderLine) (*Table, error) {
	if s.Categories == nil {
		s.Categories = []string{} // no mix categories; nil would rank them
	}
	p := NewPiece(o, s)
	p.Add(lines)
	return p.Rows()
}

// PurchaseNets returns the net value, in millionths of the currency unit,
// of every purchase (an order with a positive net value) that the table
// measured at asOf counts in Purchases, of the customers whose lines are
// given (every line of each of them), in no particular order. Over every
// customer of the store these are the values whose median is
// Table.MedianOrder: the float64 of the middle one (x/1e6), or the mean of
// the two middle ones' float64s. o.AsOf, o.Categories and o.Workers are
// ignored.
func PurchaseNets(o Options, asOf time.Time, lines []data.OrderLine) ([]int64, error) {
	p := NewPiece(o, StoreValues{AsOf: asOf, Categories: []string{}})
	p.Add(lines)
	return p.PurchaseNets()
}
