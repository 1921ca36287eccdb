package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/data"
)

// A scheduled run keeps a cluster's previous action while its traits call
// for it (keepNames), and the scale-out finish, which profiles every
// customer again, keeps it too: the same outputs as the local run.
func TestFinishBeamKeepsPreviousAction(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 1200, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	out1 := filepath.Join(t.TempDir(), "out1")
	o.Orders, o.Out, o.Workers, o.Restarts, o.K = filepath.Join(dir, "orders.parquet"), out1, 2, 3, 4
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	// The previous run recommended another of a cluster's possible actions.
	f0 := beamFinishOf(t, &o, 3)
	mpath := filepath.Join(out1, "model.json")
	m, err := LoadModel(mpath)
	if err != nil {
		t.Fatal(err)
	}
	var want string
	for _, ci := range f0.Fit.Profiles.Clusters {
		if len(ci.actions) < 2 {
			continue
		}
		for j := range m.Clusters {
			if m.Clusters[j].Key == ci.Key {
				m.Clusters[j].Action, want = ci.actions[1], ci.actions[1]
			}
		}
		break
	}
	if want == "" {
		t.Fatal("no cluster of the store has a second possible action; the case needs one")
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mpath, b, 0o644); err != nil {
		t.Fatal(err)
	}

	o2 := o
	o2.Out, o2.Previous = filepath.Join(t.TempDir(), "out2"), out1
	if _, err := Run(ctx, o2); err != nil {
		t.Fatal(err)
	}
	prev, err := LoadPrevious(ctx, out1)
	if err != nil {
		t.Fatal(err)
	}
	f := beamFinishWith(t, &o2, 3, prev)
	f.Tally = nil // counted without the previous run: the finish counts it over the shards
	got := t.TempDir()
	if _, err := FinishBeam(ctx, got, &o2, f); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{o2.Out, got} {
		md, err := os.ReadFile(filepath.Join(d, "report.md"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(md, []byte(want)) || bytes.Contains(md, []byte("its action changed")) {
			t.Errorf("%s: the report does not keep the previous action %q", d, want)
		}
	}
	compareOutputs(t, o2.Out, got)
}
