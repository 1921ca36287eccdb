package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseReportFormats(t *testing.T) {
	for _, tc := range []struct {
		in      []string
		want    []string
		wantErr string
	}{
		{in: []string{"md"}, want: []string{"md"}},
		{in: []string{"html", "md"}, want: []string{"md", "html"}},
		{in: []string{" HTML , md", "html"}, want: []string{"md", "html"}},
		{in: []string{"pdf"}, wantErr: `unknown report format "pdf" (want md, html)`},
		{in: []string{"md,"}, wantErr: `unknown report format ""`},
		{in: []string{}, wantErr: "no report format"},
	} {
		got, err := ParseReportFormats(tc.in)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("ParseReportFormats(%q): %v, want error %q", tc.in, err, tc.wantErr)
		case tc.wantErr == "" && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("ParseReportFormats(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestLoadOutputReport(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		yaml    string
		want    []string
		wantErr string
	}{
		{"output: {report: [html]}\n", []string{"html"}, ""},
		{"output: {dir: out}\n", nil, ""},
		{"output: {report: [md, docx]}\n", nil, `output.report: unknown report format "docx"`},
		{"output: {report: []}\n", nil, "output.report: no report format"},
	} {
		path := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(path, []byte("orders: {path: o.csv}\n"+tc.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), path) {
				t.Errorf("%s: %v, want an error naming %s and %q", tc.yaml, err, path, tc.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(c.Output.Report, tc.want) {
			t.Errorf("%s: report %q, %v; want %q", tc.yaml, c.Output.Report, err, tc.want)
		}
	}
}
