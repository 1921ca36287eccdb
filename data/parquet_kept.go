package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"sync/atomic"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/encoding/rle"
	"github.com/parquet-go/parquet-go/format"
)

// The guard reads, decompresses and checks every page of a row group
// before the reader decodes it. Reading the pages again through parquet-go
// would decompress each twice (a third of a Parquet scan's time went into
// the second zstd pass). So while it checks, the guard keeps the
// decompressed pages of the row group (a keptGroup), and the reader decodes
// them itself with parquet-go's encodings (orderColumn.loadKept). A row
// group whose projected columns hold more than keepLimit bytes
// uncompressed, or a page the guard does not fully decode (a codec it does
// not know, deprecated BIT_PACKED levels), is read through parquet-go as
// before: memory stays bounded by keepLimit, twice (the row group being
// decoded and the next one being checked).

// keepLimit caps the decompressed bytes a keptGroup holds. Row groups of
// the usual writers (parquet-go's and Arrow's default of about a million
// rows, Spark's 128 MiB) can pass it; then they take the slower path.
var keepLimit = 128 << 20

// Kinds of kept pages.
const (
	keptNone = iota // a page check did not decode: the group is not kept
	keptDict
	keptV1
	keptV2
)

// keptPage is one checked page: its header's facts and its decompressed
// bytes. A V1 page's data holds its levels then its values; a V2 page's
// definition levels are in levels, its values in data.
type keptPage struct {
	kind   int
	enc    format.Encoding
	n      int // values (entries of a dictionary page)
	nulls  int // as the V2 header declares
	levels []byte
	data   []byte
}

// keptGroup holds the kept pages of one row group, by leaf column index.
type keptGroup struct {
	pages map[int][]keptPage
	col   int // the column chunk being checked
	size  int
	over  bool   // a page could not be kept, or keepLimit was passed
	arena []byte // the pages' bytes, reused from row group to row group
}

// reset empties g for the next row group, keeping its memory.
func (g *keptGroup) reset() {
	if g.pages == nil {
		g.pages = map[int][]keptPage{}
	}
	for k, v := range g.pages {
		g.pages[k] = v[:0]
	}
	g.size, g.over = 0, false
	g.arena = g.arena[:0]
}

// alloc returns n bytes of the arena. When the arena is full it starts a
// new one, twice as large: the pages kept so far keep the old one.
func (g *keptGroup) alloc(n int) []byte {
	if len(g.arena)+n > cap(g.arena) {
		g.arena = make([]byte, 0, max(2*cap(g.arena), n, 1<<20))
	}
	b := g.arena[len(g.arena) : len(g.arena)+n : len(g.arena)+n]
	g.arena = g.arena[:len(g.arena)+n]
	return b
}

// begin starts the pages of leaf column col.
func (g *keptGroup) begin(col int) {
	g.col = col
	g.pages[col] = g.pages[col][:0]
}

// add keeps a copy of a checked page.
func (g *keptGroup) add(p *keptPage) {
	if g.over {
		return
	}
	if p.kind == keptNone || g.size+len(p.levels)+len(p.data) > keepLimit {
		g.over = true
		clear(g.pages)
		return
	}
	buf := g.alloc(len(p.levels) + len(p.data))
	q := *p
	q.levels = buf[:copy(buf, p.levels):len(p.levels)]
	q.data = buf[len(p.levels):]
	copy(q.data, p.data)
	g.size += len(buf)
	g.pages[g.col] = append(g.pages[g.col], q)
}

// keptDictionary is a dictionary page decoded by the reader: its identity
// tells a columnDecoder whether it converted these entries already.
type keptDictionary struct {
	n    int
	vals encoding.Values
}

// keptBuffers are a column's reused decoding buffers, and the dictionary
// of its current column chunk.
type keptBuffers struct {
	defs    []byte
	idx     []int32
	values  []byte
	offsets []uint32
	dict    *keptDictionary
}

// keptPagesDecoded counts the data pages decoded from kept pages, for the
// tests that check the reader takes that path.
var keptPagesDecoded atomic.Int64

var errNoDictionary = errors.New("dictionary indexes without a dictionary page")

// loadKept decodes the column's next non-empty kept page into c.vec. It
// mirrors load: the same checks, errors and rows.
func (c *orderColumn) loadKept() error {
	for {
		if len(c.kept) == 0 {
			return &ColumnError{File: c.dec.file, Column: c.dec.column, Row: c.next + 1,
				Err: fmt.Errorf("%w: the column ends before its row group", ErrNotParquet)}
		}
		p := &c.kept[0]
		c.kept = c.kept[1:]
		bad := func(err error) error {
			return &ColumnError{File: c.dec.file, Column: c.dec.column, Row: c.next + 1, Err: fmt.Errorf("%w: %w", ErrNotParquet, err)}
		}
		if p.kind == keptDict {
			vals, err := c.decodeValues(p.data, p.enc, p.n, true)
			if err != nil {
				return bad(fmt.Errorf("dictionary page: %w", err))
			}
			c.buf.dict = &keptDictionary{n: p.n, vals: vals}
			continue
		}
		defs, values, nulls, err := c.levels(p)
		if err != nil {
			return bad(err)
		}
		var vals encoding.Values
		var dict any // nil, not a nil *keptDictionary, for a page of values
		//lint:ignore SA1019 old writers still mark dictionary indexes PLAIN_DICTIONARY, and parquet-go reads them
		if p.enc == format.RLEDictionary || p.enc == format.PlainDictionary {
			if c.buf.dict == nil {
				return bad(errNoDictionary)
			}
			dict = c.buf.dict
			idx, err := parquet.LookupEncoding(format.RLEDictionary).DecodeInt32(c.buf.idx[:0], values)
			if err != nil {
				return bad(err)
			}
			c.buf.idx = idx
			vals = encoding.Int32Values(idx)
		} else if vals, err = c.decodeValues(values, p.enc, p.n-nulls, false); err != nil {
			return bad(err)
		}
		keptPagesDecoded.Add(1)
		if err := c.dec.decodeValues(p.n, defs, vals, dict, c.next, &c.vec); err != nil {
			return err
		}
		c.pos = 0
		c.next += int64(c.vec.n)
		if c.vec.n > 0 {
			return nil
		}
	}
}

// levels returns a kept data page's definition levels (nil for a required
// column), the bytes of its values and its nulls.
func (c *orderColumn) levels(p *keptPage) (defs, values []byte, nulls int, err error) {
	maxDef := int(c.dec.maxDef)
	values = p.data
	var lv []byte
	switch {
	case maxDef == 0:
		return nil, values, 0, nil
	case p.kind == keptV1:
		if len(values) < 4 {
			return nil, nil, 0, errors.New("definition levels cut short")
		}
		k := binary.LittleEndian.Uint32(values)
		if uint64(k) > uint64(len(values)-4) {
			return nil, nil, 0, errors.New("definition levels cut short")
		}
		lv, values = values[4:4+k], values[4+k:]
	default:
		lv = p.levels
	}
	enc := rle.Encoding{BitWidth: bits.Len(uint(maxDef))}
	defs, err = enc.DecodeLevels(c.buf.defs[:0], lv)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("definition levels: %w", err)
	}
	c.buf.defs = defs
	if len(defs) < p.n {
		return nil, nil, 0, fmt.Errorf("%d definition levels for %d values", len(defs), p.n)
	}
	defs = defs[:p.n]
	for _, l := range defs {
		if int(l) != maxDef {
			nulls++
		}
	}
	if p.kind == keptV2 && nulls != p.nulls {
		return nil, nil, 0, fmt.Errorf("the definition levels hold %d nulls, the header says %d", nulls, p.nulls)
	}
	return defs, values, nulls, nil
}

// decodeValues decodes n values of the column's physical type from b,
// encoded with enc, into the column's reused buffers, or into new ones
// with fresh (a dictionary, which outlives the pages after it).
func (c *orderColumn) decodeValues(b []byte, enc format.Encoding, n int, fresh bool) (encoding.Values, error) {
	//lint:ignore SA1019 a dictionary page of an old writer says PLAIN_DICTIONARY for PLAIN
	if enc == format.PlainDictionary {
		enc = format.Plain
	}
	typ := c.col.Type()
	values, offsets := c.buf.values[:0], c.buf.offsets[:0]
	if fresh { // sized for the page: a dictionary of many ids would grow a slice many times
		values, offsets = make([]byte, 0, len(b)), nil
		if typ.Kind() == parquet.ByteArray {
			offsets = make([]uint32, 0, n+1)
		}
	}
	vals, err := typ.Decode(typ.NewValues(values, offsets), b, parquet.LookupEncoding(enc))
	if err != nil {
		return encoding.Values{}, err
	}
	data, offs := vals.Data()
	if !fresh {
		c.buf.values, c.buf.offsets = data, offs
	}
	if typ.Kind() == parquet.ByteArray && len(offs) < n+1 {
		return encoding.Values{}, fmt.Errorf("%d values where the page declares %d", max(len(offs)-1, 0), n)
	}
	return vals, nil
}
