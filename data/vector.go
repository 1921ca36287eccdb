package data

import (
	"strconv"
	"time"
)

// vector holds the values of one page (or one dictionary) of a column,
// converted to a Kind. A null row has null[i] set and the zero value (0
// for Float64) in its slot; null is nil when no row is null.
type vector struct {
	kind   Kind
	n      int
	null   []bool
	str    []string
	num    []float64
	ints   []int64
	bools  []bool
	times  []time.Time
	hasNul bool

	// utf8 is true when every string is known to be valid UTF-8 (the
	// values came from a dictionary whose every entry is), so the reader
	// skips checking them line by line.
	utf8 bool
}

// reset empties v and sizes it for n values of kind k, reusing memory.
func (v *vector) reset(k Kind, n int) {
	v.kind, v.n, v.hasNul, v.utf8 = k, n, false, false
	switch k {
	case KindString:
		v.str = resize(v.str, n)
	case KindFloat64:
		v.num = resize(v.num, n)
	case KindInt64:
		v.ints = resize(v.ints, n)
	case KindBool:
		v.bools = resize(v.bools, n)
	case KindTime:
		v.times = resize(v.times, n)
	}
	v.null = v.null[:0]
}

// setNull marks row i null, clearing its slot.
func (v *vector) setNull(i int) {
	if !v.hasNul {
		v.null = resize(v.null, v.n)
		clear(v.null)
		v.hasNul = true
	}
	v.null[i] = true
	switch v.kind {
	case KindString:
		v.str[i] = ""
	case KindFloat64:
		v.num[i] = 0
	case KindInt64:
		v.ints[i] = 0
	case KindBool:
		v.bools[i] = false
	case KindTime:
		v.times[i] = time.Time{}
	}
}

func (v *vector) isNull(i int) bool { return v.hasNul && v.null[i] }

// copyFrom sets row i to value j of src, which has the same kind.
func (v *vector) copyFrom(i int, src *vector, j int) {
	switch v.kind {
	case KindString:
		v.str[i] = src.str[j]
	case KindFloat64:
		v.num[i] = src.num[j]
	case KindInt64:
		v.ints[i] = src.ints[j]
	case KindBool:
		v.bools[i] = src.bools[j]
	case KindTime:
		v.times[i] = src.times[j]
	}
}

// text returns row i as text, "" for a null.
func (v *vector) text(i int) string {
	if v.isNull(i) {
		return ""
	}
	switch v.kind {
	case KindString:
		return v.str[i]
	case KindFloat64:
		return floatText(v.num[i])
	case KindInt64:
		return strconv.FormatInt(v.ints[i], 10)
	case KindBool:
		return strconv.FormatBool(v.bools[i])
	case KindTime:
		return v.times[i].Format(time.RFC3339Nano)
	}
	return ""
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
