package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/arrowio"
	"github.com/segment-tool/segment/internal/exports"
	"github.com/segment-tool/segment/report"
)

// utf8BOM starts every CSV output with Options.Excel: Excel reads a CSV
// file without it in the system's legacy code page (Köln becomes KÃ¶ln).
const utf8BOM = "\ufeff"

// writeFile creates path, hands a buffered writer to write, and keeps the
// Close error.
func writeFile(path string, write func(w io.Writer) error) error {
	return writeFileContext(context.Background(), path, write)
}

// writeFileContext is writeFile stopping with ctx.Err() at the first write
// to the file (every 64 KiB) once ctx is done.
func writeFileContext(ctx context.Context, path string, write func(w io.Writer) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("output: close %s: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriterSize(ctxWriter{ctx, f}, 1<<16)
	if err := write(bw); err != nil {
		return fmt.Errorf("output: write %s: %w", filepath.Base(path), err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("output: write %s: %w", filepath.Base(path), err)
	}
	return nil
}

// ctxWriter is w failing with ctx.Err() once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Written is what the output stage wrote beyond the result itself.
type Written struct {
	Exports    *exports.Summary // the campaign exports; nil when none were written
	ExportNote string           // why not, or a caveat
}

// WriteOutputs writes the run's output files into dir, all but run.json
// (Result.Manifest) and rejects.csv (written while the inputs are read):
// the assignments (Parquet, CSV, Arrow), the campaign exports, model.json
// (not when scoring with a saved model), the plots, and report.md and
// report.html (those of them Options.Reports asks for).
func WriteOutputs(ctx context.Context, dir string, r *Result) (*Written, error) {
	written := &Written{}
	if c := r.Tables.Customers; c != nil && r.shards == nil {
		r.tableRows = c.RowsOf(r.Segments.All.IDs)
	}
	var err error
	if r.tally, err = r.tallyCustomers(ctx); err != nil {
		return nil, err
	}
	// The assignments' Parquet and CSV files, and a third group: the Arrow
	// file, the exports and model.json beside the plots, then the reports,
	// which need both but not the assignments' files, so that they are
	// written while the big files are. Each file is written by one
	// goroutine, so the bytes do not depend on the schedule. A scale-out
	// finish reads the assignments once for the four readers of them
	// (shareAssignments), which then run at once: the Arrow file beside
	// the exports rather than before them.
	release, err := r.shareAssignments(ctx)
	if err != nil {
		return nil, err
	}
	defer release(-1)
	reader := func(slot int, fn func() error) func() error {
		return func() error {
			defer release(slot) // read or not, the other readers no longer wait for it
			return fn()
		}
	}
	arrowFile := reader(assignmentsArrow, func() error {
		return writeFileContext(ctx, filepath.Join(dir, "assignments.arrow"), func(w io.Writer) error {
			return r.withAssignments(ctx, true, assignmentsArrow, func(t data.Chunks) error { return arrowio.WriteChunks(w, t) })
		})
	})
	exportFiles := reader(assignmentsExports, func() error {
		err := r.withAssignments(ctx, true, assignmentsExports, func(t data.Chunks) (err error) {
			written.Exports, written.ExportNote, err = r.writeExports(ctx, dir, t)
			return err
		})
		if err != nil {
			return err
		}
		// segment assign scores with a model; it does not make one. A run
		// that skipped clustering has no model to save; a scale-out run
		// (FinishBeam) wrote its own.
		if r.Options.Model == nil && r.Clustering.Skipped == "" && r.runner == "" {
			return writeFileContext(ctx, filepath.Join(dir, "model.json"), func(w io.Writer) error { return writeJSON(w, r.newModel()) })
		}
		return nil
	})
	arrowThenExports := []func() error{func() error {
		if err := arrowFile(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return exportFiles()
	}}
	if r.shards != nil {
		arrowThenExports = []func() error{arrowFile, exportFiles}
	}
	err = concurrently(
		reader(assignmentsParquet, func() error {
			return writeFileContext(ctx, filepath.Join(dir, "assignments.parquet"), func(w io.Writer) error {
				return r.withAssignments(ctx, false, assignmentsParquet, func(t data.Chunks) error { return data.WriteParquetChunks(w, t) })
			})
		}),
		reader(assignmentsCSV, func() error {
			return writeFileContext(ctx, filepath.Join(dir, "assignments.csv"), func(w io.Writer) error {
				return r.withAssignments(ctx, true, assignmentsCSV, func(t data.Chunks) error {
					if r.Options.Excel {
						if _, err := io.WriteString(w, utf8BOM); err != nil {
							return err
						}
					}
					if r.Options.Excel {
						return data.WriteExcelCSVChunks(w, t)
					}
					return data.WriteCSVChunks(w, t)
				})
			})
		}),
		func() error {
			var plots *plotSet
			err := concurrently(append(arrowThenExports, func() (err error) {
				plots, err = r.writePlots(ctx, dir)
				return err
			})...)
			if err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			return r.writeReports(ctx, dir, plots, written)
		},
	)
	if err != nil {
		return nil, err
	}
	return written, nil
}

// writeReports writes report.md and report.html, those of them that
// Options.Reports asks for, from one Markdown text.
func (r *Result) writeReports(ctx context.Context, dir string, plots *plotSet, written *Written) error {
	var md bytes.Buffer
	if err := r.writeReport(&md, plots, written); err != nil {
		return fmt.Errorf("output: write report.md: %w", err)
	}
	if r.Options.wantsReport(ReportMarkdown) {
		if err := writeFileContext(ctx, filepath.Join(dir, "report.md"), func(w io.Writer) error { _, err := w.Write(md.Bytes()); return err }); err != nil {
			return err
		}
	}
	if !r.Options.wantsReport(ReportHTML) {
		return nil
	}
	return writeFileContext(ctx, filepath.Join(dir, "report.html"), func(w io.Writer) error { return report.WriteHTML(w, md.Bytes(), os.DirFS(dir)) })
}

// concurrently runs the functions on goroutines of their own, all at once,
// and returns the error of the first one, in argument order, that failed.
func concurrently(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, f := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
