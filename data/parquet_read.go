package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
)

// openParquet opens a Parquet file with parquet.OpenFile, which reads only
// the footer and returns an error for a file that is not Parquet (where
// parquet.NewGenericReader panics), after guardFooter has checked the
// footer's sizes. The caller closes the *os.File, and checks each column
// chunk with a pageGuard before reading it.
func openParquet(path string) (_ *os.File, _ *parquet.File, err error) {
	defer recoverParquet(path, &err)
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("data: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("data: %w", err)
	}
	if err := guardFooter(path, f, st.Size()); err != nil {
		f.Close()
		return nil, nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("data: %s: %w: %w", path, ErrNotParquet, err)
	}
	if err := guardMeta(path, pf); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, pf, nil
}

// columnNames lists the top-level columns of a Parquet file.
func columnNames(pf *parquet.File) []string {
	cols := pf.Root().Columns()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name()
	}
	return names
}

// lDiscount marks an orderColumn that is one of the discount columns.
const lDiscount = numLogical

// orderColumn is one projected column of a Parquet order file, with the
// decoded values of its current page.
type orderColumn struct {
	l     logical
	col   *parquet.Column
	leaf  int // index of the leaf column in a row group
	dec   *columnDecoder
	pages parquet.Pages
	kept  []keptPage  // with useKept: the pages the guard kept, still to decode
	buf   keptBuffers // for decoding kept pages
	vec   vector      // values of the current page
	pos   int         // next unread row of vec
	next  int64       // file row (from 0) of the first row of the next page

	useKept bool // the row group's pages are in kept, not read through pages
}

// planParquet plans the order columns of the Parquet file pf (at path)
// and makes a decoder for each planned column.
func (r *orderReader) planParquet(path string, pf *parquet.File) (columnPlan, []*orderColumn, error) {
	plan, err := planColumns(path, r.src.Columns, columnNames(pf))
	if err != nil {
		return plan, nil, err
	}
	r.notePlan(path, plan)
	if err := r.checkExclude(path, plan); err != nil {
		return plan, nil, err
	}
	times := newTimeParser(r.src.TimeFormat, r.src.Location)
	var cols []*orderColumn
	add := func(l logical, name string) error {
		want, finite := KindString, false
		switch l {
		case lTime:
			want = KindTime
		case lAmount, lQuantity, lUnitPrice, lDiscount, lRefunded:
			want, finite = KindFloat64, true
		}
		col := pf.Root().Column(name)
		dec, err := newColumnDecoder(path, col, want, finite, times)
		if err != nil {
			return err
		}
		if l == lCity || l == lCountry || l == lChannel || l == lCurrency {
			dec.intern = newInterner()
		}
		cols = append(cols, &orderColumn{l: l, col: col, leaf: col.Index(), dec: dec})
		return nil
	}
	for l, name := range plan.cols {
		if name != "" {
			if err := add(logical(l), name); err != nil {
				return plan, nil, err
			}
		}
	}
	for _, name := range plan.discounts {
		if err := add(lDiscount, name); err != nil {
			return plan, nil, err
		}
	}
	return plan, cols, nil
}

// readParquet reads the order lines of one Parquet file by row group and
// page, decoding only the planned columns.
func (r *orderReader) readParquet(ctx context.Context, path string) (err error) {
	defer recoverParquet(path, &err)
	f, pf, err := openParquet(path)
	if err != nil {
		return err
	}
	defer f.Close()
	plan, cols, err := r.planParquet(path, pf)
	if err != nil {
		return err
	}
	miss := make([]missing, fillChunk) // the flags of a chunk of lines (readRowGroup)
	// The guard checks row group i+1 on another core while row group i
	// is decoded.
	guards := [2]*pageGuard{newPageGuard(path, f, pf.Size()), newPageGuard(path, f, pf.Size())}
	for _, g := range guards {
		g.keep = new(keptGroup)
	}
	check := func(i int) chan error {
		done := make(chan error, 1)
		go func() {
			var err error
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("data: %s: %w (guard: %v)", path, ErrNotParquet, r)
				}
				done <- err
			}()
			err = guards[i%2].rowGroup(pf, i, cols)
		}()
		return done
	}
	rgs := pf.RowGroups()
	var pending chan error
	if len(rgs) > 0 {
		pending = check(0)
	}
	defer func() {
		if pending != nil {
			<-pending
		}
	}()
	var first int64
	for i, rg := range rgs {
		err := <-pending
		pending = nil
		if err != nil {
			return err
		}
		if i+1 < len(rgs) {
			pending = check(i + 1)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.readRowGroup(path, &plan, rg, first, cols, miss, guards[i%2].keep); err != nil {
			return err
		}
		first += rg.NumRows()
	}
	return nil
}

// fillChunk is the number of lines readRowGroup fills and checks at a
// time: 256 lines of about 250 bytes stay within the processor's L2 cache.
const fillChunk = 256

// readRowGroup reads one row group whose first row is row first of the
// file. Columns are decoded a page at a time and copied into the batch in
// segments that end where the batch fills or the next page of any column
// starts.
func (r *orderReader) readRowGroup(path string, plan *columnPlan, rg parquet.RowGroup, first int64, cols []*orderColumn, miss []missing, kept *keptGroup) error {
	r.prev, r.carry = orderStatus{}, refundCarry{}
	r.last.customer, r.last.order = "", "" // a row group is a piece of its own, as a scale-out run reads it
	chunks := rg.ColumnChunks()
	for _, c := range cols {
		if c.leaf < 0 || c.leaf >= len(chunks) {
			return &ColumnError{File: path, Column: c.dec.column, Err: ErrNotParquet}
		}
		c.useKept = kept != nil && !kept.over
		if c.useKept {
			c.kept, c.buf.dict = kept.pages[c.leaf], nil
		} else {
			c.pages = chunks[c.leaf].Pages()
		}
		c.vec.reset(c.dec.want, 0)
		c.pos, c.next = 0, first
	}
	defer func() {
		for _, c := range cols {
			if c.pages != nil {
				c.pages.Close()
				c.pages = nil
			}
		}
	}()
	n := rg.NumRows()
	for done := int64(0); done < n; {
		// Decode straight into the free tail of the batch, then close the
		// gaps the rejected rows leave.
		start := len(r.batch)
		seg := int(min(n-done, int64(r.batchSize-start)))
		for _, c := range cols {
			if c.pos == c.vec.n {
				if err := c.load(); err != nil {
					return err
				}
			}
			seg = min(seg, c.vec.n-c.pos)
		}
		buf := r.batch[:start+seg]
		r.validUTF8 = 0
		for _, c := range cols {
			if c.vec.utf8 && c.l != lDiscount {
				r.validUTF8 |= 1 << c.l
			}
		}
		// A chunk of the segment at a time, so that the lines cleared are
		// filled and checked while they are in the processor's cache: a
		// segment of a batch is megabytes of lines.
		k := start
		for at := 0; at < seg; at += fillChunk {
			lines, flags := buf[start+at:start+min(at+fillChunk, seg)], miss[:min(fillChunk, seg-at)]
			clear(lines)
			clear(flags)
			for _, c := range cols {
				c.fill(lines, flags, c.pos+at)
			}
			for i := range lines {
				row := first + done + int64(at+i) + 1
				if reason := r.finish(plan, &lines[i], flags[i]); reason != "" {
					raw := make(map[string]string, len(cols))
					for _, c := range cols {
						raw[c.dec.column] = c.vec.text(c.pos + at + i)
					}
					r.reject(path, row, reason, raw)
					continue
				}
				if plan.cols[lCurrency] != "" {
					if err := r.noteCode(path, plan.cols[lCurrency], row, lines[i].Currency); err != nil {
						return err
					}
				}
				if start+at+i != k {
					buf[k] = lines[i]
				}
				k++
			}
		}
		r.validUTF8 = 0
		r.batch = buf[:k]
		r.stats.RowsRead += int64(k - start)
		r.stats.RowsUsed += int64(k - start)
		if len(r.batch) == r.batchSize {
			if err := r.flush(); err != nil {
				return err
			}
		}
		for _, c := range cols {
			c.pos += seg
		}
		done += int64(seg)
	}
	return nil
}

// load reads and decodes the column's next non-empty page.
func (c *orderColumn) load() error {
	if c.useKept {
		return c.loadKept()
	}
	for {
		page, err := c.pages.ReadPage()
		if errors.Is(err, io.EOF) {
			return &ColumnError{File: c.dec.file, Column: c.dec.column, Row: c.next + 1,
				Err: fmt.Errorf("%w: the column ends before its row group", ErrNotParquet)}
		}
		if err != nil {
			return &ColumnError{File: c.dec.file, Column: c.dec.column, Row: c.next + 1, Err: fmt.Errorf("%w: %w", ErrNotParquet, err)}
		}
		err = c.dec.decode(page, c.next, &c.vec)
		parquet.Release(page)
		if err != nil {
			return err
		}
		c.pos = 0
		c.next += int64(c.vec.n)
		if c.vec.n > 0 {
			return nil
		}
	}
}

// fill copies the column's values from its row p (of vec) on into lines
// and flags its nulls.
func (c *orderColumn) fill(lines []OrderLine, miss []missing, p int) {
	v := &c.vec
	switch c.l {
	case lCustomer:
		for i := range lines {
			lines[i].CustomerID = v.str[p+i]
		}
	case lOrder:
		for i := range lines {
			lines[i].OrderID = v.str[p+i]
		}
	case lTime:
		for i := range lines {
			lines[i].Time = v.times[p+i]
		}
	case lAmount:
		for i := range lines {
			lines[i].Amount = v.num[p+i]
		}
	case lQuantity:
		for i := range lines {
			lines[i].Quantity = v.num[p+i]
		}
	case lUnitPrice:
		for i := range lines {
			lines[i].UnitPrice = v.num[p+i]
		}
	case lCoupon:
		for i := range lines {
			lines[i].Coupon = v.str[p+i]
		}
	case lCategory:
		for i := range lines {
			lines[i].Category = v.str[p+i]
		}
	case lProduct:
		for i := range lines {
			lines[i].ProductID = v.str[p+i]
		}
	case lStatus:
		for i := range lines {
			lines[i].Status = v.str[p+i]
		}
	case lCity:
		for i := range lines {
			lines[i].City = v.str[p+i]
		}
	case lCountry:
		for i := range lines {
			lines[i].Country = v.str[p+i]
		}
	case lChannel:
		for i := range lines {
			lines[i].Channel = v.str[p+i]
		}
	case lCurrency:
		for i := range lines {
			lines[i].Currency = v.str[p+i]
		}
	case lDiscount:
		for i := range lines {
			lines[i].Discount += v.num[p+i] // a null is 0
		}
		return
	case lRefunded:
		for i := range lines {
			lines[i].Refunded = v.num[p+i] // a null is 0
		}
		return
	}
	if v.hasNul {
		for i := range lines {
			if v.null[p+i] {
				miss[i] |= 1 << c.l
			}
		}
	}
}
