package pipeline

import (
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// addCommonValues sets each report cluster's most common city, country and
// channel among its customers (ties to the alphabetically first value),
// with its share of the cluster's customers. Clusters are indexed by ID.
func (r *Result) addCommonValues(clusters []report.Cluster) {
	s := r.Segments
	if s == nil || r.Clustering == nil {
		return
	}
	k := r.Clustering.Fit.K
	for a, v := range [][]string{s.Attrs.City, s.Attrs.Country, s.Attrs.Channel} {
		if v == nil {
			continue
		}
		counts := make([]map[string]int, k)
		for i, row := range s.RowOf {
			if row < 0 || v[i] == "" {
				continue
			}
			l := r.label(row)
			if l < 0 {
				continue
			}
			if counts[l] == nil {
				counts[l] = map[string]int{}
			}
			counts[l][v[i]]++
		}
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
