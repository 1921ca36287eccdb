package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"

	"github.com/segment-tool/segment/internal/pipeline"
)

// runBeamFlags are segment run's flags for the Beam runner.
type runBeamFlags struct {
	name, binary, flags *string
}

// beamFlags adds -runner, -beam-binary and -beam-flags to fs.
func beamFlags(fs *cmdFlags) runBeamFlags {
	return runBeamFlags{
		name:   fs.String("runner", "local", "where the run runs: local (here), or on Apache Beam: "+strings.Join(pipeline.BeamRunners, ", ")),
		binary: fs.String("beam-binary", "", "the segment-beam `executable` for -runner (default: segment-beam on PATH)"),
		flags: fs.String("beam-flags", "", "Beam's own `flags` for -runner, space-separated, e.g. '-endpoint localhost:8099' (flink, spark) "+
			"or '-project P -region R -temp_location gs://B/tmp' (dataflow)"),
	}
}

// runner tells whether the run goes to Beam.
func (b runBeamFlags) runner() bool { return *b.name != "local" }

// runOnBeam runs o through segment-beam (pipeline.RunBeam).
func runOnBeam(ctx context.Context, o pipeline.Options, b runBeamFlags, stdout, stderr io.Writer) error {
	if !slices.Contains(pipeline.BeamRunners, *b.name) {
		return usageError{msg: fmt.Sprintf("run: -runner: want local or one of %s, got %q", strings.Join(pipeline.BeamRunners, ", "), *b.name)}
	}
	bin := *b.binary
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("segment-beam"); err != nil {
			return usageError{msg: "run: -runner " + *b.name + ": no segment-beam on PATH (build it in beam/, or give -beam-binary)"}
		}
	}
	err := pipeline.RunBeam(ctx, o, pipeline.BeamRun{Runner: *b.name, Binary: bin, Args: strings.Fields(*b.flags), Stdout: stdout, Stderr: stderr})
	if errors.Is(err, pipeline.ErrBeamUnsupported) {
		return usageError{msg: "run: -runner " + *b.name + ": " + err.Error()}
	}
	return err
}
