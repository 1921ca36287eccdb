package data

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
)

// columnDecoder converts the pages of one Parquet leaf column to a Kind.
type columnDecoder struct {
	file, column string
	want         Kind
	finite       bool // NaN and ±Inf are errors
	typ          leafType
	maxDef       byte
	times        *timeParser
	intern       *interner // for the string values of low-cardinality columns; nil: none

	dict     any // the dictionary dvec was built from (see decodeValues)
	dvec     vector
	dbad     []error // conversion error of each dictionary entry, or nil
	dictBad  bool    // some entry of dbad is not nil
	dictUTF8 bool    // every entry of dvec is a valid UTF-8 string without a NUL byte
	dense    vector  // non-null values of a page before they are spread
	firstBad int     // index of the first value that failed, or -1
	badErr   error
	text     []byte // a UUID's text, made for each value
}

// newColumnDecoder returns a decoder of col as kind want, or a ColumnError
// when the column cannot be read so.
func newColumnDecoder(file string, col *parquet.Column, want Kind, finite bool, times *timeParser) (*columnDecoder, error) {
	name := col.Name()
	if !col.Leaf() {
		return nil, &ColumnError{File: file, Column: name, Err: &typeError{have: "group", want: want.String()}}
	}
	if col.MaxRepetitionLevel() > 0 {
		return nil, &ColumnError{File: file, Column: name, Err: &typeError{have: "repeated " + col.Type().String(), want: want.String()}}
	}
	lt := leafTypeOf(col.Type())
	if !lt.canRead(want) && !(want == KindTime && times != nil && times.readsNumbers(lt)) {
		te := &typeError{have: lt.name, want: want.String()}
		if want == KindTime && (&timeParser{unit: time.Second}).readsNumbers(lt) {
			te.hint = "if its numbers count time since 1970, set orders.time_format to " + EpochFormats + `; if they are dates written as digits (20240131), to their layout ("%Y%m%d")`
		}
		return nil, &ColumnError{File: file, Column: name, Err: te}
	}
	return &columnDecoder{file: file, column: name, want: want, finite: finite, typ: lt,
		maxDef: byte(col.MaxDefinitionLevel()), times: times}, nil
}

// decode converts page into dst, one slot per row. firstRow is the 0-based
// row of the page's first row in the file, for error messages.
func (d *columnDecoder) decode(page parquet.Page, firstRow int64, dst *vector) error {
	var dict any
	if pd := page.Dictionary(); pd != nil {
		dict = pd
	}
	return d.decodeValues(int(page.NumRows()), page.DefinitionLevels(), page.Data(), dict, firstRow, dst)
}

// decodeValues converts a page of n rows into dst: its definition levels
// (none for a required column), its non-null values (dictionary indexes
// when dict is not nil: a parquet.Dictionary or a *keptDictionary).
func (d *columnDecoder) decodeValues(n int, defs []byte, vals encoding.Values, dict any, firstRow int64, dst *vector) error {
	if d.maxDef > 0 && len(defs) != n {
		return &ColumnError{File: d.file, Column: d.column, Err: ErrNotParquet}
	}
	dst.reset(d.want, n)
	nulls := 0
	if d.maxDef > 0 {
		for _, l := range defs {
			if l != d.maxDef {
				nulls++
			}
		}
	}
	if dict != nil {
		return d.gather(dict, vals.Int32(), defs, nulls, firstRow, dst)
	}
	if nulls == 0 {
		if err := d.convertPage(vals, n, dst); err != nil {
			return d.rowError(err, d.firstBad, defs, firstRow)
		}
		return nil
	}
	if err := d.convertPage(vals, n-nulls, &d.dense); err != nil {
		return d.rowError(err, d.firstBad, defs, firstRow)
	}
	j := 0
	for i, l := range defs {
		if l != d.maxDef {
			dst.setNull(i)
			continue
		}
		dst.copyFrom(i, &d.dense, j)
		j++
	}
	return nil
}

// dictEntries returns the entries of a dictionary as decodeValues takes it.
func dictEntries(dict any) (int, encoding.Values) {
	switch dict := dict.(type) {
	case parquet.Dictionary:
		return dict.Len(), dict.Page().Data()
	case *keptDictionary:
		return dict.n, dict.vals
	}
	panic("data: unknown dictionary type")
}

// convertPage converts the n values of a page, stopping at the first that
// fails (its index in d.firstBad).
func (d *columnDecoder) convertPage(vals encoding.Values, n int, dst *vector) error {
	d.firstBad, d.badErr = -1, nil
	if err := d.convert(vals, n, dst, func(j int, err error) bool {
		d.firstBad, d.badErr = j, err
		return false
	}); err != nil {
		return err
	}
	return d.badErr
}

// rowError turns the failure of the j-th non-null value of a page into a
// ColumnError naming its row.
func (d *columnDecoder) rowError(err error, j int, defs []byte, firstRow int64) error {
	row := j
	if d.maxDef > 0 && j >= 0 {
		for i, l := range defs {
			if l == d.maxDef {
				if j == 0 {
					row = i
					break
				}
				j--
			}
		}
	}
	ce := &ColumnError{File: d.file, Column: d.column, Err: err}
	if row >= 0 {
		ce.Row = firstRow + int64(row) + 1
	}
	return ce
}

// gather spreads dictionary entries to rows through the page's indexes.
func (d *columnDecoder) gather(dict any, idx []int32, defs []byte, nulls int, firstRow int64, dst *vector) error {
	if dict != d.dict {
		n, entries := dictEntries(dict)
		d.dbad = resize(d.dbad, n)
		clear(d.dbad)
		d.dictBad = false
		if err := d.convert(entries, n, &d.dvec, func(j int, err error) bool {
			d.dbad[j], d.dictBad = err, true
			return true
		}); err != nil {
			return &ColumnError{File: d.file, Column: d.column, Err: err}
		}
		d.dict = dict
		d.dictUTF8 = d.want == KindString && !slices.ContainsFunc(d.dvec.str[:n], func(s string) bool { return !utf8.ValidString(s) || HasNUL(s) })
	}
	dst.utf8 = d.dictUTF8 // nulls are "", valid too
	if nulls == 0 && !d.dictBad && len(idx) >= dst.n {
		// The common case: one index per row, every entry usable.
		bad := -1
		idx = idx[:dst.n]
		switch d.want {
		case KindString:
			bad = gatherSlice(dst.str, d.dvec.str, idx)
		case KindFloat64:
			bad = gatherSlice(dst.num, d.dvec.num, idx)
		case KindInt64:
			bad = gatherSlice(dst.ints, d.dvec.ints, idx)
		case KindBool:
			bad = gatherSlice(dst.bools, d.dvec.bools, idx)
		case KindTime:
			bad = gatherSlice(dst.times, d.dvec.times, idx)
		}
		if bad >= 0 {
			return &ColumnError{File: d.file, Column: d.column, Row: firstRow + int64(bad) + 1, Err: ErrNotParquet}
		}
		return nil
	}
	j := 0
	for i := range dst.n {
		if d.maxDef > 0 && defs[i] != d.maxDef {
			dst.setNull(i)
			continue
		}
		if j >= len(idx) || idx[j] < 0 || int(idx[j]) >= d.dvec.n {
			return &ColumnError{File: d.file, Column: d.column, Row: firstRow + int64(i) + 1, Err: ErrNotParquet}
		}
		k := idx[j]
		j++
		if err := d.dbad[k]; err != nil {
			return &ColumnError{File: d.file, Column: d.column, Row: firstRow + int64(i) + 1, Err: err}
		}
		dst.copyFrom(i, &d.dvec, int(k))
	}
	return nil
}

// gatherSlice sets dst[i] = dict[idx[i]], returning the first i whose
// index is out of range, or -1.
func gatherSlice[T any](dst, dict []T, idx []int32) int {
	for i, k := range idx {
		if uint32(k) >= uint32(len(dict)) {
			return i
		}
		dst[i] = dict[k]
	}
	return -1
}

// convert converts the first n physical values of vals into dst (reset to
// n slots of d.want). A value that cannot be converted is reported to bad,
// which says whether to go on (leaving a zero slot). The returned error is
// for values that do not match the column's type.
func (d *columnDecoder) convert(vals encoding.Values, n int, dst *vector, bad func(int, error) bool) error {
	dst.reset(d.want, n)
	if vals.Kind() != valuesKind(d.typ.phys) {
		return ErrNotParquet
	}
	lt := d.typ
	switch lt.phys {
	case parquet.Boolean:
		bits := vals.Boolean()
		if len(bits)*8 < n {
			return ErrNotParquet
		}
		for j := range n {
			b := bits[j>>3]>>(j&7)&1 == 1
			if d.want == KindBool {
				dst.bools[j] = b
			} else {
				dst.str[j] = strconv.FormatBool(b)
			}
		}
	case parquet.Int32:
		xs := vals.Int32()
		if len(xs) < n {
			return ErrNotParquet
		}
		for j, x := range xs[:n] {
			v := int64(x)
			if lt.unsigned {
				v = int64(uint32(x))
			}
			if !d.integer(dst, j, v, bad) {
				return nil
			}
		}
	case parquet.Int64:
		xs := vals.Int64()
		if len(xs) < n {
			return ErrNotParquet
		}
		if d.want == KindTime && lt.tsUnit != 0 { // the hot path of an order scan
			for j, x := range xs[:n] {
				dst.times[j] = d.timestamp(x)
			}
			return nil
		}
		for j, x := range xs[:n] {
			if lt.unsigned && x < 0 {
				if d.want != KindInt64 {
					if !d.unsigned(dst, j, uint64(x), bad) {
						return nil
					}
					continue
				}
				if !bad(j, &valueError{raw: strconv.FormatUint(uint64(x), 10), want: "a 64-bit signed integer"}) {
					return nil
				}
				continue
			}
			if !d.integer(dst, j, x, bad) {
				return nil
			}
		}
	case parquet.Int96:
		xs := vals.Int96()
		if len(xs) < n {
			return ErrNotParquet
		}
		for j, x := range xs[:n] {
			t := int96Time(x)
			if d.want == KindTime {
				dst.times[j] = t
			} else {
				dst.str[j] = t.Format(time.RFC3339Nano)
			}
		}
	case parquet.Float:
		xs := vals.Float()
		if len(xs) < n {
			return ErrNotParquet
		}
		for j, x := range xs[:n] {
			if !d.float(dst, j, float64(x), bad) {
				return nil
			}
		}
	case parquet.Double:
		xs := vals.Double()
		if len(xs) < n {
			return ErrNotParquet
		}
		for j, x := range xs[:n] {
			if !d.float(dst, j, x, bad) {
				return nil
			}
		}
	case parquet.ByteArray:
		data, offs := vals.ByteArray()
		if len(offs) < n+1 {
			return ErrNotParquet
		}
		if d.want == KindString && d.intern == nil && !lt.decimal {
			// One string for the page's bytes, sliced per value: one
			// allocation instead of one per value.
			all := string(data)
			for j := range n {
				lo, hi := offs[j], offs[j+1]
				if lo > hi || int(hi) > len(data) {
					return ErrNotParquet
				}
				dst.str[j] = all[lo:hi]
			}
			return nil
		}
		for j := range n {
			lo, hi := offs[j], offs[j+1]
			if lo > hi || int(hi) > len(data) {
				return ErrNotParquet
			}
			if !d.bytes(dst, j, data[lo:hi], bad) {
				return nil
			}
		}
	case parquet.FixedLenByteArray:
		data, size := vals.FixedLenByteArray()
		if size <= 0 || len(data) < n*size {
			return ErrNotParquet
		}
		for j := range n {
			if !d.bytes(dst, j, data[j*size:(j+1)*size], bad) {
				return nil
			}
		}
	default:
		return &typeError{have: lt.name, want: d.want.String()}
	}
	return nil
}
