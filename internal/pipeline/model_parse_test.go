package pipeline

import (
	"strings"
	"testing"
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
		{"a short centroid", `{"k": 2, ` + transform + `, "centroids": [[0, 1], [1]], "clusters": [{}, {}]}`, "centroid 1 has 1 values for 2 columns"},
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
