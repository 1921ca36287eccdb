package features

import (
	"errors"
	"strings"
	"testing"
)

// FuzzCompileGroups compiles arbitrary custom groups. It may fail, with an
// error naming the group: an *ExprError whose position, when given, is
// inside the expression, or a plain error for a bad name. A group it
// accepts is compiled once. Expressions are not evaluated here: a valid
// expression may legitimately run long (nested ranges).
func FuzzCompileGroups(f *testing.F) {
	for _, g := range [][2]string{
		{"local_fast_shipping", `city == "Bucharest" && frequency >= 2`},
		{"mix", `rfm_segment in ["at_risk", "cant_lose_them"] && mix_toys > 0.5`},
		{"scores", "r_score >= 4 &&\n  f_score <= 2 || vip_top5"},
		{"syntax", `frequency >= `},
		{"unclosed", `city == "Paris`},
		{"clock", `now() > date("2024-01-01")`},
		{"empty", "  "},
		{"Bad-Name", "true"},
		{"frequency", "true"},
		{"city_paris", "true"},
		{"ranges", `all(1..1000, {# > 0}) && len(map(1..3, {# * 2})) == 3`},
		{"unicode", "city == \"Köln\" && top_category != \"日本\""},
		{"deep", strings.Repeat("(", 300) + "true" + strings.Repeat(")", 300)},
		{"ops", `monetary / 0 > 1 ?? false`},
		{"pipes", `"a" | upper() == "A" and not b2b`},
	} {
		f.Add(g[0], g[1])
	}
	f.Fuzz(func(t *testing.T, name, when string) {
		c, err := CompileGroups([]CustomGroup{{Name: name, When: when}})
		if err == nil {
			if c.Len() != 1 {
				t.Errorf("accepted %q: %d groups", when, c.Len())
			}
			return
		}
		if c != nil {
			t.Errorf("a result with error %v", err)
		}
		var ee *ExprError
		if !errors.As(err, &ee) {
			if !strings.HasPrefix(err.Error(), "features: group ") {
				t.Errorf("error %q does not name the group", err)
			}
			return
		}
		if ee.Group != name {
			t.Errorf("error names group %q, want %q", ee.Group, name)
		}
		if ee.Line > 0 {
			lines := strings.Split(when, "\n")
			if ee.Line > len(lines) || ee.Column < 1 || ee.Column > len(lines[ee.Line-1])+2 {
				t.Errorf("error %q at line %d column %d, outside the expression's %d lines", err, ee.Line, ee.Column, len(lines))
			}
		}
	})
}
