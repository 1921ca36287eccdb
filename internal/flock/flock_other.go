//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package flock

import "os"

// TryLock cannot lock on this platform: it always succeeds (Supported is
// false).
func TryLock(*os.File) error { return nil }

// Supported reports whether TryLock locks on this platform.
const Supported = false
