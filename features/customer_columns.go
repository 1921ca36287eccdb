package features

import (
	"time"
	"unsafe"

	"github.com/segment-tool/segment/data"
)

// customerColumn is a column of a CustomerTable, rows in id order, held
// without a pointer per row: a []string or []time.Time of a million
// customers is a million pointers the garbage collector scans at every
// cycle of the run (and a million small objects it marks), where text end
// to end and their offsets are two objects it need not look into.
type customerColumn struct {
	name  string
	kind  data.Kind // data.KindBool, KindTime or KindString
	nulls []bool
	bools []bool  // KindBool
	times []int64 // KindTime: Unix nanoseconds (every time is in 1678–2261), UTC
	text  []byte  // KindString: the values end to end…
	ends  []int64 // …row i's is text[ends[i-1]:ends[i]] (from 0 for row 0)
}

// appendRows appends the rows of src, a column of c's kind (nil Nulls:
// none null), to c.
func (c *customerColumn) appendRows(src *data.Column) {
	n := src.Len()
	if src.Nulls == nil {
		c.nulls = append(c.nulls, make([]bool, n)...)
	} else {
		c.nulls = append(c.nulls, src.Nulls...)
	}
	switch c.kind {
	case data.KindBool:
		c.bools = append(c.bools, src.Bools...)
	case data.KindTime:
		for i, t := range src.Times {
			var ns int64
			if src.Nulls == nil || !src.Nulls[i] {
				ns = t.UnixNano()
			}
			c.times = append(c.times, ns)
		}
	default:
		for _, s := range src.Strings {
			c.text = append(c.text, s...)
			c.ends = append(c.ends, int64(len(c.text)))
		}
	}
}

// len returns the number of rows of c.
func (c *customerColumn) len() int { return len(c.nulls) }

// permuted returns c's rows in the order of the row indexes order.
func (c *customerColumn) permuted(order []int) customerColumn {
	out := customerColumn{name: c.name, kind: c.kind, nulls: gather(c.nulls, order)}
	switch c.kind {
	case data.KindBool:
		out.bools = gather(c.bools, order)
	case data.KindTime:
		out.times = gather(c.times, order)
	default:
		out.text = make([]byte, 0, len(c.text))
		out.ends = make([]int64, len(order))
		for k, i := range order {
			out.text = append(out.text, c.str(i)...)
			out.ends[k] = int64(len(out.text))
		}
	}
	return out
}

// gather returns the values of src at the indexes order, in that order.
func gather[T any](src []T, order []int) []T {
	out := make([]T, len(order))
	for k, i := range order {
		out[k] = src[i]
	}
	return out
}

// header returns the column without its rows.
func (c *customerColumn) header() customerColumn {
	return customerColumn{name: c.name, kind: c.kind}
}

// str returns row i of a string column. The string shares the column's
// memory, which is never written once packed.
func (c *customerColumn) str(i int) string {
	lo := int64(0)
	if i > 0 {
		lo = c.ends[i-1]
	}
	if lo == c.ends[i] {
		return ""
	}
	return unsafe.String(&c.text[lo], int(c.ends[i]-lo))
}

// time returns row i of a time column: the zero time for a null.
func (c *customerColumn) time(i int) time.Time {
	if c.nulls[i] {
		return time.Time{}
	}
	return time.Unix(0, c.times[i]).UTC()
}
