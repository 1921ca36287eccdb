package data

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// readBothWays reads the order file at path through the pages the guard
// kept and through parquet-go's pages (keepLimit 0), and returns both.
func readBothWays(t *testing.T, src OrderSource) (kept, paged readResult) {
	t.Helper()
	kept = readResultOf(t, src)
	defer func(limit int) { keepLimit = limit }(keepLimit)
	keepLimit = 0
	paged = readResultOf(t, src)
	return kept, paged
}

type readResult struct {
	lines   []OrderLine
	rejects []Reject
	stats   ReadStats
	err     error
}

func readResultOf(t *testing.T, src OrderSource) readResult {
	lines, rejects, stats, err := readAll(t, src)
	return readResult{lines, rejects, stats, err}
}

// TestKeptPagesMatchParquetGo reads every valid fuzz seed (each codec,
// page version and encoding the reader meets, with nulls, several row
// groups and pages) and order files with a dictionary that overflows into
// plain pages, both through the guard's kept pages and through
// parquet-go's: the lines, rejects and stats are the same.
func TestKeptPagesMatchParquetGo(t *testing.T) {
	dir := t.TempDir()
	seeds := parquetSeeds(t)[:validSeeds]
	manyIDs := orderFixture(fixCol{"customer_id", parquet.Optional(parquet.Encoded(parquet.String(), &parquet.RLEDictionary)), func(i int) parquet.Value {
		if i%11 == 10 {
			return parquet.NullValue()
		}
		return strVal(fmt.Sprintf("customer-%06d", i)) // distinct: the dictionary grows past its page
	}})
	seeds = append(seeds,
		parquetBytes(t, 3000, manyIDs, parquet.Compression(&parquet.Zstd), parquet.PageBufferSize(4096), parquet.MaxRowsPerRowGroup(1000)),
		parquetBytes(t, 3000, manyIDs, parquet.Compression(&parquet.Snappy), parquet.DataPageVersion(1), parquet.PageBufferSize(1024)))
	for i, b := range seeds {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("seed-%d.parquet", i))
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			before := keptPagesDecoded.Load()
			kept, paged := readBothWays(t, OrderSource{Path: path, BatchSize: 7})
			if keptPagesDecoded.Load() == before {
				t.Fatal("no kept page was decoded: the file was read through parquet-go's pages both times")
			}
			if kept.err != nil || paged.err != nil {
				t.Fatalf("kept: %v; parquet-go: %v", kept.err, paged.err)
			}
			if len(kept.lines) == 0 {
				t.Fatal("no lines read")
			}
			if !reflect.DeepEqual(kept, paged) {
				t.Errorf("kept pages read %d lines, %d rejects, %+v; parquet-go %d, %d, %+v",
					len(kept.lines), len(kept.rejects), kept.stats, len(paged.lines), len(paged.rejects), paged.stats)
			}
		})
	}
}

// TestKeptPagesDamaged flips bytes of valid files: whatever the kept
// pages accept, parquet-go's pages accept the same way, and a file one
// path refuses the other refuses too.
func TestKeptPagesDamaged(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 14))
	seeds := parquetSeeds(t)[:validSeeds]
	mutations := 40
	if testing.Short() {
		mutations = 8
	}
	for i, good := range seeds {
		for m := range mutations {
			b := append([]byte(nil), good...)
			for range 1 + rng.IntN(3) {
				b[4+rng.IntN(len(b)-8)] ^= byte(1 + rng.IntN(255))
			}
			path := filepath.Join(dir, fmt.Sprintf("seed-%d-%d.parquet", i, m))
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			kept, paged := readBothWays(t, OrderSource{Path: path, BatchSize: 5})
			if (kept.err == nil) != (paged.err == nil) {
				t.Errorf("seed %d, mutation %d: kept pages: %v; parquet-go: %v", i, m, kept.err, paged.err)
				continue
			}
			if kept.err == nil && !reflect.DeepEqual(kept, paged) {
				t.Errorf("seed %d, mutation %d: the paths read different lines", i, m)
			}
		}
	}
}
