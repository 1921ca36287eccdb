package data

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// A last bit-packed run padded past the values expected (DuckDB pads to
// 256) is taken, while one padded further (a hostile page: parquet-go
// sizes its output by the run), a repeated run past them, any run after a
// padded one, a bit-packed run starting past them, or a run past the
// bytes is refused.
func TestHybridRunsPadding(t *testing.T) {
	const bw, n = 3, 100
	packed := func(groups int) []byte { // a bit-packed run of groups×8 zeros
		return append(binary.AppendUvarint(nil, uint64(groups)<<1|1), make([]byte, groups*bw)...)
	}
	repeated := func(count int) []byte { // a repeated run of count zeros
		return append(binary.AppendUvarint(nil, uint64(count)<<1), 0)
	}
	runs := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	tests := []struct {
		name string
		b    []byte
		want string // "" for no error
	}{
		{"padded to 256 for 100 values", packed(32), ""},
		{"a repeated run, then a padded run", runs(repeated(90), packed(32)), ""},
		{"a repeated run past the values", repeated(n + runSlack + 1), "a run of 165 values where at most 164 are left"},
		{"a repeated run after a padded one", runs(packed(32), repeated(1)), "a run of 1 values after the 164 values expected"},
		{"a bit-packed run after the values", runs(repeated(n+runSlack), packed(1)), "a bit-packed run after the 164 values expected"},
		{"a bit-packed run past its bytes", packed(32)[:50], "a bit-packed run of 32 groups of 8 values with 49 bytes left"},
		{"padding far past the values", packed(1 << 17), "a bit-packed run of 1048576 values where at most 164 are left"},
		{"padded to 256 past the values", runs(repeated(n+runSlack-1), packed(32)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := hybridRuns(tt.b, bw, n+runSlack, nil, nil)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("hybridRuns: %v, want %q", err, tt.want)
			}
		})
	}
	levels := append(binary.AppendUvarint(nil, 32<<1|1), make([]byte, 32)...) // 256 zero levels of 1 bit
	if below, err := (levelCount{}).scan(levels, n, 1); err != nil || below != n {
		t.Errorf("levelCount.scan of a padded run = %d, %v; want %d nulls", below, err, n)
	}
}

// testdata/duckdb_padded.parquet was written by DuckDB 1.5.6 (COPY … TO
// (FORMAT parquet), its defaults): 100 rows whose dictionary indexes and
// definition levels end in bit-packed runs padded to 256 values. It was
// refused as damaged; every row reads, with DuckDB's sums.
func TestReadDuckDBPaddedRuns(t *testing.T) {
	var lines, withCategory int
	var cents int64
	customers := map[string]bool{}
	_, err := ReadOrders(context.Background(), OrderSource{Path: filepath.Join("testdata", "duckdb_padded.parquet")}, func(batch []OrderLine) error {
		for _, l := range batch {
			lines++
			cents += int64(math.Round(l.Amount * 100))
			customers[l.CustomerID] = true
			if l.Category != "" {
				withCategory++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// DuckDB: count(*) 100, sum(amount) 445, 37 customers; category null
	// on every fifth row.
	if lines != 100 || cents != 44500 || len(customers) != 37 || withCategory != 80 {
		t.Errorf("read %d lines, %d cents, %d customers, %d with a category; want 100, 44500, 37, 80", lines, cents, len(customers), withCategory)
	}
}
