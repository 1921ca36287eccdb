package main

import (
	"fmt"
	"os"
	"slices"

	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
)

// ownTempDir makes a temporary folder for the run and makes it the
// process's (TMPDIR), so that what the jobs leave there goes with it when
// the caller removes it at the end: Beam's loopback environment (Prism's)
// leaves an empty file, beamloopbackworker-*, in the temporary folder for
// every job it runs (its runnerlib's Execute; apache/beam#27569). The
// workers of a remote runner are other processes: it does not change
// theirs.
func ownTempDir() (string, error) {
	dir, err := os.MkdirTemp("", "segment-beam-")
	if err != nil {
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	if err := os.Setenv("TMPDIR", dir); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	return dir, nil
}

// setupLogging sets the level and format of Beam's and Prism's logs
// (slog's default logger, on stderr).
func setupLogging(level, format string) error {
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, level) {
		return fmt.Errorf("-log-level %q: want debug, info, warn or error", level)
	}
	if format != "text" && format != "json" {
		return fmt.Errorf("-log-format %q: want text or json", format)
	}
	beamlog.SetupLogging(level, format)
	return nil
}
