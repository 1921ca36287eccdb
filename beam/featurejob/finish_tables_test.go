package featurejob

import (
	"context"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/segment-tool/segment/features"
)

// TestFinishMismatch: the finishing step's mismatch, from feature shards
// on disk and a table read a shard at a time, is FindIDMismatch's on the
// whole id lists, with the leading-zeros pattern on either side (padded
// order ids or padded table ids), within or beyond the first
// features.MismatchSample ids; each of the table's shards is read at most
// twice.
func TestFinishMismatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	const n = 4 // shards
	seen, beyond := map[bool]int{}, 0
	for trial := range 40 {
		// One side pads some ids with zeros ("00<k>", "0<k>"), which sort
		// first, among its first ids; the other side writes some as plain
		// numbers ("<k>"), which sort after its other ids ("#…"), beyond
		// its first features.MismatchSample ids when it has more: a padded
		// id matches once its zeros are dropped when the other side has
		// its number, wherever that number is.
		orders, table := map[string]bool{}, map[string]bool{}
		padOrders := trial%2 == 0
		for range 1 + rng.IntN(2500) {
			k := strconv.Itoa(rng.IntN(1000))
			switch {
			case padOrders && rng.IntN(20) == 0:
				orders["00"+k] = true
			case padOrders:
				orders["o"+k] = true
			case rng.IntN(20) == 0:
				orders[k] = true
			default:
				orders["#o"+strconv.Itoa(rng.IntN(5000))] = true
			}
		}
		for range 1 + rng.IntN(2500) {
			k := strconv.Itoa(rng.IntN(1000))
			switch {
			case !padOrders && rng.IntN(50) == 0:
				table["0"+k] = true
			case !padOrders:
				table["t"+k] = true
			case rng.IntN(50) == 0:
				table[k] = true
			default:
				table["#t"+strconv.Itoa(rng.IntN(5000))] = true
			}
		}
		if slices.ContainsFunc(slices.Collect(maps.Keys(table)), func(id string) bool { return orders[id] }) {
			continue // sharing an id: not a mismatch
		}
		out := t.TempDir()
		if err := os.MkdirAll(filepath.Join(out, FeaturesDir), 0o755); err != nil {
			t.Fatal(err)
		}
		sum := &Summary{}
		byShard := make([][]featureRow, n)
		for _, id := range slices.Sorted(maps.Keys(orders)) {
			k := shardOf(id, n)
			byShard[k] = append(byShard[k], featureRow{ID: id, Values: []float64{1}})
		}
		for k := range n {
			b, err := tableBytes("shard", shardTable([]string{"frequency"}, byShard[k]))
			if err != nil {
				t.Fatal(err)
			}
			sum.Shards = append(sum.Shards, shardName(k, n))
			if err := os.WriteFile(filepath.Join(out, FeaturesDir, shardName(k, n)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		tableShards := make([][]string, n)
		for _, id := range slices.Sorted(maps.Keys(table)) {
			tableShards[shardOf(id, n)] = append(tableShards[shardOf(id, n)], id)
		}
		reads := make([]int, n)
		got, err := finishMismatch(context.Background(), out, sum, func(k int) ([]string, error) {
			reads[k]++
			return tableShards[k], nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := features.FindIDMismatch(slices.Sorted(maps.Keys(orders)), slices.Sorted(maps.Keys(table)))
		if got == nil || *got != *want {
			t.Fatalf("trial %d: %+v, want %+v", trial, got, want)
		}
		if slices.Max(reads) > 2 {
			t.Fatalf("trial %d: the table's shards read %v times", trial, reads)
		}
		seen[want.LeadingZeros]++
		if want.LeadingZeros && !features.FindIDMismatch(firstOf(orders), firstOf(table)).LeadingZeros {
			beyond++ // the match lies beyond a side's first ids
		}
	}
	if seen[true] < 5 || seen[false] < 5 || beyond < 3 {
		t.Fatalf("trials by leading zeros %v, %d with the match beyond the first ids: the cases do not test every outcome", seen, beyond)
	}
}

// firstOf returns the first features.MismatchSample ids of set, sorted.
func firstOf(set map[string]bool) []string {
	ids := slices.Sorted(maps.Keys(set))
	return ids[:min(len(ids), features.MismatchSample)]
}
