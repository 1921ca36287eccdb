package pipeline

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// Prospects are customers of the customers table with no orders: they are
// not clustered and carry these labels and null features. Customers with
// orders who are not buyers (features.NotClustered) are not clustered
// either: cluster −1, key NotClusteredKey, and their features.
const (
	prospectCluster = -1
	ProspectKey     = "prospects"
	ProspectName    = "Prospects (no orders yet)"
	NotClusteredKey = "not_clustered"
)

// notClusteredName is the cluster_name of a customer not clustered for
// the given reason.
func notClusteredName(reason string) string {
	for _, r := range notClusteredReasons {
		if r.ID == reason {
			return "Not clustered: " + r.About
		}
	}
	return "Not clustered"
}

// assignments is the per-customer output table, sorted by customer_id:
// customer_id, cluster, cluster_key, cluster_name, distance, r_score,
// f_score, m_score, rfm_segment, the history columns (blankHistory),
// one boolean column per computed group,
// every feature under its name, top_category, then the customers table's
// columns, then city, country and channel from the order lines when the
// customers table lacks them (features.Attributes). The city_ group
// columns and the mix_ feature columns are in name order (mix_other
// last), so that the columns do not move when the ranking of cities or
// categories changes between runs. Customers without
// orders (prospects) have cluster −1, null distance, scores and order
// features, and rfm_segment "prospects".
func (r *Result) assignments() *data.Table {
	a := r.assignmentChunks()
	return a.Rows(0, a.NumRows())
}

// assignmentChunks returns the assignments (see assignments) as data.Chunks:
// the columns of the run's own results (the features, segments and groups)
// are shared, and the columns made for the outputs alone (the cluster's
// key and name, the distance, the scores as integers, the history) are
// made for the rows a writer asks for. Holding them whole for every
// customer would cost the outputs about 150 bytes a customer.
func (r *Result) assignmentChunks() *assignmentTable {
	a := &assignmentTable{r: r}
	s := r.Segments
	a.prospects = slices.ContainsFunc(s.RowOf, func(row int) bool { return row < 0 })
	if s.RFM != nil {
		a.prospectScores = slices.Contains(s.RFM.R, 0)
	}
	eventCol := map[string]bool{}
	for _, name := range features.EventColumns() {
		eventCol[name] = true
	}
	if r.history == nil { // the history columns are blank and null in every row
		m := min(a.NumRows(), data.MaxRowsPerRowGroup) // the longest range a writer asks for
		a.blank, a.unknown = make([]string, m), make([]bool, m)
		for i := range a.unknown {
			a.unknown[i] = true
		}
	}
	a.events = make([]bool, len(s.All.Names))
	for j, name := range s.All.Names {
		a.events[j] = eventCol[name]
	}
	return a
}

// assignmentTable is the assignments as data.Chunks.
type assignmentTable struct {
	r *Result
	// prospects: a customer has no orders (the order features are
	// nullable); prospectScores: a customer's RFM segment is prospects
	// (the scores are nullable). Every range has the same columns.
	prospects, prospectScores bool
	events                    []bool // the feature columns from the events table (never null)
	// blank and unknown, without a previous run, are the history columns'
	// values ("", null) for ranges of up to their length, shared by every
	// range: they are only read.
	blank   []string
	unknown []bool
	bufs    *rowBuffers // with reusing: the buffers of the columns Rows makes
}

// NumRows is the number of customers.
func (a *assignmentTable) NumRows() int { return a.r.Segments.All.N() }

// Rows returns the assignments of customers [lo, hi).
func (a *assignmentTable) Rows(lo, hi int) *data.Table {
	r, s := a.r, a.r.Segments
	n := hi - lo
	ids := s.All.IDs[lo:hi]
	buf := a.bufs
	if buf == nil {
		buf = &rowBuffers{}
	}
	buf.reset()
	clusterCol := buf.ints(n)
	keys, names := buf.strings(n), buf.strings(n)
	dist := buf.float64s(n)
	distNulls := buf.bools(n)
	reasons, reasonNulls := buf.strings(n), buf.bools(n)
	var nulls []bool
	if a.prospects {
		nulls = buf.bools(n)
	}
	for i, row := range s.RowOf[lo:hi] {
		if row < 0 {
			clusterCol[i], keys[i], names[i], nulls[i] = prospectCluster, ProspectKey, ProspectName, true
			reasons[i], distNulls[i] = features.NotClusteredProspect, true
			continue
		}
		cr := r.Buyers.Row[row]
		if cr < 0 {
			reasons[i], distNulls[i] = r.Buyers.Reason(row), true
			clusterCol[i], keys[i], names[i] = prospectCluster, NotClusteredKey, notClusteredName(reasons[i])
			continue
		}
		reasonNulls[i] = true
		l := r.Clustering.Fit.Labels[cr]
		clusterCol[i], keys[i], names[i] = int64(l), r.Profiles.Clusters[l].Key, r.Profiles.Clusters[l].Name
		dist[i] = math.Sqrt(r.Clustering.Fit.Dist2[cr])
	}
	cols := []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: ids},
		{Name: "cluster", Kind: data.KindInt64, Ints: clusterCol},
		{Name: "cluster_key", Kind: data.KindString, Strings: keys},
		{Name: "cluster_name", Kind: data.KindString, Strings: names},
		{Name: "distance", Kind: data.KindFloat64, Floats: dist, Nulls: distNulls},
		{Name: "not_clustered", Kind: data.KindString, Strings: reasons, Nulls: reasonNulls},
	}
	var segments []string
	if rfm := s.RFM; rfm != nil {
		segments = buf.strings(n)
		for i := range segments {
			segments[i] = rfm.Segment(lo + i)
		}
		var scoreNulls []bool
		if a.prospectScores {
			scoreNulls = buf.bools(n)
			for i, seg := range segments {
				scoreNulls[i] = seg == features.Prospects
			}
		}
		for _, sc := range []struct {
			name   string
			scores []int8
		}{{"r_score", rfm.R}, {"f_score", rfm.F}, {"m_score", rfm.M}} {
			v := buf.ints(n)
			for i, x := range sc.scores[lo:hi] {
				v[i] = int64(x)
			}
			cols = append(cols, data.Column{Name: sc.name, Kind: data.KindInt64, Ints: v, Nulls: scoreNulls})
		}
		cols = append(cols, data.Column{Name: "rfm_segment", Kind: data.KindString, Strings: segments})
	}
	switch {
	case r.history != nil:
		cols = append(cols, r.history.columns(lo, hi, segments, r.Tables.Table.AsOf.Format("2006-01-02"), buf)...)
	case n <= len(a.blank):
		cols = append(cols, blankHistory(a.blank[:n], a.unknown[:n])...)
	default:
		unknown := buf.bools(n)
		for i := range unknown {
			unknown[i] = true
		}
		cols = append(cols, blankHistory(buf.strings(n), unknown)...)
	}
	for _, g := range s.Groups {
		if g.Members != nil {
			cols = append(cols, data.Column{Name: g.ID, Kind: data.KindBool, Bools: g.Members[lo:hi]})
		}
	}
	cols = append(cols, (&data.Table{Columns: r.CLV.columns()}).Slice(lo, hi).Columns...)
	// A feature computed from an order column the input did not have
	// (discount_ratio without a discount column, the category mix without
	// categories) is unknown: null for every customer, not the 0 the
	// aggregation leaves in it.
	var unknown []bool
	lacking := func(name string) []bool {
		if r.Tables.Table.Lacks(name) == "" {
			return nil
		}
		if unknown == nil {
			unknown = buf.bools(n)
			for i := range unknown {
				unknown[i] = true
			}
		}
		return unknown
	}
	for j, name := range s.All.Names {
		c := data.Column{Name: name, Kind: data.KindFloat64, Floats: s.All.Cols[j][lo:hi]}
		switch {
		case lacking(name) != nil:
			c.Nulls = unknown
		case !a.events[j]:
			c.Nulls = nulls
		}
		cols = append(cols, c)
	}
	if s.All.TopCategory != nil {
		c := data.Column{Name: "top_category", Kind: data.KindString, Strings: s.All.TopCategory[lo:hi], Nulls: nulls}
		if lacking(features.CategoryMix) != nil {
			c.Nulls = unknown
		}
		cols = append(cols, c)
	}
	if r.Tables.Customers != nil {
		var joined []data.Column
		if r.tableRows != nil {
			joined = buf.customerColumns(r.Tables.Customers, r.tableRows[lo:hi])
		} else {
			joined = r.Tables.Customers.ColumnsFor(ids)
		}
		for _, c := range joined {
			// The b2b group is the customers table's b2b flag (null as false).
			if !slices.ContainsFunc(cols, func(d data.Column) bool { return d.Name == c.Name }) {
				cols = append(cols, c)
			}
		}
	}
	at := s.Attrs
	for _, v := range []*[]string{&at.City, &at.Country, &at.Channel} {
		if *v != nil {
			*v = (*v)[lo:hi]
		}
	}
	cols = at.AssignmentColumns(cols)
	nameOrder(cols, "city_", data.KindBool, "")
	nameOrder(cols, features.MixPrefix, data.KindFloat64, features.MixOther)
	return &data.Table{Columns: cols}
}

// nameOrder sorts the columns of kind k whose names start with prefix by name, in
// the places they hold, with last (when not "") after the others. These
// are the columns whose order comes from the data (the most common cities
// and categories first): in name order, two runs with the same cities and
// categories have the same columns in the same places.
func nameOrder(cols []data.Column, prefix string, k data.Kind, last string) {
	var at []int
	var sorted []data.Column
	for j := range cols {
		if cols[j].Kind == k && strings.HasPrefix(cols[j].Name, prefix) {
			at = append(at, j)
			sorted = append(sorted, cols[j])
		}
	}
	slices.SortStableFunc(sorted, func(a, b data.Column) int {
		switch {
		case a.Name == last:
			return 1
		case b.Name == last:
			return -1
		}
		return strings.Compare(a.Name, b.Name)
	})
	for i, j := range at {
		cols[j] = sorted[i]
	}
}

// blankHistory is the history columns of a first run: blank strings, all
// null (true in every row of unknown). The history columns,
// previous_segment, previous_cluster_key and segment_changed_at
// (previousHistory.columns), are written on every run, null on a first run
// (no previous outputs), so that the assignments' columns have the same
// positions whether or not a previous run exists: loaders that read
// columns by position keep working.
func blankHistory(blank []string, unknown []bool) []data.Column {
	return []data.Column{
		{Name: "previous_segment", Kind: data.KindString, Strings: blank, Nulls: unknown},
		{Name: "previous_cluster_key", Kind: data.KindString, Strings: blank, Nulls: unknown},
		{Name: "segment_changed_at", Kind: data.KindString, Strings: blank, Nulls: unknown},
	}
}

// The readers of the assignments as WriteOutputs writes them: the slots
// of a scale-out finish's shared read (shareAssignments).
const (
	assignmentsParquet = iota
	assignmentsCSV
	assignmentsArrow
	assignmentsExports
	assignmentReaders
)

// Sharing job 2's shards among the readers of the assignments: blocks of
// the ranges the CSV, Arrow and exports writers ask for (so that theirs
// share the blocks' memory), and at most a Parquet row group's rows kept
// ahead of the slowest reader.
const (
	sharedBlockRows = 1 << 16
	sharedWindow    = data.MaxRowsPerRowGroup / sharedBlockRows
)

// shareAssignments opens, in a scale-out finish, one read of job 2's
// shards that the assignmentReaders readers of the assignments share
// (data.SharedChunks), each from its own goroutine. It returns release:
// release(slot) ends that reader (the others no longer wait for it; it
// must be called whether or not the reader read), release(-1) closes the
// read. A local run shares nothing: release does nothing.
func (r *Result) shareAssignments(ctx context.Context) (release func(slot int), err error) {
	if r.shards == nil {
		return func(int) {}, nil
	}
	c, err := data.OpenMergeChunks(ctx, r.shards.shards, "customer_id")
	if err != nil {
		return nil, err
	}
	s, err := data.ShareChunks(c, assignmentReaders, sharedBlockRows, sharedWindow)
	if err != nil {
		c.Close()
		return nil, err
	}
	r.shards.shared = s
	return func(slot int) {
		if slot >= 0 {
			s.Release(slot)
			return
		}
		for i := range assignmentReaders {
			s.Release(i)
		}
		r.shards.shared = nil
		c.Close()
	}, nil
}

// withAssignments calls fn with the assignments (assignmentChunks): a
// scale-out finish's are read from job 2's shards, which hold the same
// rows, so that the finish writes them without holding them: reader slot
// of the read the outputs share (shareAssignments). With inTurn, fn is done with each range of rows before it asks
// for the next, and a local run's ranges reuse one set of columns
// (assignmentTable.reusing).
func (r *Result) withAssignments(ctx context.Context, inTurn bool, slot int, fn func(data.Chunks) error) error {
	if r.shards == nil {
		a := r.assignmentChunks()
		if inTurn {
			a = a.reusing()
		}
		return fn(a)
	}
	s := r.shards.shared
	if s == nil {
		return errors.New("pipeline: the assignment shards read outside WriteOutputs")
	}
	return fn(s.Reader(slot))
}
