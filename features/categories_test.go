package features

import (
	"testing"

	"github.com/segment-tool/segment/internal/translit"
)

// TestSlugTransliterates: city groups and mix columns are named by
// transliteration (city_koln, not city_k_ln); scripts with no
// transliteration get a stable token, never an empty or shared name.
func TestSlugTransliterates(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Köln", "koln"},
		{"São Paulo", "sao_paulo"},
		{"Łódź", "lodz"},
		{"Großbeeren", "grossbeeren"},
		{"Home & Garden", "home_garden"},
		{"東京", translit.Token("東京")},
		{"!!!", "category"},
	} {
		if got := Slug(c.in); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	cols := MixColumns([]string{"東京", "大阪", "Köln", "koln"})
	want := []string{MixPrefix + translit.Token("東京"), MixPrefix + translit.Token("大阪"), MixPrefix + "koln", MixPrefix + "koln_2"}
	for i := range want {
		if cols[i] != want[i] {
			t.Errorf("MixColumns[%d] = %q, want %q", i, cols[i], want[i])
		}
	}
}
