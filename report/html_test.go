package report

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// tinyPNG returns a w×h PNG.
func tinyPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fixPlots holds an image for every plot fixRun links, each of its own size.
func fixPlots(t *testing.T) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i, p := range fixRun().Plots {
		fsys[p.Path] = &fstest.MapFile{Data: tinyPNG(t, 10+i, 5)}
	}
	return fsys
}

func writeHTMLString(t *testing.T, md string, files fstest.MapFS) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, []byte(md), files); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return b.String()
}

var (
	imgSrc  = regexp.MustCompile(`<img src="([^"]*)"`)
	tocHref = regexp.MustCompile(`<a href="#([^"]*)"`)
	ids     = regexp.MustCompile(` id="([^"]*)"`)
)

func TestWriteHTML(t *testing.T) {
	md := writeString(t, fixRun())
	page := writeHTMLString(t, md, fixPlots(t))

	for _, want := range []string{
		"<!DOCTYPE html>", "<meta charset=\"utf-8\">", "<title>Customer segments — demo store</title>", "<style>", "@media print",
		`<nav class="toc"`, `<h2 id="in-short">In short</h2>`, `<a href="#segments-at-a-glance">Segments at a glance</a>`,
		`<div class="table-wrap"><table>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", `src="http`, `href="http`, "<link", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q: it must load nothing", bad)
		}
	}
	if n, m := strings.Count(page, "<table>"), strings.Count(page, `<div class="table-wrap"><table>`); n != m || n == 0 {
		t.Errorf("%d tables, %d in a scrolling box", n, m)
	}
	// Every image is embedded and decodes to the plot's own file.
	srcs := imgSrc.FindAllStringSubmatch(page, -1)
	if len(srcs) != len(fixRun().Plots) {
		t.Fatalf("page has %d images, want %d", len(srcs), len(fixRun().Plots))
	}
	for i, s := range srcs {
		data, ok := strings.CutPrefix(s[1], "data:image/png;base64,")
		if !ok {
			t.Fatalf("image %d is not a PNG data URI: %.40s", i, s[1])
		}
		raw, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			t.Fatalf("image %d: %v", i, err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("image %d: %v", i, err)
		}
		if cfg.Width != 10+i {
			t.Errorf("image %d is %d wide, want %d (the file %s)", i, cfg.Width, 10+i, fixRun().Plots[i].Path)
		}
	}
	// Every entry of the table of contents leads to a heading.
	have := map[string]bool{}
	for _, m := range ids.FindAllStringSubmatch(page, -1) {
		have[m[1]] = true
	}
	links := tocHref.FindAllStringSubmatch(page, -1)
	if len(links) < 8 {
		t.Errorf("table of contents has %d entries, want the sections and segments", len(links))
	}
	for _, l := range links {
		if !have[l[1]] {
			t.Errorf("contents link #%s leads nowhere", l[1])
		}
	}
	if again := writeHTMLString(t, md, fixPlots(t)); again != page {
		t.Error("two renderings of the same report differ")
	}
}

// TestWriteHTMLEscapes checks that text cannot inject markup.
func TestWriteHTMLEscapes(t *testing.T) {
	r := fixRun()
	r.Clusters[0].Name = `<script>alert(1)</script> <table> & "x"`
	page := writeHTMLString(t, writeString(t, r), fixPlots(t))
	if strings.Contains(page, "<script") || strings.Count(page, "<table>") != strings.Count(page, `<div class="table-wrap"><table>`) {
		t.Error("a segment name injected markup into the page")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the escaped name is missing")
	}
}

func TestWriteHTMLErrors(t *testing.T) {
	png := tinyPNG(t, 2, 2)
	for _, tc := range []struct {
		name, md string
		files    fstest.MapFS
		want     string
	}{
		{"missing file", "![a](plots/a.png)\n", fstest.MapFS{}, "plots/a.png"},
		{"remote image", "![a](https://example.com/a.png)\n", fstest.MapFS{}, "not a relative path"},
		{"absolute path", "![a](/etc/a.png)\n", fstest.MapFS{}, "not a relative path"},
		{"leaves the directory", "![a](../a.png)\n", fstest.MapFS{"a.png": {Data: png}}, "not a relative path"},
		{"svg", "![a](plots/a.svg)\n", fstest.MapFS{"plots/a.svg": {Data: []byte("<svg/>")}}, "want a .png"},
		{"no directory", "![a](plots/a.png)\n", nil, "no directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files fstest.MapFS = tc.files
			var err error
			if files == nil {
				err = WriteHTML(&bytes.Buffer{}, []byte(tc.md), nil)
			} else {
				err = WriteHTML(&bytes.Buffer{}, []byte(tc.md), files)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "report: ") {
				t.Errorf("WriteHTML: %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestWriteHTMLEscapedImagePath(t *testing.T) {
	// plotLink escapes "pca scatter.png" to "pca%20scatter.png".
	page := writeHTMLString(t, "# T\n\n![x](plots/pca%20scatter.png)\n", fstest.MapFS{"plots/pca scatter.png": {Data: tinyPNG(t, 3, 3)}})
	if !strings.Contains(page, `<img src="data:image/png;base64,`) {
		t.Errorf("escaped path not embedded:\n%s", page)
	}
}
