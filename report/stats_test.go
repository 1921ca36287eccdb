package report

import (
	"math"
	"slices"
	"testing"
)

func TestProfiles(t *testing.T) {
	// Six customers in two clusters: spend, the pets share of spend, and a
	// group.
	features := []string{"monetary", "mix_pets"}
	spend := []float64{10, 20, 30, 100, 200, 300}
	pets := []float64{0, 0, 1, 1, 1, 0.5}
	labels := []int{0, 0, 0, 1, 1, 1}
	lapsed := []bool{true, true, false, false, false, false}
	before := slices.Clone(spend)
	pop, cs := Profiles(features, [][]float64{spend, pets}, labels, 2, spend, map[string][]bool{GroupLapsed: lapsed})

	if pop.Median[0] != 65 { // (30 + 100) / 2
		t.Errorf("population median spend %v, want 65", pop.Median[0])
	}
	if cs[0].Median[0] != 20 || cs[1].Median[0] != 200 {
		t.Errorf("cluster medians %v, %v; want 20, 200", cs[0].Median[0], cs[1].Median[0])
	}
	// 20 is above one of six and equal to one: (1 + 1/2) / 6.
	if want := 1.5 / 6; math.Abs(cs[0].Pos[0]-want) > 1e-15 {
		t.Errorf("position of 20: %v, want %v", cs[0].Pos[0], want)
	}
	// Pets' share of spend: cluster 0 spends 30 of 60 on pets, cluster 1
	// 100 + 200 + 150 of 600, everyone 480 of 660.
	for _, c := range []struct{ got, want float64 }{{cs[0].Share[1], 0.5}, {cs[1].Share[1], 0.75}, {pop.Share[1], 480.0 / 660}} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("pets share %v, want %v", c.got, c.want)
		}
	}
	if !math.IsNaN(pop.Share[0]) || !math.IsNaN(cs[0].Share[0]) {
		t.Error("a share for a column that is not a category mix")
	}
	if math.Abs(cs[0].Groups[GroupLapsed]-2.0/3) > 1e-15 || cs[1].Groups[GroupLapsed] != 0 || math.Abs(pop.Groups[GroupLapsed]-1.0/3) > 1e-15 {
		t.Errorf("lapsed shares %v, %v, population %v", cs[0].Groups, cs[1].Groups, pop.Groups)
	}
	if !slices.Equal(spend, before) {
		t.Error("Profiles modified its input")
	}
}
