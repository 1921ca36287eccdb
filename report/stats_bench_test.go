package report

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkProfiles: the cluster profiles of 1,000,000 customers, 12
// features and 8 clusters, in memory by quickselect and counting (the
// reference, as Profiles was), in passes (StreamProfiles, a scale-out
// finish's) and by selection on one worker (ChunkProfiles, a local run's).
func BenchmarkProfiles(b *testing.B) {
	const n, d, k = 1_000_000, 12, 8
	rng := rand.New(rand.NewPCG(7, 8))
	features := make([]string, d)
	cols := make([][]float64, d)
	for j := range cols {
		features[j] = []string{"recency_days", "frequency", "monetary", "mix_a"}[j%4]
		cols[j] = make([]float64, n)
		for i := range cols[j] {
			switch j % 4 {
			case 0:
				cols[j][i] = float64(rng.IntN(700))
			case 1:
				cols[j][i] = float64(1 + rng.IntN(12))
			case 2:
				cols[j][i] = math.Exp(rng.NormFloat64() + 5)
			default:
				cols[j][i] = rng.Float64()
			}
		}
	}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(k)
	}
	groups := map[string][]bool{"g": make([]bool, n)}
	for name, f := range map[string]func() error{
		"reference": func() error {
			_, _, err := profilesReference(context.Background(), features, cols, labels, k, cols[2], groups)
			return err
		},
		"passes": func() error {
			ch := ProfileChunk{Labels: labels, Cols: cols, Weight: cols[2], Groups: [][]bool{groups["g"]}}
			_, _, err := StreamProfiles(context.Background(), features, []string{"g"}, k, func(yield func(ProfileChunk) error) error { return yield(ch) })
			return err
		},
		"chunk": func() error {
			ch := ProfileChunk{Labels: labels, Cols: cols, Weight: cols[2], Groups: [][]bool{groups["g"]}}
			_, _, err := ChunkProfiles(context.Background(), features, []string{"g"}, k, ch, 1)
			return err
		},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
