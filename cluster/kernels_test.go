package cluster

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFitSameWithoutAssembly: a fit through the Go kernels gives the same
// bits as through the assembly ones, AVX2 or AVX-512 (all do the same
// arithmetic).
func TestFitSameWithoutAssembly(t *testing.T) {
	if !useAVX {
		t.Skip("no assembly kernels (-tags purego, not amd64, or no AVX and FMA)")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	n, d := 5000, 7
	x := make([]float64, n*d)
	for i := range x {
		x[i] = rng.NormFloat64() + float64(i%d)
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = float64(1 + i%3)
	}
	defer func() { useAVX, useAVX512 = cpuAVX, cpuAVX512 }()
	for _, k := range []int{3, 11} { // 3 and 4 k-means++ candidates per step
		for _, weights := range [][]float64{nil, w} {
			km := KMeans{K: k, Restarts: 3, Seed: 4, Workers: 2}
			fit := func(avx, avx512 bool) *Result {
				useAVX, useAVX512 = avx, avx512
				r, err := km.Fit(context.Background(), x, n, d, weights)
				if err != nil {
					t.Fatal(err)
				}
				return r
			}
			b := fit(false, false)
			for _, avx512 := range []bool{false, true} {
				if avx512 && !cpuAVX512 {
					continue
				}
				a := fit(true, avx512)
				if !sameBits(a.Centroids, b.Centroids) || a.Inertia != b.Inertia || a.Iterations != b.Iterations || !slices.Equal(a.Labels, b.Labels) {
					t.Fatalf("K=%d weighted=%v AVX-512=%v: assembly fit (inertia %v, %d iterations) differs from Go fit (inertia %v, %d iterations)",
						k, weights != nil, avx512, a.Inertia, a.Iterations, b.Inertia, b.Iterations)
				}
			}
		}
	}
}

// TestSeedKernelsMatchGo compares the seeding potentials and updates of the
// assembly kernel with the Go code, bit for bit, with and without weights
// and for odd row counts.
func TestSeedKernelsMatchGo(t *testing.T) {
	if !useAVX {
		t.Skip("no assembly kernels (-tags purego, not amd64, or no AVX and FMA)")
	}
	defer func() { useAVX = true }()
	rng := rand.New(rand.NewPCG(8, 8))
	for _, d := range []int{1, 4, 12, 13} {
		n := 101
		x := make([]float64, n*d)
		for i := range x {
			x[i] = rng.NormFloat64() * 10
		}
		w := make([]float64, n)
		for i := range w {
			w[i] = rng.Float64() * 3
		}
		closest := make([]float64, n)
		for i := range closest {
			closest[i] = rng.Float64() * float64(d) * 200
		}
		var cands [4][]float64
		for t := range cands {
			cands[t] = x[(7*t+3)*d : (7*t+4)*d]
		}
		ct := make([]float64, 4*d)
		candT(ct, d, &cands)
		for _, weights := range [][]float64{nil, w} {
			p := &problem{x: x, n: n, d: d, w: weights}
			for _, span := range [][2]int{{0, n}, {5, 6}, {10, 43}} {
				var a, b [4]float64
				useAVX = true
				p.seedPots(span[0], span[1], &cands, ct, closest, &a)
				useAVX = false
				p.seedPots(span[0], span[1], &cands, ct, closest, &b)
				if !sameBits(a[:], b[:]) {
					t.Fatalf("d=%d rows %v weighted=%v: kernel potentials %v, Go %v", d, span, weights != nil, a, b)
				}
			}
		}
		one := [4][]float64{cands[2], cands[2], cands[2], cands[2]}
		candT(ct, d, &one)
		c1, c2 := slices.Clone(closest), slices.Clone(closest)
		p := &problem{x: x, n: n, d: d}
		useAVX = true
		p.seedUpdate(0, n, ct, cands[2], c1)
		useAVX = false
		p.seedUpdate(0, n, ct, cands[2], c2)
		if !sameBits(c1, c2) || slices.Equal(c1, closest) {
			t.Fatalf("d=%d: kernel update differs from Go (or changed nothing)", d)
		}
	}
}

// TestAssignExactSameAsScan: the kernel-first assignment equals the plain
// exact scan, ties included (a duplicated centroid, rows equidistant from
// two centroids, large offsets that stress the norm formula).
func TestAssignExactSameAsScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	n, d, k := 3000, 3, 6
	x := make([]float64, n*d)
	for i := range n {
		switch i % 3 {
		case 0: // on the plane equidistant from centroids 0 and 1
			x[i*d], x[i*d+1], x[i*d+2] = 0.5, float64(rng.IntN(5)), float64(rng.IntN(5))
		case 1: // near the plane between centroids 3 and 4, far from 0
			deltas := []float64{0, 1e-7, -1e-7, 1e-5, -1e-5, 1e-3, -1e-3}
			x[i*d] = 1e6 + 0.5 + deltas[rng.IntN(len(deltas))]
			x[i*d+1], x[i*d+2] = 1e6+rng.NormFloat64(), 1e6+rng.NormFloat64()
		default:
			for j := range d {
				x[i*d+j] = rng.NormFloat64() * 2
			}
		}
	}
	centers := []float64{0, 1, 1, 1, 1, 1, 0, 1, 1, 1e6, 1e6, 1e6, 1e6 + 1, 1e6, 1e6, 2, 2, 2}
	centers[6], centers[7], centers[8] = centers[0], centers[1], centers[2] // centroid 2 duplicates 0
	p := newProblem(x, n, d, nil, 1e-4)
	labels, dist2 := make([]int, n), make([]float64, n)
	got := p.assignExact(labels, dist2, nil, centers, k, 2)
	var want float64
	for i := range n {
		best, bestv := 0, math.Inf(1)
		for c := range k {
			if v := sqdist(x[i*d:(i+1)*d], centers[c*d:(c+1)*d]); v < bestv {
				best, bestv = c, v
			}
		}
		if labels[i] != best || dist2[i] != bestv {
			t.Fatalf("row %d %v: label %d dist2 %v, exact scan %d %v", i, x[i*d:(i+1)*d], labels[i], dist2[i], best, bestv)
		}
		want += bestv
	}
	if !relClose(got, want, 1e-12) {
		t.Fatalf("inertia %v, exact scan %v", got, want)
	}
}

// TestNearestFusedMatchesGo: the assembly searches (AVX2, AVX-512 with and
// without prefetching, rows in order with and without padding) give the Go code's bits and flag the rows whose
// nearest centroid is not their label,
// with one block of eight centroids or several: first index of the minimum
// (ties, a duplicated centroid, padding), clamped squared distance and both
// square roots.
func TestNearestFusedMatchesGo(t *testing.T) {
	if !useAVX {
		t.Skip("no assembly kernels (-tags purego, not amd64, or no AVX and FMA)")
	}
	defer func() { useAVX, useAVX512 = cpuAVX, cpuAVX512 }()
	rng := rand.New(rand.NewPCG(13, 13))
	for _, d := range []int{1, 5, 12} {
		for _, k := range []int{2, 5, 8, 9, 16, 21, 70} {
			n := 203
			x := make([]float64, n*d)
			for i := range x {
				x[i] = float64(rng.IntN(5)) // many exact ties
				if i%7 == 0 {
					x[i] = rng.NormFloat64() * 1e3
				}
			}
			centers := make([]float64, k*d)
			for i := range centers {
				centers[i] = float64(rng.IntN(5))
			}
			// Rows 0..k−2 are centroids 0..k−2 with non-integer values (their
			// ‖x‖² + ‖c‖² − 2x·c rounds a little below or above 0), and the
			// last centroid duplicates the first: both bounds get clamped.
			for i := range (k - 1) * d {
				x[i] = rng.NormFloat64() * 7
			}
			copy(centers, x[:(k-1)*d])
			copy(centers[(k-1)*d:], centers[:d])
			for i := 0; i < n/2; i += 3 { // more rows within 1e-9 of centroid 0
				for j := range d {
					x[(k+i)*d+j] = x[j] * (1 + 1e-9*rng.NormFloat64())
				}
			}
			p := newProblem(x, n, d, nil, 1e-4)
			kp := (k + 7) / 8 * 8
			cnorm, ct, cnp := make([]float64, k), make([]float64, d*kp), make([]float64, kp)
			transpose(centers, k, d, kp, cnorm, ct, cnp)
			// Rows 0..202 padded to 208, or rows 3..202 in order, which need
			// no padding: the AVX-512 kernel reads them without indices.
			var rows []int32
			for i := 3 * (k % 2); i < n; i++ {
				rows = append(rows, int32(i))
			}
			m := len(rows)
			rows = padRows(rows)
			labels := make([]int32, n+8) // the labels of a pass that moves some rows
			for i := range labels {
				labels[i] = int32(rng.IntN(k))
			}
			run := func(avx, avx512, inOrder bool) *searchScratch {
				useAVX, useAVX512 = avx, avx512
				sc := &searchScratch{best: make([]int32, len(rows)), bestv: make([]float64, len(rows)),
					up: make([]float64, len(rows)), lo: make([]float64, len(rows)), chg: make([]uint8, len(rows)/8),
					inOrder: inOrder}
				nearest(x, d, rows, m, ct, kp, cnp, p.xnorm, labels, sc)
				return sc
			}
			b := run(false, false, false)
			for _, kernel := range []struct {
				name            string
				avx512, inOrder bool
			}{{"AVX2", false, false}, {"AVX-512", true, false}, {"AVX-512 prefetching", true, true}} {
				if kernel.avx512 && !cpuAVX512 {
					continue
				}
				a := run(true, kernel.avx512, kernel.inOrder)
				for r := range m {
					label := labels[int(rows[0])+r]
					changed := func(sc *searchScratch) bool { return sc.chg[r/8]>>(r%8)&1 == 1 }
					if changed(a) != changed(b) || changed(b) != (b.best[r] != label) {
						t.Fatalf("d=%d k=%d row %d: %s says changed %v, Go %v (label %d, best %d)", d, k, rows[r], kernel.name,
							changed(a), changed(b), label, b.best[r])
					}
					if a.best[r] != b.best[r] || !sameBits(
						[]float64{a.bestv[r], a.up[r], a.lo[r]}, []float64{b.bestv[r], b.up[r], b.lo[r]}) {
						t.Fatalf("d=%d k=%d row %d: %s (%d %v %v %v), Go (%d %v %v %v)", d, k, rows[r], kernel.name,
							a.best[r], a.bestv[r], a.up[r], a.lo[r], b.best[r], b.bestv[r], b.up[r], b.lo[r])
					}
				}
			}
		}
	}
}

// TestNearestGoMatchesPlain: nearestGo, which sums eight centroids at
// once, gives the bits of the plain loop over one centroid at a time (the
// code it replaced) on every platform, with and without the assembly: ties
// (a duplicated centroid, integer data), padding (cn = +Inf), values that
// overflow to ±Inf or give NaN, and a K that is no multiple of 8 (nearest
// never passes one; nearestGo handles the rest one centroid at a time).
func TestNearestGoMatchesPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 17))
	for _, d := range []int{1, 5, 12} {
		for _, kp := range []int{5, 8, 13, 16, 24} {
			n := 101
			x := make([]float64, n*d)
			for i := range x {
				x[i] = float64(rng.IntN(5) - 2)
				if i%5 == 0 {
					x[i] = rng.NormFloat64() * 100
				}
			}
			x[3*d] = 1e308 // row 3 overflows: sums of ±Inf
			ct, cn := make([]float64, d*kp), make([]float64, kp)
			for i := range ct {
				ct[i] = float64(rng.IntN(5) - 2)
			}
			for c := range cn {
				for j := range d {
					cn[c] += ct[j*kp+c] * ct[j*kp+c]
				}
			}
			for j := range d { // centroid kp−1 duplicates centroid 0
				ct[j*kp+kp-1] = ct[j*kp]
			}
			cn[kp-1] = cn[0]
			// Centroid 1 has cn = +Inf, as padding does; with row 3 its
			// sum is +Inf too, and Inf − 2·Inf is NaN.
			ct[1], cn[1] = 2, math.Inf(1)
			xnorm := make([]float64, n)
			for i := range n {
				xnorm[i] = dot(x[i*d:(i+1)*d], x[i*d:(i+1)*d])
			}
			rows := make([]int32, n)
			for r := range rows {
				rows[r] = int32((r * 37) % n) // out of order
			}
			run := func(f func([]float64, int, []int32, []float64, int, []float64, []float64, *searchScratch)) *searchScratch {
				sc := &searchScratch{best: make([]int32, n), bestv: make([]float64, n), up: make([]float64, n), lo: make([]float64, n)}
				f(x, d, rows, ct, kp, cn, xnorm, sc)
				return sc
			}
			a, b := run(nearestGo), run(nearestPlain)
			if !slices.Equal(a.best, b.best) || !sameBits(a.bestv, b.bestv) || !sameBits(a.up, b.up) || !sameBits(a.lo, b.lo) {
				for r := range rows {
					if a.best[r] != b.best[r] || !sameBits([]float64{a.bestv[r], a.up[r], a.lo[r]}, []float64{b.bestv[r], b.up[r], b.lo[r]}) {
						t.Fatalf("d=%d kp=%d row %d: nearestGo (%d %v %v %v), plain (%d %v %v %v)", d, kp, rows[r],
							a.best[r], a.bestv[r], a.up[r], a.lo[r], b.best[r], b.bestv[r], b.up[r], b.lo[r])
					}
				}
			}
		}
	}
}

// nearestPlain is nearestGo as it was first written, one centroid at a
// time: the reference for TestNearestGoMatchesPlain.
func nearestPlain(x []float64, d int, rows []int32, ct []float64, kp int, cn, xnorm []float64, sc *searchScratch) {
	for r, i := range rows {
		row := x[int(i)*d : (int(i)+1)*d]
		best, bestv, second := 0, math.Inf(1), math.Inf(1)
		for c := range kp {
			var s float64
			for j, v := range row {
				s = math.FMA(v, ct[j*kp+c], s)
			}
			if v := cn[c] - 2*s; v < bestv {
				best, bestv, second = c, v, bestv
			} else if v < second {
				second = v
			}
		}
		d2 := max(xnorm[i]+bestv, 0)
		sc.best[r], sc.bestv[r] = int32(best), d2
		sc.up[r], sc.lo[r] = math.Sqrt(d2), math.Sqrt(max(xnorm[i]+second, 0))
	}
}

// TestNearestChecksRows: a row index outside x panics before the assembly
// reads memory it does not own, with every kernel.
func TestNearestChecksRows(t *testing.T) {
	defer func() { useAVX, useAVX512 = cpuAVX, cpuAVX512 }()
	n, d, kp := 10, 3, 8
	x := make([]float64, n*d)
	p := newProblem(x, n, d, nil, 0)
	ct, cn := make([]float64, d*kp), make([]float64, kp)
	for _, bad := range []int32{-1, int32(n)} {
		for _, avx512 := range []bool{false, true} {
			useAVX, useAVX512 = cpuAVX, avx512 && cpuAVX512
			rows := padRows(append(make([]int32, 0, 8), 0, 1, bad))
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("row %d (AVX-512 %v): no panic", bad, useAVX512)
					}
				}()
				nearest(x, d, rows, 3, ct, kp, cn, p.xnorm, nil, newSearchScratch())
			}()
		}
	}
}

// TestBoundsKernelMatchesGo: the AVX-512 bounds test decides as hamerly,
// row for row (bounds at, just below and just above the threshold, labels
// of every centroid), stores the moved bounds of the rows that pass and
// nothing for the others, appends the others' indices in order, and stops
// after the group that fills the room.
func TestBoundsKernelMatchesGo(t *testing.T) {
	if !cpuAVX512 {
		t.Skip("no AVX-512 kernels (-tags purego, not amd64, or no AVX-512)")
	}
	rng := rand.New(rand.NewPCG(15, 15))
	const n, k, first = 800, 11, 1000
	moved, half := make([]float64, k), make([]float64, k)
	for c := range k {
		moved[c], half[c] = rng.Float64(), 1+rng.Float64()
	}
	maxMoved, margin2 := slices.Max(moved), 2*boundsMargin*3.7
	// Centroid 0 did not move and is margin2 from the others: a row of it
	// with both bounds 0 sits exactly at the threshold (0 < 0 fails).
	// Centroid 1 neither: a row with bounds 0.5 and 0 passes only without
	// margin2.
	moved[0], half[0] = 0, margin2
	moved[1], half[1] = 0, 0.5+0.5*boundsMargin+margin2/2
	labels := make([]int32, n)
	upper, lower := make([]float64, n), make([]float64, n)
	for i := range n {
		a := rng.IntN(k)
		labels[i] = int32(a)
		upper[i], lower[i] = rng.Float64(), 1+rng.Float64()
		if i%3 == 0 {
			// u exactly at the threshold max(half, l) − margin·u − margin2,
			// or one step either side of it.
			l := lower[i] - maxMoved
			thr := max(half[a], l)
			u := thr / (1 + boundsMargin)
			for u+moved[a] < max(half[a], l)-boundsMargin*(u+moved[a])-margin2 {
				u = math.Nextafter(u, math.Inf(1))
			}
			upper[i] = math.Nextafter(u-moved[a], float64(i%2)*math.Inf(1)-float64(1-i%2)*math.Inf(1))
		}
		switch i % 5 {
		case 1:
			labels[i], upper[i], lower[i] = 0, 0, 0
		case 2:
			labels[i], upper[i], lower[i] = 1, 0.5, 0
		}
	}
	wantUp, wantLo := slices.Clone(upper), slices.Clone(lower)
	var wantRows []int32
	for i := range n {
		u, l, ok := hamerly(wantUp[i], wantLo[i], moved[labels[i]], half[labels[i]], maxMoved, margin2)
		if ok {
			wantUp[i], wantLo[i] = u, l
		} else {
			wantRows = append(wantRows, int32(first+i))
		}
	}
	if len(wantRows) < n/10 || len(wantRows) > n*9/10 {
		t.Fatalf("%d of %d rows fail: the data do not test both outcomes", len(wantRows), n)
	}
	gotUp, gotLo := slices.Clone(upper), slices.Clone(lower)
	var gotRows []int32
	for g := 0; g < n/8; {
		room := 1 + rng.IntN(searchBatch)
		buf := make([]int32, room+8)
		done, found := testBoundsAVX512(&labels[8*g], &gotUp[8*g], &gotLo[8*g], n/8-g, &moved[0], &half[0],
			maxMoved, margin2, boundsMargin, &buf[0], first+8*g, room)
		if done < 1 || (found < room && g+done != n/8) || found > room+7 {
			t.Fatalf("group %d, room %d: %d groups done, %d found", g, room, done, found)
		}
		gotRows = append(gotRows, buf[:found]...)
		g += done
	}
	if !slices.Equal(gotRows, wantRows) || !sameBits(gotUp, wantUp) || !sameBits(gotLo, wantLo) {
		t.Fatalf("kernel: %d failing rows, Go %d; bounds equal: %v %v", len(gotRows), len(wantRows),
			sameBits(gotUp, wantUp), sameBits(gotLo, wantLo))
	}
}

// TestMoveRowsMatchesMoveRow: a batch of moves gives the bits of moveRow
// applied one by one, with and without weights, for lengths with and
// without a tail, rows joining their first cluster and rows moving back
// and forth; with the kernel and without.
func TestMoveRowsMatchesMoveRow(t *testing.T) {
	defer func() { useAVX = cpuAVX }()
	rng := rand.New(rand.NewPCG(16, 16))
	for _, d := range []int{1, 4, 5, 12, 13} {
		n, k := 50, 4
		x := make([]float64, n*d)
		w := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() * 1e3
		}
		for i := range w {
			w[i] = 0.5 + rng.Float64()
		}
		var moves []rowMove
		for range 200 {
			from := int32(rng.IntN(k+1)) - 1
			to := int32(rng.IntN(k))
			if from == to { // a move leaves one cluster for another
				from = -1
			}
			moves = append(moves, rowMove{int32(rng.IntN(n)), from, to})
		}
		for _, weights := range [][]float64{nil, w} {
			wantSums, wantW := make([]float64, k*d), make([]float64, k)
			for _, mv := range moves {
				wi := 1.0
				if weights != nil {
					wi = weights[mv.row]
				}
				var from []float64
				if mv.from >= 0 {
					from = wantSums[int(mv.from)*d : int(mv.from+1)*d]
					wantW[mv.from] -= wi
				}
				useAVX = false
				moveRow(from, wantSums[int(mv.to)*d:int(mv.to+1)*d], x[int(mv.row)*d:int(mv.row+1)*d], wi)
				wantW[mv.to] += wi
			}
			for _, avx := range []bool{false, true} {
				if avx && !cpuAVX {
					continue
				}
				useAVX = avx
				sums, wsum := make([]float64, k*d), make([]float64, k)
				moveRows(x, d, weights, moves, sums, wsum)
				if !sameBits(sums, wantSums) || !sameBits(wsum, wantW) {
					t.Fatalf("d=%d weighted=%v kernel=%v: batch differs from one by one", d, weights != nil, avx)
				}
			}
		}
	}
}
