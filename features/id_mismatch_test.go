package features

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestFindIDMismatch: a table sharing one id with the orders matches; one
// sharing none is a mismatch, with the leading-zeros pattern found either
// way round.
func TestFindIDMismatch(t *testing.T) {
	for _, c := range []struct {
		name          string
		orders, table []string
		mismatch      bool
		zeros         bool
	}{
		{"one shared", []string{"1", "2", "3"}, []string{"3", "9"}, false, false},
		{"empty table", []string{"1"}, nil, false, false},
		{"none shared", []string{"A1", "A2"}, []string{"B1", "B2"}, true, false},
		{"zeros in the table", []string{"17", "4"}, []string{"00004", "00017"}, true, true},
		{"zeros in the orders", []string{"00004", "00017"}, []string{"17", "4"}, true, true},
	} {
		m := FindIDMismatch(c.orders, c.table)
		switch {
		case (m != nil) != c.mismatch:
			t.Errorf("%s: mismatch %+v, want %v", c.name, m, c.mismatch)
		case m != nil && (m.LeadingZeros != c.zeros || m.OrderID != c.orders[0] || m.TableID != c.table[0]):
			t.Errorf("%s: %+v, want leading zeros %v and the first ids", c.name, m, c.zeros)
		}
	}
}

// TestIDMismatchOf: on sides sharing no id, large enough that the
// leading-zeros pattern may lie beyond the first MismatchSample ids, the
// streaming form gives what a direct reading of FindIDMismatch's rule
// gives (the first MismatchSample ids of each side, without their leading
// zeros, looked for in the whole other side), calling each pass at most
// once and failing with it.
func TestIDMismatchOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	seen := map[bool]int{} // trials by LeadingZeros
	for trial := range 200 {
		// Orders "1".."n" with some written "0…"; the table holds other
		// numbers, some of them padded, so that a padded id matches once
		// trimmed only sometimes, and only sometimes among the first ids.
		var orders, table []string
		for i := range 1 + rng.IntN(3000) {
			id := strconv.Itoa(2*i + 1)
			if rng.IntN(50) == 0 {
				id = "0" + id
			}
			orders = append(orders, id)
		}
		for i := range 1 + rng.IntN(3000) {
			id := "x" + strconv.Itoa(i)
			if rng.IntN(400) == 0 {
				id = "00" + strconv.Itoa(2*rng.IntN(3000)+1)
			}
			table = append(table, id)
		}
		slices.Sort(orders)
		slices.Sort(table)
		orders, table = slices.Compact(orders), slices.Compact(table)
		if slices.ContainsFunc(table, func(id string) bool { _, ok := slices.BinarySearch(orders, id); return ok }) {
			continue // sharing an id: not a mismatch
		}
		want := &IDMismatch{OrderID: orders[0], TableID: table[0]}
		for _, side := range [][2][]string{{table, orders}, {orders, table}} {
			for _, id := range side[0][:min(len(side[0]), MismatchSample)] {
				if tr := strings.TrimLeft(id, "0"); tr != id && tr != "" {
					if _, ok := slices.BinarySearch(side[1], tr); ok {
						want.LeadingZeros = true
					}
				}
			}
		}
		calls := map[string]int{}
		pass := func(name string, side []string) func([]string) (bool, error) {
			return func(ids []string) (bool, error) {
				calls[name]++
				if !slices.IsSorted(ids) || len(ids) > MismatchSample {
					t.Fatalf("trial %d: %s given %d ids, sorted %v", trial, name, len(ids), slices.IsSorted(ids))
				}
				for _, id := range side { // a pass over the whole side
					if _, ok := slices.BinarySearch(ids, id); ok {
						return true, nil
					}
				}
				return false, nil
			}
		}
		got, err := IDMismatchOf(orders[:min(len(orders), MismatchSample)], table[:min(len(table), MismatchSample)], pass("orders", orders), pass("table", table))
		if err != nil || *got != *want || calls["orders"] > 1 || calls["table"] > 1 {
			t.Fatalf("trial %d: %+v, %v (calls %v), want %+v", trial, got, err, calls, want)
		}
		if full := FindIDMismatch(orders, table); *full != *want {
			t.Fatalf("trial %d: FindIDMismatch %+v, want %+v", trial, full, want)
		}
		seen[want.LeadingZeros]++
	}
	if seen[true] < 10 || seen[false] < 10 {
		t.Fatalf("trials by leading zeros %v: the cases do not test both outcomes", seen)
	}
	fail := errors.New("the pass failed")
	_, err := IDMismatchOf([]string{"1"}, []string{"01"}, func([]string) (bool, error) { return false, fail }, nil)
	if !errors.Is(err, fail) {
		t.Errorf("a failed pass: %v, want it", err)
	}
}
