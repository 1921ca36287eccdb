package config

import "testing"

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"4096", 4096},
		{"12GiB", 12 << 30},
		{" 500 MB ", 500_000_000},
		{"1.5GB", 1_500_000_000},
		{"2KiB", 2048},
		{"7B", 7},
		{"1TiB", 1 << 40},
	} {
		if got, err := ParseSize(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "GiB", "-1GiB", "0", "0.5B", "12 apples", "NaN", "Inf", "1e30TiB", "80%"} {
		if got, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", bad, got)
		}
	}
}
