package features

import (
	"slices"
	"strings"
	"time"
)

// What the Aggregator's parts hold together: the first error, the span of
// the lines and the customers sorted by id (moved from build.go).

// firstError returns the error of an invalid option, or else the error of
// the first invalid line in the order lines were added, or nil.
func (a *Aggregator) firstError() error {
	if a.err != nil {
		return a.err
	}
	var first *part
	for _, p := range a.parts {
		if p.err != nil && (first == nil || p.errSeq < first.errSeq) {
			first = p
		}
	}
	if first == nil {
		return nil
	}
	return first.err
}

// span is what the parts hold together.
type span struct {
	customers      int
	lines          int64
	afterAsOf      int64
	oldest, newest time.Time
	latest         []int64
}

// span sums the parts' counts and finds the oldest and newest lines.
func (a *Aggregator) span() span {
	var s span
	var all lineSpan
	for _, p := range a.parts {
		s.customers += p.customers.len()
		s.afterAsOf += p.afterAsOf
		all.merge(&p.span)
	}
	s.lines, s.oldest, s.newest, s.latest = all.lines, all.oldest, all.newest, all.latest
	return s
}

// rowRef is a customer of the table: its part and its index there.
type rowRef struct {
	id   string
	part int32
	ci   int32
}

// rows returns every customer, sorted by id.
func (a *Aggregator) rows(n int) []rowRef {
	rows := make([]rowRef, 0, n)
	for k, p := range a.parts {
		for ci := range int32(p.customers.len()) {
			rows = append(rows, rowRef{id: p.customers.at(ci).id, part: int32(k), ci: ci})
		}
	}
	slices.SortFunc(rows, func(x, y rowRef) int { return strings.Compare(x.id, y.id) })
	return rows
}
