//go:build race

package features

// raceEnabled: the test binary is built with -race, which makes the
// regular-expression engine several times slower.
const raceEnabled = true
