package features

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestFromColumns(t *testing.T) {
	ids := []string{"b", "c", "a"}
	names := []string{"frequency", "monetary"}
	cols := [][]float64{{2, 3, 1}, {20, 30, 10}}
	idsIn, namesIn := slices.Clone(ids), slices.Clone(names)
	colsIn := [][]float64{slices.Clone(cols[0]), slices.Clone(cols[1])}

	tab, err := FromColumns(ids, names, cols)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "b", "c"}; !slices.Equal(tab.IDs, want) {
		t.Errorf("IDs = %v, want %v", tab.IDs, want)
	}
	if got := tab.Col("monetary"); !slices.Equal(got, []float64{10, 20, 30}) {
		t.Errorf("monetary = %v, want rows moved with their ids: [10 20 30]", got)
	}
	if got := tab.Col("frequency"); !slices.Equal(got, []float64{1, 2, 3}) {
		t.Errorf("frequency = %v, want [1 2 3]", got)
	}
	if tab.Col("recency_days") != nil {
		t.Error("Col of an absent name is not nil")
	}
	if tab.N() != 3 {
		t.Errorf("N = %d, want 3", tab.N())
	}
	if !reflect.DeepEqual(ids, idsIn) || !reflect.DeepEqual(names, namesIn) || !reflect.DeepEqual(cols, colsIn) {
		t.Error("FromColumns modified its arguments")
	}
	cols[0][0] = 99
	if slices.Contains(tab.Col("frequency"), 99) {
		t.Error("the table shares memory with its input columns")
	}
}

func TestFromColumnsErrors(t *testing.T) {
	cases := []struct {
		name  string
		ids   []string
		names []string
		cols  [][]float64
		msg   string // the error must contain it
	}{
		{"no rows", nil, []string{"a"}, [][]float64{{}}, "no customers"},
		{"no columns", []string{"x"}, nil, nil, "no feature columns"},
		{"names and columns differ", []string{"x"}, []string{"a", "b"}, [][]float64{{1}}, "2 column names but 1 columns"},
		{"short column", []string{"x", "y"}, []string{"a"}, [][]float64{{1}}, `"a" has 1 values for 2 ids`},
		{"empty name", []string{"x"}, []string{""}, [][]float64{{1}}, "empty name"},
		{"repeated name", []string{"x"}, []string{"a", "a"}, [][]float64{{1}, {2}}, `"a" appears twice`},
		{"empty id", []string{"x", ""}, []string{"a"}, [][]float64{{1, 2}}, "row 2 has an empty customer id"},
		{"id not UTF-8", []string{"x", "y\xff"}, []string{"a"}, [][]float64{{1, 2}}, "row 2: customer id \"y\\xff\" is not valid UTF-8"},
		{"id with a NUL byte", []string{"x", "y\x00"}, []string{"a"}, [][]float64{{1, 2}}, "row 2: customer id \"y\\x00\" holds a NUL byte"},
		{"repeated id", []string{"x", "y", "x"}, []string{"a"}, [][]float64{{1, 2, 3}}, `"x" appears twice`},
		{"NaN", []string{"x", "y"}, []string{"a"}, [][]float64{{1, math.NaN()}}, `column "a", customer "y" (row 2)`},
		{"Inf", []string{"x", "y"}, []string{"a"}, [][]float64{{math.Inf(-1), 1}}, "not finite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := FromColumns(c.ids, c.names, c.cols)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "features: ") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q, want the features prefix and %q", err, c.msg)
			}
		})
	}
	if _, err := FromColumns(nil, []string{"a"}, [][]float64{{}}); !errors.Is(err, ErrNoCustomers) {
		t.Errorf("empty table: error %v is not ErrNoCustomers", err)
	}
}
