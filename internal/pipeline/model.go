package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// Model is model.json: everything needed to score new data the way a run
// did and to recognise the same clusters at the next refit. The JSON field
// names are a stable contract: segment assign and later refits read them.
type Model struct {
	Version    string              `json:"version"`
	AsOf       string              `json:"as_of"`
	Seed       uint64              `json:"seed"`
	K          int                 `json:"k"`
	Use        []string            `json:"use"`
	Features   FeatureOptions      `json:"feature_options"`
	Transform  *features.Transform `json:"transform"`
	Centroids  [][]float64         `json:"centroids"` // in the transformed (clustered) space
	Clusters   []ModelCluster      `json:"clusters"`
	Inputs     []Input             `json:"inputs"`
	Categories []string            `json:"categories,omitempty"` // the top-N categories of the mix columns
	// Currency is the amounts' currency (the config's currency, else the
	// one the amounts were marked with; "" for none known): segment
	// assign refuses orders in another (checkCurrency).
	Currency string `json:"currency,omitempty"`
	// FeatureTable says the model was fitted on a feature table
	// (-features), whose columns are the warehouse's definitions: segment
	// assign scores a feature table with it, never order lines.
	FeatureTable bool `json:"feature_table,omitempty"`

	// RFMCuts are the RFM quintile cut points used (fitted or frozen);
	// rfm.freeze_from reads them back.
	RFMCuts *features.RFMCuts `json:"rfm_cuts,omitempty"`
	Groups  []ModelGroup      `json:"groups"`

	// Config is the effective configuration of the run (inputs, column
	// mapping, feature options, thresholds, custom groups), flags
	// included; segment assign applies it unless given -config.
	Config *config.File `json:"config"`
}

// ModelGroup records a group's definition as applied in this run.
type ModelGroup struct {
	ID         string `json:"id"`
	Definition string `json:"definition"`
	Computed   bool   `json:"computed"`
	Needs      string `json:"needs,omitempty"`
}

// FeatureOptions are the feature settings the model was fitted with.
type FeatureOptions struct {
	TopCategories int       `json:"top_categories"`
	WindowDays    int       `json:"window_days"`
	PeakSeason    [2]string `json:"peak_season"`
	// Timezone is the store's time zone the days were counted in
	// (orders.timezone; "" in models written before it was saved: UTC).
	Timezone string `json:"timezone,omitempty"`
}

// ModelCluster is one cluster of the model (and of run.json).
type ModelCluster struct {
	ID         int    `json:"id"`
	Key        string `json:"key"`
	Name       string `json:"name"`
	Size       int    `json:"size"`
	RFMSegment string `json:"rfm_segment,omitempty"` // the most common RFM segment
	Action     string `json:"action,omitempty"`
	// ComputedName is the name the naming rules gave the cluster (or kept
	// from the run before, keepNames), when clustering.names gave it
	// another (Name): segment assign compares the rules' name on the
	// customers it scores with it.
	ComputedName string `json:"computed_name,omitempty"`
}

// Input is one file the run read, with its checksum.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

// newModel returns the model of a run.
func (r *Result) newModel() *Model {
	m := &Model{
		Version: Version, AsOf: r.Tables.Table.AsOf.Format("2006-01-02"), Seed: r.Options.Seed, K: r.Clustering.Fit.K,
		Use: r.Options.Use,
		Features: FeatureOptions{TopCategories: r.Options.TopN, WindowDays: r.Options.WindowDays, PeakSeason: r.Options.PeakSeason,
			Timezone: r.Options.Location.String()},
		Transform:    r.Matrix.Transform,
		Inputs:       r.inputs(),
		Categories:   r.Tables.Table.Categories,
		Currency:     amountsCurrency(r.Options.Currency, r.Tables.Stats.Currency),
		FeatureTable: r.Options.Features != "",
	}
	if r.Segments.RFM != nil {
		cuts := r.Segments.Cuts
		m.RFMCuts = &cuts
	}
	for _, g := range r.Segments.Groups {
		m.Groups = append(m.Groups, ModelGroup{ID: g.ID, Definition: g.Definition, Computed: g.Members != nil, Needs: g.Needs})
	}
	d := r.Clustering.Fit.D
	for c := range r.Clustering.Fit.K {
		m.Centroids = append(m.Centroids, r.Clustering.Fit.Centroids[c*d:(c+1)*d])
		ci := r.Profiles.Clusters[c]
		m.Clusters = append(m.Clusters, ModelCluster{ID: ci.ID, Key: ci.Key, Name: ci.Name, Size: ci.Size,
			RFMSegment: ci.RFMSegment, Action: ci.Action, ComputedName: ci.ComputedName})
	}
	m.Config = r.Options.effectiveConfig()
	if r.Options.Demo {
		m.Config = demoLabels(m.Config)
	}
	return m
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// inputs lists the files read; the demo store's temporary path is replaced by
// a fixed label so that demo outputs are reproducible.
func (r *Result) inputs() []Input {
	var in []Input
	for _, f := range r.Tables.Inputs {
		p := f.Path
		if r.Options.Demo {
			p = demoLabel(p)
		}
		in = append(in, Input{Path: p, SHA256: f.SHA256, Rows: f.Rows})
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

// LoadModel reads a model.json written by segment run and checks its
// shape.
func LoadModel(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	return parseModel(b, path)
}

// ParseModel decodes the contents of a model.json and checks its shape,
// as LoadModel does.
func ParseModel(b []byte) (*Model, error) { return parseModel(b, "model.json") }

// checkNulls returns an error naming the first null among model.json's
// numbers (the centroids, the transform's, the RFM cut points), which
// encoding/json would read as 0: a centroid moved or a cut point changed
// without a word.
func checkNulls(b []byte) error {
	var m struct {
		Centroids [][]*float64 `json:"centroids"`
		Transform struct {
			Center, Scale, Lo, Hi []*float64
		} `json:"transform"`
		RFMCuts *struct{ R, F, M []*float64 } `json:"rfm_cuts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for c, row := range m.Centroids {
		if j := slices.Index(row, nil); j >= 0 {
			return fmt.Errorf("centroid %d has null for column %d: a centroid is numbers only", c, j)
		}
	}
	type numbers struct {
		name string
		v    []*float64
	}
	lists := []numbers{
		{"transform.center", m.Transform.Center}, {"transform.scale", m.Transform.Scale},
		{"transform.lo", m.Transform.Lo}, {"transform.hi", m.Transform.Hi},
	}
	if c := m.RFMCuts; c != nil {
		lists = append(lists, numbers{"rfm_cuts.r", c.R}, numbers{"rfm_cuts.f", c.F}, numbers{"rfm_cuts.m", c.M})
	}
	for _, l := range lists {
		if j := slices.Index(l.v, nil); j >= 0 {
			return fmt.Errorf("%s has null at %d: it is numbers only", l.name, j)
		}
	}
	return nil
}

// parseModel decodes model.json read from path.
func parseModel(b []byte, path string) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return nil, fmt.Errorf("model %s: not JSON (%w): give the model.json a segment run wrote", path, err)
		case errors.As(err, &typ):
			return nil, fmt.Errorf("model %s: not a model.json of segment run (run.json?): %w", path, err)
		}
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	switch {
	case m.Transform == nil || len(m.Centroids) == 0:
		return nil, fmt.Errorf("model %s: no transform or centroids (not a model.json of segment run?)", path)
	case m.K != len(m.Centroids):
		return nil, fmt.Errorf("model %s: k is %d, but it has %d centroids", path, m.K, len(m.Centroids))
	case len(m.Clusters) != m.K:
		return nil, fmt.Errorf("model %s: k is %d, but it describes %d clusters", path, m.K, len(m.Clusters))
	}
	if err := checkNulls(b); err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	// A model without rfm_cuts was fitted on a feature table without
	// recency, frequency and monetary: segment refuses to score RFM with it.
	for c, row := range m.Centroids {
		if len(row) != len(m.Transform.Columns) {
			return nil, fmt.Errorf("model %s: centroid %d has %d values for %d columns", path, c, len(row), len(m.Transform.Columns))
		}
	}
	// The keys name the clusters in the tools (cluster:<key> tags) and
	// carry them to the next run: two clusters of one key would merge.
	keys := map[string]int{}
	for i, c := range m.Clusters {
		if j, dup := keys[c.Key]; dup && c.Key != "" {
			return nil, fmt.Errorf("model %s: clusters %d and %d have the same key %q (a model.json edited by hand?)", path, j, i, c.Key)
		}
		keys[c.Key] = i
	}
	if c := m.RFMCuts; c != nil {
		if err := c.Check(); err != nil {
			return nil, fmt.Errorf("model %s: rfm_cuts: %w (a model.json edited by hand?)", path, err)
		}
	}
	// The transform divides by its scales (features.Transform.Scale).
	for j, v := range m.Transform.Scale {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("model %s: transform.scale of column %d is %v, want a positive number (a model.json edited by hand?)", path, j, v)
		}
	}
	return &m, nil
}
