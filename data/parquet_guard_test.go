package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The hostile files are read in a child process (this test binary again)
// whose address space is capped, so that a regression shows as a failed
// test instead of killing the test binary or the machine: a runtime that
// cannot allocate dies with "fatal error: out of memory", which no recover
// catches.
const (
	hostileFileEnv   = "SEGMENT_TEST_HOSTILE_FILE"
	hostileReaderEnv = "SEGMENT_TEST_HOSTILE_READER"
	hostileNoGuard   = "SEGMENT_TEST_HOSTILE_NOGUARD"
	// hostileAddressSpace caps the child's virtual memory: well above
	// what reading a small file takes, well below the 4 GiB the hostile
	// files ask for.
	hostileAddressSpace = 3 << 30
)

// readHostile reads path as reader does ("orders", "table" or "inspect").
func readHostile(reader, path string) error {
	ctx := context.Background()
	switch reader {
	case "table":
		_, err := ReadTable(ctx, path)
		return err
	case "inspect":
		_, err := Inspect(ctx, path)
		return err
	case "parts": // a distributed run reads each row group on its own
		parts, err := OrderParts(path)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if _, err := ReadOrderPart(ctx, OrderSource{}, p, func([]OrderLine) error { return nil }); err != nil {
				return err
			}
		}
		return nil
	}
	_, err := ReadOrders(ctx, OrderSource{Path: path}, func([]OrderLine) error { return nil })
	return err
}

// TestHostileParquetChild is the child: it does nothing unless started by
// runHostile.
func TestHostileParquetChild(t *testing.T) {
	path := os.Getenv(hostileFileEnv)
	if path == "" {
		t.Skip("run by TestHostileParquet")
	}
	if err := limitAddressSpace(hostileAddressSpace); err != nil {
		t.Fatalf("limit address space: %v", err)
	}
	guardOff = os.Getenv(hostileNoGuard) != ""
	err := readHostile(os.Getenv(hostileReaderEnv), path)
	if err == nil {
		os.Stdout.WriteString("\nhostile-result: accepted\n")
		return
	}
	os.Stdout.WriteString("\nhostile-result: " + strings.ReplaceAll(err.Error(), "\n", " ") + "\n")
}

// runHostile reads path with reader in a child process and returns the
// child's error message ("accepted" when it read the file), its standard
// error, and whether it exited normally.
func runHostile(t *testing.T, reader, path string, noGuard bool) (msg, stderr string, ok bool) {
	t.Helper()
	if err := limitAddressSpace(0); errors.Is(err, errors.ErrUnsupported) {
		t.Skip("no address space limit on this system")
	}
	if raceEnabled {
		t.Skip("the race detector maps more address space than the child may have")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a hung child, not a timing assertion
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHostileParquetChild$", "-test.v")
	cmd.Env = append(os.Environ(), hostileFileEnv+"="+path, hostileReaderEnv+"="+reader, "GOTRACEBACK=single")
	if noGuard {
		cmd.Env = append(cmd.Env, hostileNoGuard+"=1")
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	for _, line := range strings.Split(out.String(), "\n") {
		if m, found := strings.CutPrefix(line, "hostile-result: "); found {
			msg = m
		}
	}
	return msg, errb.String() + out.String(), err == nil && msg != ""
}

// TestHostileParquet: the damaged files of issue 15 (a 1.7 KB LZ4 file on
// which parquet-go's decoder grows its buffer until the process dies, runs
// and headers asking for 4 GiB, a page parquet-go only warns about) give
// an error naming the file, the column and the row group and page, from
// each reader, and never a fatal error.
func TestHostileParquet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	for _, hf := range hostileFiles(t) {
		path := filepath.Join(dir, strings.ReplaceAll(hf.name, " ", "_")+".parquet")
		if err := os.WriteFile(path, hf.data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, reader := range []string{"orders", "parts", "table", "inspect"} {
			t.Run(hf.name+"/"+reader, func(t *testing.T) {
				t.Logf("%d bytes", len(hf.data))
				msg, stderr, ok := runHostile(t, reader, path, false)
				if !ok {
					t.Fatalf("the reader did not return: %s", tail(stderr))
				}
				t.Log(msg)
				if msg == "accepted" {
					t.Fatal("the damaged file was accepted")
				}
				for _, want := range []string{path, hf.want} {
					if !strings.Contains(msg, want) {
						t.Errorf("error %q does not contain %q", msg, want)
					}
				}
				if hf.column != "" && !strings.Contains(msg, `column "`+hf.column+`"`) {
					t.Errorf("error %q does not name column %q", msg, hf.column)
				}
				if strings.Contains(stderr, "parquet: warning") {
					t.Errorf("parquet-go wrote to the standard error: %s", tail(stderr))
				}
			})
		}
	}
}

// TestHostileParquetWithoutGuard shows that the files are hostile: without
// the guard, parquet-go kills the process on the LZ4 file and on the 4 GiB
// run (capped address space), and only warns on the extra byte array. If
// this test fails after a parquet-go upgrade, parquet-go has fixed the bug
// and the guard's case may be relaxed.
func TestHostileParquetWithoutGuard(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	files := hostileFiles(t)
	for _, hf := range files[:4] {
		t.Run(hf.name, func(t *testing.T) {
			path := filepath.Join(dir, "hostile.parquet")
			if err := os.WriteFile(path, hf.data, 0o644); err != nil {
				t.Fatal(err)
			}
			msg, stderr, ok := runHostile(t, "orders", path, true)
			switch hf.name {
			case "extra byte array":
				if !strings.Contains(stderr, "parquet: warning") {
					t.Errorf("no warning from parquet-go (result %q): %s", msg, tail(stderr))
				}
			default:
				if ok || !strings.Contains(stderr, "out of memory") {
					t.Errorf("the child survived (ok %v, result %q): %s", ok, msg, tail(stderr))
				}
			}
		})
	}
}

// tail is the end of a child's output, for a failure message.
func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// TestGuardAcceptsValidFiles: the guard passes valid files in every codec,
// page version and encoding of the fuzz seeds, with nulls, dictionaries
// and several row groups, through every reader.
func TestGuardAcceptsValidFiles(t *testing.T) {
	dir := t.TempDir()
	for i, b := range parquetSeeds(t)[:validSeeds] {
		path := filepath.Join(dir, fmt.Sprintf("valid%d.parquet", i))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, reader := range []string{"orders", "table", "inspect"} {
			if err := readHostile(reader, path); err != nil {
				t.Errorf("%s of seed %d: %v", reader, i, err)
			}
		}
	}
}
