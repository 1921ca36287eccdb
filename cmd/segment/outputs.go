package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
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
func (r *result) writeOutputs(ctx context.Context, dir string) (err error) {
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
	if r.exportSummary, r.exportNote, err = r.writeExports(dir, t); err != nil {
		return err
	}
	if r.opts.Model == nil { // segment assign scores with a model; it does not make one
		if err := writeFile(filepath.Join(dir, "model.json"), r.writeModel); err != nil {
			return err
		}
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
// not clustered and carry these labels and null features. Customers with
// orders who are not buyers (features.NotClustered) are not clustered
// either: cluster −1, key notClusteredKey, and their features.
const (
	prospectCluster = -1
	prospectKey     = "prospects"
	prospectName    = "Prospects (no orders yet)"
	notClusteredKey = "not_clustered"
)

// notClusteredName is the cluster_name of a customer not clustered for
// the given reason.
func notClusteredName(reason string) string {
	for _, r := range features.NotClusteredReasons {
		if r.ID == reason {
			return "Not clustered: " + r.About
		}
	}
	return "Not clustered"
}

// assignments is the per-customer output table, sorted by customer_id:
// customer_id, cluster, cluster_key, cluster_name, distance, r_score,
// f_score, m_score, rfm_segment, one boolean column per computed group,
// every feature under its name, top_category, then the customers table's
// columns, then city, country and channel from the order lines when the
// customers table lacks them (see customerAttrs). Customers without orders (prospects) have cluster −1, null
// distance, scores and order features, and rfm_segment "prospects".
func (r *result) assignments() *data.Table {
	s := r.seg
	n := s.all.N()
	ids := s.all.IDs
	clusterCol := make([]int64, n)
	keys, names := make([]string, n), make([]string, n)
	dist := make([]float64, n)
	distNulls := make([]bool, n)
	reasons, reasonNulls := make([]string, n), make([]bool, n)
	var nulls []bool
	for i, row := range s.rowOf {
		if row < 0 {
			if nulls == nil {
				nulls = make([]bool, n)
			}
			clusterCol[i], keys[i], names[i], nulls[i] = prospectCluster, prospectKey, prospectName, true
			reasons[i], distNulls[i] = features.NotClusteredProspect, true
			continue
		}
		cr := r.clusterRow[row]
		if cr < 0 {
			reasons[i], distNulls[i] = r.notClustered[row], true
			clusterCol[i], keys[i], names[i] = prospectCluster, notClusteredKey, notClusteredName(reasons[i])
			continue
		}
		reasonNulls[i] = true
		l := r.fit.Labels[cr]
		clusterCol[i], keys[i], names[i] = int64(l), r.clusters[l].Key, r.clusters[l].Name
		dist[i] = math.Sqrt(r.fit.Dist2[cr])
	}
	cols := []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: ids},
		{Name: "cluster", Kind: data.KindInt64, Ints: clusterCol},
		{Name: "cluster_key", Kind: data.KindString, Strings: keys},
		{Name: "cluster_name", Kind: data.KindString, Strings: names},
		{Name: "distance", Kind: data.KindFloat64, Floats: dist, Nulls: distNulls},
		{Name: "not_clustered", Kind: data.KindString, Strings: reasons, Nulls: reasonNulls},
	}
	if rfm := s.rfm; rfm != nil {
		var scoreNulls []bool
		for i, seg := range rfm.Segment {
			if seg == features.Prospects {
				if scoreNulls == nil {
					scoreNulls = make([]bool, n)
				}
				scoreNulls[i] = true
			}
		}
		for _, sc := range []struct {
			name   string
			scores []int
		}{{"r_score", rfm.R}, {"f_score", rfm.F}, {"m_score", rfm.M}} {
			v := make([]int64, n)
			for i, x := range sc.scores {
				v[i] = int64(x)
			}
			cols = append(cols, data.Column{Name: sc.name, Kind: data.KindInt64, Ints: v, Nulls: scoreNulls})
		}
		cols = append(cols, data.Column{Name: "rfm_segment", Kind: data.KindString, Strings: rfm.Segment})
	}
	if r.previous != nil {
		var segments []string
		if s.rfm != nil {
			segments = s.rfm.Segment
		}
		prevSeg, prevKey, changedAt, unknown := r.history(ids, segments)
		cols = append(cols,
			data.Column{Name: "previous_segment", Kind: data.KindString, Strings: prevSeg, Nulls: unknown},
			data.Column{Name: "previous_cluster_key", Kind: data.KindString, Strings: prevKey, Nulls: unknown},
			data.Column{Name: "segment_changed_at", Kind: data.KindString, Strings: changedAt})
	}
	for _, g := range s.groups {
		if g.Members != nil {
			cols = append(cols, data.Column{Name: g.ID, Kind: data.KindBool, Bools: g.Members})
		}
	}
	eventCol := map[string]bool{}
	for _, name := range features.EventColumns() {
		eventCol[name] = true
	}
	for j, name := range s.all.Names {
		c := data.Column{Name: name, Kind: data.KindFloat64, Floats: s.all.Cols[j]}
		if !eventCol[name] {
			c.Nulls = nulls
		}
		cols = append(cols, c)
	}
	if s.all.TopCategory != nil {
		cols = append(cols, data.Column{Name: "top_category", Kind: data.KindString, Strings: s.all.TopCategory, Nulls: nulls})
	}
	if r.customers != nil {
		for _, c := range r.customers.ColumnsFor(ids) {
			// The b2b group is the customers table's b2b flag (null as false).
			if !slices.ContainsFunc(cols, func(d data.Column) bool { return d.Name == c.Name }) {
				cols = append(cols, c)
			}
		}
	}
	cols = s.attrs.AssignmentColumns(cols)
	return &data.Table{Columns: cols}
}
