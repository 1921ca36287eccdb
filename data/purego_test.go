//go:build purego

package data

// puregoBuild says that the test binary was built with -tags purego:
// parquet-go then writes other (equally valid) bytes for the same rows.
const puregoBuild = true
