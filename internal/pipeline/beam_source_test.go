package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/config"
)

// TestBeamColumnArgs checks that the -column flags of a mapping, read
// back by SetBeamColumn from the default mapping as segment-beam does,
// give the same mapping (the zero value: the default) and the same
// attributes mapped explicitly, and that the default mapping needs no
// flag.
func TestBeamColumnArgs(t *testing.T) {
	def := data.DefaultOrderColumns()
	renamed := def
	renamed.CustomerID, renamed.Time, renamed.Amount, renamed.City = "Kunde", "ts=utc", "", "Ort"
	tests := []struct {
		name     string
		cols     func() data.OrderColumns
		mapped   [3]bool
		wantArgs int // -1: some
	}{
		{"default", func() data.OrderColumns { return def }, [3]bool{}, 0},
		{"zero value", func() data.OrderColumns { return data.OrderColumns{} }, [3]bool{}, 0},
		{"renamed, amount not read", func() data.OrderColumns { return renamed }, [3]bool{true, false, false}, -1},
		{"two discount columns", func() data.OrderColumns { c := def; c.Discount = []string{"d1", "d2"}; return c }, [3]bool{}, 4},
		{"no discount column", func() data.OrderColumns { c := def; c.Discount = []string{}; return c }, [3]bool{}, 2},
		{"channel mapped by its own name", func() data.OrderColumns { return def }, [3]bool{false, false, true}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.cols()
			args := beamColumnArgs(c, tc.mapped)
			if tc.wantArgs >= 0 && len(args) != tc.wantArgs || tc.wantArgs < 0 && len(args) == 0 {
				t.Fatalf("args %q: want %d (-1: some)", args, tc.wantArgs)
			}
			got, mapped, discounts := data.DefaultOrderColumns(), [3]bool{}, 0
			for i := 0; i < len(args); i += 2 {
				if args[i] != "-column" {
					t.Fatalf("args %q: want -column flags", args)
				}
				if err := SetBeamColumn(&got, &mapped, &discounts, args[i+1]); err != nil {
					t.Fatal(err)
				}
			}
			want := c
			if reflect.DeepEqual(c, data.OrderColumns{}) {
				want = def
			}
			if !reflect.DeepEqual(got, want) || mapped != tc.mapped {
				t.Errorf("read back %+v, mapped %v: want %+v, %v", got, mapped, want, tc.mapped)
			}
		})
	}
	var c data.OrderColumns
	var mapped [3]bool
	n := 0
	for _, bad := range []string{"customer_id", "kunde=Kunde"} {
		if err := SetBeamColumn(&c, &mapped, &n, bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("-column %q: got %v, want an error naming it", bad, err)
		}
	}
}

// TestBeamSourceArgs checks the flags of the CSV dialect, duplicates and
// the feature options: none for the defaults; a sale_days list, even an
// empty one, is passed (nil is the default days).
func TestBeamSourceArgs(t *testing.T) {
	tests := []struct {
		name string
		set  func(o *Options)
		want []string
	}{
		{"defaults", func(*Options) {}, nil},
		{"dialect", func(o *Options) { o.CSV = data.CSVDialect{Delimiter: '\t', Decimal: ','} }, []string{"-delimiter", "tab", "-decimal", ","}},
		{"encoding", func(o *Options) { o.CSV = data.CSVDialect{Encoding: data.EncodingWindows1252} }, []string{"-encoding", "windows-1252"}},
		{"duplicates", func(o *Options) { o.Duplicates = data.DropDuplicates }, []string{"-duplicates", "drop"}},
		{"sale days", func(o *Options) { o.SaleDays = []string{"2024-07-01", "2024-07-02"} }, []string{"-sale-days=2024-07-01,2024-07-02"}},
		{"no sale days", func(o *Options) { o.SaleDays = []string{} }, []string{"-sale-days="}},
		{"trend days, peak season", func(o *Options) { o.TrendDays, o.PeakSeason = 45, [2]string{"06-01", "08-31"} },
			[]string{"-trend-days", "45", "-peak-season", "06-01,08-31"}},
		{"products", func(o *Options) {
			o.Products = &config.Table{Path: "p.csv", Columns: map[string]string{"product_id": "sku", "category": "Gruppe"}}
		}, []string{"-products", "p.csv", "-product-column", "category=Gruppe", "-product-column", "product_id=sku"}},
		{"tables' times", func(o *Options) {
			o.CustomersPath, o.CustomerTimeFormat, o.CustomerTimezone = "c.csv", "%m/%d/%Y", "America/Chicago"
			o.Events = &config.Table{Path: "e.csv", TimeFormat: "unix_ms"}
		}, []string{"-customers", "c.csv", "-customer-time-format", "%m/%d/%Y", "-customer-timezone", "America/Chicago",
			"-events", "e.csv", "-event-time-format", "unix_ms"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			tc.set(&o)
			if got := beamSourceArgs(&o); !slices.Equal(got, tc.want) {
				t.Errorf("args %q, want %q", got, tc.want)
			}
		})
	}
}

// TestBeamArgsPrevious checks that segment-beam gets the previous run
// resolved as a local run resolves it (-out when it holds a run, a
// folder given, none), since its own -out is the staging folder.
func TestBeamArgsPrevious(t *testing.T) {
	out, other := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "model.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, previous, out string
		want                string // "": no -previous
	}{
		{"-out holds a run", "", out, out},
		{"-out holds none", "", other, ""},
		{"a folder given", other, out, other},
		{"none", "none", out, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			o.Orders, o.Previous, o.Out = "o.parquet", tc.previous, tc.out
			args, err := beamArgs(&o, BeamRun{Runner: "prism"})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if i := slices.Index(args, "-previous"); i >= 0 {
				got = args[i+1]
			}
			if got != tc.want {
				t.Errorf("-previous %q, want %q", got, tc.want)
			}
		})
	}
}
