package featurejob

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// listParts emits the parts of the order files of a glob: the row groups of
// each Parquet file, each CSV file whole, numbered in the order a local run
// reads them. Only Parquet footers are read. A URL's files are listed and
// fetched eight at a time (listWorkers) through Beam's filesystems
// (remote.go), and numbered in file order all the same: its parts
// name the file's URL and carry its SHA-256.
func listParts(ctx context.Context, glob string, emit func(orderPart)) error {
	if !config.IsURL(glob) {
		parts, err := data.OrderParts(glob)
		if err != nil {
			return fmt.Errorf("featurejob: %w", err)
		}
		for i, p := range parts {
			emit(orderPart{Seq: i, Part: p})
		}
		return nil
	}
	files, err := listRemote(ctx, glob)
	if err != nil {
		return err
	}
	listed := make([]remoteParts, len(files))
	forEachFile(len(files), listWorkers, func(i int) { listed[i] = listRemoteFile(ctx, files[i]) })
	seq := 0
	for i, l := range listed { // in file order, whatever order they were fetched in
		if l.err != nil {
			return l.err
		}
		for _, p := range l.parts {
			p.File = files[i]
			emit(orderPart{Seq: seq, Part: p, SHA256: l.sha})
			seq++
		}
	}
	return nil
}

// listWorkers is the number of remote order files the lister fetches at
// once: fetching is waiting on the network, not computing.
const listWorkers = 8

// remoteParts is what the lister found of a remote file: its parts and
// SHA-256, or the error.
type remoteParts struct {
	parts []data.OrderPart
	sha   string
	err   error
}

// listRemoteFile fetches the file at url into the copy cache (where the
// readers of its parts in this process find it) and lists its parts from
// the copy.
func listRemoteFile(ctx context.Context, url string) remoteParts {
	var copies inputCopies
	local, sha, err := copies.local(ctx, url, "")
	if err != nil {
		return remoteParts{err: err}
	}
	parts, err := data.OrderParts(local)
	if rerr := copies.release(); err == nil {
		err = rerr
	}
	if err != nil {
		return remoteParts{err: fmt.Errorf("featurejob: %w", renamed(err, local, url))}
	}
	return remoteParts{parts: parts, sha: sha}
}

// forEachFile calls f(i) for i in [0, n) on at most workers goroutines.
func forEachFile(n, workers int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// partStats are the counts of the parts read, combined over the store by
// mergeStats: every field is a sum, a minimum or a maximum, so the result
// does not depend on the order parts are read or combined in.
type partStats struct {
	Parts                        int64
	RowsRead, RowsUsed, Rejected int64
	Lines                        int64 // lines used, of which…
	UnmatchedProducts            int64 // lines whose product the products table lacks
	NegativeDiscounts            int64 // lines whose negative discount was read as its magnitude
	// Repeats are the lines that repeat an earlier one, duplicates kept
	// (data.ReadStats.Repeats, merged by data.MergeRepeats).
	Repeats        data.Repeats
	Oldest, Newest int64 // …the oldest and newest time (unix nanoseconds), when Lines > 0
	// Absent are the optional order columns no part had
	// (data.ReadStats.Absent): those absent from every part. Lacking maps
	// each optional column to the files of the parts that lacked it,
	// sorted (data.ReadStats.PartlyAbsent, once the columns of Absent
	// are left out).
	Absent  []string
	Lacking map[string][]string
	// FileRows are the rows read by file, SHA256 each file's checksum
	// (computed by the file's first part), RejectsByReason the rejected
	// rows by reason.
	FileRows, RejectsByReason map[string]int64
	SHA256                    map[string]string
	// Currencies are the currencies the parts' money cells were marked
	// with (data.ReadStats.Currency), each with the first file, by path,
	// whose part saw it: more than one is an error (checkCurrencies).
	Currencies map[string]string
}

// checkCurrencies returns the store's currency ("" for none) or, when the
// parts' money cells carry two, an error naming them and their files, as a
// local read's does.
func checkCurrencies(cs map[string]string) (string, error) {
	names := slices.Sorted(maps.Keys(cs))
	for i, a := range names {
		for _, b := range names[:i] {
			if !data.SameCurrency(a, b) {
				return "", fmt.Errorf("featurejob: amounts in %q (%s) are in another currency than amounts in %q (%s): segment adds the amounts of one currency; convert them to one, or run each currency's orders on their own",
					a, cs[a], b, cs[b])
			}
		}
	}
	// A code and a sign of it (a currency column's USD, a file's $): the
	// code, as a local read names it (the column's value first).
	for _, n := range names {
		if len(names) == 1 || data.IsCurrencyCode(n) {
			return n, nil
		}
	}
	return "", nil
}

// addCounts returns a + b, by key, in a new map.
func addCounts(a, b map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(a)+len(b))
	for _, m := range []map[string]int64{a, b} {
		for k, v := range m {
			out[k] += v
		}
	}
	return out
}

// mergeStats is the CombineFn of partStats.
type mergeStats struct{}

// MergeAccumulators adds two parts' counts.
func (mergeStats) MergeAccumulators(a, b partStats) partStats {
	switch {
	case a.Parts == 0:
		a.Absent = b.Absent
	case b.Parts > 0:
		a.Absent = slices.DeleteFunc(slices.Clone(a.Absent), func(c string) bool { return !slices.Contains(b.Absent, c) })
	}
	switch {
	case a.Lines == 0:
		a.Oldest, a.Newest = b.Oldest, b.Newest
	case b.Lines > 0:
		a.Oldest, a.Newest = min(a.Oldest, b.Oldest), max(a.Newest, b.Newest)
	}
	a.FileRows, a.RejectsByReason = addCounts(a.FileRows, b.FileRows), addCounts(a.RejectsByReason, b.RejectsByReason)
	sums := make(map[string]string, len(a.SHA256)+len(b.SHA256))
	for _, m := range []map[string]string{a.SHA256, b.SHA256} {
		for k, v := range m {
			sums[k] = v
		}
	}
	a.SHA256 = sums
	if len(b.Currencies) > 0 {
		cs := maps.Clone(a.Currencies)
		if cs == nil {
			cs = map[string]string{}
		}
		for c, file := range b.Currencies {
			if f, ok := cs[c]; !ok || file < f {
				cs[c] = file
			}
		}
		a.Currencies = cs
	}
	if len(b.Lacking) > 0 {
		lacking := maps.Clone(a.Lacking)
		if lacking == nil {
			lacking = map[string][]string{}
		}
		for col, files := range b.Lacking {
			all := append(slices.Clone(lacking[col]), files...)
			slices.Sort(all)
			lacking[col] = slices.Compact(all)
		}
		a.Lacking = lacking
	}
	a.Parts += b.Parts
	a.RowsRead += b.RowsRead
	a.RowsUsed += b.RowsUsed
	a.Rejected += b.Rejected
	a.Lines += b.Lines
	a.UnmatchedProducts += b.UnmatchedProducts
	a.NegativeDiscounts += b.NegativeDiscounts
	a.Repeats = data.MergeRepeats(a.Repeats, b.Repeats)
	return a
}

// readPartFn reads one part and emits its lines as blocks keyed by line
// shard (lineBlocks), the part's
// counts and, when it has rejected lines, the file they were written to
// (rejects.go).
type readPartFn struct {
	Cfg    Config
	src    data.OrderSource
	copies inputCopies // of remote files, for the bundle
}

// Setup builds the reader's options.
func (f *readPartFn) Setup() error {
	copies.setLimit(f.Cfg.CacheBytes)
	var err error
	f.src, err = f.Cfg.orderSource()
	return err
}

// ProcessElement reads part op.
func (f *readPartFn) ProcessElement(ctx context.Context, op orderPart, emit func(int, lineBlock), stats func(partStats), rejects func(shardFile)) error {
	return readPart(ctx, &f.Cfg, f.src, &f.copies, op, nil, emit, stats, rejects)
}

// FinishBundle removes the bundle's copies of remote files. (Beam wants
// ProcessElement's emitters here too.)
func (f *readPartFn) FinishBundle(func(int, lineBlock), func(partStats), func(shardFile)) error {
	return f.copies.release()
}

// Teardown removes the copies of a bundle that failed.
func (f *readPartFn) Teardown() error { return f.copies.release() }

// readPart reads part op with src and emits its lines as blocks keyed by
// line shard (lineBlocks), its
// counts and the file of its rejected lines. A remote file is read from
// its copy in copies. With earlier not nil, the
// duplicate lines are dropped (data.ReadOrderPartAfter: earlier are the
// hashes of the lines of the parts before it that it has too).
func readPart(ctx context.Context, cfg *Config, src data.OrderSource, copies *inputCopies, op orderPart, earlier []uint64,
	emit func(int, lineBlock), stats func(partStats), rejects func(shardFile)) error {
	p := op.Part
	st := partStats{Parts: 1}
	prod, err := cfg.productTable()
	if err != nil {
		return err
	}
	rw := &rejectsWriter{ctx: ctx, dir: stagingDir(cfg), name: RejectsName(op.Seq)}
	src.OnReject = rw.add
	local, _, err := copies.local(ctx, p.File, op.SHA256)
	if err != nil {
		return err
	}
	if local != p.File { // rejects and errors name the file's URL, not its copy
		url := p.File
		src.OnReject = func(r data.Reject) { r.File = url; rw.add(r) }
		p.File = local
	}
	read := data.ReadOrderPart
	if earlier != nil {
		read = func(ctx context.Context, src data.OrderSource, p data.OrderPart, fn func([]data.OrderLine) error) (data.ReadStats, error) {
			return data.ReadOrderPartAfter(ctx, src, p, earlier, fn)
		}
	}
	blocks := newLineBlocks(cfg.lineShards(), emit)
	rs, err := read(ctx, src, p, func(batch []data.OrderLine) error {
		if prod != nil {
			st.UnmatchedProducts += prod.Join(batch)
		}
		for i := range batch {
			ns := batch[i].Time.UnixNano()
			if st.Lines == 0 {
				st.Oldest, st.Newest = ns, ns
			}
			st.Oldest, st.Newest = min(st.Oldest, ns), max(st.Newest, ns)
			st.Lines++
		}
		blocks.add(batch) // encoded: the reader reuses batch
		return nil
	})
	path, rerr := rw.close()
	if err != nil {
		return fmt.Errorf("featurejob: %w", renamed(err, p.File, op.Part.File))
	}
	if rerr != nil {
		return rerr
	}
	blocks.flush()
	if path != "" {
		rejects(shardFile{Shard: -1, Rejects: true, Part: op.Seq, Path: path})
	}
	st.RowsRead, st.RowsUsed, st.Rejected, st.Absent = rs.RowsRead, rs.RowsUsed, rs.RowsRejected, rs.Absent
	st.NegativeDiscounts, st.Repeats = rs.NegativeDiscounts, rs.Repeats
	file := op.Part.File
	for _, col := range rs.Absent {
		if st.Lacking == nil {
			st.Lacking = map[string][]string{}
		}
		st.Lacking[col] = []string{file}
	}
	if rs.Currency != "" {
		st.Currencies = map[string]string{rs.Currency: file}
	}
	st.FileRows, st.RejectsByReason = map[string]int64{file: rs.RowsRead}, addCounts(rs.RejectsByReason, nil)
	if p.FirstRow == 0 { // the file's first part (a CSV file is one part) checksums it for run.json
		sum := op.SHA256 // a remote file's, its copy checked against it
		if sum == "" {
			if sum, err = data.FileSHA256(file); err != nil {
				return fmt.Errorf("featurejob: %w", err)
			}
		}
		st.SHA256 = map[string]string{file: sum}
	}
	stats(st)
	return nil
}

// asOfFn turns the store's counts into as_of, in unix nanoseconds:
// Config.AsOf, or the day after the newest line in the store's zone
// (features.DefaultAsOf), as the local run computes it.
type asOfFn struct{ Cfg Config }

// ProcessElement returns as_of.
func (f *asOfFn) ProcessElement(st partStats) (int64, error) {
	o, err := f.Cfg.featureOptions()
	if err != nil {
		return 0, err
	}
	if !o.AsOf.IsZero() {
		return o.AsOf.UnixNano(), nil
	}
	if st.Lines == 0 {
		return 0, fmt.Errorf("featurejob: %s: %w (%d rows read, %d rejected)", f.Cfg.Orders, features.ErrNoCustomers, st.RowsRead, st.Rejected)
	}
	return features.DefaultAsOf(time.Unix(0, st.Newest), o.Location).UnixNano(), nil
}
