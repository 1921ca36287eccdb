//go:build !purego

package data

// puregoBuild says that the test binary was built with -tags purego.
const puregoBuild = false
