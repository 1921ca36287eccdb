package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browsers are the names chromium goes by on PATH.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

var (
	// remoteRef is a src, href or CSS url() that names a resource on
	// another host: a page that reads offline has none (links in text
	// are text).
	remoteRef = regexp.MustCompile(`(?i)(\b(src|href|srcset|poster|data)\s*=\s*["']?\s*|url\(\s*["']?\s*|@import\s+["']?)(https?:|ftp:|//)`)
	dataPNG   = regexp.MustCompile(`<img src="data:image/png;base64,([^"]*)"`)
)

// checkSelfContained checks that a report page loads nothing from
// outside, runs no script, and that every image is a PNG data URI that
// decodes.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, p := range selfContainedProblems(page) {
		t.Error("report.html: " + p)
	}
}

// selfContainedProblems lists what keeps a page from being self-contained.
func selfContainedProblems(page string) []string {
	var problems []string
	if m := remoteRef.FindString(page); m != "" {
		problems = append(problems, fmt.Sprintf("loads a resource from outside: %q", m))
	}
	for _, bad := range []string{"<script", "<iframe", "<link", "<object", "<embed"} {
		if strings.Contains(page, bad) {
			problems = append(problems, "holds "+bad)
		}
	}
	imgs, pngs := strings.Count(page, "<img "), dataPNG.FindAllStringSubmatch(page, -1)
	if imgs == 0 || len(pngs) != imgs {
		problems = append(problems, fmt.Sprintf("%d images, %d of them PNG data URIs", imgs, len(pngs)))
	}
	for i, m := range pngs {
		raw, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			problems = append(problems, fmt.Sprintf("image %d: %v", i, err))
			continue
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			problems = append(problems, fmt.Sprintf("image %d does not decode: %v", i, err))
			continue
		}
		if r := img.Bounds(); r.Dx() < 100 || r.Dy() < 100 {
			problems = append(problems, fmt.Sprintf("image %d is %v, too small to be a plot", i, r))
		}
	}
	return problems
}

// TestSelfContainedProblems checks that the check of the demo's page sees
// what would make a page load from outside or show a broken image.
func TestSelfContainedProblems(t *testing.T) {
	good := `<p>see https://example.com</p><img src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(tinyPNG(t, 120, 120)) + `">`
	if p := selfContainedProblems(good); len(p) != 0 {
		t.Fatalf("a self-contained page: %q", p)
	}
	for _, bad := range []string{
		`<img src="https://example.com/a.png">`,
		`<img src='//cdn.example.com/a.png'>`,
		`<style>body { background: url("http://example.com/b.png") }</style>`,
		`<style>@import "https://example.com/a.css";</style>`,
		`<a href="#x">x</a><link rel="stylesheet" href="a.css">`,
		`<script>alert(1)</script>`,
		`<img src="data:image/png;base64,aGVsbG8=">`, // "hello": not a PNG
		`<img src="plots/a.png">`,
	} {
		if p := selfContainedProblems(good + bad); len(p) == 0 {
			t.Errorf("%s: no problem found", bad)
		}
	}
}

// tinyPNG returns a w×h PNG.
func tinyPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// artifactsDir is where the browser test keeps its screenshots and PDF:
// $SEGMENT_ARTIFACTS when set (CI keeps it), else a temporary directory.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SEGMENT_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// renderInBrowser renders report.html in headless chromium: a screenshot
// of the first screen on a laptop (1280 × 900) and a print to PDF, with a
// net log that must show no request to the network. It skips, saying so,
// when no chromium is on PATH, and fails then instead when
// $SEGMENT_REQUIRE_BROWSER is set (as CI sets it, so that a missing
// browser cannot pass for a rendered page).
func renderInBrowser(t *testing.T, report string) {
	var browser string
	for _, name := range browsers {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" && os.Getenv("SEGMENT_REQUIRE_BROWSER") != "" {
		t.Fatalf("no chromium on PATH (looked for %s) and SEGMENT_REQUIRE_BROWSER is set", strings.Join(browsers, ", "))
	}
	if browser == "" {
		t.Skipf("no chromium on PATH: looked for %s; install it (Debian: apt-get install chromium) to render report.html in a real browser",
			strings.Join(browsers, ", "))
	}
	abs, err := filepath.Abs(report)
	if err != nil {
		t.Fatal(err)
	}
	url := "file://" + filepath.ToSlash(abs)
	dir := artifactsDir(t)
	t.Logf("browser artifacts (screenshot, PDF, net log) in %s", dir)
	shot, pdf, netlog := filepath.Join(dir, "report-first-screen.png"), filepath.Join(dir, "report.pdf"), filepath.Join(dir, "netlog.json")
	for _, f := range []string{shot, pdf, netlog} {
		os.Remove(f) // a stale artifact must not pass for a new one
	}
	chromiumURL := func(url string, args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		args = append([]string{"--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--disable-default-apps", "--user-data-dir=" + t.TempDir()}, args...)
		cmd := exec.CommandContext(ctx, browser, append(args, url)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(browser), strings.Join(args, " "), err, stderr.String())
		}
		return stdout.Bytes()
	}
	chromium := func(args ...string) []byte {
		t.Helper()
		return chromiumURL(url, args...)
	}

	chromium("--hide-scrollbars", "--window-size=1280,900", "--screenshot="+shot, "--log-net-log="+netlog)
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if w := img.Bounds().Dx(); w != 1280 {
		t.Errorf("screenshot is %d pixels wide, want 1280", w)
	}
	// A rendered page has text: many colours, not one blank one.
	colours := map[uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 3 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>11<<10|g>>11<<5|bl>>11] = true
		}
	}
	if len(colours) < 8 {
		t.Errorf("screenshot has %d colours: the page looks blank", len(colours))
	}
	if reqs := pageRequests(t, netlog); len(reqs) > 0 {
		t.Errorf("the page made %d network requests, e.g. %s (net log: %s)", len(reqs), reqs[0], netlog)
	}
	// The check sees a page's requests: a page with a remote image is caught.
	bad := filepath.Join(t.TempDir(), "remote.html")
	if err := os.WriteFile(bad, []byte(`<!DOCTYPE html><p>x</p><img src="http://127.0.0.1:9/x.png">`), 0o644); err != nil {
		t.Fatal(err)
	}
	badLog := filepath.Join(t.TempDir(), "netlog.json")
	chromiumURL("file://"+filepath.ToSlash(bad), "--window-size=400,300", "--screenshot="+filepath.Join(t.TempDir(), "x.png"), "--log-net-log="+badLog)
	if reqs := pageRequests(t, badLog); len(reqs) != 1 || reqs[0] != "http://127.0.0.1:9/x.png" {
		t.Errorf("a page with a remote image made requests %q in the net log, want that image: the check is blind", reqs)
	}

	chromium("--no-pdf-header-footer", "--print-to-pdf="+pdf)
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 50_000 {
		t.Errorf("print to PDF: %d bytes, %v; want a PDF with the plots", len(b), err)
	}

	dom := string(chromium("--dump-dom"))
	for _, want := range []string{`<h2 id="in-short">`, `<h2 id="segments-at-a-glance">`, `<nav class="toc"`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the DOM chromium built lacks %s", want)
		}
	}
}

// pageRequests returns the URLs a page opened from a file requested, from
// chromium's net log (--log-net-log): the requests whose network
// isolation key is the file's. The browser's own requests (update checks,
// network time), made whatever the page, have another key and are left
// out.
func pageRequests(t *testing.T, netlog string) []string {
	t.Helper()
	b, err := os.ReadFile(netlog)
	if err != nil {
		t.Fatalf("no net log: %v", err)
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int            `json:"type"`
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatalf("net log %s: %v", netlog, err)
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatalf("net log %s has no URL_REQUEST_START_JOB events type", netlog)
	}
	var urls []string
	for _, e := range log.Events {
		if e.Type != start {
			continue
		}
		key, _ := e.Params["network_isolation_key"].(string)
		if url, _ := e.Params["url"].(string); strings.HasPrefix(key, "file://") && !strings.HasPrefix(url, "data:") {
			urls = append(urls, url)
		}
	}
	return urls
}
