package main

import (
	"strings"
	"testing"

	"github.com/segment-tool/segment/internal/pipeline"
)

// TestDemoOnPrism runs the built-in demo store (its orders, customers,
// products and events tables) through segment run -runner prism's driver
// and checks every output against a local demo run (compareRuns): the
// inputs are named as a local demo run names them, not by the temporary
// folder they were written to.
func TestDemoOnPrism(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the 10,000-customer demo store on Prism")
	}
	o := pipeline.DefaultOptions()
	o.Demo, o.Restarts, o.Workers = true, 3, 2
	run := onPrism(t, o, nil)
	m := readManifest(t, run.out)
	if len(m.Inputs) != 4 {
		t.Fatalf("inputs %+v, want the demo store's four tables", m.Inputs)
	}
	for _, in := range m.Inputs {
		if !strings.HasPrefix(in.Path, "(built-in demo store)/") {
			t.Errorf("input %q is not named as the demo store's", in.Path)
		}
	}
	if m.Events == nil || m.Events.Used == 0 {
		t.Errorf("run.json events %+v, want the demo store's", m.Events)
	}
}
