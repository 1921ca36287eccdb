package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWriteOutputsReports checks that report.html is the Markdown report
// rendered (the same headings, images and tables) and that
// Options.Reports chooses the reports written.
func TestWriteOutputsReports(t *testing.T) {
	for _, tc := range []struct {
		name     string
		reports  []string
		md, html bool
	}{
		{"default", nil, true, true},
		{"md", []string{ReportMarkdown}, true, false},
		{"html", []string{ReportHTML}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := smallResult(t)
			r.Options.Reports = tc.reports
			dir := t.TempDir()
			if _, err := WriteOutputs(context.Background(), dir, r); err != nil {
				t.Fatal(err)
			}
			for file, want := range map[string]bool{"report.md": tc.md, "report.html": tc.html} {
				if _, err := os.Stat(filepath.Join(dir, file)); (err == nil) != want {
					t.Errorf("%s written: %v, want %v", file, err == nil, want)
				}
			}
			if !tc.md || !tc.html {
				return
			}
			md, err := os.ReadFile(filepath.Join(dir, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			page, err := os.ReadFile(filepath.Join(dir, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			count := func(re string, s []byte) int { return len(regexp.MustCompile(re).FindAll(s, -1)) }
			for _, c := range []struct{ what, mdRE, htmlRE string }{
				{"sections", `(?m)^## `, `<h2 id=`},
				{"subsections", `(?m)^### `, `<h3 id=`},
				{"images", `!\[[^\]]*\]\(plots/[^)]*\.png\)`, `<img src="data:image/png;base64,`},
				{"tables", `(?m)^\|[-:|]+\|$`, `<div class="table-wrap"><table>`},
			} {
				if m, h := count(c.mdRE, md), count(c.htmlRE, page); m != h || m == 0 {
					t.Errorf("%s: report.md has %d, report.html %d", c.what, m, h)
				}
			}
			if !strings.Contains(string(page), "<title>Customer segments</title>") {
				t.Error("report.html lacks its title")
			}
		})
	}
}
