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

// foldBuffers are what a worker reads spill files with, file after file:
// a megabyte's buffer per file would be garbage for the collector to
// chase while the tables of the files grow.
type foldBuffers struct {
	br    *bufio.Reader
	block []byte
}

// fold folds partition k's records into p, stopping at p's first error
// and before the record at position cutoff (a line found invalid when it
// was spilled; -1: none), reading through bufs. It returns a read error
// or ctx.Err().
func (sp *spiller) fold(ctx context.Context, k int, p *part, cutoff int64, bufs *foldBuffers) error {
	f := sp.files[k].f
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("features: spill: %w", err)
	}
	if bufs.br == nil {
		bufs.br = bufio.NewReaderSize(f, 1<<20)
	}
	br := bufs.br
	br.Reset(f)
	defer br.Reset(nil) // the file is not kept
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
		if uint64(cap(bufs.block)) < n {
			bufs.block = make([]byte, n)
		}
		block := bufs.block[:n]
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

// foldBlock folds the records (runs) of one block; stop is true once p has
// failed or the cutoff is reached. The records' strings share block's
// memory: fold keeps none of them.
func (sp *spiller) foldBlock(b []byte, p *part, cutoff int64) (stop bool, err error) {
	var u foldRun
	var last, t int64
	var cust, order string
	for len(b) > 0 {
		var v [2]uint64
		for i := range v {
			x, k := binary.Uvarint(b)
			if k <= 0 {
				return false, errSpillCorrupt
			}
			v[i], b = x, b[k:]
		}
		first := last + int64(v[0])
		last = first + int64(v[1])
		if len(b) == 0 {
			return false, errSpillCorrupt
		}
		flags := b[0]
		b = b[1:]
		dt, k := binary.Varint(b)
		if k <= 0 {
			return false, errSpillCorrupt
		}
		b = b[k:]
		span, k := binary.Uvarint(b)
		if k <= 0 {
			return false, errSpillCorrupt
		}
		b = b[k:]
		t += dt
		u.minT, u.maxT = t, t+int64(span)
		u.coupon = flags&spillCoupon != 0
		u.sameOrder = flags&spillSameOrder != 0
		u.refunded = flags&spillRefund != 0
		ok := true
		if !u.sameOrder {
			cust, b, ok = cutString(b, ok)
			order, b, ok = cutString(b, ok)
		}
		u.cust, u.order = cust, order
		if b, ok = sp.decodeBody(b, &u, ok); !ok {
			return false, errSpillCorrupt
		}
		if cutoff >= 0 && first >= cutoff {
			return true, nil
		}
		p.foldRun(&u, last, sp.catNames)
		if p.err != nil {
			return true, nil
		}
	}
	return false, nil
}

// decodeBody decodes what spillRun.appendBody wrote into u; ok false when b
// is cut short or ok was false already.
func (sp *spiller) decodeBody(b []byte, u *foldRun, ok bool) ([]byte, bool) {
	if !ok {
		return b, false
	}
	sums := []*fixed{&u.sums.net, &u.sums.gross, &u.sums.disc, &u.sums.qty, &u.sums.ret, &u.sums.refund, &u.sums.prem, &u.sums.newQty}
	if !u.refunded { // written only when not 0
		u.sums.refund = 0
		sums = append(sums[:5], sums[6:]...)
	}
	if !sp.prodSums {
		sums = sums[:len(sums)-2]
		u.sums.prem, u.sums.newQty = 0, 0
	}
	for _, s := range sums {
		x, k := binary.Varint(b)
		if k <= 0 {
			return b, false
		}
		*s, b = fixed(x), b[k:]
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return b, false
	}
	b = b[k:]
	u.cats = u.cats[:0]
	for range n {
		c, k := binary.Uvarint(b)
		if k <= 0 || c >= uint64(len(sp.catNames)) {
			return b, false
		}
		b = b[k:]
		g, k := binary.Varint(b)
		if k <= 0 {
			return b, false
		}
		b = b[k:]
		u.cats = append(u.cats, catSpend{int32(c), fixed(g)})
	}
	for i := range u.attrs {
		u.attrs[i], b, ok = cutString(b, ok)
	}
	return b, ok
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
