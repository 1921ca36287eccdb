package features

import (
	"context"
	"maps"
	"slices"
	"sync"
)

// spillPiece is what Table makes of one spilled file: the table of its
// customers and the sums the store's table combines.
type spillPiece struct {
	t      *Table
	sums   tableSums
	nets   packedNets       // the purchases' net values
	gross  map[string]fixed // by category, when the categories are ranked from the pieces
	err    error            // an invalid line (lineErr true, at lineSeq) or another failure
	isLine bool
	seq    int64
}

// spillTable is TableContext for a spilling Aggregator: each file is
// aggregated on its own, by Options.Workers goroutines, and the tables of
// the files are merged by customer id.
func (a *Aggregator) spillTable(ctx context.Context) (*Table, error) {
	sp := a.spill
	if a.err != nil {
		return nil, a.err
	}
	if err := sp.finish(); err != nil {
		return nil, err
	}
	if sp.span.lines == 0 {
		if sp.lineErr != nil {
			return nil, sp.lineErr
		}
		if a.opts.Categories != nil {
			if err := checkCategories(a.opts.Categories); err != nil {
				return nil, err
			}
		}
		return nil, ErrNoCustomers
	}
	sw, err := a.storeWide(sp.span.newest, sp.span.oldest)
	if err != nil {
		return nil, err
	}
	cutoff := int64(-1)
	if sp.lineErr != nil {
		cutoff = sp.lineSeq // nothing after the first invalid line matters
	}
	rank := a.opts.Categories == nil && (!sp.cats || sp.catOvf)
	switch {
	case a.opts.Categories != nil:
		sw.cats = slices.Clone(a.opts.Categories)
	case !rank:
		sw.cats = a.topOf(sp.categoryGross())
	}
	if rank || sp.lineErr != nil { // a first pass: the categories' gross, or the lines' errors
		pieces, err := a.spillPass(ctx, sw, cutoff, true)
		if err != nil {
			return nil, err
		}
		if err := firstPieceError(sp, pieces); err != nil {
			return nil, err
		}
		if rank {
			gross := make(map[string]fixed)
			ovf := false
			for _, pc := range pieces {
				for name, g := range pc.gross {
					gross[name] = gross[name].add(g, &ovf)
				}
			}
			if ovf {
				return nil, errCategoryOverflow
			}
			sw.cats = a.topOf(gross)
		}
	}
	if a.opts.Categories != nil {
		if err := checkCategories(a.opts.Categories); err != nil {
			return nil, err
		}
	}
	pieces, err := a.spillPass(ctx, sw, -1, false)
	if err != nil {
		return nil, err
	}
	if err := firstPieceError(sp, pieces); err != nil {
		return nil, err
	}
	return a.mergePieces(ctx, sw, pieces)
}

// topOf returns the top categories of the store-wide gross spends.
func (a *Aggregator) topOf(gross map[string]fixed) []string {
	names := slices.Sorted(maps.Keys(gross))
	sums := make([]fixed, len(names))
	for i, name := range names {
		sums[i] = gross[name]
	}
	n := a.opts.TopCategories
	if n == 0 {
		n = DefaultTopCategories
	}
	return topCategories(names, sums, n)
}

// firstPieceError returns the error of the first invalid line, among the
// lines found invalid when spilled and those the pieces found (an
// overflow), else the first piece's other error, else nil.
func firstPieceError(sp *spiller, pieces []spillPiece) error {
	err, seq := sp.lineErr, sp.lineSeq
	for _, pc := range pieces {
		if pc.isLine && (err == nil || pc.seq < seq) {
			err, seq = pc.err, pc.seq
		}
	}
	if err != nil {
		return err
	}
	errs := make([]error, len(pieces))
	for k, pc := range pieces {
		errs[k] = pc.err
	}
	if err := firstOverflow(errs); err != nil { // the same customer whatever the files
		return err
	}
	for _, pc := range pieces {
		if pc.err != nil {
			return pc.err
		}
	}
	return nil
}

// spillPass aggregates every file, Options.Workers at a time: with
// grossOnly, each piece's category gross and errors only; else each
// piece's table at the store-wide values sw.
func (a *Aggregator) spillPass(ctx context.Context, sw storeWide, cutoff int64, grossOnly bool) ([]spillPiece, error) {
	sp := a.spill
	pieces := make([]spillPiece, len(sp.files))
	next := make(chan int)
	var wg sync.WaitGroup
	var ioErr error
	var mu sync.Mutex
	for range max(a.opts.Workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var bufs foldBuffers
			for k := range next {
				pc, err := a.spillPiece(ctx, k, sw, cutoff, grossOnly, &bufs)
				if err != nil {
					mu.Lock()
					if ioErr == nil {
						ioErr = err
					}
					mu.Unlock()
					continue
				}
				pieces[k] = pc
			}
		}()
	}
	for k := range sp.files {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return pieces, ioErr
}

// spillPiece aggregates file k, reading it through bufs. A read error is
// returned; the piece's own failures (an invalid line, an overflow) are in
// the piece.
func (a *Aggregator) spillPiece(ctx context.Context, k int, sw storeWide, cutoff int64, grossOnly bool, bufs *foldBuffers) (spillPiece, error) {
	sub := a.sub()
	p := sub.parts[0]
	if err := a.spill.fold(ctx, k, p, cutoff, bufs); err != nil {
		return spillPiece{}, err
	}
	a.spill.customers.Store(int64(p.customers.len()))
	a.spill.orders.Store(int64(p.orders.len()))
	if p.err != nil {
		return spillPiece{err: p.err, isLine: true, seq: p.errSeq}, nil
	}
	if p.customers.len() == 0 {
		return spillPiece{}, nil
	}
	acc, nets, err := sub.totalsAll(ctx, sw.from)
	if err != nil {
		return spillPiece{err: err}, nil
	}
	if grossOnly {
		gross := make(map[string]fixed, len(p.cats))
		ovf := false
		for ci := range acc[0] {
			for _, s := range acc[0][ci].cats {
				name := p.cats[s.cat]
				gross[name] = gross[name].add(s.gross, &ovf)
			}
		}
		if ovf {
			return spillPiece{err: errCategoryOverflow}, nil
		}
		return spillPiece{gross: gross}, nil
	}
	t, sums, err := sub.build(ctx, sw, acc, p.customers.len())
	if err != nil {
		return spillPiece{err: err}, nil
	}
	return spillPiece{t: t, sums: sums, nets: packNets(nets[0])}, nil
}

// sub returns an Aggregator with a's options and one empty part, that
// does not spill: it aggregates one spilled file.
func (a *Aggregator) sub() *Aggregator {
	s := new(Aggregator)
	*s = *a
	s.spill, s.err, s.seq, s.split = nil, nil, 0, nil
	s.parts = []*part{newPart(s)}
	if n := a.spill.customers.Load(); n > 0 {
		s.parts[0].custIndex = make(map[string]int32, n+n/8)
	}
	if n := a.spill.orders.Load(); n > 0 {
		s.parts[0].orderIdx.reserve(int(n + n/8))
	}
	return s
}
