package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// TestScanTableAhead: the pieces ScanTableAhead gives are ScanTable's, in
// order, one call at a time; an error from fn stops the scan early and is
// returned, as is a cancelled context; no goroutine is left behind.
func TestScanTableAhead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.parquet")
	writeFixture(t, path, 1000, []fixCol{
		{"customer_id", parquet.String(), func(i int) parquet.Value { return parquet.ByteArrayValue(fmt.Appendf(nil, "c%04d", i)) }},
		{"views", parquet.Int(64), func(i int) parquet.Value { return parquet.Int64Value(int64(i)) }},
	}, parquet.MaxRowsPerRowGroup(100))
	type piece struct {
		t     *Table
		first int64
	}
	var want, got []piece
	if err := ScanTable(context.Background(), path, func(t *Table, first int64) error { want = append(want, piece{t, first}); return nil }); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	busy := false
	err := ScanTableAhead(context.Background(), path, false, func(tab *Table, first int64) error {
		if busy {
			t.Error("fn called while a call runs")
		}
		busy = true
		time.Sleep(time.Millisecond) // the scan reads ahead meanwhile
		got, busy = append(got, piece{tab, first}), false
		return nil
	})
	if err != nil || len(want) != 10 || !reflect.DeepEqual(got, want) {
		t.Fatalf("error %v; %d pieces, want the %d of ScanTable in order", err, len(got), len(want))
	}

	stop := errors.New("stop")
	calls := 0
	err = ScanTableAhead(context.Background(), path, false, func(*Table, int64) error {
		if calls++; calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Errorf("fn failing at the third piece: error %v after %d calls, want stop after 3", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = ScanTableAhead(ctx, path, false, func(*Table, int64) error {
		if calls++; calls == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls > 4 {
		t.Errorf("cancelled at the second piece: error %v after %d calls", err, calls)
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left running, %d before", n, before)
	}
}
