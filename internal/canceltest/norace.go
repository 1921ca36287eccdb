//go:build !race

package canceltest

// raceFactor is 1 without the race detector (see race.go).
const raceFactor = 1
