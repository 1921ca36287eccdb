package data

import (
	"strings"
	"time"
)

// defaultTimeLayouts are tried in order when OrderSource.TimeFormat is empty.
var defaultTimeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"}

// timeParser parses times stored as text. A time without an offset is read
// in loc. It remembers the last string it parsed: the lines of one order
// sit together in exports and share a time, so most parses are a string
// comparison. A timeParser is not safe for concurrent use.
type timeParser struct {
	layouts []string
	loc     *time.Location
	last    string
	lastT   time.Time
}

func newTimeParser(layout string, loc *time.Location) *timeParser {
	if loc == nil {
		loc = time.UTC
	}
	p := &timeParser{layouts: defaultTimeLayouts, loc: loc}
	if layout != "" {
		p.layouts = []string{layout}
	}
	return p
}

// parse parses s, trimmed of spaces. The error is a *valueError.
func (p *timeParser) parse(s string) (time.Time, error) {
	if s == p.last && s != "" {
		return p.lastT, nil
	}
	v := strings.TrimSpace(s)
	for _, l := range p.layouts {
		if t, err := time.ParseInLocation(l, v, p.loc); err == nil {
			p.last, p.lastT = strings.Clone(s), t
			return t, nil
		}
	}
	why := "want layout " + strings.Join(p.layouts, " or ")
	return time.Time{}, &valueError{raw: s, want: "time", why: why}
}
