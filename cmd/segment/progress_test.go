package main

import (
	"bytes"
	"os"
	"testing"
)

// TestProgressOnlyOnTerminals: no bar characters reach a log file, a pipe
// or a buffer (cron, CI and tests), and -quiet silences bars everywhere.
func TestProgressOnlyOnTerminals(t *testing.T) {
	var buf bytes.Buffer
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, p := range []*progress{
		newProgress(&buf, false, "text"),
		newProgress(w, false, "text"),
		newProgress(os.Stderr, true, "text"),
		newProgress(os.Stderr, false, "json"),
		nil,
	} {
		p.Start(-1, "reading", "rows")
		p.Add(1000)
		p.Set(2000)
		p.Done()
		if p != nil && p.enabled {
			t.Errorf("progress enabled for %T", p.w)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("progress wrote %q to a buffer", buf.String())
	}
}
