package cluster

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// constSource is a rand.Source that always returns v.
type constSource uint64

func (s constSource) Uint64() uint64 { return uint64(s) }

func TestSampleByCum(t *testing.T) {
	zero := rand.New(constSource(0))             // Float64() = 0 exactly
	top := rand.New(constSource(math.MaxUint64)) // Float64() = 1 − 2⁻⁵³
	p := &problem{n: 5}
	for _, tc := range []struct {
		name string
		rng  *rand.Rand
		cum  []float64
		want int
	}{
		// u = 0 must not pick the leading rows of zero increment, which
		// coincide with chosen centroids.
		{"u=0 skips zero increments", zero, []float64{0, 0, 3, 3, 5}, 2},
		{"u→1 picks the last increment", top, []float64{0, 2, 2, 2, 2}, 1},
		{"middle", rand.New(constSource(1 << 52)), []float64{1, 2, 3, 4, 5}, 2}, // u = 2⁵²/2⁵³, r = 2.5
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.sampleByCum(tc.rng, tc.cum); got != tc.want {
				t.Errorf("sampleByCum = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestSeedOnePerSeparatedBlob(t *testing.T) {
	centers := [][]float64{{0, 0}, {100, 0}, {0, 100}, {100, 100}, {50, 50}, {200, 200}}
	x, n, d, truth := blobs(12, centers, []int{30, 30, 30, 30, 30, 30}, 0.1)
	w := make([]float64, n)
	for i := range w {
		if i%7 == 0 {
			w[i] = 1 // only every seventh row, of every blob, may be drawn
		}
	}
	for _, tc := range []struct {
		name string
		w    []float64
	}{{"uniform", nil}, {"weighted", w}} {
		t.Run(tc.name, func(t *testing.T) {
			firsts := map[int]bool{} // rows drawn as the first centroid
			for seed := range uint64(10) {
				p := newProblem(x, n, d, tc.w, DefaultTol)
				ws := newWorkspace(p, len(centers), 1)
				if err := ws.seed(context.Background(), rand.New(rand.NewPCG(seed, 0))); err != nil {
					t.Fatal(err)
				}
				seen := map[int]bool{}
				for c := range len(centers) {
					row := findRow(x, n, d, ws.centers[c*d:(c+1)*d])
					if row < 0 {
						t.Fatalf("seed %d: centroid %d is not a data row", seed, c)
					}
					if tc.w != nil && tc.w[row] == 0 {
						t.Fatalf("seed %d: zero-weight row %d drawn", seed, row)
					}
					seen[truth[row]] = true
					if c == 0 {
						firsts[row] = true
					}
				}
				if len(seen) != len(centers) {
					t.Errorf("seed %d: seeds cover %d of %d blobs", seed, len(seen), len(centers))
				}
			}
			// The first centroid is a random row: 10 seeds drawing from
			// 180 (or 26 weighted) rows should rarely repeat.
			if len(firsts) < 5 {
				t.Errorf("10 seeds drew only %d distinct first centroids", len(firsts))
			}
		})
	}
}

func findRow(x []float64, n, d int, v []float64) int {
	for i := range n {
		if slices.Equal(x[i*d:(i+1)*d], v) {
			return i
		}
	}
	return -1
}

func TestLocalTrials(t *testing.T) {
	// 2 + ⌊ln k⌋ (scikit-learn's n_local_trials): ln 7 = 1.95, ln 8 = 2.08.
	for k, want := range map[int]int{1: 2, 2: 2, 3: 3, 7: 3, 8: 4, 20: 4, 21: 5} {
		if got := localTrials(k); got != want {
			t.Errorf("localTrials(%d) = %d, want %d", k, got, want)
		}
	}
}

func TestGreedySeedingLowersPotential(t *testing.T) {
	// Greedy k-means++ keeps the best of 2 + ⌊ln k⌋ candidates per step,
	// so over many seeds its potential Σ D(x)² after seeding is lower on
	// average than plain k-means++ (one candidate per step).
	x, n, d, _ := blobs(15, eightBlobs, []int{50, 50, 50, 50, 50, 50, 50, 50}, 1)
	p := newProblem(x, n, d, nil, DefaultTol)
	mean := func(trials int) float64 {
		ws := newWorkspace(p, 8, 1)
		ws.trials = trials
		var sum float64
		for seed := range uint64(40) {
			if err := ws.seed(context.Background(), rand.New(rand.NewPCG(seed, 0))); err != nil {
				t.Fatal(err)
			}
			for _, v := range ws.closest {
				sum += v
			}
		}
		return sum / 40
	}
	// Measured: greedy 1192, plain 1674; a greedy step that kept a
	// random candidate would be plain k-means++ within noise.
	greedy, plain := mean(localTrials(8)), mean(1)
	if !(greedy < 0.85*plain) {
		t.Errorf("mean seeding potential: greedy %v, plain k-means++ %v; want greedy < 0.85 × plain", greedy, plain)
	}
}

func TestSampleRowFollowsWeights(t *testing.T) {
	// Rows of weight 0 are never drawn; row 3 (weight 3 of 4) is drawn
	// 3/4 of the time: 3000 of 4000 draws, standard deviation 27.
	p := &problem{n: 4, w: []float64{0, 1, 0, 3}}
	rng := rand.New(rand.NewPCG(1, 2))
	var count [4]int
	for range 4000 {
		count[p.sampleRow(rng)]++
	}
	if count[0] != 0 || count[2] != 0 || count[3] < 2880 || count[3] > 3120 {
		t.Errorf("draw counts %v, want [0 ~1000 0 ~3000]", count)
	}
	// Uniform weights: every row is a possible first centroid.
	u := &problem{n: 4}
	clear(count[:])
	for range 400 {
		count[u.sampleRow(rng)]++
	}
	for i, c := range count {
		if c < 70 || c > 130 { // 100 expected, standard deviation 8.7
			t.Errorf("uniform draws of row %d: %d of 400", i, c)
		}
	}
}
