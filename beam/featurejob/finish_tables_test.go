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
	seen := map[bool]int{}
	for trial := range 40 {
		// Orders "o<k>", the table "t<k>"; on one side some ids are
		// padded ("00<k>", "0<k>") and on the other some are plain
		// numbers ("<k>"): a padded id matches once its zeros are dropped
		// when the other side has its number.
		orders, table := map[string]bool{}, map[string]bool{}
		padOrders := trial%2 == 0
		for range 1 + rng.IntN(2500) {
			k := strconv.Itoa(rng.IntN(1000))
			id := "o" + k
			switch {
			case padOrders && rng.IntN(20) == 0:
				id = "00" + k
			case !padOrders && rng.IntN(20) == 0:
				id = k
			}
			orders[id] = true
		}
		for range 1 + rng.IntN(2500) {
			k := strconv.Itoa(rng.IntN(1000))
			id := "t" + k
			switch {
			case padOrders && rng.IntN(50) == 0:
				id = k
			case !padOrders && rng.IntN(50) == 0:
				id = "0" + k
			}
			table[id] = true
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
	}
	if seen[true] < 5 || seen[false] < 5 {
		t.Fatalf("trials by leading zeros %v: the cases do not test both outcomes", seen)
	}
}
