//go:build !race

package data

// raceEnabled: the test binary is built with -race.
const raceEnabled = false
