package features

import (
	"strings"
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

// TestSlugBoundsLongNames: a name of any length gives a slug of at most
// maxSlug bytes, the same for the same name, and two long names with a
// common start give two slugs; names up to maxSlug keep their slug whole.
func TestSlugBoundsLongNames(t *testing.T) {
	exact := strings.Repeat("a", maxSlug)
	if got := Slug(exact); got != exact {
		t.Errorf("Slug of %d letters = %q, want it whole", maxSlug, got)
	}
	long1 := strings.Repeat("x", 1_000_000)
	long2 := long1 + "y"
	s1, s2 := Slug(long1), Slug(long2)
	if len(s1) > maxSlug || len(s2) > maxSlug || s1 == s2 || Slug(long1) != s1 || !strings.HasPrefix(s1, "xxxx") {
		t.Errorf("long names give %q and %q: want distinct, stable slugs of at most %d bytes", s1, s2, maxSlug)
	}
	if cols := MixColumns([]string{long1, long2}); cols[0] == cols[1] || len(cols[0]) > len(MixPrefix)+maxSlug {
		t.Errorf("MixColumns of two long names = %q", cols)
	}
}
