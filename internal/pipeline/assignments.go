package pipeline

import (
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
// f_score, m_score, rfm_segment, the history columns (historyColumns),
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
	s := r.Segments
	n := s.All.N()
	ids := s.All.IDs
	clusterCol := make([]int64, n)
	keys, names := make([]string, n), make([]string, n)
	dist := make([]float64, n)
	distNulls := make([]bool, n)
	reasons, reasonNulls := make([]string, n), make([]bool, n)
	var nulls []bool
	for i, row := range s.RowOf {
		if row < 0 {
			if nulls == nil {
				nulls = make([]bool, n)
			}
			clusterCol[i], keys[i], names[i], nulls[i] = prospectCluster, ProspectKey, ProspectName, true
			reasons[i], distNulls[i] = features.NotClusteredProspect, true
			continue
		}
		cr := r.Buyers.Row[row]
		if cr < 0 {
			reasons[i], distNulls[i] = r.Buyers.Reason[row], true
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
	if rfm := s.RFM; rfm != nil {
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
	cols = append(cols, r.historyColumns(ids)...)
	for _, g := range s.Groups {
		if g.Members != nil {
			cols = append(cols, data.Column{Name: g.ID, Kind: data.KindBool, Bools: g.Members})
		}
	}
	cols = append(cols, r.CLV.columns()...)
	eventCol := map[string]bool{}
	for _, name := range features.EventColumns() {
		eventCol[name] = true
	}
	for j, name := range s.All.Names {
		c := data.Column{Name: name, Kind: data.KindFloat64, Floats: s.All.Cols[j]}
		if !eventCol[name] {
			c.Nulls = nulls
		}
		cols = append(cols, c)
	}
	if s.All.TopCategory != nil {
		cols = append(cols, data.Column{Name: "top_category", Kind: data.KindString, Strings: s.All.TopCategory, Nulls: nulls})
	}
	if r.Tables.Customers != nil {
		for _, c := range r.Tables.Customers.ColumnsFor(ids) {
			// The b2b group is the customers table's b2b flag (null as false).
			if !slices.ContainsFunc(cols, func(d data.Column) bool { return d.Name == c.Name }) {
				cols = append(cols, c)
			}
		}
	}
	cols = s.Attrs.AssignmentColumns(cols)
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

// label returns the cluster of row i of the customer table, or −1 when the
// customer is not clustered.
func (r *Result) label(i int) int { return r.Buyers.Label(r.Clustering.Fit, i) }

// historyColumns are previous_segment, previous_cluster_key and
// segment_changed_at, compared with the previous run. They are written on
// every run, null on a first run (no previous outputs), so that the
// assignments' columns have the same positions whether or not a previous
// run exists: loaders that read columns by position keep working.
func (r *Result) historyColumns(ids []string) []data.Column {
	n := len(ids)
	var prevSeg, prevKey, changedAt []string
	var unknown, changedNull []bool
	if r.Previous != nil {
		var segments []string
		if r.Segments.RFM != nil {
			segments = r.Segments.RFM.Segment
		}
		prevSeg, prevKey, changedAt, unknown = r.Previous.history(ids, segments, r.Tables.Table.AsOf.Format("2006-01-02"))
	} else {
		prevSeg, prevKey, changedAt = make([]string, n), make([]string, n), make([]string, n)
		unknown = make([]bool, n)
		for i := range unknown {
			unknown[i] = true
		}
		changedNull = unknown
	}
	return []data.Column{
		{Name: "previous_segment", Kind: data.KindString, Strings: prevSeg, Nulls: unknown},
		{Name: "previous_cluster_key", Kind: data.KindString, Strings: prevKey, Nulls: unknown},
		{Name: "segment_changed_at", Kind: data.KindString, Strings: changedAt, Nulls: changedNull},
	}
}
