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
// (Options.GCPercentAfterFeatures); Run restores it (keepGCPercent).
func (o *Options) collectAfterFeatures() {
	if o.GCPercentAfterFeatures > 0 {
		debug.SetGCPercent(o.GCPercentAfterFeatures)
		debug.FreeOSMemory()
	}
}

// releaseMemory returns the memory the heap no longer uses to the system
// (debug.FreeOSMemory: a collection, then every free page), with
// GCPercentAfterFeatures only: after the clustering, whose matrix is the
// largest allocation the later stages drop, the runtime's background
// scavenger would keep most of it resident while the segments and the
// outputs allocate their own.
func (o *Options) releaseMemory() {
	if o.GCPercentAfterFeatures > 0 {
		debug.FreeOSMemory()
	}
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
