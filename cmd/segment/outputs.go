package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/arrowio"
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

// writeOutputs writes every output file of the run into dir.
func (r *result) writeOutputs(ctx context.Context, dir string) error {
	t := r.assignments()
	if err := writeFile(filepath.Join(dir, "assignments.parquet"), func(w io.Writer) error { return data.WriteParquet(w, t) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "assignments.csv"), func(w io.Writer) error { return data.WriteCSV(w, t) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "assignments.arrow"), func(w io.Writer) error { return arrowio.Write(w, t) }); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "model.json"), r.writeModel); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	plots, err := r.writePlots(ctx, dir)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "report.md"), func(w io.Writer) error { return r.writeReport(w, plots) })
}

// assignments is the per-customer output table, sorted by customer_id:
// customer_id, cluster, cluster_key, cluster_name, distance, then every
// feature under its name.
func (r *result) assignments() *data.Table {
	n := r.table.N()
	clusterCol := make([]int64, n)
	keys, names := make([]string, n), make([]string, n)
	dist := make([]float64, n)
	for i, l := range r.fit.Labels {
		clusterCol[i] = int64(l)
		keys[i] = r.clusters[l].Key
		names[i] = r.clusters[l].Name
		dist[i] = math.Sqrt(r.fit.Dist2[i])
	}
	cols := []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: r.table.IDs},
		{Name: "cluster", Kind: data.KindInt64, Ints: clusterCol},
		{Name: "cluster_key", Kind: data.KindString, Strings: keys},
		{Name: "cluster_name", Kind: data.KindString, Strings: names},
		{Name: "distance", Kind: data.KindFloat64, Floats: dist},
	}
	for j, name := range r.table.Names {
		cols = append(cols, data.Column{Name: name, Kind: data.KindFloat64, Floats: r.table.Cols[j]})
	}
	if r.table.TopCategory != nil {
		cols = append(cols, data.Column{Name: "top_category", Kind: data.KindString, Strings: r.table.TopCategory})
	}
	return &data.Table{Columns: cols}
}
