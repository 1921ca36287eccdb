//go:build !linux

package pipeline

// peakRSS is not measured on this platform.
func peakRSS() int64 { return 0 }

// SystemMemory is not measured on this platform: 0.
func SystemMemory() int64 { return 0 }
