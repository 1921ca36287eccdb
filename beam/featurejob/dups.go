package featurejob

import (
	"context"
	"fmt"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/segment-tool/segment/data"
)

// Dropping duplicate lines (orders.duplicates: drop). The local reader
// rejects a line as "duplicate line" when a line read before it, in its
// read order (files in order, rows in order), has the same values: the
// same data.LineHash. A part read on its own cannot know the lines before
// it, so job 1 reads the parts twice:
//
//	parts ─PartHashes (duplicates kept)→ KV(hash, part) ─GroupByKey→
//	LaterCopies → KV(part, hash): the hashes a part shares with a part before it
//	parts ─KV(part)─CoGroupByKey with them→ ReadPart (data.ReadOrderPartAfter)
//
// The first pass shuffles one hash a distinct line of a part (8 bytes and
// the part's number); a hash's group holds the parts that have it, the
// first of which, in read order, keeps its first copy. The second pass
// reads each part with the hashes of its lines whose first copy is in an
// earlier part (every copy in it is a duplicate), the reader finding the
// copies within the part itself, so the lines used and the rejects (with
// their rows, raw values and revenue excluded) are the local reader's.
// Memory: a worker holds a part's distinct hashes.

// dedupParts reads the parts, dropping duplicate lines: it returns what
// readPartFn's ParDo3 returns.
func dedupParts(s beam.Scope, cfg Config, parts beam.PCollection) (lines, stats, rejects beam.PCollection) {
	s = s.Scope("duplicates")
	hashes := beam.ParDo(s, &partHashesFn{Cfg: cfg}, parts)
	later := beam.ParDo(s, laterCopies, beam.GroupByKey(s, hashes))
	keyed := beam.ParDo(s, partBySeq, parts)
	return beam.ParDo3(s, &readDedupFn{Cfg: cfg}, beam.CoGroupByKey(s, keyed, later))
}

// partHashesFn emits each distinct hash of a part's lines (read with the
// duplicates kept: the lines the local reader compares) with the part's
// place in the read order.
type partHashesFn struct {
	Cfg    Config
	src    data.OrderSource
	copies inputCopies // of remote files, for the bundle
}

// Setup builds the reader's options.
func (f *partHashesFn) Setup() error {
	copies.setLimit(f.Cfg.CacheBytes)
	var err error
	f.src, err = f.Cfg.orderSource()
	return err
}

// ProcessElement reads part op.
func (f *partHashesFn) ProcessElement(ctx context.Context, op orderPart, emit func(uint64, int)) error {
	part := op.Part
	local, _, err := f.copies.local(ctx, part.File, op.SHA256)
	if err != nil {
		return err
	}
	part.File = local
	// Hashed as ReadOrderPartAfter compares them: before a refund carried
	// to a line from a rejected line of its order.
	seen, err := data.PartLineHashes(ctx, f.src, part)
	if err != nil {
		return fmt.Errorf("featurejob: %w", renamed(err, local, op.Part.File))
	}
	for h := range seen {
		emit(h, op.Seq)
	}
	return nil
}

// FinishBundle removes the bundle's copies of remote files. (Beam wants
// ProcessElement's emitter here too.)
func (f *partHashesFn) FinishBundle(func(uint64, int)) error { return f.copies.release() }

// Teardown removes the copies of a bundle that failed.
func (f *partHashesFn) Teardown() error { return f.copies.release() }

// laterCopies emits, for every part but the first (in read order) that
// has a line of hash h, the hash keyed by the part.
func laterCopies(h uint64, seqs func(*int) bool, emit func(int, uint64)) {
	var parts []int
	var seq int
	for seqs(&seq) {
		parts = append(parts, seq)
	}
	slices.Sort(parts)
	for i, p := range parts {
		if i > 0 && p != parts[i-1] {
			emit(p, h)
		}
	}
}

// partBySeq keys a part by its place in the read order.
func partBySeq(op orderPart) (int, orderPart) { return op.Seq, op }

// readDedupFn reads a part with the hashes its earlier parts share with
// it (readPart).
type readDedupFn struct {
	Cfg    Config
	src    data.OrderSource
	copies inputCopies // of remote files, for the bundle
}

// Setup builds the reader's options.
func (f *readDedupFn) Setup() error {
	copies.setLimit(f.Cfg.CacheBytes)
	var err error
	f.src, err = f.Cfg.orderSource()
	return err
}

// ProcessElement reads the part at place seq.
func (f *readDedupFn) ProcessElement(ctx context.Context, seq int, ops func(*orderPart) bool, hashes func(*uint64) bool,
	emit func(int, lineBlock), stats func(partStats), rejects func(shardFile)) error {
	var op orderPart
	if !ops(&op) {
		return fmt.Errorf("featurejob: duplicates: no part %d", seq)
	}
	earlier := []uint64{}
	var h uint64
	for hashes(&h) {
		earlier = append(earlier, h)
	}
	return readPart(ctx, &f.Cfg, f.src, &f.copies, op, earlier, emit, stats, rejects)
}

// FinishBundle removes the bundle's copies of remote files. (Beam wants
// ProcessElement's emitters here too.)
func (f *readDedupFn) FinishBundle(func(int, lineBlock), func(partStats), func(shardFile)) error {
	return f.copies.release()
}

// Teardown removes the copies of a bundle that failed.
func (f *readDedupFn) Teardown() error { return f.copies.release() }
