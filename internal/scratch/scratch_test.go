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

// TestRemoveStale checks which folders of the prefix RemoveStale removes:
// one whose lock is free, not one whose lock is held, not a folder without
// the lock file (a user's), not one whose lock file is empty (its maker
// may not have locked it yet), not a file, not a folder of another prefix
// (with a free lock file). A folder whose lock file is free and empty (its
// maker killed before it wrote it) is removed where a folder can be
// removed while locked, and left elsewhere.
func TestRemoveStale(t *testing.T) {
	if !flock.Supported {
		t.Skip("no file locks on", runtime.GOOS)
	}
	parent := t.TempDir()
	live, err := Make(parent, "spill")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Remove()
	dead, err := Make(parent, "spill")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dead.Path, "part-00000"), []byte("spilled"), 0o600); err != nil {
		t.Fatal(err)
	}
	dead.lock.Close() // as if its process had been killed
	user := filepath.Join(parent, "segment-spill-mine")
	other := filepath.Join(parent, "other-events-x")
	for _, d := range []string{user, other} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(other, LockName), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A lock file not written yet: its maker was killed, or may be about
	// to lock it (Make then sees it gone).
	making := filepath.Join(parent, Prefix+"spill-making")
	if err := os.Mkdir(making, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(making, LockName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(parent, "segment-spill-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	kept, removed := []string{live.Path, user, other, file}, 1
	if removeLocked {
		removed++
		defer func() {
			if _, err := os.Stat(making); !os.IsNotExist(err) {
				t.Errorf("the folder of an empty free lock file is still there: %v", err)
			}
		}()
	} else {
		kept = append(kept, making)
	}
	if n := RemoveStale(parent, Prefix); n != removed {
		t.Errorf("removed %d folders, want %d", n, removed)
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v (it should be left)", p, err)
		}
	}
	if _, err := os.Stat(dead.Path); !os.IsNotExist(err) {
		t.Errorf("the folder of a dead lock is still there: %v", err)
	}
	if err := live.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live.Path); !os.IsNotExist(err) {
		t.Errorf("Remove left %s: %v", live.Path, err)
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
	os.Stdout.WriteString(d.Path + "\n")
	select {}
}

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
		{"held", func(lock *os.File, path string) {
			if err := flock.TryLock(lock); err != nil {
				t.Fatal(err)
			}
		}},
		{"removed", func(lock *os.File, path string) {
			lock.Close()
			os.RemoveAll(path)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var held []*os.File
			tries := 0
			beforeLock = func(path string) {
				tries++
				if tries > 1 {
					return
				}
				f, err := os.OpenFile(filepath.Join(path, LockName), os.O_RDWR, 0)
				if err != nil {
					t.Fatal(err)
				}
				held = append(held, f)
				c.take(f, path)
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
			if !stillThere(d.lock, filepath.Join(d.Path, LockName)) {
				t.Error("Make returned a folder whose lock file is gone")
			}
		})
	}
}
