//go:build linux

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMDuringSlowCustomGroups sends SIGTERM to "segment run" while it
// evaluates a slow custom group (about 0.1 s a customer: minutes for the
// store): the run must exit 130 within a few seconds, print
// "segment: interrupted", keep the previous outputs and leave no staging
// directory behind. Issue 15: the signal was ignored for 133 s.
func TestSIGTERMDuringSlowCustomGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	store, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "2000", "-seed", "3", "-out", store)
	orders := filepath.Join(store, "orders.parquet")
	mustSegment(t, "run", "-quiet", "-orders", orders, "-k", "3", "-out", out)
	before := outputs(t, out)

	config := filepath.Join(dir, "slow.yaml")
	// 810,000 comparisons per customer, just under the expr VM's memory
	// budget.
	yaml := "groups:\n  - {name: slow, when: 'frequency > 0 && all(1..900, all(1..900, # > 0))'}\n"
	if err := os.WriteFile(config, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "segment")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	cmd := exec.Command(bin, "run", "-config", config, "-orders", orders, "-k", "3", "-seed", "9", "-out", out)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The log says when the features are ready; the segments stage, with
	// the custom group, comes next.
	lines := bufio.NewScanner(stderr)
	var log []string
	for lines.Scan() && !strings.Contains(lines.Text(), "features ready") {
		log = append(log, lines.Text())
	}
	rest := make(chan []string)
	go func() {
		var l []string
		for lines.Scan() {
			l = append(l, lines.Text())
		}
		rest <- l
	}()
	time.Sleep(time.Second)
	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("the run ended before the signal: %v\n%s", err, strings.Join(log, "\n"))
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		t.Fatalf("still running 5 s after SIGTERM")
	}
	log = append(log, <-rest...)
	t.Logf("exited %v after SIGTERM", time.Since(signalled).Round(time.Millisecond))
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Errorf("exit %d, want %d\n%s", code, exitInterrupted, strings.Join(log, "\n"))
	}
	if last := log[len(log)-1]; last != "segment: interrupted" {
		t.Errorf("last line on stderr %q, want %q", last, "segment: interrupted")
	}
	if !sameOutputs(outputs(t, out), before) {
		t.Error("the previous outputs changed")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".out.tmp-") {
			t.Errorf("staging directory %s left behind", e.Name())
		}
	}
}
