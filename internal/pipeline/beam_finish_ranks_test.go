package pipeline

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// search is a search in rounds whose counts merge (report.ProfileRanks,
// report.RevenueRanks), as job 2 drives it.
type search[S any] interface {
	*S
	Done() bool
	Rounds() int
	EndRound() error
	Fork() *S
	Merge(*S) error
	MarshalBinary() ([]byte, error)
	UnmarshalBinary([]byte) error
}

// shardRounds runs up to rounds rounds of s over the assignment shards as
// job 2 does: each round, a Fork of the search per shard counts it
// (count), and the forks, encoded and decoded, are merged in reverse
// order.
func shardRounds[S any, P search[S]](t testing.TB, s P, shards []string, rounds int, count func(path string, fork *S) error) P {
	t.Helper()
	for !s.Done() && s.Rounds() < rounds {
		for i := len(shards) - 1; i >= 0; i-- {
			f := s.Fork()
			if err := count(shards[i], f); err != nil {
				t.Fatal(err)
			}
			b, err := P(f).MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var back S
			if err := P(&back).UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if err := s.Merge(&back); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.EndRound(); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// shardRanks runs up to rounds rounds of the search for the profiles'
// ranks of the clustered customers of the shards (ShardSearches).
func shardRanks(t testing.TB, cols []string, k int, shards []string, rounds int) *report.ProfileRanks {
	return shardRounds(t, report.NewProfileRanks(len(cols), k), shards, rounds, func(path string, f *report.ProfileRanks) error {
		return ShardSearches(context.Background(), path, ShardSearch{Transform: &features.Transform{Columns: cols}, Profile: f})
	})
}

// shardRevenue runs up to rounds rounds of the search for the revenue
// concentration of the customers with orders of the shards
// (ShardSearches).
func shardRevenue(t testing.TB, shards []string, rounds int) *report.RevenueRanks {
	return shardRounds(t, report.NewRevenueRanks(), shards, rounds, func(path string, f *report.RevenueRanks) error {
		return ShardSearches(context.Background(), path, ShardSearch{Revenue: f})
	})
}

// shardRFM runs up to rounds rounds of the search for the RFM rows'
// medians of the customers of the shards (ShardSearches).
func shardRFM(t testing.TB, shards []string, rounds int) *report.MedianRanks {
	return shardRounds(t, NewRFMRanks(), shards, rounds, func(path string, f *report.MedianRanks) error {
		return ShardSearches(context.Background(), path, ShardSearch{RFM: f})
	})
}

// shardQuality runs up to rounds rounds of the quality figures' search
// over the clustered customers of the shards (ShardSearches).
func shardQuality(t testing.TB, model *Model, seed uint64, shards []string, rounds int) *Quality {
	return shardRounds(t, ModelQuality(model, seed), shards, rounds, func(path string, f *Quality) error {
		return ShardSearches(context.Background(), path, ShardSearch{Transform: model.Transform, Quality: f})
	})
}

// TestFinishBeamRanksPasses: given job 2's finished profile ranks, the
// finish reads the shards for the profiles once, for the sums (not at all
// given job 2's sums too: its tally's), instead of
// once a round of the search (the narrowing passes and the positions'
// pass); given its revenue concentration or its quality figures, not at
// all for them. Given searches job 2 only began, it runs the rounds left.
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
		if _, err := r.revenue(); err != nil { // as the report and the plots ask for them
			t.Fatal(err)
		}
		if _, err := r.segmentFigures(); err != nil {
			t.Fatal(err)
		}
		return r.shards.scans.Load()
	}
	sums := f.Tally.t.sums
	if sums == nil {
		t.Fatal("job 2's tally has no report sums")
	}
	f.Tally.t.sums = nil // as a finish given no sums: a pass for them
	without := scans(f)
	for _, withSums := range []bool{false, true} {
		if withSums {
			f.Tally.t.sums = sums
		}
		all := shardRanks(t, f.Model.Transform.Columns, f.Model.K, f.Assignments, 20).Rounds()
		allRFM := shardRFM(t, f.Assignments, 20).Rounds()
		allRev := shardRevenue(t, f.Assignments, 20).Rounds()
		for _, rounds := range []int{20, 1} { // every round, the first
			f.ProfileRanks = shardRanks(t, f.Model.Transform.Columns, f.Model.K, f.Assignments, rounds)
			f.RevenueRanks = shardRevenue(t, f.Assignments, rounds)
			f.RFMRanks = shardRFM(t, f.Assignments, rounds)
			f.Quality = shardQuality(t, f.Model, o.Seed, f.Assignments, rounds)
			jp, jr, jm, jq := f.ProfileRanks.Rounds(), f.RevenueRanks.Rounds(), f.RFMRanks.Rounds(), f.Quality.Rounds()
			if rounds > 1 && (jp < 3 || jr < 2 || jm < 2 || !(f.ProfileRanks.Done() && f.RevenueRanks.Done() && f.RFMRanks.Done() && f.Quality.Done())) {
				t.Fatalf("the searches took %d, %d and %d rounds: too few to show the passes saved", jp, jr, jm)
			}
			// The quality's rounds left, the profiles, the revenue, the RFM
			// and group rows and the scores given to nobody read the shards
			// together (shardPasses.together): as many reads as the one that
			// makes the most. The profiles make at least one (their sums,
			// spread and shares); the RFM rows' sums are in the first of the
			// segments' passes; the scores received are job 2's tally's.
			reads := func(jp, jr, jm, jq int) int64 {
				if withSums { // job 2's sums: passes only for the searches' rounds left
					return int64(max(2-jq, all-jp, allRev-jr, allRFM-jm))
				}
				return int64(max(2-jq, max(1, all-jp), allRev-jr, max(1, allRFM-jm)))
			}
			allDone := f.ProfileRanks.Done() && f.RevenueRanks.Done() && f.RFMRanks.Done() && f.Quality.Done() // before the finish continues them
			with := scans(f)
			if want := reads(jp, jr, jm, jq); with != want || !withSums && without != reads(0, 0, 0, 0) {
				t.Errorf("job 2 ran %d, %d, %d and %d rounds: the finish read the shards %d times, %d without: want %d and %d", jp, jr, jm, jq, with, without, want, reads(0, 0, 0, 0))
			}
			// With every search done: one read, for the profiles' sums and
			// shares and the RFM and group rows; none with job 2's sums.
			if want := map[bool]int64{false: 1, true: 0}[withSums]; allDone && with != want {
				t.Errorf("job 2 did every search (its sums given: %v): the finish read the shards %d times, want %d", withSums, with, want)
			}
			t.Logf("job 2 ran %d, %d, %d and %d rounds (its sums given: %v); the finish read the shards %d times, %d without", jp, jr, jm, jq, withSums, with, without)
		}
	}
}

// BenchmarkFinishBeamRanks measures, on a generated store of 200,000
// customers (the local run's assignments split in four shards, as
// TestFinishBeamMatchesRun makes them), the finish's figures (beamResult,
// the revenue concentration and the RFM and group rows: not the writing
// of the files) when it finds the profiles' medians and positions, the
// revenue concentration, the RFM rows' medians and the quality figures
// and customer map itself
// ("finish-passes") and when job 2 found them ("finish-job2"), and job
// 2's rounds over the same shards, on one core here ("job2-rounds", each
// shard read once a round for every search, as job 2 does; "job2-rounds-apart",
// once a search; a runner spreads each round's shards over its workers). Outside CI:
//
//	go test ./internal/pipeline -run '^$' -bench FinishBeamRanks -benchtime 3x
func BenchmarkFinishBeamRanks(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 200_000, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	o := DefaultOptions()
	o.Orders, o.Out, o.K, o.Restarts = filepath.Join(dir, "orders.parquet"), filepath.Join(b.TempDir(), "out"), 6, 2
	if _, err := Run(ctx, o); err != nil {
		b.Fatal(err)
	}
	f := beamFinishOf(b, &o, 4)
	f.Fit = trimmedFit(f.Fit)
	figures := func(f BeamFinish) {
		r, err := beamResult(ctx, &o, f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.revenue(); err != nil {
			b.Fatal(err)
		}
		if _, err := r.segmentFigures(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("finish-passes", func(b *testing.B) {
		for b.Loop() {
			figures(f)
		}
	})
	cols, k := f.Model.Transform.Columns, f.Model.K
	b.Run("job2-rounds-apart", func(b *testing.B) { // each search reading the shards
		for b.Loop() {
			shardRanks(b, cols, k, f.Assignments, jobRoundsLimit)
			shardRevenue(b, f.Assignments, jobRoundsLimit)
			shardRFM(b, f.Assignments, jobRoundsLimit)
			shardQuality(b, f.Model, o.Seed, f.Assignments, jobRoundsLimit)
		}
	})
	b.Run("job2-rounds", func(b *testing.B) { // one read of a shard a round for all (ShardSearches)
		for b.Loop() {
			shardSearchRounds(b, f.Model, o.Seed, f.Assignments, jobRoundsLimit)
		}
	})
	f.ProfileRanks = shardRanks(b, cols, k, f.Assignments, jobRoundsLimit)
	f.RevenueRanks = shardRevenue(b, f.Assignments, jobRoundsLimit)
	f.RFMRanks = shardRFM(b, f.Assignments, jobRoundsLimit)
	f.Quality = shardQuality(b, f.Model, o.Seed, f.Assignments, jobRoundsLimit)
	b.Logf("job 2's rounds: %d of the profiles' search (done: %v), %d of the revenue's (done: %v), %d of the RFM rows' (done: %v)",
		f.ProfileRanks.Rounds(), f.ProfileRanks.Done(), f.RevenueRanks.Rounds(), f.RevenueRanks.Done(), f.RFMRanks.Rounds(), f.RFMRanks.Done())
	b.Run("finish-job2", func(b *testing.B) {
		for b.Loop() {
			figures(f)
		}
	})
}

// jobRoundsLimit is the rounds the scale-out runner's job 2 runs
// (beam/featurejob's jobRounds).
const jobRoundsLimit = 5

// TestShardSearchesTogether: the four searches counted together, each
// shard read once a round for all of them (ShardSearches), end as each
// counted alone, bit for bit.
func TestShardSearchesTogether(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := data.WriteGeneratedStore(ctx, dir, data.GenOptions{Customers: 3000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.Orders, o.Out, o.Workers, o.Restarts, o.K = filepath.Join(dir, "orders.parquet"), filepath.Join(t.TempDir(), "out"), 2, 2, 3
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	f := beamFinishOf(t, &o, 3)
	tr, k := f.Model.Transform, f.Model.K
	s := shardSearchRounds(t, f.Model, o.Seed, f.Assignments, 20)
	if !(s.Profile.Done() && s.Revenue.Done() && s.RFM.Done() && s.Quality.Done()) {
		t.Fatal("the searches are not done after 20 rounds")
	}
	for _, c := range []struct {
		name       string
		got, alone interface{ MarshalBinary() ([]byte, error) }
	}{
		{"profiles", s.Profile, shardRanks(t, tr.Columns, k, f.Assignments, 20)},
		{"revenue", s.Revenue, shardRevenue(t, f.Assignments, 20)},
		{"RFM rows", s.RFM, shardRFM(t, f.Assignments, 20)},
		{"quality", s.Quality, shardQuality(t, f.Model, o.Seed, f.Assignments, 20)},
	} {
		a, err := c.got.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.alone.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: counted with the others, not as alone", c.name)
		}
	}
	// Without the model's transform, the profiles' and quality's searches
	// are an error, not a panic.
	for _, s := range []ShardSearch{{Profile: report.NewProfileRanks(len(tr.Columns), k)}, {Quality: NewQuality(len(tr.Columns), k, o.Seed)}} {
		if err := ShardSearches(ctx, f.Assignments[0], s); err == nil || !strings.Contains(err.Error(), "transform") {
			t.Errorf("no transform: %v", err)
		}
	}
}

// shardSearchRounds runs up to rounds rounds of the four searches over
// the shards as job 2 does: each round, forks of them counted in one read
// of each shard (ShardSearches) and merged.
func shardSearchRounds(t testing.TB, model *Model, seed uint64, shards []string, rounds int) ShardSearch {
	t.Helper()
	tr, k := model.Transform, model.K
	s := ShardSearch{Transform: tr, Profile: report.NewProfileRanks(len(tr.Columns), k), Revenue: report.NewRevenueRanks(),
		RFM: NewRFMRanks(), Quality: ModelQuality(model, seed)}
	for r := 0; r < rounds && !(s.Profile.Done() && s.Revenue.Done() && s.RFM.Done() && s.Quality.Done()); r++ {
		for _, path := range shards {
			fork := ShardSearch{Transform: tr, Profile: s.Profile.Fork(), Revenue: s.Revenue.Fork(), RFM: s.RFM.Fork(), Quality: s.Quality.Fork()}
			if err := ShardSearches(context.Background(), path, fork); err != nil {
				t.Fatal(err)
			}
			for _, err := range []error{mergeUnlessDone(s.Profile, fork.Profile), mergeUnlessDone(s.Revenue, fork.Revenue),
				mergeUnlessDone(s.RFM, fork.RFM), mergeUnlessDone(s.Quality, fork.Quality)} {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, r := range []interface {
			Done() bool
			EndRound() error
		}{s.Profile, s.Revenue, s.RFM, s.Quality} {
			if !r.Done() {
				if err := r.EndRound(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return s
}

// mergeUnlessDone merges a fork's counts into s unless s is done.
func mergeUnlessDone[S interface {
	Done() bool
	Merge(S) error
}](s, fork S) error {
	if s.Done() {
		return nil
	}
	return s.Merge(fork)
}
