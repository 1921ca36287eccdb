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

// packColumn returns col's rows in the order of the row indexes order, as
// a customerColumn. col.Nulls is set.
func packColumn(col *data.Column, order []int) customerColumn {
	out := customerColumn{name: col.Name, kind: col.Kind, nulls: make([]bool, len(order))}
	for k, i := range order {
		out.nulls[k] = col.Nulls[i]
	}
	switch col.Kind {
	case data.KindBool:
		out.bools = make([]bool, len(order))
		for k, i := range order {
			out.bools[k] = col.Bools[i]
		}
	case data.KindTime:
		out.times = make([]int64, len(order))
		for k, i := range order {
			if !col.Nulls[i] {
				out.times[k] = col.Times[i].UnixNano()
			}
		}
	default:
		size := 0
		for _, i := range order {
			size += len(col.Strings[i])
		}
		out.text = make([]byte, 0, size)
		out.ends = make([]int64, len(order))
		for k, i := range order {
			out.text = append(out.text, col.Strings[i]...)
			out.ends[k] = int64(len(out.text))
		}
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

// packIDs returns ids as strings that share one block of memory: one
// object for the garbage collector to mark instead of one per id.
func packIDs(ids []string) []string {
	size := 0
	for _, id := range ids {
		size += len(id)
	}
	text := make([]byte, 0, size)
	out := make([]string, len(ids))
	for i, id := range ids {
		if id == "" {
			continue
		}
		lo := len(text)
		text = append(text, id...)
		out[i] = unsafe.String(&text[lo], len(id))
	}
	return out
}
