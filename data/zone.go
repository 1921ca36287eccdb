package data

import (
	"fmt"
	"strings"
	"time"
)

// LoadZone returns the time zone of an IANA name ("Europe/Berlin",
// "UTC"). "Local" is refused, in any letter case: it is the zone of the
// machine that runs segment (its TZ), so the same inputs would give other
// days, and so other features, on another machine.
func LoadZone(name string) (*time.Location, error) {
	if strings.EqualFold(strings.TrimSpace(name), "local") {
		return nil, fmt.Errorf(`%q is the time zone of the machine the run happens on, so the outputs would depend on it: give the store's IANA zone name, such as "Europe/Berlin", or "UTC"`, name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf(`%w (want an IANA zone name, such as "Europe/Berlin", or "UTC")`, err)
	}
	return loc, nil
}
