package main

import (
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// attrNames are the names of the customer attributes, in the order of
// customerAttrs' columns and arrays.
var attrNames = [3]string{"city", "country", "channel"}

// customerAttrs are each customer's city, country and channel, one value
// per row of segments.all ("" when unknown). A nil column is one that
// neither the customers table nor the order lines give.
type customerAttrs struct {
	city, country, channel []string

	// fromOrders[k] reports whether the order lines gave attribute k (city,
	// country, channel): only then do the assignments' customers-table
	// columns of that name change.
	fromOrders [3]bool
}

// mergeAttributes combines the customers table's city and country (nil
// when it lacks them) with the order lines' (all.City, all.Country,
// all.Channel). The customers table wins for the customers it has a
// non-blank value for; every other customer gets the value of most of
// their orders. An attribute explicitly mapped in orders.columns (mapped)
// is a column even when no line had a value, so that custom groups can
// use it on any export.
func mergeAttributes(all *features.Table, city, country []string, mapped [3]bool) customerAttrs {
	var a customerAttrs
	orders := [3][]string{all.City, all.Country, all.Channel}
	table := [3][]string{city, country, nil}
	var out [3][]string
	for k := range out {
		o, c := orders[k], table[k]
		if o == nil && mapped[k] {
			o = make([]string, all.N())
		}
		a.fromOrders[k] = o != nil
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
	a.city, a.country, a.channel = out[0], out[1], out[2]
	return a
}

// mergeAttributes merges the customers table's profile city and country
// (p may be nil) with the order lines' for the rows of all, treating the
// attributes the config maps explicitly in orders.columns as present.
func (r *result) mergeAttributes(all *features.Table, p *features.Profile, country []string) customerAttrs {
	var city []string
	if p != nil {
		city = p.City
	}
	var mapped [3]bool
	if c := r.opts.Config; c != nil {
		m := c.Orders.Columns
		mapped = [3]bool{m.City != "", m.Country != "", m.Channel != ""}
	}
	return mergeAttributes(all, city, country, mapped)
}

// withCity returns p with the merged city: the seed groups' city_<slug>
// groups and custom groups read it. p may be nil (no customers table).
func (a customerAttrs) withCity(p *features.Profile) *features.Profile {
	if a.city == nil {
		return p
	}
	q := features.Profile{}
	if p != nil {
		q = *p
	}
	q.City = a.city
	return &q
}

// assignmentColumns returns cols, the assignments' columns, with the city,
// country and channel the order lines gave: a customers-table column of
// that name takes the merged values in place, the others are appended.
// Empty values are null. Without order-line values cols is returned as is.
func (a customerAttrs) assignmentColumns(cols []data.Column) []data.Column {
	for k, name := range attrNames {
		v := [3][]string{a.city, a.country, a.channel}[k]
		if !a.fromOrders[k] {
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

// addCommonValues sets each report cluster's most common city, country and
// channel among its customers (ties to the alphabetically first value),
// with its share of the cluster's customers. Clusters are indexed by ID.
func (r *result) addCommonValues(clusters []report.Cluster) {
	s := r.seg
	if s == nil || r.fit == nil {
		return
	}
	k := r.fit.K
	for a, v := range [][]string{s.attrs.city, s.attrs.country, s.attrs.channel} {
		if v == nil {
			continue
		}
		counts := make([]map[string]int, k)
		for i, row := range s.rowOf {
			if row < 0 || v[i] == "" {
				continue
			}
			l := r.label(row)
			if l < 0 {
				continue
			}
			if counts[l] == nil {
				counts[l] = map[string]int{}
			}
			counts[l][v[i]]++
		}
		for j := range clusters {
			c := &clusters[j]
			if c.ID < 0 || c.ID >= k {
				continue
			}
			best, n := "", 0
			for val, m := range counts[c.ID] {
				if m > n || m == n && val < best {
					best, n = val, m
				}
			}
			cv := report.CommonValue{Attribute: attrNames[a], Value: best}
			if c.Size > 0 {
				cv.Share = float64(n) / float64(c.Size)
			}
			c.Common = append(c.Common, cv)
		}
	}
}
