package data

import (
	"fmt"
	"slices"
	"strings"
)

// repeatsHeader reports whether rec is the header row again (its first
// field may carry the byte order mark of the file it began).
func repeatsHeader(rec, header []string) bool {
	if len(rec) != len(header) || len(rec) == 0 || strings.TrimPrefix(rec[0], utf8BOM) != header[0] {
		return false
	}
	return slices.Equal(rec[1:], header[1:])
}

// ReasonFieldCount is the reject reason of a CSV row whose number of
// fields is not the header's.
const ReasonFieldCount = "wrong number of fields"

// raggedRaw returns the fields of a row with the wrong number of fields,
// named by the header's columns in order, those past the header as
// "field N" (1-based).
func raggedRaw(rec, header []string) map[string]string {
	raw := make(map[string]string, len(rec))
	for i, f := range rec {
		name := fmt.Sprintf("field %d", i+1)
		if i < len(header) && header[i] != "" {
			name = header[i]
		}
		raw[name] = f
	}
	return raw
}

// ReasonRepeatedHeader is the reject reason of a CSV row that repeats the
// file's header row, as files concatenated with their headers hold.
const ReasonRepeatedHeader = "repeated header row"
