package main

import (
	"bytes"
	"context"
	"fmt"
	"syscall"
	"testing"
)

// TestExitBrokenPipe: a write to a stdout whose reader is gone (segment
// inspect … | head) ends the command quietly with 141, as a shell tool
// killed by SIGPIPE does, not with an error message and status 1.
func TestExitBrokenPipe(t *testing.T) {
	var stderr bytes.Buffer
	err := fmt.Errorf("write /dev/stdout: %w", syscall.EPIPE)
	if code := exitCode(context.Background(), err, &stderr); code != exitBrokenPipe || stderr.Len() != 0 {
		t.Errorf("exit %d, stderr %q; want %d and nothing", code, stderr.String(), exitBrokenPipe)
	}
}
