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

// Prospects are customers of the customers table with no orders: they are
// not clustered and carry these labels and null features.
const (
	prospectCluster = -1
	prospectKey     = "prospects"
	prospectName    = "Prospects (no orders yet)"
)

// assignments is the per-customer output table, sorted by customer_id:
// customer_id, cluster, cluster_key, cluster_name, distance, then every
// feature under its name, top_category, then the customers table's columns.
// Prospects (with a customers table) have cluster -1 and null features.
func (r *result) assignments() *data.Table {
	rows := r.outputRows()
	n := len(rows)
	ids := make([]string, n)
	clusterCol := make([]int64, n)
	keys, names := make([]string, n), make([]string, n)
	dist := make([]float64, n)
	var nulls []bool
	if len(r.prospects) > 0 {
		nulls = make([]bool, n)
	}
	for i, row := range rows {
		if row.table < 0 {
			ids[i], clusterCol[i], keys[i], names[i], nulls[i] = row.id, prospectCluster, prospectKey, prospectName, true
			continue
		}
		l := r.fit.Labels[row.table]
		ids[i], clusterCol[i], keys[i], names[i] = row.id, int64(l), r.clusters[l].Key, r.clusters[l].Name
		dist[i] = math.Sqrt(r.fit.Dist2[row.table])
	}
	cols := []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: ids},
		{Name: "cluster", Kind: data.KindInt64, Ints: clusterCol},
		{Name: "cluster_key", Kind: data.KindString, Strings: keys},
		{Name: "cluster_name", Kind: data.KindString, Strings: names},
		{Name: "distance", Kind: data.KindFloat64, Floats: dist, Nulls: nulls},
	}
	for j, name := range r.table.Names {
		cols = append(cols, data.Column{Name: name, Kind: data.KindFloat64, Floats: spread(rows, r.table.Cols[j]), Nulls: nulls})
	}
	if r.table.TopCategory != nil {
		top := make([]string, n)
		for i, row := range rows {
			if row.table >= 0 {
				top[i] = r.table.TopCategory[row.table]
			}
		}
		cols = append(cols, data.Column{Name: "top_category", Kind: data.KindString, Strings: top, Nulls: nulls})
	}
	if r.customers != nil {
		cols = append(cols, r.customers.columnsFor(ids)...)
	}
	return &data.Table{Columns: cols}
}

// outputRow is one customer of the outputs: an index into the feature
// table, or -1 for a prospect.
type outputRow struct {
	id    string
	table int
}

// outputRows merges the customers with orders and the prospects, by id.
func (r *result) outputRows() []outputRow {
	ids, pros := r.table.IDs, r.prospects
	rows := make([]outputRow, 0, len(ids)+len(pros))
	i, j := 0, 0
	for i < len(ids) || j < len(pros) {
		if j == len(pros) || (i < len(ids) && ids[i] < pros[j]) {
			rows = append(rows, outputRow{ids[i], i})
			i++
		} else {
			rows = append(rows, outputRow{pros[j], -1})
			j++
		}
	}
	return rows
}

// spread lays a feature column out over the output rows (0 for prospects,
// whose null flag is set).
func spread(rows []outputRow, v []float64) []float64 {
	out := make([]float64, len(rows))
	for i, row := range rows {
		if row.table >= 0 {
			out[i] = v[row.table]
		}
	}
	return out
}
