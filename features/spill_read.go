package features

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unsafe"
)

// errSpillCorrupt is returned for a spill file that does not decode: the
// file was changed or cut while the run went on.
var errSpillCorrupt = errors.New("features: a spill file does not decode (was it changed or truncated while the run went on?)")

// fold folds partition k's records into p, stopping at p's first error
// and before the record at position cutoff (a line found invalid when it
// was spilled; -1: none). It returns a read error or ctx.Err().
func (sp *spiller) fold(ctx context.Context, k int, p *part, cutoff int64) error {
	f := sp.files[k].f
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("features: spill: %w", err)
	}
	br := bufio.NewReaderSize(f, 1<<20)
	var block []byte
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := binary.ReadUvarint(br)
		if err == io.EOF {
			return nil
		}
		if err != nil || n > 1<<30 {
			return spillReadError(err)
		}
		if uint64(cap(block)) < n {
			block = make([]byte, n)
		}
		block = block[:n]
		if _, err := io.ReadFull(br, block); err != nil {
			return spillReadError(err)
		}
		stop, err := sp.foldBlock(block, p, cutoff)
		if err != nil || stop {
			return err
		}
	}
}

// spillReadError describes a failed read of a spill file.
func spillReadError(err error) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errSpillCorrupt
	}
	return fmt.Errorf("features: spill: %w", err)
}

// foldBlock folds the records of one block; stop is true once p has failed
// or the cutoff is reached. The records' strings share block's memory:
// fold keeps none of them.
func (sp *spiller) foldBlock(b []byte, p *part, cutoff int64) (stop bool, err error) {
	var r lineRec
	var seq int64
	for len(b) > 0 {
		d, k := binary.Uvarint(b)
		if k <= 0 || len(b) < k+1 {
			return false, errSpillCorrupt
		}
		seq += int64(d)
		flags := b[k]
		b = b[k+1:]
		var v [4]int64
		for i := range v {
			x, k := binary.Varint(b)
			if k <= 0 {
				return false, errSpillCorrupt
			}
			v[i], b = x, b[k:]
		}
		r.t += v[0]
		r.amount, r.discount, r.quantity = fixed(v[1]), fixed(v[2]), fixed(v[3])
		r.returned, r.coupon = flags&spillReturned != 0, flags&spillCoupon != 0
		ok := true
		r.sameOrder = flags&spillSameOrder != 0
		if !r.sameOrder {
			r.cust, b, ok = cutString(b, ok)
			r.order, b, ok = cutString(b, ok)
		}
		r.category, b, ok = cutString(b, ok)
		if sp.hasProducts {
			r.product, b, ok = cutString(b, ok)
		}
		for i := range r.attrs {
			r.attrs[i], b, ok = cutString(b, ok)
		}
		if !ok {
			return false, errSpillCorrupt
		}
		if cutoff >= 0 && seq >= cutoff {
			return true, nil
		}
		p.fold(&r, seq)
		if p.err != nil {
			return true, nil
		}
	}
	return false, nil
}

// cutString returns the string at the start of b (its length, then its
// bytes), sharing b's memory, and the rest of b; ok false when b is cut
// short or ok was false already.
func cutString(b []byte, ok bool) (string, []byte, bool) {
	if !ok {
		return "", b, false
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", b, false
	}
	if n == 0 {
		return "", b[k:], true
	}
	return unsafe.String(&b[k], int(n)), b[k+int(n):], true
}
