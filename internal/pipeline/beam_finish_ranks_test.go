package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/report"
)

// shardRanks runs up to rounds rounds of the search for the profiles'
// ranks of the clustered customers of the assignment shards as job 2
// does: each round, a Fork of the search per shard counts it
// (ProfileShardRanks), and the forks, encoded and decoded, are merged in
// reverse order.
func shardRanks(t *testing.T, cols []string, k int, shards []string, rounds int) *report.ProfileRanks {
	t.Helper()
	ranks := report.NewProfileRanks(len(cols), k)
	for !ranks.Done() && ranks.Rounds() < rounds {
		for i := len(shards) - 1; i >= 0; i-- {
			f := ranks.Fork()
			if err := ProfileShardRanks(context.Background(), shards[i], cols, f); err != nil {
				t.Fatal(err)
			}
			b, err := f.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var back report.ProfileRanks
			if err := back.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if err := ranks.Merge(&back); err != nil {
				t.Fatal(err)
			}
		}
		if err := ranks.EndRound(); err != nil {
			t.Fatal(err)
		}
	}
	return ranks
}

// shardRevenue runs up to rounds rounds of the search for the revenue
// concentration of the customers with orders of the assignment shards as
// job 2 does (RevenueShardRanks), as shardRanks runs the profiles'.
func shardRevenue(t *testing.T, shards []string, rounds int) *report.RevenueRanks {
	t.Helper()
	ranks := report.NewRevenueRanks()
	for !ranks.Done() && ranks.Rounds() < rounds {
		for i := len(shards) - 1; i >= 0; i-- {
			f := ranks.Fork()
			if err := RevenueShardRanks(context.Background(), shards[i], f); err != nil {
				t.Fatal(err)
			}
			b, err := f.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var back report.RevenueRanks
			if err := back.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if err := ranks.Merge(&back); err != nil {
				t.Fatal(err)
			}
		}
		if err := ranks.EndRound(); err != nil {
			t.Fatal(err)
		}
	}
	return ranks
}

// TestFinishBeamRanksPasses: given job 2's finished profile ranks, the
// finish reads the shards for the profiles once, for the sums, instead of
// once a round of the search (the narrowing passes and the positions'
// pass); given its revenue concentration, not at all for it. Given
// searches job 2 only began, it runs the rounds left.
func TestFinishBeamRanksPasses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 6000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.Orders, o.Out, o.Workers, o.Restarts, o.K = filepath.Join(dir, "orders.parquet"), filepath.Join(t.TempDir(), "out"), 2, 2, 4
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	f := beamFinishOf(t, &o, 3)
	scans := func(f BeamFinish) int64 {
		t.Helper()
		r, err := beamResult(ctx, &o, f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.revenue(); err != nil { // as the report and the plots ask for it
			t.Fatal(err)
		}
		return r.shards.scans.Load()
	}
	without := scans(f)
	for _, rounds := range []int{20, 1} { // every round, the first
		f.ProfileRanks = shardRanks(t, f.Model.Transform.Columns, f.Model.K, f.Assignments, rounds)
		f.RevenueRanks = shardRevenue(t, f.Assignments, rounds)
		jp, jr := f.ProfileRanks.Rounds(), f.RevenueRanks.Rounds()
		if rounds > 1 && (jp < 3 || jr < 2) {
			t.Fatalf("the searches took %d and %d rounds: too few to show the passes saved", jp, jr)
		}
		with, saved := scans(f), int64(jp-1+jr)
		if without-with != saved {
			t.Errorf("job 2 ran %d and %d rounds: the finish read the shards %d times, %d without: want %d fewer", jp, jr, with, without, saved)
		}
		t.Logf("job 2 ran %d and %d rounds; the finish read the shards %d times, %d without", jp, jr, with, without)
	}
}
