package features

import (
	"strings"

	"github.com/segment-tool/segment/data"
)

// AttributeNames are the names of the customer attributes, in the order of
// Attributes' columns and of FromOrders.
var AttributeNames = [3]string{"city", "country", "channel"}

// Attributes are each customer's city, country and channel, one value per
// row of a Table ("" when unknown). A nil column is one that neither the
// customers table nor the order lines give.
type Attributes struct {
	City, Country, Channel []string

	// FromOrders[k] reports whether the order lines gave attribute k (city,
	// country, channel): only then do the assignments' customers-table
	// columns of that name change.
	FromOrders [3]bool
}

// MergeAttributes combines the customers table's city and country (nil
// when it lacks them), one value per row of all, with the order lines'
// (all.City, all.Country, all.Channel). The customers table wins for the
// customers it has a non-blank value for (trimmed of spaces); every other
// customer gets the value of most of their orders. An attribute explicitly
// mapped in the orders' columns (mapped, in the order of AttributeNames)
// is a column even when no line had a value, so that custom groups can use
// it on any export. The inputs are not modified.
func MergeAttributes(all *Table, city, country []string, mapped [3]bool) Attributes {
	var a Attributes
	orders := [3][]string{all.City, all.Country, all.Channel}
	table := [3][]string{city, country, nil}
	var out [3][]string
	for k := range out {
		o, c := orders[k], table[k]
		if o == nil && mapped[k] {
			o = make([]string, all.N())
		}
		a.FromOrders[k] = o != nil
		switch {
		case o == nil:
			out[k] = c
		case c == nil:
			out[k] = o
		default:
			v := make([]string, all.N())
			for i := range v {
				v[i] = o[i]
				if tv := strings.TrimSpace(c[i]); tv != "" {
					v[i] = tv // trimmed like the orders' values
				}
			}
			out[k] = v
		}
	}
	a.City, a.Country, a.Channel = out[0], out[1], out[2]
	return a
}

// WithCity returns p with the merged city: the seed groups' city_<slug>
// groups and custom groups read it. p may be nil (no customers table); it
// is not modified. Without a merged city p is returned as is.
func (a Attributes) WithCity(p *Profile) *Profile {
	if a.City == nil {
		return p
	}
	q := Profile{}
	if p != nil {
		q = *p
	}
	q.City = a.City
	return &q
}

// AssignmentColumns returns cols, the assignments' columns, with the city,
// country and channel the order lines gave: a customers-table column of
// that name takes the merged values in place, the others are appended.
// Empty values are null. Without order-line values cols is returned as is.
// Elements of cols may be replaced; the columns added share a's slices.
func (a Attributes) AssignmentColumns(cols []data.Column) []data.Column {
	for k, name := range AttributeNames {
		v := [3][]string{a.City, a.Country, a.Channel}[k]
		if !a.FromOrders[k] {
			continue
		}
		col := data.Column{Name: name, Kind: data.KindString, Strings: v, Nulls: make([]bool, len(v))}
		for i, s := range v {
			col.Nulls[i] = s == ""
		}
		replaced := false
		for j := range cols {
			if cols[j].Name == name {
				cols[j], replaced = col, true
			}
		}
		if !replaced {
			cols = append(cols, col)
		}
	}
	return cols
}
