//go:build unix

package outdir

import (
	"os"
	"path/filepath"
	"syscall"
)

// isMountPoint reports whether the folder dir (resolved) is where a file
// system is mounted: its device differs from its parent's, or (on Linux)
// the mount table lists it, which also finds a bind mount of a folder of
// the same file system.
func isMountPoint(dir string) bool {
	var st, pst syscall.Stat_t
	if syscall.Stat(dir, &st) != nil || syscall.Stat(filepath.Dir(dir), &pst) != nil {
		return false
	}
	if st.Dev != pst.Dev {
		return true
	}
	b, err := os.ReadFile(mountInfo)
	return err == nil && listsMountPoint(b, dir)
}
