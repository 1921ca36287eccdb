package featurejob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/pipeline"
)

// eventsExport writes the generated store's events table (in dir) as a
// CSV file in reverse order (so not in time order), with a row of every
// 500 without a customer id and one of every 700 with a bad time, and
// returns it.
func eventsExport(t *testing.T, dir string) string {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), filepath.Join(dir, "events.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	ids, times, types := tab.Column("customer_id"), tab.Column("time"), tab.Column("type")
	var b strings.Builder
	b.WriteString("customer_id,time,type\n")
	for i := len(ids.Strings) - 1; i >= 0; i-- {
		id, tm := ids.Strings[i], times.Times[i].UTC().Format(time.RFC3339Nano)
		switch {
		case i%500 == 1:
			id = ""
		case i%700 == 2:
			tm = "later"
		}
		fmt.Fprintf(&b, "%s,%s,%s\n", id, tm, types.Strings[i])
	}
	path := filepath.Join(t.TempDir(), "events.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEventsMatchLocal runs job 1 with an events table not in time order
// and checks that its counts (Fit.Events: run.json's events block and the
// rejects by reason), each shard's events features and the rejected rows
// (file, row, reason, after the order lines') are the local run's
// (pipeline.JoinEvents), and that the events files are byte-identical
// whatever the cores Prism's workers get and its dynamic splitting.
func TestEventsMatchLocal(t *testing.T) {
	orders, _ := testStore(t)
	events := eventsExport(t, filepath.Dir(orders))
	var first []string
	withPrismSettings(t, func(t *testing.T) {
		cfg := Config{Orders: orders, Out: t.TempDir(), Shards: 5, MinShare: 0.01, Seed: 1, Events: events}
		sum, o, in := runWithLocal(t, cfg)
		ctx := context.Background()
		var rejects []data.Reject
		in, err := pipeline.JoinEvents(ctx, in, o.Events, nil, 1, func(r data.Reject) { rejects = append(rejects, r) }, nil)
		if err != nil {
			t.Fatal(err)
		}
		e, st := in.Events, in.Events.Agg.Stats()
		noOrders := 0
		for _, id := range e.Agg.IDs() {
			if _, ok := slices.BinarySearch(in.Table.IDs, id); !ok {
				noOrders++
			}
		}
		want := &EventsFit{Rows: e.Rows, Used: st.Used, Rejected: e.Rejected, AfterAsOf: st.AfterAsOf, UnknownType: st.UnknownType,
			NoOrders: int64(noOrders), Customers: int64(len(e.Agg.IDs())), RejectsByReason: in.Stats.RejectsByReason}
		if got := sum.Fit.Events; !reflect.DeepEqual(got, want) || want.Rejected == 0 || want.Used == 0 {
			t.Fatalf("events %+v: want %+v, with rejected and used events", got, want)
		}
		var got []data.Reject
		for rej, err := range ReadRejects(cfg.Out, sum) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, rej)
		}
		if !reflect.DeepEqual(got, rejects) {
			t.Fatalf("rejects %+v: want %+v", got, rejects)
		}
		var hashes []string
		seen := 0
		for k := range sum.Shards {
			part, err := readEventShard(context.Background(), &cfg, localFiles(cfg.Out), sum, k)
			if err != nil {
				t.Fatal(err)
			}
			ids := part.Agg.IDs()
			for _, id := range ids {
				if s := shardOf(id, len(sum.Shards)); s != k {
					t.Fatalf("customer %s in shard %d, want %d", id, k, s)
				}
			}
			g, err := part.Agg.Columns(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			w, err := e.Agg.Columns(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("shard %d: events features differ from the local run's", k)
			}
			seen += len(ids)
			hashes = append(hashes, fileHash(t, filepath.Join(cfg.Out, FeaturesDir, EventsName(k, len(sum.Shards)))))
		}
		if seen != len(e.Agg.IDs()) {
			t.Fatalf("%d customers in the shards, want %d", seen, len(e.Agg.IDs()))
		}
		if first == nil {
			first = hashes
		} else if !slices.Equal(hashes, first) {
			t.Fatalf("shard hashes %v, first run's %v", hashes, first)
		}
	})
}

// withPrismSettings runs fn as a subtest under Prism's default settings,
// then on one core without dynamic splitting (the runner's parallelism
// and splits, which no output may depend on).
func withPrismSettings(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	for _, r := range []struct {
		name        string
		maxProcs    int
		experiments string
	}{
		{"default", 0, ""},
		{"one core, no dynamic splitting", 1, "prism_disable_rtc,prism_disable_sdf_split"},
	} {
		t.Run(r.name, func(t *testing.T) {
			if r.maxProcs > 0 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(r.maxProcs))
			}
			*jobopts.Experiments = r.experiments
			defer func() { *jobopts.Experiments = "" }()
			fn(t)
		})
	}
}

// fileHash returns the SHA-256 of the file at path, in hex.
func fileHash(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// runWithLocal runs job 1 with cfg and returns its summary, with the
// options of the local run that matches cfg and that run's order table.
func runWithLocal(t *testing.T, cfg Config) (*Summary, pipeline.Options, *pipeline.Tables) {
	t.Helper()
	if err := runJob(t, cfg); err != nil {
		t.Fatal(err)
	}
	sum, err := ReadSummary(cfg.Out)
	if err != nil {
		t.Fatal(err)
	}
	o, err := cfg.Options()
	if err != nil {
		t.Fatal(err)
	}
	in, err := pipeline.AggregateOrders(context.Background(), &o, func(data.Reject) {})
	if err != nil {
		t.Fatal(err)
	}
	return sum, o, in
}
