package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the suffixes ParseSize reads, longest first where one
// ends another ("KiB" before "B").
var sizeUnits = []struct {
	suffix string
	n      float64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}

// ParseSize reads a positive size in bytes with an optional suffix: KB,
// MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024) or B
// ("12GiB", "500 MB", "1.5GB", "4096"). A fraction of a byte is dropped.
func ParseSize(s string) (int64, error) {
	num, scale := strings.TrimSpace(s), 1.0
	for _, u := range sizeUnits {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, scale = strings.TrimSpace(n), u.n
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if b := v * scale; err != nil || !(b >= 1) || b >= math.MaxInt64 {
		return 0, fmt.Errorf("want a size such as 12GiB or 500MB, got %q", s)
	}
	return int64(v * scale), nil
}
