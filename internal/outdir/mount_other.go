//go:build !unix

package outdir

// isMountPoint is false where segment cannot tell: Windows mounts volumes
// at drive letters (refused as roots) or at folders it does not look for.
func isMountPoint(string) bool { return false }
