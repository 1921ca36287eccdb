package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/internal/config"
)

// TestManifestEvents: run.json counts the events table's rows (read =
// used + rejected + after_as_of + unknown_type), and has no events block
// without one.
func TestManifestEvents(t *testing.T) {
	o := runOptions(t)
	o.Events = &config.Table{Path: writeCSV(t, t.TempDir(), "events.csv", "customer_id,time,type",
		"H1,2024-06-10 10:00:00,view",
		"H1,2024-06-10 10:05:00,add_to_cart",
		"H2,2024-06-11 10:00:00,checkout",
		",2024-06-11 10:00:00,view",       // no customer: rejected
		"H3,2024-07-02 10:00:00,view",     // after as_of
		"H3,2024-06-12 10:00:00,wishlist", // unknown type
	)}
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var m Manifest
	readJSON(t, filepath.Join(o.Out, "run.json"), &m)
	want := EventRows{Read: 6, Used: 3, Rejected: 1, AfterAsOf: 1, UnknownType: 1}
	if m.Events == nil || *m.Events != want {
		t.Errorf("events %+v, want %+v", m.Events, want)
	}
	o = runOptions(t)
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	m = Manifest{}
	readJSON(t, filepath.Join(o.Out, "run.json"), &m)
	if m.Events != nil {
		t.Errorf("no events table: events %+v", m.Events)
	}
}
