package outdir

import (
	"bytes"
	"strconv"
	"strings"
)

// mountInfo is Linux's table of the process's mounts; elsewhere reading it
// fails, and isMountPoint relies on the devices alone.
const mountInfo = "/proc/self/mountinfo"

// listsMountPoint reports whether the mountinfo table b (proc(5): the
// fifth field of each line is a mount point, with space, tab, newline and
// backslash written as octal escapes) has dir as a mount point.
func listsMountPoint(b []byte, dir string) bool {
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		fields := bytes.Fields(line)
		if len(fields) >= 5 && unescapeOctal(string(fields[4])) == dir {
			return true
		}
	}
	return false
}

// unescapeOctal replaces the \ooo escapes of s by their bytes.
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				out = append(out, byte(v))
				i += 3
				continue
			}
		}
		out = append(out, s[i])
	}
	return string(out)
}
