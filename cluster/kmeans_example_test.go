package cluster_test

import (
	"context"
	"fmt"
	"log"

	"github.com/segment-tool/segment/cluster"
)

func ExampleKMeans_Fit() {
	// Six customers, two features (say, scaled spend and frequency).
	x := []float64{
		1.0, 1.1,
		0.9, 1.0,
		1.1, 0.9,
		5.0, 5.2,
		5.1, 4.9,
		1.0, 1.0,
	}
	km := cluster.KMeans{K: 2, Seed: 1}
	res, err := km.Fit(context.Background(), x, 6, 2, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sizes:", res.Sizes)
	fmt.Println("labels:", res.Labels)
	for c := range res.K {
		fmt.Printf("centroid %d: %.3f\n", c, res.Centroid(c))
	}
	fmt.Printf("inertia: %.4f converged: %v\n", res.Inertia, res.Converged)
	// Output:
	// sizes: [4 2]
	// labels: [0 0 0 1 1 0]
	// centroid 0: [1.000 1.000]
	// centroid 1: [5.050 5.050]
	// inertia: 0.0900 converged: true
}

func ExampleKneedle() {
	// kneed's DataGenerator.convex_decreasing(): the elbow is at x = 2.
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	y := []float64{100, 40, 20, 15, 10, 5, 4, 3, 2, 1}
	knee, idx, ok := cluster.Kneedle(x, y, 1, cluster.Convex, cluster.Decreasing)
	fmt.Println(knee, idx, ok)
	// Output:
	// 2 2 true
}

func ExampleElbow_Sweep() {
	// Three tight groups on a line.
	var x []float64
	for _, c := range []float64{0, 10, 20} {
		for _, d := range []float64{-0.2, -0.1, 0, 0.1, 0.2} {
			x = append(x, c+d)
		}
	}
	e := cluster.Elbow{KMin: 1, KMax: 8, KMeans: cluster.KMeans{Seed: 1}}
	sw, err := e.Sweep(context.Background(), x, len(x), 1, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sw.K, sw.Reason)
	// Output:
	// 3 knee at k=3 (Kneedle, S=1)
}
