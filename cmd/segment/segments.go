package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/segment-tool/segment/features"
)

// segments are the rule-based labels of every customer, with orders or
// not: RFM scores and segment, the seed groups and the custom groups.
type segments struct {
	// all is the feature table with a row of zeros for each customer
	// without orders (from the customers or events table) and the events
	// columns; rowOf[i] is row i's row in the clustered table, or −1.
	all   *features.Table
	rowOf []int

	rfm        *features.RFM // nil when the table lacks recency, frequency or monetary
	cuts       features.RFMCuts
	frozenFrom string // model.json the cuts came from; "" when fitted on this run

	attrs       features.Attributes // city, country and channel of every row of all
	groups      []features.Group    // seed groups, then custom groups
	thresholds  features.Thresholds
	customCount int
}

// segment builds r.seg: joins prospects and events, scores RFM and
// computes the groups.
func (r *result) segment(ctx context.Context) error {
	s := &segments{thresholds: r.opts.Thresholds}
	extra := slices.Clone(r.prospects)
	if r.events != nil {
		extra = append(extra, r.events.Agg.IDs()...)
	}
	s.all = r.table.WithRows(extra)
	s.rowOf = make([]int, s.all.N())
	j := 0
	for i, id := range s.all.IDs {
		s.rowOf[i] = -1
		if j < r.table.N() && r.table.IDs[j] == id {
			s.rowOf[i] = j
			j++
		}
	}
	if r.events != nil {
		t, err := s.all.WithColumns(features.EventColumns(), r.events.Agg.Columns(s.all.IDs))
		if err != nil {
			return err
		}
		s.all = t
	}
	if s.all.Col(features.RecencyDays) != nil && s.all.Col(features.Frequency) != nil && s.all.Col(features.Monetary) != nil {
		s.cuts = features.FitRFMCuts(r.table)
		if m := r.opts.Model; m != nil {
			s.cuts, s.frozenFrom = *m.RFMCuts, r.opts.ModelPath
		} else if path := r.opts.RFMFreezeFrom; path != "" {
			cuts, err := readRFMCuts(path)
			if err != nil {
				return err
			}
			s.cuts, s.frozenFrom = cuts, path
		}
		if days := r.opts.RecencyDays; days != nil && r.opts.Model == nil {
			s.cuts = s.cuts.WithRecencyDays(days)
		}
		rfm, err := features.ScoreRFM(s.all, s.cuts)
		if err != nil {
			return err
		}
		s.rfm = rfm
	}
	var profile *features.Profile
	var seg features.Segments
	if r.customers != nil {
		profile, seg.Country, seg.AgeBand = r.customers.Profile(s.all.IDs)
	}
	s.attrs = r.mergeAttributes(s.all, profile, seg.Country)
	profile, seg.Country, seg.Channel = s.attrs.WithCity(profile), s.attrs.Country, s.attrs.Channel
	seed, err := features.SeedGroups(s.all, profile, s.thresholds)
	if err != nil {
		return err
	}
	s.groups = seed
	if cg := r.opts.Custom; cg != nil && cg.Len() > 0 {
		seg.RFM, seg.Seed, seg.Profile = s.rfm, seed, profile
		custom, err := cg.Eval(s.all, seg)
		if err != nil {
			return fmt.Errorf("config %s: groups: %w", r.opts.ConfigPath, err)
		}
		s.groups = append(s.groups, custom...)
		s.customCount = len(custom)
	}
	r.seg = s
	return ctx.Err()
}

// readRFMCuts reads the RFM cut points saved in a previous run's model.json.
func readRFMCuts(path string) (features.RFMCuts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return features.RFMCuts{}, fmt.Errorf("rfm.freeze_from: %w", err)
	}
	var m struct {
		RFMCuts *features.RFMCuts `json:"rfm_cuts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return features.RFMCuts{}, fmt.Errorf("rfm.freeze_from %s: %w", path, err)
	}
	if m.RFMCuts == nil {
		return features.RFMCuts{}, fmt.Errorf("rfm.freeze_from %s: no rfm_cuts in the model", path)
	}
	return *m.RFMCuts, nil
}
