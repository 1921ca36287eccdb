package pipeline

import (
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// addCommonValues sets each report cluster's most common city, country and
// channel among its customers (ties to the alphabetically first value),
// with its share of the cluster's customers, from the customers' tally
// (r.tally: the run's pass, or a scale-out run's job 2's). Clusters are
// indexed by ID.
func (r *Result) addCommonValues(clusters []report.Cluster) {
	if r.tally == nil {
		return
	}
	for a, counts := range r.tally.common {
		if counts == nil {
			continue
		}
		k := len(counts)
		for j := range clusters {
			c := &clusters[j]
			if c.ID < 0 || c.ID >= k {
				continue
			}
			best, n := "", 0
			for val, m := range counts[c.ID] {
				if m > n || m == n && val < best {
					best, n = val, m
				}
			}
			cv := report.CommonValue{Attribute: features.AttributeNames[a], Value: best}
			if c.Size > 0 {
				cv.Share = float64(n) / float64(c.Size)
			}
			c.Common = append(c.Common, cv)
		}
	}
}
