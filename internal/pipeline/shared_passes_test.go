package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/segment-tool/segment/cluster"
)

// TestSharePasses: fns that ask for 0 to 4 passes get, in each, every run
// of rows as a pass of their own would give it; the base is read as many
// times as the most passes any fn takes; a failing callback's error reaches
// every fn in that pass, a fn failing outside a pass fails the others'
// next passes without a read, and sharePasses returns the first fn's
// error.
func TestSharePasses(t *testing.T) {
	runs := [][]float64{{1, 2, 3}, {4, 5}, {6}}
	reads := 0
	base := cluster.RowPasses(func(yield func([]float64, []int) error) error {
		reads++
		for r, x := range runs {
			if err := yield(x, []int{r}); err != nil {
				return err
			}
		}
		return nil
	})
	// consumer takes passes passes, recording what each gives.
	consumer := func(passes int, got *[]string) func(cluster.RowPasses) error {
		return func(pass cluster.RowPasses) error {
			for p := range passes {
				err := pass(func(x []float64, labels []int) error {
					*got = append(*got, fmt.Sprint(p, x, labels))
					return nil
				})
				if err != nil {
					return err
				}
			}
			return nil
		}
	}
	counts := []int{2, 0, 3, 1, 4}
	alone := make([][]string, len(counts))
	for i, n := range counts {
		if err := consumer(n, &alone[i])(base); err != nil {
			t.Fatal(err)
		}
	}
	reads = 0
	got := make([][]string, len(counts))
	var fns []func(cluster.RowPasses) error
	for i, n := range counts {
		fns = append(fns, consumer(n, &got[i]))
	}
	if err := sharePasses(base, fns...); err != nil {
		t.Fatal(err)
	}
	for i := range counts {
		if !slices.Equal(got[i], alone[i]) {
			t.Errorf("fn %d (%d passes): got %v, alone %v", i, counts[i], got[i], alone[i])
		}
	}
	if reads != slices.Max(counts) {
		t.Errorf("the base read %d times for passes %v, want %d", reads, counts, slices.Max(counts))
	}

	boom := errors.New("boom")
	var second error
	err := sharePasses(base,
		func(pass cluster.RowPasses) error {
			return pass(func([]float64, []int) error { return boom })
		},
		func(pass cluster.RowPasses) error {
			second = pass(func([]float64, []int) error { return nil })
			return second
		})
	if !errors.Is(err, boom) || !errors.Is(second, boom) {
		t.Errorf("a failing pass: %v, the other fn's pass %v", err, second)
	}

	// A fn that fails outside a pass, before any (while the other waits)
	// or between two: the other's passes fail with its error at once, and
	// the base is read no more.
	for _, before := range []int{0, 1} {
		reads = 0
		var passes []error
		err := sharePasses(base,
			func(pass cluster.RowPasses) error {
				for range 3 {
					err := pass(func([]float64, []int) error { return nil })
					if passes = append(passes, err); err != nil {
						return err
					}
				}
				return nil
			},
			func(pass cluster.RowPasses) error {
				for range before {
					if err := pass(func([]float64, []int) error { return nil }); err != nil {
						return err
					}
				}
				return boom
			})
		if !errors.Is(err, boom) || reads != before || len(passes) != before+1 || !errors.Is(passes[before], boom) {
			t.Errorf("a fn failing after %d passes: %v, the base read %d times, the other's passes %v", before, err, reads, passes)
		}
	}
}
