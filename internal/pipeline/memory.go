package pipeline

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"github.com/segment-tool/segment/report"
)

// budget stops a run that outgrows Options.MemoryLimit with an error that
// names the budget and what to do, before the kernel's out-of-memory
// killer ends it without a word. The Go runtime is told the limit too
// (debug.SetMemoryLimit), so that it collects garbage harder as the heap
// nears it; the run stops when the live heap after a collection passes
// 90 % of the limit, where collections would take most of the time.
type budget struct {
	limit   int64 // bytes; 0: none
	samples []metrics.Sample
}

// liveHeap is the heap still in use after the last collection.
const liveHeap = "/gc/heap/live:bytes"

// newBudget returns a budget of limit bytes (0: none) and the function
// that restores the runtime's previous memory limit.
func newBudget(limit int64) (*budget, func()) {
	if limit <= 0 {
		return &budget{}, func() {}
	}
	old := debug.SetMemoryLimit(limit)
	return checker(limit), func() { debug.SetMemoryLimit(old) }
}

// checker returns a budget of limit bytes that only checks (a stage called
// alone, whose caller set the runtime's limit or not).
func checker(limit int64) *budget {
	return &budget{limit: limit, samples: []metrics.Sample{{Name: liveHeap}}}
}

// MemoryError is the error of a run stopped at its memory budget.
type MemoryError struct {
	Limit, Live int64  // bytes
	Where       string // the stage, with what it had read
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("memory: the run outgrew its budget of %s (-memory-limit) %s: %s still in use; "+
		"raise -memory-limit, run on a machine with more memory, or segment a smaller share of the store "+
		"(README, Memory, says how memory grows with customers and orders)", formatBytes(e.Limit), e.Where, formatBytes(e.Live))
}

// check returns a *MemoryError when the live heap has passed 90 % of the
// budget; where says what the run was doing. The live heap is that of the
// last collection, which may be stale: past 90 % the heap is collected
// once more and measured again before the run is stopped.
func (b *budget) check(where func() string) error {
	if b == nil || b.limit <= 0 {
		return nil
	}
	live, ok := b.live()
	if !ok || live <= b.limit/10*9 {
		return nil
	}
	runtime.GC()
	if live, ok = b.live(); !ok || live <= b.limit/10*9 {
		return nil
	}
	return &MemoryError{Limit: b.limit, Live: live, Where: where()}
}

// live reads the heap still in use after the last collection.
func (b *budget) live() (int64, bool) {
	metrics.Read(b.samples)
	if b.samples[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return int64(b.samples[0].Value.Uint64()), true
}

// formatBytes prints a size in KiB, MiB or GiB.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return report.FormatInt((n+1<<19)>>20) + " MiB"
	}
	return report.FormatInt((n+1<<9)>>10) + " KiB"
}

// collectAfterFeatures sets the collector's target for the rest of the run
// (Options.GCPercentAfterFeatures, gcPercentFor); Run restores it
// (keepGCPercent).
func (o *Options) collectAfterFeatures() {
	if o.GCPercentAfterFeatures > 0 {
		debug.FreeOSMemory()
		debug.SetGCPercent(gcPercentFor(o.GCPercentAfterFeatures, liveHeapBytes()))
	}
}

// releaseMemory returns the memory the heap no longer uses to the system
// (debug.FreeOSMemory: a collection, then every free page), with
// GCPercentAfterFeatures only: after the clustering, whose matrix is the
// largest allocation the later stages drop, the runtime's background
// scavenger would keep most of it resident while the segments and the
// outputs allocate their own. The collector's target is set again for
// the heap left (gcPercentFor).
func (o *Options) releaseMemory() {
	if o.GCPercentAfterFeatures > 0 {
		debug.FreeOSMemory()
		debug.SetGCPercent(gcPercentFor(o.GCPercentAfterFeatures, liveHeapBytes()))
	}
}

// minHeadroom is the least the heap grows by between two collections once
// the features are made: a low GCPercentAfterFeatures keeps a large heap
// close to what is live (the peak RSS at millions of customers), but on a
// small heap it would collect every megabyte or two. The demo's 10,000
// customers (some 20 MB live) spent about a fifth of the run's CPU in
// the collector at 10 %, and took 1.2–1.5× as long as with the collector
// at 50 % (BENCHMARKS.md).
const minHeadroom = 32 << 20

// maxPercentAfterFeatures bounds the target gcPercentFor raises: that of
// the run before the features (cmd/segment's gcPercent).
const maxPercentAfterFeatures = 50

// gcPercentFor returns the collector's target for a live heap of live
// bytes: pct, or more where pct % of live is less than minHeadroom (up to
// maxPercentAfterFeatures, and never below pct).
func gcPercentFor(pct int, live int64) int {
	if live <= 0 {
		return pct
	}
	need := (minHeadroom*100 + live - 1) / live
	return max(pct, int(min(need, maxPercentAfterFeatures)))
}

// liveHeapBytes returns the heap in use after the last collection, 0 when
// the runtime does not say.
func liveHeapBytes() int64 {
	s := []metrics.Sample{{Name: liveHeap}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// keepGCPercent returns the function that restores the collector's
// current target, when o changes it once the features are made.
func (o *Options) keepGCPercent() func() {
	if o.GCPercentAfterFeatures <= 0 {
		return func() {}
	}
	old := debug.SetGCPercent(100) // only reads it: set back at once
	debug.SetGCPercent(old)
	return func() { debug.SetGCPercent(old) }
}
