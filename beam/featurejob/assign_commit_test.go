package featurejob

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAssignCommitRetries commits job 2's shards in a local output folder
// as Beam may hand them over after retries: two attempts' files for shard
// 0 (the smaller name is kept, whichever comes first), a failed attempt's
// file no element names, and then the commit itself retried. The folder
// then holds exactly the final shards and the summary, the previous
// assignments are gone, and the retried commit changes nothing. A commit
// whose file is missing fails and leaves the previous assignments as they
// were.
func TestAssignCommitRetries(t *testing.T) {
	ctx := context.Background()
	out := t.TempDir()
	sum, err := json.Marshal(Summary{Shards: []string{shardName(0, 3), shardName(1, 3), shardName(2, 3)}})
	if err != nil {
		t.Fatal(err)
	}
	ac := AssignConfig{Job: Config{Out: out}, Summary: string(sum), Staging: "retries"}
	final := filepath.Join(out, AssignDir)
	previous := func() {
		t.Helper()
		os.RemoveAll(final)
		if err := os.MkdirAll(final, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(final, "previous.parquet"), []byte("the previous run's"), 0o644)
	}
	staging := ac.StagingDir()
	write := func(name, body string) string {
		t.Helper()
		if err := os.MkdirAll(staging, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(staging, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	commit := func(files []shardFile) error {
		i := 0
		next := func(f *shardFile) bool {
			if i == len(files) {
				return false
			}
			*f, i = files[i], i+1
			return true
		}
		fn := &assignCommitFn{Cfg: ac}
		return fn.ProcessElement(ctx, 0, next, catTotals{}, "", nil)
	}
	listing := func() map[string]string {
		t.Helper()
		entries, err := os.ReadDir(final)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(final, e.Name()))
			got[e.Name()] = string(b)
		}
		return got
	}

	previous()
	second := write(shardName(0, 3)+".tmp-b000000000000000", "shard 0, second attempt")
	first := write(shardName(0, 3)+".tmp-a000000000000000", "shard 0, first attempt")
	one := write(shardName(1, 3)+".tmp-c000000000000000", "shard 1")
	write(shardName(2, 3)+".tmp-d000000000000000", "a failed attempt's half")
	files := []shardFile{{Shard: 0, Path: second}, {Shard: 1, Path: one}, {Shard: 0, Path: first}, {Shard: -1}}
	if err := commit(files); err != nil {
		t.Fatal(err)
	}
	got := listing()
	names := slices.Sorted(maps.Keys(got))
	if want := []string{AssignSummaryFile, shardName(0, 3), shardName(1, 3)}; !slices.Equal(names, want) {
		t.Fatalf("committed %q, want %q", names, want)
	}
	if got[shardName(0, 3)] != "shard 0, first attempt" || got[shardName(1, 3)] != "shard 1" {
		t.Errorf("committed shards %q", got)
	}
	if !strings.Contains(got[AssignSummaryFile], shardName(1, 3)) {
		t.Errorf("summary %s does not list the shards", got[AssignSummaryFile])
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("the output folder holds %v, want the assignments only (no staging, no old folder)", entries)
	}
	// The commit retried: its first attempt swapped the folders.
	if err := commit(files); err != nil {
		t.Fatalf("retried commit: %v", err)
	}
	if again := listing(); len(again) != len(got) || again[shardName(0, 3)] != got[shardName(0, 3)] {
		t.Errorf("the retried commit changed the assignments: %q", again)
	}

	// A shard's file lost: the commit fails, the previous run's stay.
	previous()
	kept := write(shardName(0, 3)+".tmp-e000000000000000", "shard 0")
	if err := commit([]shardFile{{Shard: 0, Path: kept}, {Shard: 1, Path: filepath.Join(staging, "lost.tmp-f000000000000000")}}); err == nil {
		t.Fatal("a commit with a lost file succeeded")
	}
	if got := listing(); len(got) != 1 || got["previous.parquet"] != "the previous run's" {
		t.Errorf("after a failed commit the assignments are %q, want the previous run's", got)
	}
}
