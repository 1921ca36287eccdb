// Package selectk finds order statistics of numbers in linear time,
// without sorting them: the k-th smallest value, as slices.Sort would put
// at index k.
package selectk

import (
	"math/bits"
	"slices"
)

// Number is the values selectk orders: integers and floats.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// Select reorders x so that x[k] holds the value slices.Sort would put
// there, every value before it is ≤ x[k] and every value after it ≥ x[k];
// it returns x[k]. Floats must not be NaN; a float zero is returned as +0,
// whichever zero was at k (slices.Sort does not order −0 and +0 either).
func Select[T Number](x []T, k int) T {
	if k < 0 || k >= len(x) {
		panic("selectk: k out of range")
	}
	lo, hi := 0, len(x)-1
	budget := 2 * bits.Len(uint(len(x))) // partitions before falling back to a sort
	for hi-lo > 16 {
		if budget == 0 {
			slices.Sort(x[lo : hi+1])
			return plusZero(x[k])
		}
		budget--
		p := pivot(x, lo, hi)
		i, j := partition(x, lo, hi, p)
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default: // j < k < i: x[k] equals the pivot
			return plusZero(x[k])
		}
	}
	insertion(x[lo : hi+1])
	return plusZero(x[k])
}

// Median returns the median of x (the mean of the two middle values for
// an even count), reordering x; x must not be empty nor hold a NaN.
func Median[T ~float32 | ~float64](x []T) T {
	n := len(x)
	m := Select(x, n/2)
	if n%2 == 1 {
		return m
	}
	below := slices.Max(x[:n/2]) // the (n/2−1)-th: the largest of those before n/2
	return (below + m) / 2
}

// pivot returns the median of x[lo], x[mid] and x[hi] (the ninther of
// nine spread values for long ranges).
func pivot[T Number](x []T, lo, hi int) T {
	mid := lo + (hi-lo)/2
	if hi-lo > 128 {
		s := (hi - lo) / 8
		return med3(med3(x[lo], x[lo+s], x[lo+2*s]), med3(x[mid-s], x[mid], x[mid+s]), med3(x[hi-2*s], x[hi-s], x[hi]))
	}
	return med3(x[lo], x[mid], x[hi])
}

func med3[T Number](a, b, c T) T {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	if a > b {
		b = a
	}
	return b
}

// partition is Hoare's partition of x[lo..hi] around the value p: on return
// x[lo..j] ≤ p, x[i..hi] ≥ p and x[j+1..i−1] = p, with j < i.
func partition[T Number](x []T, lo, hi int, p T) (i, j int) {
	i, j = lo, hi
	for i <= j {
		for x[i] < p {
			i++
		}
		for x[j] > p {
			j--
		}
		if i <= j {
			x[i], x[j] = x[j], x[i]
			i++
			j--
		}
	}
	return i, j
}

// insertion sorts a short slice.
func insertion[T Number](x []T) {
	for i := 1; i < len(x); i++ {
		for j := i; j > 0 && x[j] < x[j-1]; j-- {
			x[j], x[j-1] = x[j-1], x[j]
		}
	}
}

// plusZero returns v, with a float's −0 as +0.
func plusZero[T Number](v T) T {
	if v == 0 {
		return 0
	}
	return v
}
