package main

import (
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// mergeAttributes merges the customers table's profile city and country
// (p may be nil) with the order lines' for the rows of all, treating the
// attributes the config maps explicitly in orders.columns as present.
func (r *result) mergeAttributes(all *features.Table, p *features.Profile, country []string) features.Attributes {
	var city []string
	if p != nil {
		city = p.City
	}
	var mapped [3]bool
	if c := r.opts.Config; c != nil {
		m := c.Orders.Columns
		mapped = [3]bool{m.City != "", m.Country != "", m.Channel != ""}
	}
	return features.MergeAttributes(all, city, country, mapped)
}

// addCommonValues sets each report cluster's most common city, country and
// channel among its customers (ties to the alphabetically first value),
// with its share of the cluster's customers. Clusters are indexed by ID.
func (r *result) addCommonValues(clusters []report.Cluster) {
	s := r.seg
	if s == nil || r.fit == nil {
		return
	}
	k := r.fit.K
	for a, v := range [][]string{s.attrs.City, s.attrs.Country, s.attrs.Channel} {
		if v == nil {
			continue
		}
		counts := make([]map[string]int, k)
		for i, row := range s.rowOf {
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
