package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/arrowio"
	"github.com/segment-tool/segment/internal/exports"
)

// writeFile creates path, hands a buffered writer to write, and keeps the
// Close error.
func writeFile(path string, write func(w io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("output: close %s: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return fmt.Errorf("output: write %s: %w", filepath.Base(path), err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("output: write %s: %w", filepath.Base(path), err)
	}
	return nil
}

// Written is what the output stage wrote beyond the result itself.
type Written struct {
	Exports    *exports.Summary // the campaign exports; nil when none were written
	ExportNote string           // why not, or a caveat
}

// WriteOutputs writes the run's output files into dir, all but run.json
// (Result.Manifest) and rejects.csv (written while the inputs are read):
// the assignments (Parquet, CSV, Arrow), the campaign exports, model.json
// (not when scoring with a saved model), the plots and report.md.
func WriteOutputs(ctx context.Context, dir string, r *Result) (*Written, error) {
	t := r.assignments()
	if err := writeFile(filepath.Join(dir, "assignments.parquet"), func(w io.Writer) error { return data.WriteParquet(w, t) }); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, "assignments.csv"), func(w io.Writer) error { return data.WriteCSV(w, t) }); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, "assignments.arrow"), func(w io.Writer) error { return arrowio.Write(w, t) }); err != nil {
		return nil, err
	}
	written := &Written{}
	var err error
	if written.Exports, written.ExportNote, err = r.writeExports(dir, t); err != nil {
		return nil, err
	}
	if r.Options.Model == nil { // segment assign scores with a model; it does not make one
		if err := writeFile(filepath.Join(dir, "model.json"), func(w io.Writer) error { return writeJSON(w, r.newModel()) }); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	plots, err := r.writePlots(ctx, dir)
	if err != nil {
		return nil, err
	}
	err = writeFile(filepath.Join(dir, "report.md"), func(w io.Writer) error { return r.writeReport(w, plots, written) })
	return written, err
}
