//go:build !purego

package main

// puregoBuild says that the test binary was built with -tags purego.
const puregoBuild = false
