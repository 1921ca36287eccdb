package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// leafInfo is what the guard needs to know of a leaf column.
type leafInfo struct {
	kind           parquet.Kind
	size           int // of a FIXED_LEN_BYTE_ARRAY value
	maxDef, maxRep int
}

func leafOf(col *parquet.Column) leafInfo {
	l := leafInfo{maxDef: col.MaxDefinitionLevel(), maxRep: col.MaxRepetitionLevel()}
	if t := col.Type(); t != nil {
		l.kind = t.Kind()
		if l.kind == parquet.FixedLenByteArray {
			l.size = t.Length()
		}
	}
	return l
}

// Slack on the values the repeated runs of a run-length encoded section
// may hold beyond those the page declares: the last bit-packed group is
// padded to 8 values.
const runSlack = 64

// packedSlack is how far past the values expected the last bit-packed run
// may go: DuckDB pads it to a multiple of 256 values.
const packedSlack = 256

// check checks one page: its sizes, that it decompresses to its declared
// size, and the run lengths, counts and delta headers parquet-go would
// allocate for. It returns the number of values (rows for a flat column)
// of a data page, 0 for a dictionary page.
func (g *pageGuard) check(l *leafInfo, codec format.CompressionCodec, h *format.PageHeader) (int64, error) {
	switch h.Type {
	case format.DictionaryPage:
		if !h.DictionaryPageHeader.Valid {
			return 0, errors.New("a dictionary page without its header")
		}
		dh := &h.DictionaryPageHeader.V
		n := int(dh.NumValues)
		if n < 0 || n > maxPageValues {
			return 0, fmt.Errorf("a dictionary of %d values", n)
		}
		d, err := g.decompress(codec, g.page, int(h.UncompressedPageSize))
		if err != nil || d == nil {
			return 0, err
		}
		g.last = keptPage{kind: keptDict, enc: dh.Encoding, n: n, data: d}
		if l.kind == parquet.ByteArray {
			return 0, countByteArrays(d, n, "dictionary")
		}
		if n > len(d)/minValueBytes(l) {
			return 0, fmt.Errorf("a dictionary of %d values in %d bytes", n, len(d))
		}
		return 0, nil
	case format.DataPage:
		if !h.DataPageHeader.Valid {
			return 0, errors.New("a data page without its header")
		}
		dh := &h.DataPageHeader.V
		n := int(dh.NumValues)
		if n < 0 || n > maxPageValues {
			return 0, fmt.Errorf("a data page of %d values (at most %d are read)", n, maxPageValues)
		}
		d, err := g.decompress(codec, g.page, int(h.UncompressedPageSize))
		if err != nil || d == nil {
			return int64(n), err
		}
		whole := d
		nulls := 0 // -1: unknown (levels not run-length encoded)
		if l.maxRep > 0 {
			if d, _, err = g.levelsV1(d, n, l.maxRep, dh.RepetitionLevelEncoding); err != nil {
				return 0, fmt.Errorf("repetition levels: %w", err)
			}
		}
		if l.maxDef > 0 {
			if d, nulls, err = g.levelsV1(d, n, l.maxDef, dh.DefinitionLevelEncoding); err != nil {
				return 0, fmt.Errorf("definition levels: %w", err)
			}
		}
		nonNull := n - nulls
		if nulls < 0 {
			nonNull = -1
		}
		if err := checkValues(l, dh.Encoding, d, n, nonNull); err != nil {
			return int64(n), err
		}
		if nulls >= 0 && l.maxRep == 0 {
			g.last = keptPage{kind: keptV1, enc: dh.Encoding, n: n, data: whole}
		}
		return int64(n), nil
	case format.DataPageV2:
		if !h.DataPageHeaderV2.Valid {
			return 0, errors.New("a data page without its header")
		}
		dh := &h.DataPageHeaderV2.V
		n, nulls, rows := int(dh.NumValues), int(dh.NumNulls), int(dh.NumRows)
		rl, dl := int(dh.RepetitionLevelsByteLength), int(dh.DefinitionLevelsByteLength)
		switch {
		case n < 0 || n > maxPageValues:
			return 0, fmt.Errorf("a data page of %d values (at most %d are read)", n, maxPageValues)
		case nulls < 0 || nulls > n || rows < 0 || rows > n:
			return 0, fmt.Errorf("a data page of %d values declaring %d nulls and %d rows", n, nulls, rows)
		case l.maxRep == 0 && rows != n:
			return 0, fmt.Errorf("a page of a flat column declaring %d values for %d rows", n, rows)
		case rl < 0 || dl < 0 || rl+dl > len(g.page) || int64(rl)+int64(dl) > int64(h.UncompressedPageSize):
			return 0, fmt.Errorf("levels of %d and %d bytes in a page of %d", rl, dl, len(g.page))
		}
		if l.maxRep > 0 && rl > 0 {
			if _, err := g.lvl.scan(g.page[:rl], n, l.maxRep); err != nil {
				return 0, fmt.Errorf("repetition levels: %w", err)
			}
		}
		if l.maxDef > 0 && dl > 0 {
			k, err := g.lvl.scan(g.page[rl:rl+dl], n, l.maxDef)
			if err != nil {
				return 0, fmt.Errorf("definition levels: %w", err)
			}
			if k != nulls {
				return 0, fmt.Errorf("the definition levels hold %d nulls, the header says %d", k, nulls)
			}
		} else if nulls > 0 && l.maxDef == 0 {
			return 0, fmt.Errorf("%d nulls in a required column", nulls)
		}
		d := g.page[rl+dl:]
		if !dh.IsCompressed.Valid || dh.IsCompressed.V {
			var err error
			if d, err = g.decompress(codec, d, int(h.UncompressedPageSize)-rl-dl); err != nil || d == nil {
				return int64(rows), err
			}
		}
		if l.maxRep > 0 {
			return int64(rows), checkValues(l, dh.Encoding, d, n, n-nulls)
		}
		if err := checkValues(l, dh.Encoding, d, n, n-nulls); err != nil {
			return int64(n), err
		}
		g.last = keptPage{kind: keptV2, enc: dh.Encoding, n: n, nulls: nulls, levels: g.page[rl : rl+dl], data: d}
		return int64(n), nil
	}
	return 0, fmt.Errorf("a page of type %s", h.Type)
}

// minValueBytes is the least a PLAIN value of l takes.
func minValueBytes(l *leafInfo) int {
	switch l.kind {
	case parquet.Int64, parquet.Double:
		return 8
	case parquet.Int96:
		return 12
	case parquet.FixedLenByteArray:
		return max(l.size, 1)
	case parquet.Boolean:
		return 1 // 8 per byte, but 1 bounds the allocation well enough
	}
	return 4
}

// levelsV1 checks the length-prefixed levels at the start of a v1 data
// page, returning the bytes after them and how many levels are below max
// (-1 when not known: the deprecated BIT_PACKED encoding).
func (g *pageGuard) levelsV1(d []byte, n, max int, enc format.Encoding) ([]byte, int, error) {
	if len(d) < 4 {
		return nil, 0, io.ErrUnexpectedEOF
	}
	k := binary.LittleEndian.Uint32(d)
	if uint64(k) > uint64(len(d)-4) {
		return nil, 0, fmt.Errorf("%d bytes of levels with %d bytes left", k, len(d)-4)
	}
	lv, rest := d[4:4+k], d[4+k:]
	if enc != format.RLE {
		return rest, -1, nil // BIT_PACKED: parquet-go decodes at most 8 levels a byte
	}
	below, err := g.lvl.scan(lv, n, max)
	return rest, below, err
}

// levelCount scans run-length encoded levels.
type levelCount struct{}

// scan checks the RLE/bit-packed hybrid runs of levels no greater than max
// in b: together they hold at least n values and at most n+runSlack
// (and a padded last bit-packed run, packedSlack past them). It
// returns how many of the first n are below max (nulls, for definition
// levels).
func (levelCount) scan(b []byte, n, max int) (int, error) {
	bw := bits.Len(uint(max))
	below, seen := 0, 0
	err := hybridRuns(b, bw, n+runSlack, func(v uint64, count int) {
		c := min(count, n-seen)
		if c > 0 && v < uint64(max) {
			below += c
		}
		seen += count
	}, func(group []byte) {
		for j := range 8 {
			if seen < n && bitsAt(group, j*bw, bw) < uint64(max) {
				below++
			}
			seen++
		}
	})
	if err == nil && seen < n {
		err = fmt.Errorf("%d levels for %d values", seen, n)
	}
	return below, err
}

// hybridRuns walks the RLE/bit-packed hybrid runs of bw-bit values in b, calling
// rle for each repeated run and packed for each group of 8 bit-packed
// values, and fails when a repeated run would take them past limit
// values, a bit-packed run starts past it or ends more than packedSlack
// values past it, or a run runs past b.
func hybridRuns(b []byte, bw, limit int, rle func(v uint64, count int), packed func(group []byte)) error {
	if bw > 32 {
		return fmt.Errorf("values of %d bits", bw)
	}
	total := 0
	for i := 0; i < len(b); {
		u, k := binary.Uvarint(b[i:])
		if k <= 0 {
			return errors.New("a damaged run header")
		}
		i += k
		count := u >> 1
		if u&1 == 1 { // count groups of 8 bit-packed values
			// Writers pad the last run (DuckDB to a multiple of 256
			// values): it must start before limit and may run at most
			// packedSlack values past it, its bytes in b.
			if total >= limit {
				return fmt.Errorf("a bit-packed run after the %d values expected", limit)
			}
			if count > uint64(limit-total+packedSlack)/8 {
				return fmt.Errorf("a bit-packed run of %d values where at most %d are left", count*8, limit-total)
			}
			if int(count)*bw > len(b)-i {
				return fmt.Errorf("a bit-packed run of %d groups of 8 values with %d bytes left", count, len(b)-i)
			}
			size := int(count) * bw
			if packed != nil {
				for j := 0; j < int(count); j++ {
					packed(b[i+j*bw : i+(j+1)*bw])
				}
			}
			i += size
			total += int(count) * 8
			continue
		}
		if total > limit {
			return fmt.Errorf("a run of %d values after the %d values expected", count, limit)
		}
		if count > uint64(limit-total) {
			return fmt.Errorf("a run of %d values where at most %d are left", count, limit-total)
		}
		size := (bw + 7) / 8
		if size > len(b)-i {
			return fmt.Errorf("a run of %d values cut short", count)
		}
		var v uint64
		for j := range size {
			v |= uint64(b[i+j]) << (8 * j)
		}
		i += size
		if rle != nil {
			rle(v, int(count))
		}
		total += int(count)
	}
	return nil
}

// bitsAt returns the bw-bit little-endian value at bit offset off of b.
func bitsAt(b []byte, off, bw int) uint64 {
	var v uint64
	for j := range bw {
		bit := off + j
		v |= uint64(b[bit>>3]>>(bit&7)&1) << j
	}
	return v
}

// checkValues checks the values section d of a data page of n values
// (levels included) of which nonNull are not null (-1: not known, at most
// n, and counts are only bounded).
func checkValues(l *leafInfo, enc format.Encoding, d []byte, n, nonNull int) error {
	exact := nonNull >= 0
	if !exact {
		nonNull = n
	}
	switch enc {
	//lint:ignore SA1019 old writers still mark dictionary indexes PLAIN_DICTIONARY, and parquet-go reads them
	case format.PlainDictionary, format.RLEDictionary:
		if len(d) == 0 {
			return nil
		}
		if err := hybridRuns(d[1:], int(d[0]), nonNull+runSlack, nil, nil); err != nil {
			return fmt.Errorf("dictionary indexes: %w", err)
		}
	case format.Plain:
		if l.kind == parquet.ByteArray && exact {
			return countByteArrays(d, nonNull, "page")
		}
	case format.RLE:
		if l.kind == parquet.Boolean {
			if len(d) < 4 {
				return nil
			}
			k := binary.LittleEndian.Uint32(d)
			if uint64(k) > uint64(len(d)-4) {
				return fmt.Errorf("%d bytes of booleans with %d bytes left", k, len(d)-4)
			}
			if err := hybridRuns(d[4:4+k], 1, nonNull+runSlack, nil, nil); err != nil {
				return fmt.Errorf("booleans: %w", err)
			}
		}
	case format.DeltaBinaryPacked:
		if _, err := deltaHeader(d, nonNull, false); err != nil {
			return err
		}
	case format.DeltaLengthByteArray:
		if _, err := deltaHeader(d, nonNull, exact); err != nil {
			return fmt.Errorf("lengths: %w", err)
		}
	case format.DeltaByteArray:
		rest, err := deltaHeader(d, nonNull, exact)
		if err != nil {
			return fmt.Errorf("prefix lengths: %w", err)
		}
		if _, err := deltaHeader(rest, nonNull, exact); err != nil {
			return fmt.Errorf("suffix lengths: %w", err)
		}
	}
	return nil
}

// countByteArrays checks that the PLAIN byte arrays in d are exactly n:
// parquet-go decodes all of d, and on another count prints a warning to
// the standard error (newByteArrayPage: "parquet: warning: column ... byte
// array page has ... offsets but numValues is ...") and reads on.
func countByteArrays(d []byte, n int, what string) error {
	k := 0
	for i := 0; i < len(d); k++ {
		if len(d)-i < 4 {
			return fmt.Errorf("a %s's byte array %d cut short", what, k+1)
		}
		size := binary.LittleEndian.Uint32(d[i:])
		i += 4
		if uint64(size) > uint64(len(d)-i) {
			return fmt.Errorf("a %s's byte array %d of %d bytes with %d left", what, k+1, size, len(d)-i)
		}
		i += int(size)
	}
	if k != n {
		return fmt.Errorf("the %s holds %d byte arrays, its header says %d", what, k, n)
	}
	return nil
}

// deltaHeader checks a DELTA_BINARY_PACKED run at the start of d: it holds
// at most n values (exactly n with exact), in blocks that are all there.
// It returns the bytes after it, where parquet-go reads what follows.
func deltaHeader(d []byte, n int, exact bool) ([]byte, error) {
	if n == 0 && len(d) == 0 { // a page of nulls only: some writers write no header
		return d, nil
	}
	var h [3]uint64
	i := 0
	for j := range h {
		u, k := binary.Uvarint(d[i:])
		if k <= 0 {
			return nil, errors.New("a damaged delta header")
		}
		h[j], i = u, i+k
	}
	if _, k := binary.Varint(d[i:]); k <= 0 {
		return nil, errors.New("a damaged delta header")
	} else {
		i += k
	}
	block, minis, total := h[0], h[1], h[2]
	switch {
	case total > uint64(n) || (exact && total != uint64(n)):
		return nil, fmt.Errorf("a delta header of %d values for %d", total, n)
	case minis == 0 || block == 0 || block%128 != 0 || block > 65536 || minis > block || (block/minis)%32 != 0:
		return nil, fmt.Errorf("a delta header with blocks of %d values in %d mini-blocks", block, minis)
	}
	if total == 0 {
		return d[i:], nil
	}
	per := int(block / minis)
	left := int(total) - 1
	for left > 0 && i < len(d) {
		if _, k := binary.Varint(d[i:]); k <= 0 {
			return nil, errors.New("a damaged delta block")
		} else {
			i += k
		}
		if uint64(len(d)-i) < minis {
			return nil, io.ErrUnexpectedEOF
		}
		widths := d[i : i+int(minis)]
		i += int(minis)
		for _, w := range widths {
			if w > 64 {
				return nil, fmt.Errorf("a delta mini-block of %d-bit values", w)
			}
			if w != 0 {
				i += min(per*int(w)/8, len(d)-i)
			}
			left -= min(per, left)
			if left == 0 {
				break
			}
		}
	}
	if left > 0 {
		return nil, fmt.Errorf("a delta run missing %d values", left)
	}
	return d[i:], nil
}
