package scratch

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/flock"
)

// TestRemoveStale checks which folders of the prefix RemoveStale removes,
// each with its lock file beside it: one whose lock is free (and a lock
// file whose folder was never made: its maker was killed first), not one
// whose lock is held, not a folder without a lock file (a user's), not a
// file, not a folder of another prefix. A lock file that is free and empty
// (its maker killed before it wrote it) goes where a file can be removed
// while locked, and stays elsewhere. A folder of an older version, with
// its lock file inside, goes when that lock is free and written.
func TestRemoveStale(t *testing.T) {
	if !flock.Supported {
		t.Skip("no file locks on", runtime.GOOS)
	}
	parent := t.TempDir()
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mkdir := func(path string) {
		t.Helper()
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	live, err := Make(parent, "spill")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Remove()
	dead, err := Make(parent, "spill")
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(dead.Path, "part-00000"), "spilled")
	dead.lock.Close() // as if its process had been killed
	user := filepath.Join(parent, "segment-spill-mine")
	other := filepath.Join(parent, "other-events-x")
	mkdir(user)
	mkdir(other)
	write(other+LockSuffix, "x")
	lockOnly := filepath.Join(parent, Prefix+"spill-nofolder"+LockSuffix) // killed before its folder
	write(lockOnly, "segment scratch folder of process 1\n")
	// A lock file not written yet: its maker was killed, or may be about
	// to lock it (Make then sees it gone).
	making := filepath.Join(parent, Prefix+"spill-making")
	mkdir(making)
	write(making+LockSuffix, "")
	old := filepath.Join(parent, Prefix+"spill-old") // an older version's
	mkdir(old)
	write(filepath.Join(old, LockName), "segment scratch folder of process 1\n")
	file := filepath.Join(parent, "segment-spill-file")
	write(file, "")
	kept, gone := []string{live.Path, live.lockPath, user, other, other + LockSuffix, file}, []string{dead.Path, dead.lockPath, lockOnly, old}
	want := 3 // dead (its folder and lock file), lockOnly, old
	if removeLocked {
		gone, want = append(gone, making, making+LockSuffix), 4
	} else {
		kept = append(kept, making, making+LockSuffix)
	}
	if n := RemoveStale(parent, Prefix); n != want {
		t.Errorf("removed %d, want %d", n, want)
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v (it should be left)", p, err)
		}
	}
	for _, p := range gone {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	if err := live.Remove(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{live.Path, live.lockPath} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("Remove left %s: %v", p, err)
		}
	}
}

// TestKilledProcess runs a process that makes a folder and is killed
// (SIGKILL) before it can remove it: the next Make of the prefix removes
// the folder, and keeps the folder of a process still running.
func TestKilledProcess(t *testing.T) {
	if !flock.Supported || runtime.GOOS == "windows" {
		t.Skip("no file locks or no SIGKILL on", runtime.GOOS)
	}
	parent := t.TempDir()
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMake$")
		cmd.Env = append(os.Environ(), "SCRATCH_HELPER_PARENT="+parent)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("helper: %v", err)
		}
		return cmd, strings.TrimSpace(line)
	}
	killed, dir := start()
	killed.Process.Kill()
	killed.Wait()
	running, alive := start()
	defer func() { running.Process.Kill(); running.Wait() }()
	d, err := Make(parent, "spill")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Remove()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the killed process's folder %s is still there: %v", dir, err)
	}
	if _, err := os.Stat(filepath.Join(alive, "part-00000")); err != nil {
		t.Errorf("the running process's folder lost its file: %v", err)
	}
}

// TestHelperMake is the process TestKilledProcess starts: it makes a
// folder with a file, prints its path and waits to be killed.
func TestHelperMake(t *testing.T) {
	parent := os.Getenv("SCRATCH_HELPER_PARENT")
	if parent == "" {
		t.Skip("run by TestKilledProcess")
	}
	d, err := Make(parent, "spill")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d.Path, "part-00000"), []byte("spilled"), 0o600); err != nil {
		t.Fatal(err)
	}
	helperDir = d // referenced: the finalizer of a lost Dir's lock file would release its lock
	os.Stdout.WriteString(d.Path + "\n")
	select {}
}

// helperDir is TestHelperMake's folder, held until it is killed.
var helperDir *Dir

// TestMakeTaken checks that Make, when a remover takes the folder it is
// making before it locks it (the remover holds the lock, or has already
// removed the folder), makes another one.
func TestMakeTaken(t *testing.T) {
	if !flock.Supported || !removeLocked {
		t.Skip("folders are not removed while locked on", runtime.GOOS)
	}
	parent := t.TempDir()
	for _, c := range []struct {
		name string
		take func(lock *os.File, path string)
	}{
		{"held", func(lock *os.File, lockPath string) {
			if err := flock.TryLock(lock); err != nil {
				t.Fatal(err)
			}
		}},
		{"removed", func(lock *os.File, lockPath string) {
			lock.Close()
			os.Remove(lockPath)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var held []*os.File
			tries := 0
			beforeLock = func(lockPath string) {
				tries++
				if tries > 1 {
					return
				}
				f, err := os.OpenFile(lockPath, os.O_RDWR, 0)
				if err != nil {
					t.Fatal(err)
				}
				held = append(held, f)
				c.take(f, lockPath)
			}
			defer func() { beforeLock = nil }()
			d, err := Make(parent, "spill")
			for _, f := range held {
				f.Close()
			}
			if err != nil {
				t.Fatal(err)
			}
			defer d.Remove()
			if tries != 2 {
				t.Errorf("%d tries, want 2", tries)
			}
			if !stillThere(d.lock, d.Path+LockSuffix) {
				t.Error("Make returned a folder whose lock file is gone")
			}
			if info, err := os.Stat(d.Path); err != nil || !info.IsDir() {
				t.Errorf("Make returned no folder: %v", err)
			}
		})
	}
}
