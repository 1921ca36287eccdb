package pipeline

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
)

// randomTally returns a tally with every field set from rng: counts,
// pairs, common values, the crosstab and lifetime-value sums of values
// whose float sum depends on their order.
func randomTally(rng *rand.Rand) *customerTally {
	t := &customerTally{customers: rng.IntN(100), segments: map[string]int{}, groups: map[string]int{"vip": rng.IntN(5)},
		notClustered: map[string]int{}, keyPairs: map[[2]string]int{}, keyMoves: map[[2]string]int{}, segMoves: map[[2]string]int{},
		clvBySeg: map[string]*clvSums{}, clvByCluster: map[int]*clvSums{}, crosstab: [][]int{make([]int, 3), make([]int, 3)}, scores: make([][6]int, 3)}
	t.common[1] = make([]map[string]int, 2)
	for i := range 20 {
		s := strconv.Itoa(rng.IntN(4))
		t.segments["s"+s]++
		t.notClustered["r"+s] += rng.IntN(2)
		t.keyPairs[[2]string{"a" + s, "b"}]++
		t.keyMoves[[2]string{"a", "b" + s}]++
		t.segMoves[[2]string{"s" + s, "s"}]++
		t.crosstab[i%2][rng.IntN(3)]++
		t.scores[i%3][1+rng.IntN(5)]++
		if t.common[1][i%2] == nil {
			t.common[1][i%2] = map[string]int{}
		}
		t.common[1][i%2]["c"+s]++
		v := rng.Float64() * 1e3 * float64(rng.IntN(3)+1)
		seg := t.clvBySeg["s"+s]
		if seg == nil {
			seg = &clvSums{Name: "s" + s}
			t.clvBySeg["s"+s] = seg
		}
		cl := t.clvByCluster[i%3-1]
		if cl == nil {
			cl = &clvSums{Name: "c"}
			t.clvByCluster[i%3-1] = cl
		}
		for _, r := range []*clvSums{seg, cl} {
			r.Customers++
			r.PAlive.Add(v / 1e3)
			r.Orders.Add(v / 7)
			r.Value.Add(v)
			r.Risks.Add(-v / 3)
		}
		t.clvOrders.Add(v / 7)
		t.clvValue.Add(v)
		t.clvScored++
	}
	t.anySpend = rng.IntN(2) == 0
	return t
}

// TestCustomerTallyMerge: tallies merged in any order, through their JSON
// form or not, give the same tally, bit for bit (the sums are exact); a
// tally survives its JSON form whole, nil maps as nil.
func TestCustomerTallyMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	parts := make([]*CustomerTally, 6)
	for i := range parts {
		parts[i] = &CustomerTally{randomTally(rng)}
	}
	encode := func(c *CustomerTally) []byte {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var forward, backward CustomerTally
	for i := range parts {
		forward.Merge(parts[i])
		// Backward, each part through its JSON form.
		var d CustomerTally
		if err := json.Unmarshal(encode(parts[len(parts)-1-i]), &d); err != nil {
			t.Fatal(err)
		}
		backward.Merge(&d)
	}
	f, b := encode(&forward), encode(&backward)
	if !bytes.Equal(f, b) {
		t.Errorf("merged forward:\n%s\nbackward, through JSON:\n%s", f, b)
	}
	if forward.t.scores[2][3] != tallySum(parts, func(c *customerTally) int { return c.scores[2][3] }) || forward.t.scores[1][0] != 0 ||
		forward.t.customers != tallySum(parts, func(c *customerTally) int { return c.customers }) ||
		forward.t.clvScored != tallySum(parts, func(c *customerTally) int { return c.clvScored }) {
		t.Errorf("merged: %d customers, %d scored", forward.t.customers, forward.t.clvScored)
	}
	if got := forward.t.clvValue.Float64(); got == 0 || got != backward.t.clvValue.Float64() {
		t.Errorf("merged lifetime value %v, backward %v", got, backward.t.clvValue.Float64())
	}
	// A tally without what a run lacks (no RFM, no previous run, no clv)
	// keeps its nil maps through JSON and merging.
	bare := &CustomerTally{&customerTally{customers: 3, notClustered: map[string]int{}, groups: map[string]int{"vip": 1}}}
	var back CustomerTally
	if err := json.Unmarshal(encode(bare), &back); err != nil {
		t.Fatal(err)
	}
	back.Merge(bare)
	if c := back.t; c.segments != nil || c.keyPairs != nil || c.clvBySeg != nil || c.crosstab != nil || c.scores != nil || c.scoresUsed() != nil ||
		c.customers != 6 || c.groups["vip"] != 2 {
		t.Errorf("a bare tally, twice: %+v", *c)
	}
	if !reflect.DeepEqual(bare.t.groups, map[string]int{"vip": 1}) {
		t.Errorf("Merge changed the tally merged in: %v", bare.t.groups)
	}
	// Scores of other than three letters are a damaged tally.
	if err := json.Unmarshal([]byte(`{"rfm_scores":[[0,1,2,3,4,5]]}`), &back); err == nil {
		t.Error("a tally of one letter's scores decoded")
	}
	// Tallies of two shapes (one compared with a previous run) merged:
	// marked mixed, through JSON too, and refused by a plan.
	a := &CustomerTally{&customerTally{shape: &tallyShape{K: 2}}}
	prev := &CustomerTally{&customerTally{shape: &tallyShape{K: 2, Previous: true}}}
	var m CustomerTally
	m.Merge(a)
	m.Merge(a)
	if m.t.mixed || !reflect.DeepEqual(m.t.shape, a.t.shape) {
		t.Errorf("two tallies of one shape: mixed %v, shape %+v", m.t.mixed, m.t.shape)
	}
	m.Merge(prev)
	var mj CustomerTally
	if err := json.Unmarshal(encode(&m), &mj); err != nil {
		t.Fatal(err)
	}
	if plan := (&tallyPlan{k: 2, attr: [3]int{-1, -1, -1}, seg: -1, prevSeg: -1, prevKey: -1, pAlive: -1}); !mj.t.mixed || plan.checkShape(mj.t) == nil || plan.checkShape(a.t) != nil {
		t.Errorf("tallies of two shapes merged: mixed %v; the plan's check %v", mj.t.mixed, plan.checkShape(mj.t))
	}
}

func tallySum(parts []*CustomerTally, f func(*customerTally) int) int {
	n := 0
	for _, p := range parts {
		n += f(p.t)
	}
	return n
}
