package selectk

import "cmp"

// ModeCounters is the number of counters of Mode's first pass.
const ModeCounters = 1024

// Mode finds the most common value of a series that can be given again,
// pass after pass, without holding the values (as Passes does for order
// statistics). The first pass keeps a Misra–Gries summary of ModeCounters
// counters ("Finding repeated elements", 1982), which holds every value
// that makes up more than 1/(ModeCounters+1) of the series; the second
// counts those candidates exactly. When the most common of them is that
// common, it is the mode: every value as common is a candidate, so ties go
// to the lowest exactly. Otherwise no value is that common, and a third
// pass counts every distinct value: memory then grows with them, the one
// case where it does. Values are compared with == (0 and −0 are one
// value); NaN is not a value of the series.
type Mode struct {
	pass   int
	n, was int             // values added in this pass, and in the first
	counts map[float64]int // the summary, then the candidates', then every value's counts
	done   bool
	value  float64
	count  int
}

// NewMode returns a Mode before its first pass.
func NewMode() *Mode {
	return &Mode{counts: make(map[float64]int, ModeCounters)}
}

// Add adds a value of the series to the current pass; it does nothing once
// the mode is found.
func (m *Mode) Add(v float64) {
	if m.done {
		return
	}
	m.n++
	c, ok := m.counts[v]
	switch {
	case ok:
		m.counts[v] = c + 1
	case m.pass == 0 && len(m.counts) < ModeCounters, m.pass == 2:
		m.counts[v] = 1
	case m.pass == 0: // every counter one lower; the new value is dropped
		for k, c := range m.counts {
			if c == 1 {
				delete(m.counts, k)
			} else {
				m.counts[k] = c - 1
			}
		}
	}
}

// EndPass ends a pass and reports whether the series must be given again.
// It returns ErrChanged when the series had another length in an earlier
// pass.
func (m *Mode) EndPass() (more bool, err error) {
	if m.done {
		return false, nil
	}
	if m.pass > 0 && m.n != m.was {
		return false, ErrChanged
	}
	m.was, m.n = m.n, 0
	switch m.pass {
	case 0:
		if m.was == 0 {
			m.done = true
			return false, nil
		}
		for k := range m.counts {
			m.counts[k] = 0
		}
	case 1:
		m.best()
		if m.count*(ModeCounters+1) > m.was {
			m.done = true
			return false, nil
		}
		clear(m.counts)
	case 2:
		m.best()
		m.done = true
		return false, nil
	}
	m.pass++
	return true, nil
}

// best takes the most common value of counts, the lowest of ties.
func (m *Mode) best() {
	m.count = 0
	for v, c := range m.counts {
		if c > m.count || c == m.count && cmp.Less(v, m.value) {
			m.value, m.count = v, c
		}
	}
}

// Result returns the mode, how many times it occurs and the length of the
// series, once EndPass has reported that no pass is needed; count and n
// are 0 for an empty series.
func (m *Mode) Result() (value float64, count, n int) {
	return m.value, m.count, m.was
}
