package features

import (
	"slices"
	"strings"

	"github.com/segment-tool/segment/data"
)

// assignmentColumns are the columns the assignments hold beside the
// features and the groups (the labels, the RFM scores and segment, the
// history, the customer lifetime values), whatever the store.
var assignmentColumns = []string{"customer_id", "cluster", "cluster_key", "cluster_name", "distance", "not_clustered",
	"r_score", "f_score", "m_score", "rfm_segment", "previous_segment", "previous_cluster_key", "segment_changed_at", "top_category",
	"p_alive", "expected_aov", "churn_risk", "high_value_at_risk"}

// AssignmentColumn reports whether name is one of the columns the
// assignments hold beside the features and the seed and custom groups: a
// label, score or history column, a customer lifetime value (with its
// horizon: expected_orders_90d, clv_365d), or a customers table's column
// (data.CustomerColumns). A group or feature of that name would be
// written twice, or would hide it.
func AssignmentColumn(name string) bool {
	for _, prefix := range []string{"expected_orders_", "clv_"} {
		if h, ok := strings.CutPrefix(name, prefix); ok && strings.HasSuffix(h, "d") && strings.Trim(strings.TrimSuffix(h, "d"), "0123456789") == "" && len(h) > 1 {
			return true
		}
	}
	return slices.Contains(assignmentColumns, name) || slices.Contains(data.CustomerColumns, name)
}
