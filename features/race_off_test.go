//go:build !race

package features

// raceEnabled: the test binary is built with -race.
const raceEnabled = false
