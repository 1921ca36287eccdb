package data

import (
	"strings"
	"testing"
)

// TestLoadZone: IANA names load; "Local" (the machine's zone, whatever its
// letter case) and names that are not zones are errors naming the value.
func TestLoadZone(t *testing.T) {
	for _, name := range []string{"UTC", "Europe/Berlin", "America/New_York"} {
		loc, err := LoadZone(name)
		if err != nil || loc.String() != name {
			t.Errorf("LoadZone(%q) = %v, %v", name, loc, err)
		}
	}
	for _, name := range []string{"Local", "local", " LOCAL ", "+02:00", "Mars/Olympus"} {
		if _, err := LoadZone(name); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("LoadZone(%q): error %v, want one naming the value", name, err)
		}
	}
}
