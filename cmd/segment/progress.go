package main

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress draws a progress bar for a long stage on stderr, only when
// stderr is a terminal and logs are text and not silenced: a cron job's log
// or a JSON log stream never gets bar characters. The zero value (and a nil
// *progress) draws nothing.
type progress struct {
	w       io.Writer
	enabled bool
	bar     *progressbar.ProgressBar
}

// newProgress returns a progress drawer for stderr.
func newProgress(stderr io.Writer, quiet bool, logFormat string) *progress {
	f, ok := stderr.(*os.File)
	return &progress{w: stderr, enabled: ok && !quiet && logFormat == "text" && term.IsTerminal(int(f.Fd()))}
}

// Start begins a bar for a stage with max steps (−1: unknown, a counter)
// counted in unit.
func (p *progress) Start(max int64, description, unit string) {
	if p == nil || !p.enabled {
		return
	}
	p.bar = progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000), // redraw at most every 100 ms
	)
}

// Add advances the current bar by n steps.
func (p *progress) Add(n int) {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Add(n)
}

// Set moves the current bar to n steps.
func (p *progress) Set(n int) {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Set(n)
}

// Done finishes and clears the current bar.
func (p *progress) Done() {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Finish()
	p.bar = nil
}
