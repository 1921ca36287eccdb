package pipeline

import (
	"fmt"
	"os"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// When the aggregation spills (Options.Spill).
const (
	SpillAuto   = "auto"   // when the orders' state would take more than a third of the budget
	SpillAlways = "always" // always (a test of the path, or a machine whose budget is unknown)
	SpillNever  = "never"  // never: past the budget the run stops
)

// Spill sizing: the aggregation's state per order line (measured on
// segment gen's stores: about 60 bytes a line at 2.5 lines an order, up to
// about 150 at one line an order, so the estimate errs high), and the share
// of the budget the files aggregated at once may take.
const (
	stateBytesPerLine = 160
	maxSpillParts     = 1024
	minSpillParts     = 4
)

// spillPlan returns the features.Spill of a run over the orders at
// o.Orders, or nil when it aggregates in memory. With SpillAuto the run
// spills when the estimated state of every line, stateBytesPerLine each,
// passes a third of MemoryLimit; the files are then as many as keep the
// workers' files at once within a quarter of it. The lines are counted
// from the Parquet footers; a CSV file is taken to hold one line per 32
// bytes. A path that cannot be listed is left to the reader to report.
func spillPlan(o *Options, workers int) *features.Spill {
	mode := o.Spill
	if mode == "" {
		mode = SpillAuto
	}
	if mode == SpillNever || mode == SpillAuto && o.MemoryLimit <= 0 {
		return nil
	}
	lines, ok := estimateLines(o.Orders)
	need := lines * stateBytesPerLine
	if mode == SpillAuto && (!ok || need <= o.MemoryLimit/3) {
		return nil
	}
	parts := int64(minSpillParts)
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

// checkSpill validates Options.Spill.
func checkSpill(mode string) error {
	switch mode {
	case "", SpillAuto, SpillAlways, SpillNever:
		return nil
	}
	return fmt.Errorf("spill: want %s, %s or %s, got %q", SpillAuto, SpillAlways, SpillNever, mode)
}
