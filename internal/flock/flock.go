// Package flock takes a file's advisory lock without waiting: an
// exclusive flock on Unix, a byte-range lock on Windows. The lock lasts
// while the file is open and is released when its process ends, however
// it ends (SIGKILL, a crash), which is what makes it a test of whether
// the process that made a file still runs.
package flock

import "errors"

// ErrHeld is what TryLock returns while another open file holds the lock.
var ErrHeld = errors.New("lock held")
