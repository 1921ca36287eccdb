package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// This file builds damaged Parquet files from valid ones, page by page, for
// the guard's tests and the fuzz targets' seeds.

// pageEdit changes one page of a file being rebuilt: the page of column
// col, row group rg (from 0), page (from 0, counting dictionary pages),
// with header h and page bytes data. It may change h and returns the new
// bytes. rebuildParquet then sets h's sizes for an uncompressed column and
// recomputes a checksum the header had.
type pageEdit func(rg int, col string, page int, h *format.PageHeader, data []byte) []byte

// rebuildParquet rewrites the Parquet file b through edit, fixing up the
// footer's offsets and sizes (and dropping the page index).
func rebuildParquet(t testing.TB, b []byte, edit pageEdit) []byte {
	t.Helper()
	pf, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	md := *pf.Metadata()
	md.RowGroups = slices.Clone(md.RowGroups)
	out := []byte("PAR1")
	for i := range md.RowGroups {
		rg := &md.RowGroups[i]
		rg.Columns = slices.Clone(rg.Columns)
		rgStart := int64(len(out))
		for j := range rg.Columns {
			cc := &rg.Columns[j]
			m := &cc.MetaData
			base := m.DataPageOffset
			if m.DictionaryPageOffset != 0 {
				base = m.DictionaryPageOffset
			}
			chunk := b[base : base+m.TotalCompressedSize]
			start := int64(len(out))
			m.DictionaryPageOffset, m.DataPageOffset = 0, 0
			for page := 0; len(chunk) > 0; page++ {
				n, err := walkThriftStruct(chunk)
				if err != nil {
					t.Fatalf("rebuild: page header: %v", err)
				}
				var h format.PageHeader
				if err := thrift.Unmarshal(new(thrift.CompactProtocol), chunk[:n], &h); err != nil {
					t.Fatalf("rebuild: page header: %v", err)
				}
				data := slices.Clone(chunk[n : n+int(h.CompressedPageSize)])
				chunk = chunk[n+int(h.CompressedPageSize):]
				hadCRC := h.CRC != 0
				if edit != nil {
					data = edit(i, m.PathInSchema[0], page, &h, data)
				}
				if m.Codec == format.Uncompressed {
					h.UncompressedPageSize = int32(len(data))
				}
				h.CompressedPageSize = int32(len(data))
				if hadCRC {
					h.CRC = int32(crc32.ChecksumIEEE(data))
				}
				hb, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
				if err != nil {
					t.Fatal(err)
				}
				if h.Type == format.DictionaryPage {
					m.DictionaryPageOffset = int64(len(out))
				} else if m.DataPageOffset == 0 {
					m.DataPageOffset = int64(len(out))
				}
				out = append(append(out, hb...), data...)
			}
			m.TotalCompressedSize = int64(len(out)) - start
			cc.FileOffset = start
			cc.OffsetIndexOffset, cc.OffsetIndexLength, cc.ColumnIndexOffset, cc.ColumnIndexLength = 0, 0, 0, 0
		}
		rg.FileOffset = rgStart
		rg.TotalCompressedSize = int64(len(out)) - rgStart
	}
	footer, err := thrift.Marshal(new(thrift.CompactProtocol), &md)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, footer...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(footer)))
	return append(out, "PAR1"...)
}

// hostileFile is a damaged Parquet file and what the guard must say of it.
type hostileFile struct {
	name   string
	data   []byte
	column string // the column the error names; "" for the footer
	want   string // in the error message
}

// parquetBytes writes rows rows of cols with opts and returns the file.
func parquetBytes(t testing.TB, rows int, cols []fixCol, opts ...parquet.WriterOption) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fixture.parquet")
	writeFixture(t, path, rows, cols, opts...)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hostileFiles builds the damaged files of issue 15 and a few more, each
// from a small valid order file written by parquet-go.
func hostileFiles(t testing.TB) []hostileFile {
	t.Helper()
	// A small order file with LZ4_RAW pages, damaged in its first amount
	// page so that the LZ4 block cannot decode (a match reaching 65,535
	// bytes before the start of the output) while its checksum still
	// matches: parquet-go's decoder doubles its buffer forever.
	lz4File := parquetBytes(t, 40, orderFixture(), parquet.Compression(&parquet.Lz4Raw))
	lz4 := rebuildParquet(t, lz4File, func(rg int, col string, page int, h *format.PageHeader, data []byte) []byte {
		if col == "amount" && isDataPage(h) {
			copy(data, []byte{0x00, 0xff, 0xff})
		}
		return data
	})
	// A dictionary-encoded customer_id whose first index run is a
	// bit-packed run of 2^27 groups of 8: parquet-go sizes its output for
	// them (4 GiB) before it looks for their bytes.
	dictCols := orderFixture(fixCol{"customer_id", parquet.Encoded(parquet.String(), &parquet.RLEDictionary),
		func(i int) parquet.Value { return strVal(fmt.Sprintf("C%d", i%3)) }})
	dictFile := parquetBytes(t, 40, dictCols, parquet.Compression(&parquet.Uncompressed))
	rle := rebuildParquet(t, dictFile, func(rg int, col string, page int, h *format.PageHeader, data []byte) []byte {
		if col == "customer_id" && isDataPage(h) {
			run := binary.AppendUvarint(nil, 1<<27<<1|1)
			return append(append([]byte{data[0]}, run...), data[1:]...)
		}
		return data
	})
	// The same as one repeated run of 2^30 values (index 0).
	repeated := rebuildParquet(t, dictFile, func(rg int, col string, page int, h *format.PageHeader, data []byte) []byte {
		if col == "customer_id" && isDataPage(h) {
			run := binary.AppendUvarint(nil, 1<<30<<1)
			run = append(run, make([]byte, (int(data[0])+7)/8)...)
			return append(append([]byte{data[0]}, run...), data[1:]...)
		}
		return data
	})
	// A dictionary page declaring 2^30 values: parquet-go allocates 4 GiB
	// of offsets for them.
	bigDict := rebuildParquet(t, dictFile, func(rg int, col string, page int, h *format.PageHeader, data []byte) []byte {
		if col == "customer_id" && h.Type == format.DictionaryPage {
			h.DictionaryPageHeader.V.NumValues = 1 << 30
		}
		return data
	})
	// A plain string page with one value more than its header says:
	// parquet-go prints "parquet: warning: ..." to the standard error and
	// reads on.
	plain := parquetBytes(t, 6, orderFixture(fixCol{"order_id", parquet.Encoded(parquet.String(), &parquet.Plain),
		func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }}), parquet.Compression(&parquet.Uncompressed))
	extra := rebuildParquet(t, plain, func(rg int, col string, page int, h *format.PageHeader, data []byte) []byte {
		if col == "order_id" && isDataPage(h) {
			return append(binary.LittleEndian.AppendUint32(data, 2), "O9"...)
		}
		return data
	})
	// One damaged byte in a page whose checksum is kept.
	crc := slices.Clone(plain)
	if i := bytes.Index(crc, []byte("O3")); i > 0 {
		crc[i+1] = '7'
	} else {
		t.Fatal("no O3 in the fixture")
	}
	// A footer that says it is 4 GiB long: parquet.OpenFile allocates it
	// before comparing it with the file's size.
	footer := slices.Clone(plain)
	binary.LittleEndian.PutUint32(footer[len(footer)-8:], 0xfffffff0)
	// A footer whose row group list declares 2^31-1 entries.
	list := slices.Clone(plain)
	md := fixtureMetaBytes(t, plain)
	n := binary.LittleEndian.Uint32(plain[len(plain)-8:])
	fb := plain[len(plain)-8-int(n) : len(plain)-8]
	if i := footerListAt(fb, md); i >= 0 {
		list = slices.Concat(plain[:len(plain)-8-int(n)], fb[:i], []byte{0xfc, 0xff, 0xff, 0xff, 0xff, 0x07}, fb[i+1:])
		list = binary.LittleEndian.AppendUint32(list, uint32(int(n)+5))
		list = append(list, "PAR1"...)
	} else {
		t.Fatal("no row group list in the footer")
	}
	// A DELTA_BINARY_PACKED quantity page whose header declares 2^30
	// values: parquet-go sizes its output for them (8 GiB).
	qtyCols := append(orderFixture(fixCol{name: "amount"}),
		fixCol{"quantity", parquet.Encoded(parquet.Int(64), &parquet.DeltaBinaryPacked), func(i int) parquet.Value { return i64Val(int64(i % 4)) }},
		fixCol{"unit_price", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(2.5) }})
	delta := rebuildParquet(t, parquetBytes(t, 6, qtyCols, parquet.Compression(&parquet.Uncompressed)),
		func(rg int, col string, page int, h *format.PageHeader, data []byte) []byte {
			if col == "quantity" && isDataPage(h) {
				_, a := binary.Uvarint(data)
				_, b := binary.Uvarint(data[a:])
				_, c := binary.Uvarint(data[a+b:])
				return slices.Concat(data[:a+b], binary.AppendUvarint(nil, 1<<30), data[a+b+c:])
			}
			return data
		})
	// Footers whose sizes and counts do not fit the file.
	past := rewriteFooter(t, plain, func(md *format.FileMetaData) {
		md.RowGroups[0].Columns[3].MetaData.TotalCompressedSize = 1 << 40
	})
	rows := rewriteFooter(t, plain, func(md *format.FileMetaData) {
		md.NumRows, md.RowGroups[0].NumRows = 1<<40, 1<<40
	})
	return []hostileFile{
		{name: "lz4 loop", data: lz4, column: "amount", want: "row group 1, page 1"},
		{name: "rle 4 GiB run", data: rle, column: "customer_id", want: "a bit-packed run of 1073741824 values where at most"},
		{name: "repeated 4 GiB run", data: repeated, column: "customer_id", want: "a run of 1073741824 values"},
		{name: "dictionary of 2^30 values", data: bigDict, column: "customer_id", want: "a dictionary of 1073741824 values"},
		{name: "extra byte array", data: extra, column: "order_id", want: "holds 7 byte arrays, its header says 6"},
		{name: "checksum", data: crc, column: "order_id", want: "page checksum mismatch"},
		{name: "4 GiB footer", data: footer, want: "the footer says it is 4294967280 bytes long"},
		{name: "row group list of 2^31-1", data: list, want: "footer: truncated Thrift value: list of 2147483647"},
		{name: "delta header of 2^30 values", data: delta, column: "quantity", want: "a delta header of 1073741824 values for 6"},
		{name: "chunk past the end", data: past, column: "amount", want: "the column chunk's 1099511627776 bytes"},
		{name: "rows beyond the values", data: rows, column: "customer_id", want: "declares 6 values for the row group's 1099511627776 rows"},
	}
}

// rewriteFooter returns the Parquet file b with its footer changed by edit.
func rewriteFooter(t testing.TB, b []byte, edit func(*format.FileMetaData)) []byte {
	t.Helper()
	md := *fixtureMetaBytes(t, b)
	md.RowGroups = slices.Clone(md.RowGroups)
	for i := range md.RowGroups {
		md.RowGroups[i].Columns = slices.Clone(md.RowGroups[i].Columns)
	}
	edit(&md)
	footer, err := thrift.Marshal(new(thrift.CompactProtocol), &md)
	if err != nil {
		t.Fatal(err)
	}
	n := binary.LittleEndian.Uint32(b[len(b)-8:])
	out := slices.Concat(b[:len(b)-8-int(n)], footer)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(footer)))
	return append(out, "PAR1"...)
}

// fixtureMetaBytes decodes the footer of the Parquet file b.
func fixtureMetaBytes(t testing.TB, b []byte) *format.FileMetaData {
	t.Helper()
	pf, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)), parquet.SkipPageIndex(true))
	if err != nil {
		t.Fatal(err)
	}
	return pf.Metadata()
}

// footerListAt returns the offset in the footer fb of the list header of
// its row groups (field 4, a list of structs, in the short form written for
// fewer than 15 elements), or -1.
func footerListAt(fb []byte, md *format.FileMetaData) int {
	want := byte(len(md.RowGroups))<<4 | tcStruct
	for i := 0; i+1 < len(fb); i++ {
		if fb[i] == 0x19 && fb[i+1] == want { // field delta 1, type list; after num_rows (3)
			return i + 1
		}
	}
	return -1
}

// isDataPage reports whether h is the header of a data page, v1 or v2.
func isDataPage(h *format.PageHeader) bool {
	return h.Type == format.DataPage || h.Type == format.DataPageV2
}
