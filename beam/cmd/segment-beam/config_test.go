package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// groupsConfig sets what segment-beam takes from a config file: custom
// groups (on features, RFM segments, seed groups and attributes), the
// seed groups' thresholds, fixed recency cut points, the other cut points
// frozen from a model.json (MODEL) and a cluster's name (NAMED, a cluster
// key of the store).
const groupsConfig = `thresholds: {top_share: 0.25, top_cities: 3, lapsed_days: 200}
rfm: {recency_days: [30, 90, 180, 365], freeze_from: "MODEL"}
groups:
  - {name: big_repeat, when: 'frequency >= 3 && monetary > 150'}
  - {name: champion_or_vip, when: 'rfm_segment == "Champions" || vip_top5'}
  - {name: lapsed_top, when: 'recency_days > 200 && top20'}
clustering:
  names: {NAMED: Our best}
`

// withConfig writes groupsConfig for the store of orders, naming the
// first cluster of a local run on it and freezing its RFM cut points, and
// returns the options of a run
// with it (as segment run -config sets them).
func withConfig(t *testing.T, orders string) pipeline.Options {
	t.Helper()
	o := pipeline.DefaultOptions()
	o.Orders, o.Out, o.Restarts, o.Workers = orders, filepath.Join(t.TempDir(), "unnamed"), 3, 2
	if _, err := pipeline.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	m, err := pipeline.LoadModel(filepath.Join(o.Out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "segment.yaml")
	yaml := strings.NewReplacer("NAMED", m.Clusters[0].Key, "MODEL", filepath.Join(o.Out, "model.json")).Replace(groupsConfig)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	o = pipeline.DefaultOptions()
	o.ConfigPath = path
	if err := o.ApplyConfig(c); err != nil {
		t.Fatal(err)
	}
	return o
}

// checkConfigRun checks that the run in out applied groupsConfig: the
// custom groups are columns of the assignments with members, the report
// lists them and the named cluster is there.
func checkConfigRun(t *testing.T, out string) {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), filepath.Join(out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"big_repeat", "champion_or_vip", "lapsed_top"} {
		col := tab.Column(g)
		if col == nil || col.Kind != data.KindBool {
			t.Fatalf("assignments: no boolean column %s", g)
		}
		members := 0
		for _, b := range col.Bools {
			if b {
				members++
			}
		}
		if members == 0 || members == len(col.Bools) || !bytes.Contains(report, []byte(g)) {
			t.Errorf("group %s: %d members of %d, in the report %v: want some, and listed", g, members, len(col.Bools), bytes.Contains(report, []byte(g)))
		}
	}
	if !bytes.Contains(report, []byte("Our best")) || !bytes.Contains(report, []byte("unnamed")) {
		t.Error("the report does not name a cluster Our best, or does not say the RFM cut points are frozen from unnamed/model.json")
	}
}
