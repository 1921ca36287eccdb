package data

import (
	"bytes"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// referenceCSV is WriteCSV as it was written with encoding/csv: the bytes
// the faster writer must reproduce.
func referenceCSV(t *testing.T, tab *Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	rec := make([]string, len(tab.Columns))
	for j := range tab.Columns {
		rec[j] = tab.Columns[j].Name
	}
	if err := cw.Write(rec); err != nil {
		t.Fatal(err)
	}
	for i := range tab.NumRows() {
		for j := range tab.Columns {
			rec[j] = cellText(&tab.Columns[j], i)
		}
		if err := cw.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	cw.Flush()
	return buf.Bytes()
}

// TestWriteCSVMatchesEncodingCSV: on awkward strings (commas, quotes, line
// breaks, leading spaces, `\.`, non-ASCII spaces), floats of every kind and
// nulls, WriteCSV gives the bytes of encoding/csv.
func TestWriteCSVMatchesEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", " lead", "\tlead", `\.`, `\.x`, "\u00a0nbsp", "\u3000ideo", "é", `"`, `""`, "end,"}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 999999, -999999, 1e6, 1e6 - 0.5, 123456.75, 0.1, 1e-5, 1e21, 1e300, -3.5e-300,
		math.NaN(), math.Inf(1), math.Inf(-1), 42, 1 << 53, 0.30000000000000004}
	const n = 400
	tab := &Table{Columns: []Column{
		{Name: "id, with comma", Kind: KindString, Strings: make([]string, n), Nulls: make([]bool, n)},
		{Name: "x", Kind: KindFloat64, Floats: make([]float64, n), Nulls: make([]bool, n)},
		{Name: "k", Kind: KindInt64, Ints: make([]int64, n)},
		{Name: "b", Kind: KindBool, Bools: make([]bool, n)},
		{Name: "t", Kind: KindTime, Times: make([]time.Time, n), Nulls: make([]bool, n)},
	}}
	for i := range n {
		c := tab.Columns
		c[0].Strings[i], c[0].Nulls[i] = strs[rng.IntN(len(strs))], rng.IntN(9) == 0
		switch rng.IntN(3) {
		case 0:
			c[1].Floats[i] = floats[rng.IntN(len(floats))]
		case 1:
			c[1].Floats[i] = math.Round(rng.NormFloat64() * 1e5)
		default:
			c[1].Floats[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(30)-15))
		}
		c[1].Nulls[i] = rng.IntN(9) == 0
		c[2].Ints[i] = rng.Int64() - math.MaxInt64/2
		c[3].Bools[i] = rng.IntN(2) == 0
		c[4].Times[i] = time.Unix(rng.Int64N(2e9), rng.Int64N(1e9)).In(time.FixedZone("x", 3600))
		c[4].Nulls[i] = rng.IntN(9) == 0
	}
	var got bytes.Buffer
	if err := WriteCSV(&got, tab); err != nil {
		t.Fatal(err)
	}
	if want := referenceCSV(t, tab); !bytes.Equal(got.Bytes(), want) {
		t.Errorf("WriteCSV differs from encoding/csv:\n got %q\nwant %q", firstLineDiff(got.Bytes(), want), firstLineDiff(want, got.Bytes()))
	}
}

// firstLineDiff returns a's line where a and b first differ.
func firstLineDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range la {
		if i >= len(lb) || !bytes.Equal(la[i], lb[i]) {
			return string(la[i])
		}
	}
	return ""
}

// TestAppendFloat: the whole-number shortcut gives FormatFloat's text at
// and around its edges, and values of at most 12 significant digits are
// written as strconv writes them.
func TestAppendFloat(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -1, 7, 999999, -999999, 1e6, -1e6, 999999.5, 1e5, 123456, 1e15, 0.5,
		1e21, 1e-300, 12.34, 0.001234, 1234567.891, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got, want := string(appendFloat(nil, v)), strconv.FormatFloat(v, 'g', -1, 64); got != want {
			t.Errorf("appendFloat(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestFormatFloatDropsNoise: arithmetic noise in the 16th and 17th digits
// is rounded away; 12 significant digits are kept.
func TestFormatFloatDropsNoise(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0.1 + 0.2, "0.3"},
		{12.340000000000002, "12.34"},
		{-12.340000000000002, "-12.34"},
		{1.0 / 3, "0.333333333333"},
		{2.0 / 3, "0.666666666667"},
		{100.0 / 3, "33.3333333333"},
		{1e6 + 0.1, "1.0000001e+06"}, // 1000000.1 carries noise past the 12th digit
		{123456789.123456789, "1.23456789123e+08"},
		{0.000123456789012345, "0.000123456789012"},
		{1e-7 / 3, "3.33333333333e-08"},
		{99999999999.99999, "1e+11"}, // rounding carries into a new digit
		{4.35 * 100, "435"},          // 434.99999999999994
		{math.MaxFloat64, "1.79769313486e+308"},
		{5e-324, "5e-324"},
	} {
		if got := FormatFloat(c.v); got != c.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", c.v, got, c.want)
		}
		if got := string(appendFloat([]byte("x,"), c.v)); got != "x,"+c.want {
			t.Errorf("appendFloat after a prefix = %q, want %q", got, "x,"+c.want)
		}
	}
}

// TestAppendFloatMatchesDefinition: the one-pass formatting gives the text
// of FormatFloat's definition, strconv's shortest 'g' of the value rounded
// to 12 digits, on floats of every magnitude (normal and subnormal),
// values near rounding edges and whole numbers.
func TestAppendFloatMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	check := func(v float64) {
		t.Helper()
		want := strconv.FormatFloat(roundFloat(v), 'g', -1, 64)
		if got := string(appendFloat(nil, v)); got != want {
			t.Fatalf("appendFloat(%v [%b]) = %q, want %q", v, math.Float64bits(v), got, want)
		}
	}
	for _, v := range []float64{5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, math.MaxFloat64, -math.MaxFloat64,
		0.5, 0.99999999999995, 0.999999999999949, 9.99999999999995e5, 999999.999999999, 1e-4, 9.99999999999999e-5, 1e6 + 0.5,
		123456.5, 1e5 + 1e-7, 0.1 + 0.2, math.Copysign(0, -1), math.NaN(), math.Inf(-1)} {
		check(v)
		check(-v)
	}
	for range 200000 {
		var v float64
		switch rng.IntN(4) {
		case 0: // any bit pattern
			v = math.Float64frombits(rng.Uint64())
		case 1: // amounts with cents, and their arithmetic noise
			v = float64(rng.IntN(1e7)) / 100 * 3 / 3
		case 2: // means
			v = rng.ExpFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		default: // whole numbers, some above the shortcut
			v = math.Round(rng.NormFloat64() * 1e8)
		}
		check(v)
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	const n = 100000
	rng := rand.New(rand.NewPCG(1, 1))
	tab := &Table{}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "C" + strconv.Itoa(i)
	}
	tab.Columns = append(tab.Columns, Column{Name: "customer_id", Kind: KindString, Strings: ids})
	for j := range 20 {
		v := make([]float64, n)
		for i := range v {
			if j%2 == 0 {
				v[i] = float64(rng.IntN(400))
			} else {
				v[i] = rng.ExpFloat64() * 100
			}
		}
		tab.Columns = append(tab.Columns, Column{Name: "f" + strconv.Itoa(j), Kind: KindFloat64, Floats: v})
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteCSV(&buf, tab); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
