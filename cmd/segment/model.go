package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// model is model.json: everything needed to score new data the way this run
// did and to recognise the same clusters at the next refit.
type model struct {
	Version    string              `json:"version"`
	AsOf       string              `json:"as_of"`
	Seed       uint64              `json:"seed"`
	K          int                 `json:"k"`
	Use        []string            `json:"use"`
	Features   featureOptions      `json:"feature_options"`
	Transform  *features.Transform `json:"transform"`
	Centroids  [][]float64         `json:"centroids"` // in the transformed (clustered) space
	Clusters   []modelCluster      `json:"clusters"`
	Inputs     []inputJSON         `json:"inputs"`
	Categories []string            `json:"categories,omitempty"` // the top-N categories of the mix columns

	// RFMCuts are the RFM quintile cut points used (fitted or frozen);
	// rfm.freeze_from reads them back.
	RFMCuts *features.RFMCuts `json:"rfm_cuts,omitempty"`
	Groups  []modelGroup      `json:"groups"`

	// Config is the effective configuration of the run (inputs, column
	// mapping, feature options, thresholds, custom groups), flags
	// included; segment assign applies it unless given -config.
	Config *config.File `json:"config"`
}

// modelGroup records a group's definition as applied in this run.
type modelGroup struct {
	ID         string `json:"id"`
	Definition string `json:"definition"`
	Computed   bool   `json:"computed"`
	Needs      string `json:"needs,omitempty"`
}

type featureOptions struct {
	TopCategories int       `json:"top_categories"`
	WindowDays    int       `json:"window_days"`
	PeakSeason    [2]string `json:"peak_season"`
	// Timezone is the store's time zone the days were counted in
	// (orders.timezone; "" in models written before it was saved: UTC).
	Timezone string `json:"timezone,omitempty"`
}

type modelCluster struct {
	ID         int    `json:"id"`
	Key        string `json:"key"`
	Name       string `json:"name"`
	Size       int    `json:"size"`
	RFMSegment string `json:"rfm_segment,omitempty"` // the most common RFM segment
	Action     string `json:"action,omitempty"`
}

type inputJSON struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

func (r *result) writeModel(w io.Writer) error {
	m := model{
		Version: version, AsOf: r.table.AsOf.Format("2006-01-02"), Seed: r.opts.Seed, K: r.fit.K,
		Use: r.opts.Use,
		Features: featureOptions{TopCategories: r.opts.TopN, WindowDays: r.opts.WindowDays, PeakSeason: r.opts.PeakSeason,
			Timezone: r.opts.Location.String()},
		Transform:  r.transform,
		Inputs:     r.inputJSON(),
		Categories: r.table.Categories,
	}
	if r.seg.rfm != nil {
		cuts := r.seg.cuts
		m.RFMCuts = &cuts
	}
	for _, g := range r.seg.groups {
		m.Groups = append(m.Groups, modelGroup{ID: g.ID, Definition: g.Definition, Computed: g.Members != nil, Needs: g.Needs})
	}
	d := r.fit.D
	for c := range r.fit.K {
		m.Centroids = append(m.Centroids, r.fit.Centroids[c*d:(c+1)*d])
		ci := r.clusters[c]
		m.Clusters = append(m.Clusters, modelCluster{ID: ci.ID, Key: ci.Key, Name: ci.Name, Size: ci.Size,
			RFMSegment: ci.RFMSegment, Action: ci.Action})
	}
	m.Config = r.opts.effectiveConfig()
	if r.demo {
		m.Config = demoLabels(m.Config)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// inputJSON lists the inputs; the demo store's temporary path is replaced by
// a fixed label so that demo outputs are reproducible.
func (r *result) inputJSON() []inputJSON {
	var in []inputJSON
	for _, f := range r.inputs {
		p := f.Path
		if r.demo {
			p = demoLabel(p)
		}
		in = append(in, inputJSON{Path: p, SHA256: f.SHA256, Rows: f.Rows})
	}
	return in
}

// demoLabels replaces the demo store's temporary paths in a config by
// fixed labels, so that demo outputs are reproducible.
func demoLabels(c *config.File) *config.File {
	d := *c
	label := func(t *config.Table) *config.Table {
		if t == nil {
			return nil
		}
		u := *t
		u.Path = demoLabel(t.Path)
		return &u
	}
	d.Orders.Path = demoLabel(c.Orders.Path)
	d.Customers, d.Products, d.Events = label(c.Customers), label(c.Products), label(c.Events)
	return &d
}

func demoLabel(p string) string { return "(built-in demo store)/" + filepath.Base(p) }

// loadModel reads a model.json written by segment run.
func loadModel(path string) (*model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	var m model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	switch {
	case m.Transform == nil || len(m.Centroids) == 0 || m.K != len(m.Centroids) || len(m.Clusters) != m.K:
		return nil, fmt.Errorf("model %s: no transform, centroids or clusters (not a model.json of segment run?)", path)
	case m.RFMCuts == nil:
		return nil, fmt.Errorf("model %s: no rfm_cuts", path)
	}
	for c, row := range m.Centroids {
		if len(row) != len(m.Transform.Columns) {
			return nil, fmt.Errorf("model %s: centroid %d has %d values for %d columns", path, c, len(row), len(m.Transform.Columns))
		}
	}
	return &m, nil
}
