package pipeline

import (
	"fmt"
	"os"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// When the aggregation spills (Options.Spill).
const (
	SpillAuto   = "auto"   // from spillLines lines, or when the orders' state would take more than a third of the budget
	SpillAlways = "always" // always (a test of the path, or a machine whose budget is unknown)
	SpillNever  = "never"  // never: past the budget the run stops
)

// Spill sizing: the aggregation's state per order line (measured on
// segment gen's stores: about 60 bytes a line at 2.5 lines an order, up to
// about 150 at one line an order, so the estimate errs high), and the share
// of the budget the files aggregated at once may take.
const (
	stateBytesPerLine = 160
	maxSpillParts     = 512
	minSpillParts     = 4
)

// Spilling pays from about a million lines even within the budget: a file
// of about linesPerPart lines (some 24,000 orders of segment gen's stores,
// whose order index then takes 512 KB) is aggregated within a core's L2
// cache, where the customers of the whole store, in time order, miss it at
// almost every line (BENCHMARKS.md: read+features at 1M customers took 46 s
// with 4 files, 35 s with 16, 25 s with 64 and 256, on a loaded machine;
// folding the files took 2.8–3.0 s of CPU with files of 60,000 lines,
// 3.8–4.7 s with files of 250,000).
const (
	spillLines   = 2_000_000
	linesPerPart = 60_000
)

// spillPlan returns the features.Spill of a run over the orders at
// o.Orders, or nil when it aggregates in memory. With SpillAuto the run
// spills from spillLines lines, or when the estimated state of every line,
// stateBytesPerLine each, passes a third of MemoryLimit. The files hold
// about linesPerPart lines each, or fewer: as many files as keep the
// workers' files at once within a quarter of MemoryLimit. The lines are counted
// from the Parquet footers; a CSV file is taken to hold one line per 32
// bytes. A path that cannot be listed is left to the reader to report.
func spillPlan(o *Options, workers int) *features.Spill {
	mode := o.Spill
	if mode == "" {
		mode = SpillAuto
	}
	if mode == SpillNever {
		return nil
	}
	lines, ok := estimateLines(o.Orders)
	need := lines * stateBytesPerLine
	if mode == SpillAuto && (!ok || lines < spillLines && (o.MemoryLimit <= 0 || need <= o.MemoryLimit/3)) {
		return nil
	}
	parts := max(minSpillParts, lines/linesPerPart+1)
	if o.MemoryLimit > 0 {
		parts = max(parts, (need*int64(workers))/max(o.MemoryLimit/4, 1)+1)
	}
	return &features.Spill{Dir: o.SpillDir, Parts: int(min(parts, maxSpillParts))}
}

// estimateLines returns about how many lines the order files at path hold.
func estimateLines(path string) (int64, bool) {
	parts, err := data.OrderParts(path)
	if err != nil {
		return 0, false
	}
	var n int64
	for _, p := range parts {
		if p.Rows >= 0 {
			n += p.Rows
			continue
		}
		info, err := os.Stat(p.File)
		if err != nil {
			return 0, false
		}
		n += info.Size()/32 + 1
	}
	return n, true
}

// CheckSpill validates Options.Spill.
func CheckSpill(mode string) error {
	switch mode {
	case "", SpillAuto, SpillAlways, SpillNever:
		return nil
	}
	return fmt.Errorf("spill: want %s, %s or %s, got %q", SpillAuto, SpillAlways, SpillNever, mode)
}

// eventSpill returns the features.EventSpill of the events table: a table
// whose events are not in time order is read again keeping them on disk in
// SpillDir (memory per customer), but with SpillNever in memory, with its
// (customer, day) pairs.
func eventSpill(o *Options) *features.EventSpill {
	if o.Spill == SpillNever {
		return nil
	}
	return &features.EventSpill{Dir: o.SpillDir}
}
