package report

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// imageTypes are the image files the HTML report embeds, by extension:
// the data URI types goldmark's renderer passes through (it drops others,
// SVG among them, as unsafe).
var imageTypes = map[string]string{
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
}

// heading is one entry of the table of contents.
type heading struct {
	level int
	id    string
	text  string
}

// WriteHTML renders the Markdown report markdown (what WriteMarkdown
// wrote) to w as one self-contained HTML page, so that the two reports
// always say the same: the Markdown is converted by goldmark with the
// GitHub table extension, every image link is replaced by a data URI of
// the file it names in files (the report's directory), headings get
// anchors, a table of contents opens the page, wide tables scroll in
// their own box and the CSS, inline, also lays the page out for print.
// The page loads nothing and runs no script. The output depends only on
// the arguments: the same report gives the same bytes.
//
// WriteHTML returns an error naming the image when a link is not a
// relative path inside files, cannot be read, or is not a PNG, JPEG, GIF
// or WebP file, and any error from w.
func WriteHTML(w io.Writer, markdown []byte, files fs.FS) error {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	doc := md.Parser().Parse(text.NewReader(markdown))
	var (
		toc     []heading
		title   string
		walkErr error
	)
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			h := heading{level: n.Level, text: plainText(n, markdown)}
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					h.id = string(b)
				}
			}
			if n.Level == 1 && title == "" {
				title = h.text
			}
			if n.Level == 2 || n.Level == 3 {
				toc = append(toc, h)
			}
		case *ast.Image:
			uri, err := dataURI(files, string(n.Destination))
			if err != nil {
				walkErr = err
				return ast.WalkStop, nil
			}
			n.Destination = []byte(uri)
		}
		return ast.WalkContinue, nil
	})
	if err = errors.Join(err, walkErr); err != nil {
		return err
	}
	var body bytes.Buffer
	if err := md.Renderer().Render(&body, markdown, doc); err != nil {
		return fmt.Errorf("report: render html: %w", err)
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n", html.EscapeString(cmpOr(title, "Customer segments")), pageCSS)
	writeTOC(&b, toc)
	b.WriteString("<main>\n")
	b.WriteString(wrapTables(body.String()))
	b.WriteString("</main>\n</body>\n</html>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("report: write html: %w", err)
	}
	return nil
}

// cmpOr returns s, or def when s is empty.
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// dataURI reads the image a report links (a relative, URL-escaped path)
// from files and returns it as a base64 data URI.
func dataURI(files fs.FS, link string) (string, error) {
	p, err := url.PathUnescape(link)
	if err != nil || strings.Contains(link, ":") || path.IsAbs(p) || !fs.ValidPath(path.Clean(p)) {
		return "", fmt.Errorf("report: html: image %q is not a relative path inside the report's directory", link)
	}
	p = path.Clean(p)
	mime, ok := imageTypes[strings.ToLower(path.Ext(p))]
	if !ok {
		return "", fmt.Errorf("report: html: image %s: want a .png, .jpg, .gif or .webp file", p)
	}
	if files == nil {
		return "", fmt.Errorf("report: html: image %s: no directory to read it from", p)
	}
	b, err := fs.ReadFile(files, p)
	if err != nil {
		return "", fmt.Errorf("report: html: image %s: %w", p, err)
	}
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b), nil
}

// plainText returns the text of an inline container (a heading), without
// markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// writeTOC writes the table of contents: the sections (level 2), each
// with its subsections (level 3) nested.
func writeTOC(b *strings.Builder, toc []heading) {
	if len(toc) == 0 {
		return
	}
	b.WriteString("<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ul>\n")
	open := false // a level-3 list is open
	for i, h := range toc {
		link := fmt.Sprintf("<a href=\"#%s\">%s</a>", html.EscapeString(h.id), html.EscapeString(h.text))
		switch {
		case h.level == 3 && !open && i > 0:
			b.WriteString("\n<ul>\n")
			open = true
		case h.level == 2 && open:
			b.WriteString("</ul>\n</li>\n")
			open = false
		case i > 0:
			b.WriteString("</li>\n")
		}
		b.WriteString("<li>" + link)
	}
	if open {
		b.WriteString("</li>\n</ul>\n")
	}
	b.WriteString("</li>\n</ul>\n</nav>\n")
}

// wrapTables puts every table in a box of its own that scrolls
// horizontally when the table is wider than the page. Text cannot hold a
// literal "<table>": goldmark escapes "<" in text and code and omits raw
// HTML.
func wrapTables(body string) string {
	body = strings.ReplaceAll(body, "<table>", "<div class=\"table-wrap\"><table>")
	return strings.ReplaceAll(body, "</table>", "</table></div>")
}
