package features

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// mustTable builds a Table from columns or fails the test.
func mustTable(t *testing.T, ids, names []string, cols ...[]float64) *Table {
	t.Helper()
	tab, err := FromColumns(ids, names, cols)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// colStats returns the mean and population variance of column j of an
// n×d row-major matrix.
func colStats(x []float64, n, d, j int) (mean, variance float64) {
	for i := range n {
		mean += x[i*d+j]
	}
	mean /= float64(n)
	for i := range n {
		variance += (x[i*d+j] - mean) * (x[i*d+j] - mean)
	}
	return mean, variance / float64(n)
}

func TestTransformKnownValues(t *testing.T) {
	e := math.E
	ids := []string{"a", "b", "c", "d"}
	// monetary is chosen so that its signed log1p is 0, 1, −1, 2.
	tab := mustTable(t, ids, []string{Frequency, Monetary, DiscountRatio},
		[]float64{1, 2, 3, 4}, []float64{0, e - 1, -(e - 1), e*e - 1}, []float64{0.5, 0.5, 0.5, 0.5})

	// Both columns have mean 2.5 (resp. 0.5) and population variance
	// ((1.5²+0.5²)·2)/4 = 1.25.
	sd := math.Sqrt(1.25)
	cases := []struct {
		name string
		spec Spec
		want [][]float64 // rows
	}{
		{
			name: "log1p on monetary, z-scores",
			spec: Spec{Use: []string{Frequency, Monetary}, Log1p: []string{Monetary}, Scale: true},
			want: [][]float64{{-1.5 / sd, -0.5 / sd}, {-0.5 / sd, 0.5 / sd}, {0.5 / sd, -1.5 / sd}, {1.5 / sd, 1.5 / sd}},
		},
		{
			// Default log1p covers frequency and monetary: log1p(1..4).
			name: "default log1p, no scaling",
			spec: Spec{Use: []string{Monetary, Frequency}},
			want: [][]float64{{0, math.Log(2)}, {1, math.Log(3)}, {-1, math.Log(4)}, {2, math.Log(5)}},
		},
		{
			name: "identity",
			spec: Spec{Use: []string{Frequency, Monetary}, Log1p: []string{}},
			want: [][]float64{{1, 0}, {2, e - 1}, {3, -(e - 1)}, {4, e*e - 1}},
		},
		{
			// A constant column is centred and keeps scale 1: all zeros.
			name: "constant column",
			spec: Spec{Use: []string{DiscountRatio}, Scale: true},
			want: [][]float64{{0}, {0}, {0}, {0}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, err := FitTransform(tab, c.spec)
			if err != nil {
				t.Fatal(err)
			}
			x, err := tr.Apply(tab, nil)
			if err != nil {
				t.Fatal(err)
			}
			d := len(c.want[0])
			if len(tr.Columns) != d || len(x) != len(ids)*d {
				t.Fatalf("columns %v, len(x) = %d; want %d columns", tr.Columns, len(x), d)
			}
			for i, r := range c.want {
				for j, w := range r {
					if g := x[i*d+j]; math.Abs(g-w) > 1e-12 {
						t.Errorf("x[%d][%d] = %v, want %v", i, j, g, w)
					}
				}
			}
		})
	}
}

// mixTable has three mix columns (one constant) and two others.
func mixTable(t *testing.T) *Table {
	ids := []string{"a", "b", "c", "d", "e"}
	return mustTable(t, ids,
		[]string{Frequency, "mix_books", "mix_toys", "mix_food", MixOther, Monetary},
		[]float64{1, 1, 2, 5, 9},
		[]float64{0.5, 0.1, 0, 1, 0.25},
		[]float64{0.5, 0.2, 0.6, 0, 0.25},
		[]float64{0, 0, 0, 0, 0},
		[]float64{0, 0.7, 0.4, 0, 0.5},
		[]float64{10, -5, 300, 7, 0},
	)
}

func TestTransformCategoryBlock(t *testing.T) {
	tab := mixTable(t)
	tr, err := FitTransform(tab, Spec{Use: []string{Monetary, CategoryMix, Frequency}, Scale: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCols := []string{Monetary, "mix_books", "mix_toys", "mix_food", MixOther, Frequency}
	if !reflect.DeepEqual(tr.Columns, wantCols) {
		t.Fatalf("Columns = %v, want %v", tr.Columns, wantCols)
	}
	x, err := tr.Apply(tab, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, d := tab.N(), len(tr.Columns)
	block := 0.0
	for j, name := range tr.Columns {
		mean, v := colStats(x, n, d, j)
		if math.Abs(mean) > 1e-12 {
			t.Errorf("%s: mean %v, want 0", name, mean)
		}
		switch name {
		case Monetary, Frequency:
			if math.Abs(v-1) > 1e-12 {
				t.Errorf("%s: variance %v, want 1", name, v)
			}
		case "mix_food": // constant
			if v != 0 || tr.Scale[j] != 1 {
				t.Errorf("constant mix_food: variance %v, scale %v; want 0, 1", v, tr.Scale[j])
			}
		default:
			// Three varying mix columns share the block's variance.
			if math.Abs(v-1.0/3) > 1e-12 {
				t.Errorf("%s: variance %v, want 1/3", name, v)
			}
		}
		if strings.HasPrefix(name, MixPrefix) {
			block += v
		}
	}
	if math.Abs(block-1) > 1e-12 {
		t.Errorf("category_mix block total variance %v, want 1", block)
	}
	for j, name := range tr.Columns {
		if tr.Log1p[j] != (name == Monetary || name == Frequency) {
			t.Errorf("%s: log1p %v with the default set", name, tr.Log1p[j])
		}
	}
}

func TestApplyLeavesTableAndReusesDst(t *testing.T) {
	tab := mixTable(t)
	before, err := json.Marshal(tab)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := FitTransform(tab, Spec{Use: []string{Frequency, Monetary, CategoryMix}, Scale: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := tr.Apply(tab, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(tab)
	if string(before) != string(after) {
		t.Error("FitTransform or Apply modified the table")
	}

	dst := make([]float64, 3, len(want)+10)
	got, err := tr.Apply(tab, dst)
	if err != nil {
		t.Fatal(err)
	}
	if &got[0] != &dst[:1][0] {
		t.Error("Apply allocated although dst had enough capacity")
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("Apply into dst differs from Apply into nil")
	}

	// A transform saved to JSON and read back (model.json) applies the same.
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	var back Transform
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got, err = back.Apply(tab, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the transform read back from JSON applies differently")
	}
}

func TestTransformNoNaN(t *testing.T) {
	// Every column constant, including the whole mix block, and a single row.
	cases := []struct {
		name string
		tab  *Table
	}{
		{"constant columns", mustTable(t, []string{"a", "b", "c"}, []string{Frequency, "mix_x", MixOther},
			[]float64{0, 0, 0}, []float64{1, 1, 1}, []float64{0, 0, 0})},
		{"one customer", mustTable(t, []string{"a"}, []string{Frequency, "mix_x", MixOther},
			[]float64{3}, []float64{0.2}, []float64{0.8})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, err := FitTransform(c.tab, Spec{Use: []string{Frequency, CategoryMix}, Scale: true})
			if err != nil {
				t.Fatal(err)
			}
			x, err := tr.Apply(c.tab, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range x {
				if v != 0 {
					t.Errorf("x[%d] = %v, want 0 for a constant column", k, v)
				}
			}
		})
	}
}

func TestTransformErrors(t *testing.T) {
	tab := mixTable(t)
	noMix := mustTable(t, []string{"a"}, []string{Frequency}, []float64{1})
	cases := []struct {
		name    string
		tab     *Table
		spec    Spec
		unknown bool
		msg     string
	}{
		{"unknown feature", tab, Spec{Use: []string{Frequency, "frequncy"}}, true, `"frequncy"`},
		{"unknown log1p feature", tab, Spec{Use: []string{Frequency}, Log1p: []string{"monetry"}}, true, `"monetry" in log1p`},
		{"category_mix without mix columns", noMix, Spec{Use: []string{CategoryMix}}, true, "no mix_ columns"},
		{"no features", tab, Spec{}, false, "no features to use"},
		{"feature twice", tab, Spec{Use: []string{Frequency, Frequency}}, false, `"frequency" used twice`},
		{"mix column twice", tab, Spec{Use: []string{"mix_toys", CategoryMix}}, false, `"mix_toys" used twice`},
		{"empty table", &Table{}, Spec{Use: []string{Frequency}}, false, "no customers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := FitTransform(c.tab, c.spec)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrUnknownFeature) != c.unknown || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q: want ErrUnknownFeature %v and %q", err, c.unknown, c.msg)
			}
		})
	}

	good, err := FitTransform(tab, Spec{Use: []string{Frequency, Monetary}, Scale: true})
	if err != nil {
		t.Fatal(err)
	}
	applyCases := []struct {
		name string
		tr   Transform
		tab  *Table
		msg  string
	}{
		{"missing column", *good, noMix, `no column "monetary"`},
		{"zero scale", Transform{Columns: []string{Frequency}, Log1p: []bool{false}, Center: []float64{0}, Scale: []float64{0}}, tab, "scale 0"},
		{"NaN centre", Transform{Columns: []string{Frequency}, Log1p: []bool{false}, Center: []float64{math.NaN()}, Scale: []float64{1}}, tab, "centre NaN"},
		{"lengths differ", Transform{Columns: []string{Frequency}, Scale: []float64{1}}, tab, "malformed"},
		{"overflow", Transform{Columns: []string{Monetary}, Log1p: []bool{false}, Center: []float64{0}, Scale: []float64{1e-320}}, tab, "transforms to"},
		// Columns are transformed concurrently; the error is the first column's.
		{"first column's overflow", Transform{Columns: []string{Frequency, Monetary}, Log1p: []bool{false, false}, Center: []float64{0, 0}, Scale: []float64{1, 1e-320}}, tab, `column "monetary"`},
		{"first of two overflows", Transform{Columns: []string{Monetary, Frequency}, Log1p: []bool{false, false}, Center: []float64{0, 0}, Scale: []float64{1e-320, 1e-320}}, tab, `column "monetary"`},
	}
	for _, c := range applyCases {
		t.Run("apply/"+c.name, func(t *testing.T) {
			_, err := c.tr.Apply(c.tab, nil)
			if err == nil || !strings.HasPrefix(err.Error(), "features: ") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want one containing %q", err, c.msg)
			}
		})
	}
}

// TestFeaturesToMatrix runs the whole package on the hand-computed store.
func TestFeaturesToMatrix(t *testing.T) {
	tab := aggregate(t, Options{AsOf: knownAsOf, TopCategories: 2}, knownLines())
	spec := Spec{Use: []string{RecencyDays, Frequency, Monetary, AOV, DiscountRatio, CategoryMix}, Scale: true}
	tr, err := FitTransform(tab, spec)
	if err != nil {
		t.Fatal(err)
	}
	x, err := tr.Apply(tab, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 5 features + the 3 mix columns (toys, home_garden, other).
	if d := len(tr.Columns); d != 8 || len(x) != tab.N()*d {
		t.Fatalf("d = %d, len(x) = %d; want 8 and %d", d, len(x), tab.N()*8)
	}
	for k, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("x[%d] = %v", k, v)
		}
	}
	// monetary is −35 for carol: the signed log1p keeps it finite and
	// negative: x = (−log1p(35) − center) / scale.
	j := 2
	i := 0 // carol, c100, sorts first
	want := (-math.Log1p(35) - tr.Center[j]) / tr.Scale[j]
	if tr.Columns[j] != Monetary || math.Abs(x[i*8+j]-want) > 1e-12 {
		t.Errorf("carol's monetary: %v, want %v", x[i*8+j], want)
	}
}

// TestTransformWorkers checks that the transform and the matrix do not
// depend on the number of columns transformed at once.
func TestTransformWorkers(t *testing.T) {
	tab := aggregate(t, Options{AsOf: knownAsOf, TopCategories: 2}, knownLines())
	spec := Spec{Use: []string{RecencyDays, Frequency, Monetary, AOV, DiscountRatio, CategoryMix}, Scale: true, Clip: 0.1}
	fit := func(procs int) (*Transform, []float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		tr, err := FitTransform(tab, spec)
		if err != nil {
			t.Fatal(err)
		}
		x, err := tr.Apply(tab, nil)
		if err != nil {
			t.Fatal(err)
		}
		return tr, x
	}
	tr1, x1 := fit(1)
	for _, procs := range []int{2, 8} {
		tr, x := fit(procs)
		if !reflect.DeepEqual(tr, tr1) || !reflect.DeepEqual(x, x1) {
			t.Errorf("GOMAXPROCS %d: the transform or matrix differs from one worker's", procs)
		}
	}
}

// TestApplyBlocks checks Apply on a table of several row blocks: the
// matrix does not depend on the number of workers, and the error is the
// first column's, at its first bad row, even when a later column fails in
// an earlier block.
func TestApplyBlocks(t *testing.T) {
	n := 3*applyRows + 17
	tab := &Table{Names: []string{Frequency, Monetary, AOV}, IDs: make([]string, n), Cols: make([][]float64, 3)}
	for j := range tab.Cols {
		tab.Cols[j] = make([]float64, n)
	}
	for i := range n {
		tab.IDs[i] = fmt.Sprintf("c%05d", i)
		tab.Cols[0][i] = float64(i % 7)
		tab.Cols[1][i] = float64(i*i%1013) - 100
		tab.Cols[2][i] = math.Sqrt(float64(i))
	}
	tr, err := FitTransform(tab, Spec{Use: tab.Names, Scale: true, Clip: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	apply := func(procs int) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		x, err := tr.Apply(tab, nil)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	x1 := apply(1)
	for i := range n {
		for j := range 3 {
			if want := (tr.g(j, tab.Cols[j][i]) - tr.Center[j]) / tr.Scale[j]; x1[i*3+j] != want {
				t.Fatalf("x[%d][%d] = %v, want %v", i, j, x1[i*3+j], want)
			}
		}
	}
	for _, procs := range []int{2, 8} {
		if x := apply(procs); !reflect.DeepEqual(x, x1) {
			t.Errorf("GOMAXPROCS %d: the matrix differs from one worker's", procs)
		}
	}

	bad := *tr
	bad.Lo, bad.Hi = nil, nil
	tab.Cols[2][5] = math.Inf(1)            // a later column, first block
	tab.Cols[1][2*applyRows+3] = math.NaN() // an earlier column, a later block
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		_, err := bad.Apply(tab, nil)
		want := fmt.Sprintf(`customer "c%05d", column %q`, 2*applyRows+3, Monetary)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("GOMAXPROCS %d: error %v, want one containing %s", procs, err, want)
		}
	}
}
