//go:build purego

package main

// puregoBuild says that the test binary was built with -tags purego (the
// Go code instead of the assembly, in package cluster and in dependencies
// that follow the convention, such as parquet-go).
const puregoBuild = true
