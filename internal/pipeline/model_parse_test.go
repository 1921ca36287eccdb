package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// TestParseModelDamaged: a model.json edited by hand or cut short names
// what is wrong with it: no centroids, a k that is not the centroids'
// number, clusters missing, a null where a centroid's value was (which
// would be read as 0 and move the centroid without a word).
func TestParseModelDamaged(t *testing.T) {
	const transform = `"transform": {"columns": ["frequency", "monetary"]}`
	for _, c := range []struct{ name, json, want string }{
		{"empty", `{}`, "no transform or centroids"},
		{"k above the centroids", `{"k": 3, ` + transform + `, "centroids": [[0, 1], [1, 0]], "clusters": [{}, {}]}`, "k is 3, but it has 2 centroids"},
		{"clusters missing", `{"k": 2, ` + transform + `, "centroids": [[0, 1], [1, 0]], "clusters": [{}]}`, "k is 2, but it describes 1 clusters"},
		{"a null value", `{"k": 2, ` + transform + `, "centroids": [[0, 1], [1, null]], "clusters": [{}, {}]}`, "centroid 1 has null for column 1"},
		{"a null centre", `{"k": 2, "transform": {"columns": ["frequency", "monetary"], "center": [0, null], "scale": [1, 1]}, "centroids": [[0, 1], [1, 0]], "clusters": [{}, {}]}`, "transform.center has null at 1"},
		{"a null bound", `{"k": 2, "transform": {"columns": ["frequency", "monetary"], "lo": [0, 0], "hi": [null, 3]}, "centroids": [[0, 1], [1, 0]], "clusters": [{}, {}]}`, "transform.hi has null at 0"},
		{"a null cut point", `{"k": 2, ` + transform + `, "centroids": [[0, 1], [1, 0]], "clusters": [{}, {}], "rfm_cuts": {"r": [1, 2, 3, 4], "f": [1, 1, null, 4], "m": [1, 2, 3, 4]}}`, "rfm_cuts.f has null at 2"},
		{"a short centroid", `{"k": 2, ` + transform + `, "centroids": [[0, 1], [1]], "clusters": [{}, {}]}`, "centroid 1 has 1 values for 2 columns"},
		{"a key twice", `{"k": 2, ` + transform + `, "centroids": [[0, 1], [1, 0]], "clusters": [{"key": "vip"}, {"key": "vip"}]}`, `clusters 0 and 1 have the same key "vip"`},
		{"decreasing cut points", `{"k": 2, ` + transform + `, "centroids": [[0, 1], [1, 0]], "clusters": [{}, {}], "rfm_cuts": {"r": [1, 2, 3, 4], "f": [1, 1, 2, 4], "m": [40, 30, 20, 10]}}`, "model model.json: rfm_cuts: RFM M cuts [40 30 20 10]: cut points decrease at 2"},
		{"a zero scale", `{"k": 2, "transform": {"columns": ["frequency", "monetary"], "center": [0, 0], "scale": [1, 0]}, "centroids": [[0, 1], [1, 0]], "clusters": [{}, {}]}`, "transform.scale of column 1 is 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseModel([]byte(c.json))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	if _, err := ParseModel([]byte(`{"k": 2, ` + transform + `, "centroids": [[0, 1], [1, 0]], "clusters": [{}, {}]}`)); err != nil {
		t.Errorf("a whole model: %v", err)
	}
}

// TestParseModelNotAModel: bytes that are not JSON, and JSON of another
// shape (run.json given for model.json), are named for what they are.
func TestParseModelNotAModel(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"PAR1\x00\x01", "model.json: not JSON"},
		{`{"version": "0.1.0", "groups": {"vip_top5": 3}}`, "model.json: not a model.json of segment run (run.json?)"},
	} {
		if _, err := ParseModel([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestScoringOverrides: the keys of an assign config that the model's own
// values replace are named when they differ, and only then.
func TestScoringOverrides(t *testing.T) {
	m := &Model{K: 5, Seed: 1, Use: []string{"recency_days", "monetary"},
		Features: FeatureOptions{TopCategories: 8, WindowDays: 0, PeakSeason: [2]string{"11-15", "12-31"}, Timezone: "UTC"}}
	seed := uint64(1)
	same := &config.File{}
	same.Clustering.K, same.Clustering.Seed, same.Clustering.Use = "5", &seed, []string{"recency_days", "monetary"}
	same.Features.TopCategories, same.Features.PeakSeason, same.Orders.Timezone = 8, []string{"11-15", "12-31"}, "UTC"
	if keys := ScoringOverrides(m, same); keys != nil {
		t.Errorf("a config agreeing with the model: %v", keys)
	}
	other := &config.File{}
	other.Clustering.K, other.Clustering.Use, other.Features.WindowDays, other.Orders.Timezone = "auto", []string{"frequency"}, 90, "Europe/Paris"
	// As assign calls them: ScoringOptions leaves the file as it is.
	m.Transform, m.Centroids = &features.Transform{}, [][]float64{{0}}
	if _, err := ScoringOptions(m, "model.json", other, "other.yaml"); err != nil {
		t.Fatal(err)
	}
	want := []string{"clustering.use", "features.window_days", "orders.timezone"} // k: auto replaces nothing
	if keys := ScoringOverrides(m, other); !slices.Equal(keys, want) {
		t.Errorf("keys %v, want %v", keys, want)
	}
	m.Features.Timezone = "" // an older model: the config's time zone is used
	if keys := ScoringOverrides(m, other); slices.Contains(keys, "orders.timezone") {
		t.Errorf("an older model's keys %v hold orders.timezone", keys)
	}
	if keys := ScoringOverrides(m, nil); keys != nil {
		t.Errorf("no config: %v", keys)
	}
}
