package outdir

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A second Open of the same folder, under any of its names, fails at once
// naming the folder and the holder's pid, and succeeds once the first is
// closed.
func TestOpenLocked(t *testing.T) {
	if lockless() {
		t.Skip("no locks on " + runtime.GOOS)
	}
	parent := t.TempDir()
	target := filepath.Join(parent, "out")
	first := open(t, target)
	for _, name := range []string{target, symlink(t, target, filepath.Join(parent, "link"))} {
		s, err := Open(context.Background(), name, Options{})
		if err == nil {
			s.Close()
			t.Fatalf("Open(%s) while another run holds it: no error", name)
		}
		var le *LockedError
		if !errors.As(err, &le) || le.PID != os.Getpid() || le.LockFile != filepath.Join(parent, ".out.lock") {
			t.Fatalf("Open(%s): %v (%#v), want a LockedError naming pid %d and the lock file", name, err, le, os.Getpid())
		}
		if want := `output "` + name + `": in use by another segment run (pid `; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q, want it to start with %q", err, want)
		}
	}
	first.Close()
	open(t, target).Close()
}

// With Wait, Open waits for the holder to close, or for its context.
func TestOpenWaits(t *testing.T) {
	if lockless() {
		t.Skip("no locks on " + runtime.GOOS)
	}
	target := filepath.Join(t.TempDir(), "out")
	first := open(t, target)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Open(ctx, target, Options{Wait: true}); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting with a cancelled context: %v, want context.Canceled", err)
	}
	done := make(chan error)
	go func() {
		s, err := Open(context.Background(), target, Options{Wait: true})
		if err == nil {
			s.Close()
		}
		done <- err
	}()
	first.Close()
	if err := <-done; err != nil {
		t.Errorf("waiting Open: %v", err)
	}
}

// The lock dies with its process: after the holder is killed (SIGKILL),
// the next Open takes it.
func TestLockReleasedWhenKilled(t *testing.T) {
	if lockless() {
		t.Skip("no locks on " + runtime.GOOS)
	}
	target := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldLock$")
	cmd.Env = append(os.Environ(), "OUTDIR_HOLD="+target)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "locked\n" {
		cmd.Process.Kill()
		t.Fatalf("helper: %q, %v", line, err)
	}
	var le *LockedError
	if s, err := Open(context.Background(), target, Options{}); !errors.As(err, &le) || le.PID != cmd.Process.Pid {
		t.Errorf("while the helper holds the lock: %v, want a LockedError naming pid %d", err, cmd.Process.Pid)
		if err == nil {
			s.Close()
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	open(t, target).Close()
}

// TestHoldLock is TestLockReleasedWhenKilled's helper process: it opens
// $OUTDIR_HOLD, says so and waits to be killed.
func TestHoldLock(t *testing.T) {
	target := os.Getenv("OUTDIR_HOLD")
	if target == "" {
		t.Skip("helper process")
	}
	// Held in a variable the collector sees: a Staging nothing refers to
	// would have its lock file closed by the file's finalizer, and the
	// lock with it.
	helperHeld = open(t, target)
	os.Stdout.WriteString("locked\n")
	select {}
}

// helperHeld is TestHoldLock's output folder, held until it is killed.
var helperHeld *Staging

// lockless reports whether this platform has no locks (lock_other.go).
func lockless() bool {
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd", "netbsd", "openbsd", "dragonfly", "windows":
		return false
	}
	return true
}

// TestLockFileNotFollowed: a link or a file of someone else's at the lock
// file's name is refused, never written through or overwritten.
func TestLockFileNotFollowed(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(t *testing.T, lockFile, other string)
	}{
		{"a link", func(t *testing.T, lockFile, other string) {
			if err := os.Symlink(other, lockFile); err != nil {
				t.Fatal(err)
			}
		}},
		{"a file with text", func(t *testing.T, lockFile, other string) {
			if err := os.WriteFile(lockFile, []byte("my notes\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			other := filepath.Join(dir, "notes.txt")
			if err := os.WriteFile(other, []byte("my notes\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			tc.make(t, filepath.Join(dir, ".out.lock"), other)
			s, err := Open(context.Background(), out, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open took the lock")
			}
			for _, p := range []string{other, filepath.Join(dir, ".out.lock")} {
				if b, err := os.ReadFile(p); err != nil || string(b) != "my notes\n" {
					t.Errorf("%s now holds %q (%v)", p, b, err)
				}
			}
		})
	}
}
