package data

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// A damaged or hostile Parquet file must cost memory and time bounded by
// its size, and fail with an error. parquet-go trusts the sizes a file
// declares: its LZ4_RAW codec doubles its output buffer on every decoding
// error, forever, so one damaged page grows the heap until the runtime dies
// (compress/lz4 Codec.Decode); a run-length run or a delta header asks for
// up to 2^31 values, allocated before the bytes behind them are read
// (encoding/rle decodeInt32, decodeBytes; encoding/delta decodeInt32); page
// and dictionary headers size buffers by their own fields; the footer's
// length is allocated before it is compared with the file's
// (parquet.OpenFile); and a Thrift list is allocated at its declared length
// (see parquet_guard_thrift.go). A failed allocation is a fatal error of the
// Go runtime, which no recover catches. So before parquet-go reads a file
// or decodes a column chunk, the guard reads the same bytes itself, with
// every size checked against the bytes that are there and against the caps
// below, and decodes each page far enough to check what parquet-go would
// allocate for it. A file that passes costs parquet-go at most a small
// multiple of its pages' declared sizes.

// Caps on what one page may declare. They are far above what Parquet
// writers produce (pages of about 1 MiB and 20,000 rows by default in
// parquet-mr, Arrow and parquet-go).
const (
	// maxPageBytes caps a page's compressed and uncompressed size.
	maxPageBytes = 256 << 20
	// maxPageValues caps the values of one data or dictionary page.
	maxPageValues = 1 << 25
	// maxPageHeader caps the Thrift page header.
	maxPageHeader = 1 << 20
)

// guardOff turns the guard off, for the tests that show what parquet-go
// does without it. Never set outside tests.
var guardOff = false

// pageDamage is the Err of a ColumnError for a damaged page or column
// chunk. It wraps ErrNotParquet.
type pageDamage struct {
	rowGroup int   // 1-based
	page     int   // 1-based, counting dictionary pages; 0: the chunk itself
	offset   int64 // of the page header in the file
	why      string
}

func (e *pageDamage) Error() string {
	s := "damaged Parquet data in row group " + strconv.Itoa(e.rowGroup)
	if e.page > 0 {
		s += ", page " + strconv.Itoa(e.page) + " (at byte " + strconv.FormatInt(e.offset, 10) + ")"
	}
	return s + ": " + e.why
}

func (e *pageDamage) Unwrap() error { return ErrNotParquet }

// guardFooter checks a file's magic bytes and footer before parquet.OpenFile
// reads them: the footer's length must fit in the file and its Thrift
// structure in its bytes.
func guardFooter(path string, r io.ReaderAt, size int64) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("data: %s: %w: %s", path, ErrNotParquet, fmt.Sprintf(format, args...))
	}
	if guardOff {
		return nil
	}
	if size < 12 {
		return bad("%d bytes, shorter than the 12 of an empty Parquet file", size)
	}
	var head, tail [8]byte
	if _, err := r.ReadAt(head[:4], 0); err != nil {
		return fmt.Errorf("data: %s: %w", path, err)
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return fmt.Errorf("data: %s: %w", path, err)
	}
	if string(head[:4]) != "PAR1" || string(tail[4:]) != "PAR1" {
		return nil // parquet.OpenFile rejects it, or asks for keys (PARE)
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n > size-12 {
		return bad("the footer says it is %d bytes long, in a file of %d bytes", n, size)
	}
	footer := make([]byte, n)
	if _, err := r.ReadAt(footer, size-8-n); err != nil {
		return fmt.Errorf("data: %s: %w", path, err)
	}
	if _, err := walkThriftStruct(footer); err != nil {
		return bad("footer: %v", err)
	}
	return nil
}

// guardMeta checks the row counts of an opened file's footer: no row
// group has a negative count, and their sum fits an int64. The sum is not
// compared with the footer's num_rows: some writers get that wrong
// (parquet-testing's repeated_no_annotation.parquet says 0), and the
// readers count rows by row group.
func guardMeta(path string, pf *parquet.File) error {
	if guardOff {
		return nil
	}
	var sum int64
	for i, rg := range pf.Metadata().RowGroups {
		if rg.NumRows < 0 || rg.NumRows > math.MaxInt64-sum {
			return fmt.Errorf("data: %s: %w: row group %d declares %d rows", path, ErrNotParquet, i+1, rg.NumRows)
		}
		sum += rg.NumRows
	}
	return nil
}

// pageGuard checks the column chunks of one file, reusing its buffers.
type pageGuard struct {
	path string
	r    io.ReaderAt
	end  int64 // where the footer starts: column chunks end before
	br   *bufio.Reader
	page []byte // compressed bytes of the current page
	out  []byte // decompressed bytes of the current page
	lvl  levelCount

	// keep, when not nil, receives every page chunk checks, decompressed
	// (parquet_kept.go), so that the reader decodes them without reading
	// and decompressing them again.
	keep *keptGroup
	last keptPage // the page check checked last, its bytes in out or page
}

// newPageGuard returns a guard for the chunks of file path, of size bytes,
// opened as pf.
func newPageGuard(path string, r io.ReaderAt, size int64) *pageGuard {
	var tail [8]byte
	end := size - 8
	if _, err := r.ReadAt(tail[:], size-8); err == nil {
		end -= int64(binary.LittleEndian.Uint32(tail[:4]))
	}
	return &pageGuard{path: path, r: r, end: end}
}

// chunk checks the column chunk of leaf column col in row group rg (from 0)
// of pf, which holds rows rows, reading every page parquet-go would read to
// decode the rows.
func (g *pageGuard) chunk(pf *parquet.File, rg int, col *parquet.Column) error {
	if guardOff {
		return nil
	}
	md := pf.Metadata()
	rows := md.RowGroups[rg].NumRows
	damage := func(page int, offset int64, format string, args ...any) error {
		return &ColumnError{File: g.path, Column: columnPath(col),
			Err: &pageDamage{rowGroup: rg + 1, page: page, offset: offset, why: fmt.Sprintf(format, args...)}}
	}
	chunks := md.RowGroups[rg].Columns
	if col.Index() < 0 || col.Index() >= len(chunks) {
		return damage(0, 0, "no column chunk for the column")
	}
	cc := &chunks[col.Index()]
	if cc.FilePath != "" || cc.CryptoMetadata.Value != nil || len(cc.EncryptedColumnMetadata) > 0 {
		if g.keep != nil {
			g.keep.over = true // parquet-go's own error, then
		}
		return nil // parquet-go reads neither external nor encrypted chunks without more configuration
	}
	m := &cc.MetaData
	base := m.DataPageOffset
	if m.DictionaryPageOffset != 0 {
		base = m.DictionaryPageOffset
	}
	total := m.TotalCompressedSize
	if base < 4 || total < 0 || base > g.end || total > g.end-base {
		return damage(0, 0, "the column chunk's %d bytes at byte %d are not inside the %d bytes before the footer", total, base, g.end)
	}
	flat := col.MaxRepetitionLevel() == 0
	if flat && m.NumValues != rows {
		return damage(0, 0, "the column chunk declares %d values for the row group's %d rows", m.NumValues, rows)
	}
	leaf := leafOf(col)
	if g.keep != nil {
		g.keep.begin(col.Index())
	}
	sec := io.NewSectionReader(g.r, base, total)
	if g.br == nil {
		g.br = bufio.NewReaderSize(sec, maxPageHeader)
	} else {
		g.br.Reset(sec)
	}
	left, off, values := total, base, int64(0)
	for page := 1; ; page++ {
		if flat && values == rows {
			return nil // parquet-go reads no further
		}
		if left == 0 {
			if flat {
				return damage(page, off, "the column chunk ends after %d of its %d values", values, rows)
			}
			return nil
		}
		h, n, err := g.header(left)
		if err != nil {
			return damage(page, off, "page header: %v", err)
		}
		cs, us := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
		switch {
		case cs < 0 || us < 0:
			return damage(page, off, "negative page size (%d compressed, %d uncompressed)", cs, us)
		case cs > left-n:
			return damage(page, off, "a page of %d bytes with %d bytes left in the column chunk", cs, left-n)
		case cs > maxPageBytes || us > maxPageBytes:
			return damage(page, off, "a page of %d bytes (%d uncompressed), more than the %d MiB segment reads", cs, us, maxPageBytes>>20)
		}
		g.page = grow(g.page, int(cs))
		if _, err := io.ReadFull(g.br, g.page); err != nil {
			return damage(page, off, "reading the page: %v", err)
		}
		if h.CRC != 0 {
			if sum := crc32.ChecksumIEEE(g.page); sum != uint32(h.CRC) {
				return damage(page, off, "page checksum mismatch: the header says %08x, the page's CRC-32 is %08x", uint32(h.CRC), sum)
			}
		}
		g.last = keptPage{}
		k, err := g.check(&leaf, m.Codec, h)
		if err != nil {
			return damage(page, off, "%v", err)
		}
		if g.keep != nil {
			g.keep.add(&g.last)
		}
		if flat && k > rows-values {
			return damage(page, off, "the page holds %d values with %d rows of the row group left", k, rows-values)
		}
		values += k
		left -= n + cs
		off += n + cs
	}
}

// rowGroup checks the chunks of the order columns in row group rg of pf,
// keeping their pages when g.keep is set.
func (g *pageGuard) rowGroup(pf *parquet.File, rg int, cols []*orderColumn) error {
	if g.keep != nil {
		g.keep.reset()
		if guardOff {
			g.keep.over = true
		}
	}
	for _, c := range cols {
		if err := g.chunk(pf, rg, c.col); err != nil {
			return err
		}
	}
	return nil
}

// header reads and decodes the page header at the reader's position, with
// left bytes left in the column chunk. It returns the header and its
// length.
func (g *pageGuard) header(left int64) (*format.PageHeader, int64, error) {
	limit := int(min(left, maxPageHeader))
	for window := min(256, limit); ; window = min(4*window, limit) {
		b, err := g.br.Peek(window)
		if err != nil && len(b) < window {
			return nil, 0, err
		}
		n, err := walkThriftStruct(b)
		if errors.Is(err, errThriftShort) && window < limit {
			continue
		}
		if err != nil {
			if window == maxPageHeader {
				return nil, 0, fmt.Errorf("%w (a header may take at most %d MiB)", err, maxPageHeader>>20)
			}
			return nil, 0, err
		}
		h := new(format.PageHeader)
		if err := thrift.Unmarshal(new(thrift.CompactProtocol), b[:n], h); err != nil {
			return nil, 0, err
		}
		g.br.Discard(n)
		return h, int64(n), nil
	}
}

// columnPath names a leaf column by its path, a.b for a nested one.
func columnPath(col *parquet.Column) string {
	p := col.Path()
	if len(p) == 0 {
		return col.Name()
	}
	s := p[0]
	for _, q := range p[1:] {
		s += "." + q
	}
	return s
}

// leafColumns lists the leaf columns under col, in file order.
func leafColumns(col *parquet.Column) []*parquet.Column {
	if col.Leaf() {
		return []*parquet.Column{col}
	}
	var out []*parquet.Column
	for _, c := range col.Columns() {
		out = append(out, leafColumns(c)...)
	}
	return out
}

// grow returns b resized to n bytes, reallocated only when too small.
func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
