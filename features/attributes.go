package features

import (
	"strings"

	"github.com/segment-tool/segment/data"
)

// A customer's city, country and channel from the order lines are the
// value of most of their orders (the rule is on Table.City). Orders count,
// not lines, so that a large basket does not outweigh several orders
// elsewhere; the rule does not depend on the order of the lines, like
// every other feature.

// Line attributes, in the order of attrStore's arrays.
const (
	attrCity = iota
	attrCountry
	attrChannel
	numAttrs
)

// orderAttrs holds an order's value of each attribute as an index into
// attrStore.values plus one; 0 means no value.
type orderAttrs [numAttrs]int32

// attrStore keeps the line attributes per order. It holds nothing until a
// line carries a value, so orders without these columns cost no memory.
type attrStore struct {
	on       bool                // perOrder is kept (some line had a value)
	seen     [numAttrs]bool      // attribute k had a value on some line
	perOrder chunked[orderAttrs] // one per order, in order index, when on
	index    map[string]int32    // value → id (index + 1), one map for all attributes
	values   []string            // distinct values, interned
	last     [numAttrs]string    // the previous line's value of each attribute…
	lastID   [numAttrs]int32     // …and its id: adjacent lines usually repeat it
}

// attrValues returns a line's city, country and channel.
func attrValues(l *data.OrderLine) [numAttrs]string {
	return [numAttrs]string{l.City, l.Country, l.Channel}
}

// add records the attributes vals of a line of order oi; orders is the
// number of orders so far (oi is among them). It keeps no reference to the
// strings of vals.
func (s *attrStore) add(oi int32, vals *[numAttrs]string, orders int) {
	if !s.on {
		if *vals == [numAttrs]string{} {
			return
		}
		s.on = true
		s.index = make(map[string]int32)
	}
	for s.perOrder.len() < orders { // orders created before the first value
		s.perOrder.push(orderAttrs{})
	}
	var o *orderAttrs
	for k, v := range *vals {
		if v == "" {
			continue
		}
		id := s.id(k, v)
		if id == 0 {
			continue
		}
		if o == nil {
			o = s.perOrder.at(oi)
		}
		if cur := o[k]; cur == 0 || cur != id && s.values[id-1] < s.values[cur-1] {
			o[k] = id
		}
	}
}

// newOrder keeps perOrder in step with the orders once it is on.
func (s *attrStore) newOrder() {
	if s.on {
		s.perOrder.push(orderAttrs{})
	}
}

// id returns the id of value v of attribute k, interning it; 0 for a blank
// value.
func (s *attrStore) id(k int, v string) int32 {
	if v == s.last[k] && s.lastID[k] != 0 {
		return s.lastID[k]
	}
	t := v
	if v[0] <= ' ' || v[len(v)-1] <= ' ' {
		if t = strings.TrimSpace(v); t == "" {
			return 0
		}
	}
	id, ok := s.index[t]
	if !ok {
		t = strings.Clone(t)
		s.values = append(s.values, t)
		id = int32(len(s.values))
		s.index[t] = id
	}
	s.seen[k] = true
	s.last[k], s.lastID[k] = s.values[id-1], id
	if t != v {
		s.lastID[k] = 0 // v is not the interned value: keep no cache for it
	}
	return id
}

// fillAttributes sets t.City, t.Country and t.Channel, for the attributes
// some line had a value of, from each customer's orders.
func (a *Aggregator) fillAttributes(t *Table, rows []rowRef) {
	var seen [numAttrs]bool
	for _, p := range a.parts {
		for k := range seen {
			seen[k] = seen[k] || p.attrs.seen[k]
		}
	}
	var cols [numAttrs][]string
	for k := range cols {
		if seen[k] {
			cols[k] = make([]string, t.N())
		}
	}
	type count struct{ id, n int32 }
	var counts []count
	for i, r := range rows {
		p := a.parts[r.part]
		s := &p.attrs
		if !s.on {
			continue
		}
		orders := p.ordersOf(r.ci)
		for k, col := range cols {
			if col == nil {
				continue
			}
			counts = counts[:0]
			for _, oi := range orders {
				v := s.perOrder.at(oi)[k]
				if v == 0 {
					continue
				}
				j := 0
				for j < len(counts) && counts[j].id != v {
					j++
				}
				if j == len(counts) {
					counts = append(counts, count{id: v})
				}
				counts[j].n++
			}
			best := count{}
			for _, x := range counts {
				if x.n > best.n || x.n == best.n && s.values[x.id-1] < s.values[best.id-1] {
					best = x
				}
			}
			if best.id != 0 {
				col[i] = s.values[best.id-1]
			}
		}
	}
	t.City, t.Country, t.Channel = cols[attrCity], cols[attrCountry], cols[attrChannel]
}
