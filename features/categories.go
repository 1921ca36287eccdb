package features

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/internal/translit"
)

// topCategories ranks categories by store-wide gross spend, highest first,
// ties broken by name, and returns the first n. The empty category and
// categories whose store-wide gross is not positive are never ranked: their
// spend goes to the other share.
func topCategories(names []string, gross []fixed, n int) []string {
	idx := make([]int, 0, len(names))
	for i, name := range names {
		if name != "" && gross[i] > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(gross[b], gross[a]); c != 0 {
			return c
		}
		return strings.Compare(names[a], names[b])
	})
	idx = idx[:min(n, len(idx))]
	top := make([]string, len(idx))
	for k, i := range idx {
		top[k] = names[i]
	}
	return top
}

// checkCategories validates a fixed category list (Options.Categories).
func checkCategories(cats []string) error {
	seen := make(map[string]bool, len(cats))
	for _, c := range cats {
		switch {
		case c == "":
			return fmt.Errorf("features: the empty category cannot have a mix column")
		case seen[c]:
			return fmt.Errorf("features: category %q listed twice", c)
		}
		seen[c] = true
	}
	return nil
}

// Slug returns the column-name form of a category (or city): its letters
// transliterated to ASCII (translit.Fold: "Köln" is "koln", "Łódź" is
// "lodz"), lower-case ASCII letters and digits, every run of other
// characters replaced by one "_", with no leading or trailing "_". Letters
// of scripts with no transliteration add a stable hash token
// (translit.Token: "東京" gives "x" and 6 hex digits). A name with no
// letter or digit gives "category". A slug longer than maxSlug bytes is
// cut, and ends with "_" and 6 hex digits of the name's SHA-256, so that
// long names stay apart.
func Slug(category string) string {
	s := translit.Slug(category, '_')
	if s == "" {
		return "category"
	}
	if len(s) > maxSlug {
		sum := sha256.Sum256([]byte(category))
		s = strings.TrimRight(s[:maxSlug-7], "_") + "_" + hex.EncodeToString(sum[:3])
	}
	return s
}

// maxSlug bounds a slug, which names a column (mix_…) and a group
// (city_…): a category of a million characters in the data must not make a
// column name as long in every output.
const maxSlug = 48

// MixColumns returns the mix column names of the given categories, in
// order: MixPrefix + Slug(category). A name that would repeat an earlier
// one, or MixOther, gets the suffix "_2", "_3", … ("Home & Garden" and
// "home-garden" give mix_home_garden and mix_home_garden_2; a category
// "Other" gives mix_other_2).
func MixColumns(categories []string) []string {
	used := map[string]bool{MixOther: true}
	cols := make([]string, len(categories))
	for i, c := range categories {
		base := MixPrefix + Slug(c)
		name := base
		for k := 2; used[name]; k++ {
			name = base + "_" + strconv.Itoa(k)
		}
		used[name] = true
		cols[i] = name
	}
	return cols
}
