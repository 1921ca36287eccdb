package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReportFormats checks that -report and output.report choose the
// reports written, and that both are written by default.
func TestReportFormats(t *testing.T) {
	small, err := filepath.Abs(filepath.Join("testdata", "small"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(small, "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The same store with its paths made absolute, writing report.html only.
	htmlOnly := filepath.Join(t.TempDir(), "html.yaml")
	text := strings.ReplaceAll(string(cfg), "path: ", "path: "+filepath.ToSlash(small)+"/") + "output:\n  report: [html]\n"
	if err := os.WriteFile(htmlOnly, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	smallCfg := filepath.Join(small, "small.yaml")
	for _, tc := range []struct {
		name     string
		args     []string
		md, html bool
	}{
		{"default", []string{"-config", smallCfg}, true, true},
		{"flag md", []string{"-config", smallCfg, "-report", "md"}, true, false},
		{"flag html", []string{"-config", smallCfg, "-report", "html"}, false, true},
		{"flag both", []string{"-config", smallCfg, "-report", "html, md"}, true, true},
		{"config html", []string{"-config", htmlOnly}, false, true},
		{"flag overrides config", []string{"-config", htmlOnly, "-report", "md"}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			mustSegment(t, append([]string{"run", "-quiet", "-out", out}, tc.args...)...)
			for file, want := range map[string]bool{"report.md": tc.md, "report.html": tc.html} {
				_, err := os.Stat(filepath.Join(out, file))
				if got := err == nil; got != want {
					t.Errorf("%s written: %v, want %v", file, got, want)
				}
			}
		})
	}
}

var (
	headingTag = regexp.MustCompile(`<h([1-6]) id="([^"]*)">(.*?)</h[1-6]>`)
	anyTag     = regexp.MustCompile(`<[^>]*>`)
	imgTag     = regexp.MustCompile(`<img src="([^"]*)"`)
)

// htmlStructure summarises a report.html for a golden file: its title,
// its headings with their anchors, the entries of its table of contents,
// and how many images (embedded as PNG data URIs) and tables (each in its
// scrolling box) it holds. Pixels and numbers are left out.
func htmlStructure(page string) string {
	var b strings.Builder
	title, _, _ := strings.Cut(page[strings.Index(page, "<title>")+len("<title>"):], "</title>")
	b.WriteString("title: " + title + "\n")
	nav, _, _ := strings.Cut(page, "</nav>")
	b.WriteString("contents entries: " + strconv.Itoa(strings.Count(nav, "<a href=\"#")) + "\n")
	imgs, pngs := 0, 0
	for _, m := range imgTag.FindAllStringSubmatch(page, -1) {
		imgs++
		if strings.HasPrefix(m[1], "data:image/png;base64,") {
			pngs++
		}
	}
	b.WriteString("images: " + strconv.Itoa(imgs) + ", PNG data URIs: " + strconv.Itoa(pngs) + "\n")
	b.WriteString("tables: " + strconv.Itoa(strings.Count(page, "<table>")) + ", in a scrolling box: " + strconv.Itoa(strings.Count(page, `<div class="table-wrap"><table>`)) + "\n")
	for _, m := range headingTag.FindAllStringSubmatch(page, -1) {
		b.WriteString("h" + m[1] + " #" + m[2] + " " + anyTag.ReplaceAllString(m[3], "") + "\n")
	}
	return b.String()
}

// TestDemoReportHTML runs the demo once and checks its report.html: its
// structure against testdata/demo_report_html.golden (go test -update
// rewrites it), and, when chromium is installed, how a real browser
// renders it (report_browser_test.go).
func TestDemoReportHTML(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the demo run in -short mode")
	}
	out := filepath.Join(t.TempDir(), "out")
	mustSegment(t, "run", "-quiet", "-out", out)
	b, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	t.Run("structure", func(t *testing.T) {
		got := htmlStructure(page)
		golden := filepath.Join("testdata", "demo_report_html.golden")
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("report.html structure differs from %s (run with -update and review the diff):\n%s", golden, firstDiff(got, string(want)))
		}
	})
	t.Run("self-contained", func(t *testing.T) { checkSelfContained(t, page) })
	t.Run("browser", func(t *testing.T) { renderInBrowser(t, filepath.Join(out, "report.html")) })
}
