package data

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// parquetSeeds are the seed corpus of the Parquet fuzz targets: valid
// order files in each codec, page version and encoding segment meets,
// with nulls and several row groups, then the hostile files, truncated
// files and files with a wrong magic.
func parquetSeeds(t testing.TB) [][]byte {
	nullable := orderFixture(
		fixCol{"customer_id", parquet.Optional(parquet.Encoded(parquet.String(), &parquet.RLEDictionary)), func(i int) parquet.Value {
			if i%5 == 4 {
				return parquet.NullValue()
			}
			return strVal(fmt.Sprintf("C%d", i%3))
		}},
		fixCol{"amount", parquet.Optional(parquet.Leaf(parquet.DoubleType)), func(i int) parquet.Value {
			if i%7 == 6 {
				return parquet.NullValue()
			}
			return f64Val(float64(i) / 4)
		}},
		fixCol{"order_id", parquet.Encoded(parquet.String(), &parquet.Plain), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", i)) }},
		fixCol{"time", parquet.Encoded(parquet.String(), &parquet.DeltaByteArray), func(i int) parquet.Value { return strVal("2011-12-09 12:50:00") }},
	)
	withQty := append(orderFixture(fixCol{name: "amount"}),
		fixCol{"quantity", parquet.Encoded(parquet.Int(64), &parquet.DeltaBinaryPacked), func(i int) parquet.Value { return i64Val(int64(i%4 - 1)) }},
		fixCol{"unit_price", parquet.Leaf(parquet.FloatType), func(i int) parquet.Value { return parquet.FloatValue(2.5) }},
		fixCol{"in_stock", parquet.Leaf(parquet.BooleanType), func(i int) parquet.Value { return parquet.BooleanValue(i%2 == 0) }},
	)
	var seeds [][]byte
	for _, opts := range [][]parquet.WriterOption{
		{parquet.Compression(&parquet.Uncompressed)},
		{parquet.Compression(&parquet.Snappy), parquet.DataPageVersion(1)},
		{parquet.Compression(&parquet.Gzip), parquet.MaxRowsPerRowGroup(7)},
		{parquet.Compression(&parquet.Zstd), parquet.PageBufferSize(64)},
		{parquet.Compression(&parquet.Lz4Raw), parquet.DataPageVersion(1)},
		{parquet.Compression(&parquet.Brotli)},
	} {
		seeds = append(seeds, parquetBytes(t, 20, nullable, opts...), parquetBytes(t, 20, withQty, opts...))
	}
	if len(seeds) != validSeeds {
		t.Fatalf("%d valid seeds, want %d", len(seeds), validSeeds)
	}
	good := seeds[0]
	for _, hf := range hostileFiles(t) {
		seeds = append(seeds, hf.data)
	}
	wrong := append([]byte("PAR0"), good[4:]...)
	seeds = append(seeds, good[:len(good)/2], good[:len(good)-1], good[:12], wrong, []byte("PAR1PAR1"), nil)
	return seeds
}

// validSeeds is the number of valid files at the start of parquetSeeds.
const validSeeds = 12

// fuzzParquetFile writes b to a file in dir for one fuzz input.
func fuzzParquetFile(t *testing.T, dir string, b []byte) string {
	limitFuzzWorker(t)
	path := filepath.Join(dir, "fuzz.parquet")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// FuzzReadOrdersParquet feeds damaged Parquet files to the order reader:
// it may fail, but only with an error naming the file, and what it accepts
// is sane: counts add up, ids are not blank and amounts are finite.
func FuzzReadOrdersParquet(f *testing.F) {
	for _, b := range parquetSeeds(f) {
		f.Add(b)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := fuzzParquetFile(t, dir, b)
		var n int64
		stats, err := ReadOrders(context.Background(), OrderSource{Path: path, BatchSize: 5}, func(batch []OrderLine) error {
			for _, l := range batch {
				if CleanID(l.CustomerID) == "" || CleanID(l.OrderID) == "" || math.IsNaN(l.Amount) || math.IsInf(l.Amount, 0) {
					t.Errorf("accepted line %+v", l)
				}
			}
			n += int64(len(batch))
			return nil
		})
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		if stats.RowsUsed != n || stats.RowsRead != stats.RowsUsed+stats.RowsRejected {
			t.Errorf("stats %+v after %d lines", stats, n)
		}
	})
}

// FuzzReadTableParquet feeds damaged Parquet files to the optional-table
// reader and to Inspect: errors name the file, and an accepted table is
// valid (named columns of equal length).
func FuzzReadTableParquet(f *testing.F) {
	for _, b := range parquetSeeds(f) {
		f.Add(b)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := fuzzParquetFile(t, dir, b)
		tab, err := ReadTable(context.Background(), path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("ReadTable: error %q does not name the file", err)
			}
		} else if err := tab.Validate(); err != nil {
			t.Errorf("ReadTable accepted an invalid table: %v", err)
		}
		in, err := Inspect(context.Background(), path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("Inspect: error %q does not name the file", err)
			}
			return
		}
		if in.Rows < 0 || in.Format != "parquet" {
			t.Errorf("Inspect: %+v", in)
		}
	})
}

var fuzzLimitOnce sync.Once

// fuzzMemory caps a fuzz worker's address space, so that an input that
// makes parquet-go allocate gigabytes crashes the worker at once (and is
// reported as a failing input) instead of swapping the machine.
const fuzzMemory = 4 << 30

// limitFuzzWorker applies fuzzMemory in a fuzz worker process, once. The
// race detector maps far more address space, so it is left alone there.
func limitFuzzWorker(t *testing.T) {
	fuzzLimitOnce.Do(func() {
		if fl := flag.Lookup("test.fuzzworker"); fl == nil || fl.Value.String() != "true" || raceEnabled {
			return
		}
		if err := limitAddressSpace(fuzzMemory); err != nil {
			t.Logf("no address space limit: %v", err)
		}
	})
}
