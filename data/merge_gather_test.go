package data

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// TestMergeGather: a merged piece copied column by column from spans of
// rows (gather) is the piece copied row by row (appendFrom): the values of
// every kind, and Nulls present when the column is nullable (OPTIONAL in a
// Parquet table) or when one of the piece's rows is null, nil otherwise.
func TestMergeGather(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	kinds := []Kind{KindString, KindFloat64, KindInt64, KindBool, KindTime}
	for trial := range 300 {
		m := &merger{nullable: map[string]bool{}}
		for j, k := range kinds {
			for _, variant := range []string{"plain", "nulls", "nullable"} {
				name := fmt.Sprintf("c%d-%s", j, variant)
				m.cols, m.kinds = append(m.cols, name), append(m.kinds, k)
				if variant == "nullable" {
					m.nullable[name] = true
				}
			}
		}
		// A few source pieces, each column with nulls in some rows (the
		// "nulls" columns, and some "nullable" ones) or none.
		var pieces [][]*Column
		for range 1 + rng.IntN(4) {
			n := 1 + rng.IntN(20)
			var src []*Column
			for j, name := range m.cols {
				c := &Column{Name: name, Kind: m.kinds[j]}
				c.grow(n)
				withNulls := j%3 == 1 && rng.IntN(2) == 0 || j%3 == 2 && rng.IntN(3) == 0
				if withNulls || j%3 == 2 {
					c.Nulls = make([]bool, n)
				}
				for i := range n {
					switch c.Kind {
					case KindString:
						c.Strings = append(c.Strings, fmt.Sprint(rng.IntN(100)))
					case KindFloat64:
						c.Floats = append(c.Floats, rng.Float64())
					case KindInt64:
						c.Ints = append(c.Ints, rng.Int64())
					case KindBool:
						c.Bools = append(c.Bools, rng.IntN(2) == 0)
					case KindTime:
						c.Times = append(c.Times, time.Unix(rng.Int64N(1e9), 0).UTC())
					}
					if withNulls && rng.IntN(4) == 0 {
						c.Nulls[i] = true
					}
				}
				src = append(src, c)
			}
			pieces = append(pieces, src)
		}
		// Spans of rows of the pieces, in any order, as a merge takes them.
		var spans []mergeSpan
		n := 0
		for range 1 + rng.IntN(12) {
			src := pieces[rng.IntN(len(pieces))]
			rows := src[0].Len()
			lo := rng.IntN(rows)
			hi := lo + 1 + rng.IntN(rows-lo)
			spans = append(spans, mergeSpan{src: src, lo: lo, hi: hi})
			n += hi - lo
		}
		got := m.gather(spans, n)
		want := m.newPiece(n)
		for j := range want.Columns {
			for _, s := range spans {
				for i := s.lo; i < s.hi; i++ {
					want.Columns[j].appendFrom(s.src[j], i)
				}
			}
		}
		for j := range want.Columns {
			g, w := got.Columns[j], want.Columns[j]
			if g.Len() != n || (g.Nulls == nil) != (w.Nulls == nil) {
				t.Fatalf("trial %d, column %s: %d rows, nulls %v; want %d rows, nulls %v", trial, g.Name, g.Len(), g.Nulls != nil, n, w.Nulls != nil)
			}
			for i := range n {
				if g.IsNull(i) != w.IsNull(i) || !reflect.DeepEqual(g.value(i), w.value(i)) {
					t.Fatalf("trial %d, column %s, row %d: %v (null %v), want %v (null %v)", trial, g.Name, i, g.value(i), g.IsNull(i), w.value(i), w.IsNull(i))
				}
			}
		}
	}
}

// value returns row i of c as an any, for comparing.
func (c *Column) value(i int) any {
	switch c.Kind {
	case KindString:
		return c.Strings[i]
	case KindFloat64:
		return c.Floats[i]
	case KindInt64:
		return c.Ints[i]
	case KindBool:
		return c.Bools[i]
	case KindTime:
		return c.Times[i]
	}
	return nil
}
