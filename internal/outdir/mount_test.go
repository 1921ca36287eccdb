package outdir

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestOpenRefusesMountPoint: a mount point cannot be swapped with a staging
// folder beside it (rename fails with EBUSY or EXDEV), so Open refuses it
// before any work, naming a folder inside it to use instead. /proc is a
// mount point on every Linux system.
func TestOpenRefusesMountPoint(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc, a mount point on Linux")
	}
	if _, err := os.Stat("/proc/self"); err != nil {
		t.Skip("no /proc mounted")
	}
	_, err := Open(context.Background(), "/proc", Options{})
	var re *RefusedError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "/proc is a mount point") || !strings.Contains(err.Error(), "/proc/segment-out") {
		t.Fatalf("Open(/proc): %v, want a refusal naming the mount point and /proc/segment-out", err)
	}
	if _, err := os.Stat("/.proc.lock"); err == nil {
		t.Error("a refused Open took the lock beside /proc")
	}
}

// TestListsMountPoint reads mount points from a mountinfo table, with its
// octal escapes, and only from its fifth field.
func TestListsMountPoint(t *testing.T) {
	table := []byte(`22 1 0:21 / /proc rw,nosuid shared:12 - proc proc rw
35 24 8:1 /srv/data /mnt/my\040data rw,relatime shared:1 - ext4 /dev/sda1 rw
36 24 8:1 /home /mnt/tab\011and\134slash rw - ext4 /dev/sda1 rw
`)
	for dir, want := range map[string]bool{
		"/proc": true, "/mnt/my data": true, "/mnt/tab\tand\\slash": true,
		"/srv/data": false, "/mnt": false, "/mnt/my": false, "/": false,
	} {
		if got := listsMountPoint(table, dir); got != want {
			t.Errorf("listsMountPoint(%q) = %v, want %v", dir, got, want)
		}
	}
}
