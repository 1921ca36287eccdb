// Command segment turns an online store's order history into customer
// segments: per-customer features, k-means clusters with k chosen by the
// elbow, plots, a Markdown report and exports. Run "segment -h" for usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // time zones on machines without a zoneinfo database
)

// gcPercent is the garbage collector's target unless GOGC is set: the heap
// grows to 1.5× what is live between collections rather than 2×. Most of a
// run's heap is float columns without pointers, which a collection does
// not scan, so the extra collections cost little CPU; at 1M customers the
// peak RSS fell by a fifth (BENCHMARKS.md).
const gcPercent = 50

// gcPercentAfterFeatures is the collector's target once the feature table
// is made, unless GOGC is set (pipeline.Options.GCPercentAfterFeatures).
// The heap is then mostly columns of floats, which a collection does not
// scan. 20 (against 50) lowered the peak RSS at 1M customers by about a
// seventh for no measurable CPU; 10 (against 20) by a further 8 % at 1M
// (628–644 MB against 689–713) and from 4,765–4,848 MiB to 4,393 MiB at
// 10M, where the outputs' heap is 3.5 GB live, for about the same time
// (BENCHMARKS.md).
const gcPercentAfterFeatures = 10

// gcPercentWhileSpilling is the collector's target while the order lines
// are read and spilled, unless GOGC is set
// (pipeline.Options.GCPercentWhileSpilling): the live heap is then small.
// At 1M customers 200 read 2–3 s faster than 100 and as fast as 400; at
// 100k customers (2.1M lines, just spilled) the peak RSS rose from 165 MB
// at 100 to 202 MB (209 MB at 400), below DuckDB's 214 MB (BENCHMARKS.md).
const gcPercentWhileSpilling = 200

// unlessGOGC returns the collector target pct a stage sets
// (pipeline.Options.GCPercentAfterFeatures, GCPercentWhileSpilling), or 0
// (the collector left alone) when GOGC is set: it then holds for the
// whole run.
func unlessGOGC(pct int) int {
	if os.Getenv("GOGC") != "" {
		return 0
	}
	return pct
}

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	// A closed pipe (segment run 2>&1 | head) fails the writes to it
	// instead of killing the run halfway: the log's are dropped, stdout's
	// end the command quietly (exitCode). Notified, not ignored, so that
	// the processes segment starts get the default again.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	// A hang-up (the ssh session that started the run dropped) stops the
	// run as an interrupt does: outputs untouched, temporary files removed;
	// unless the run was started to survive it (nohup ignores SIGHUP).
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	ctx, stop := signal.NotifyContext(context.Background(), sigs...)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
