package data

import (
	"fmt"
	"strings"
	"time"
)

// strftimeLayouts maps the strftime directives segment supports to Go
// layout elements (time.Layout). %f (microseconds, as in Python) must
// follow a "." or "," after the seconds; %-d, %-m, %-H… are the unpadded
// forms (GNU and Python on Unix). As Python's strptime reads them, %m,
// %d, %H, %I, %M and %S read one digit or two ("11/5/2011 9:05" fits
// "%m/%d/%Y %H:%M"): their Go elements are the unpadded ones, which read
// two digits where there are two.
var strftimeLayouts = map[string]string{
	"Y": "2006", "y": "06", "m": "1", "-m": "1", "d": "2", "-d": "2", "e": "_2",
	"H": "15", "-H": "15", "I": "3", "-I": "3", "M": "4", "-M": "4", "S": "5", "-S": "5",
	"p": "PM", "b": "Jan", "h": "Jan", "B": "January", "a": "Mon", "A": "Monday",
	"z": "-0700", ":z": "-07:00", "Z": "MST", "j": "002", "f": "000000",
	"F": "2006-01-02", "T": "15:04:05", "R": "15:04", "D": "01/02/06", "%": "%",
}

// StrftimeDirectives lists the supported directives, for messages and the
// README.
const StrftimeDirectives = "%Y %y %m %-m %d %-d %e %H %I %-I %M %S %p %b %h %B %a %A %z %:z %Z %j %f %F %T %R %D %%"

// TimeLayout returns the Go layout of a time_format: format itself when it
// has no "%" (a Go layout such as "2006-01-02 15:04"), else the
// translation of a strftime format ("%Y-%m-%d %H:%M" → "2006-01-02
// 15:04"). An unknown directive is an error that names it. Text between
// directives is kept; it must not hold something Go would read as a
// layout element (a digit, "Jan", "Mon", "PM", "MST"…), which is an error
// too. An epoch format (EpochFormats: "unix", "%s", "unix_ms"…) is
// returned as its name ("%s" as "unix"): times read with it are numbers.
func TimeLayout(format string) (string, error) {
	if u := epochUnit(format); u != 0 {
		if format == "%s" {
			return "unix", nil
		}
		return format, nil
	}
	if !strings.Contains(format, "%") {
		return format, nil
	}
	var b strings.Builder
	lit := func(s string) error {
		// A literal is kept only if Go's Format writes it back unchanged.
		if s != "" && time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC).Format(s) != s {
			return fmt.Errorf("data: time_format %q: the text %q would be read as a Go layout element; use a directive instead", format, s)
		}
		b.WriteString(s)
		return nil
	}
	rest := format
	prev := "" // the last directive
	for {
		i := strings.IndexByte(rest, '%')
		if i < 0 {
			if err := lit(rest); err != nil {
				return "", err
			}
			return b.String(), nil
		}
		if err := lit(rest[:i]); err != nil {
			return "", err
		}
		between := rest[:i] // the text since the last directive
		rest = rest[i+1:]
		d := ""
		switch {
		case rest == "":
			return "", fmt.Errorf("data: time_format %q: ends with a lone %%", format)
		case (rest[0] == '-' || rest[0] == ':') && len(rest) > 1:
			d = rest[:2]
		default:
			d = rest[:1]
		}
		layout, ok := strftimeLayouts[d]
		if !ok {
			if rest[0] >= 0x80 {
				d = string([]rune(rest)[0])
			}
			return "", fmt.Errorf("data: time_format %q: unknown directive %%%s (supported: %s)", format, d, StrftimeDirectives)
		}
		if d == "f" && (prev != "S" && prev != "-S" && prev != "T" || between != "." && between != ",") {
			return "", fmt.Errorf("data: time_format %q: %%f must follow %%S and a . or ,", format)
		}
		b.WriteString(layout)
		rest = rest[len(d):]
		prev = d
	}
}
