package pipeline

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/segment-tool/segment/features"
)

// CustomerTally is the customers' tally (customerTally) of a part of a
// run's customers, as job 2 of a scale-out run counts it for a shard
// (AssignRows): Merge adds another part's, in any order, and its JSON form
// carries the merged tally to the finish (BeamFinish.Tally), which then
// makes no pass over the shards for it. The zero value is an empty tally.
type CustomerTally struct{ t *customerTally }

// Merge adds the counts and sums of o to c; o is not changed.
func (c *CustomerTally) Merge(o *CustomerTally) {
	if o.t == nil {
		return
	}
	if c.t == nil {
		c.t = &customerTally{}
	}
	t, u := c.t, o.t
	switch { // the report's sums: every part's, or none
	case u.shape == nil:
	case t.shape == nil:
		if u.sums != nil {
			t.sums = u.sums.clone()
		}
	case (t.sums == nil) != (u.sums == nil):
		t.mixed = true
	case t.sums != nil:
		if err := t.sums.merge(u.sums); err != nil {
			t.mixed = true
		}
	}
	switch {
	case u.shape == nil:
	case t.shape == nil:
		sh := *u.shape
		sh.Groups = slices.Clone(sh.Groups)
		t.shape = &sh
	case !reflect.DeepEqual(*t.shape, *u.shape):
		t.mixed = true
	}
	t.mixed = t.mixed || u.mixed
	for a := range t.common {
		if u.common[a] == nil {
			continue
		}
		if t.common[a] == nil {
			t.common[a] = make([]map[string]int, len(u.common[a]))
		}
		for l, counts := range u.common[a] {
			if counts != nil && t.common[a][l] == nil {
				t.common[a][l] = map[string]int{}
			}
			addCounts(t.common[a][l], counts)
		}
	}
	t.keyPairs, t.keyMoves, t.segMoves = addPairs(t.keyPairs, u.keyPairs), addPairs(t.keyMoves, u.keyMoves), addPairs(t.segMoves, u.segMoves)
	t.refitMoves += u.refitMoves
	t.customers += u.customers
	t.segments, t.groups, t.notClustered = addCountsTo(t.segments, u.segments), addCountsTo(t.groups, u.groups), addCountsTo(t.notClustered, u.notClustered)
	t.clvScored += u.clvScored
	t.anySpend = t.anySpend || u.anySpend
	t.clvBySeg, t.clvByCluster = addSums(t.clvBySeg, u.clvBySeg), addSums(t.clvByCluster, u.clvByCluster)
	t.clvOrders.Merge(&u.clvOrders)
	t.clvValue.Merge(&u.clvValue)
	if u.scores != nil && t.scores != nil && len(u.scores) != len(t.scores) {
		t.mixed = true
	} else if u.scores != nil {
		if t.scores == nil {
			t.scores = make([][6]int, len(u.scores))
		}
		for l, row := range u.scores {
			for s, n := range row {
				t.scores[l][s] += n
			}
		}
	}
	if u.crosstab != nil {
		if t.crosstab == nil {
			t.crosstab = make([][]int, len(u.crosstab))
		}
		for l, row := range u.crosstab {
			if t.crosstab[l] == nil {
				t.crosstab[l] = make([]int, len(row))
			}
			for j, n := range row {
				t.crosstab[l][j] += n
			}
		}
	}
}

func addCounts[K comparable](dst, src map[K]int) {
	for k, n := range src {
		dst[k] += n
	}
}

// addCountsTo returns dst with src's counts added: nil when both are nil.
func addCountsTo[K comparable](dst, src map[K]int) map[K]int {
	if src == nil {
		return dst
	}
	if dst == nil {
		dst = map[K]int{}
	}
	addCounts(dst, src)
	return dst
}

func addPairs(dst, src map[[2]string]int) map[[2]string]int { return addCountsTo(dst, src) }

// addSums returns dst with src's sums added (a copy of each new row).
func addSums[K comparable](dst, src map[K]*clvSums) map[K]*clvSums {
	if src == nil {
		return dst
	}
	if dst == nil {
		dst = map[K]*clvSums{}
	}
	for k, s := range src {
		d := dst[k]
		if d == nil {
			d = &clvSums{Name: s.Name}
			dst[k] = d
		}
		d.Customers += s.Customers
		d.PAlive.Merge(&s.PAlive)
		d.Orders.Merge(&s.Orders)
		d.Value.Merge(&s.Value)
		d.Risks.Merge(&s.Risks)
	}
	return dst
}

// tallyJSON is CustomerTally's JSON form: the maps keyed by pairs as lists
// of pairs, the exact sums as their binary encoding (features.ExactSum's), nil
// (null) where the tally has no such count.
type tallyJSON struct {
	Customers    int                     `json:"customers"`
	Segments     map[string]int          `json:"rfm_segments"`
	Groups       map[string]int          `json:"groups"`
	NotClustered map[string]int          `json:"not_clustered"`
	AnySpend     bool                    `json:"any_spend"`
	Common       [3][]map[string]int     `json:"common"` // by attribute, then cluster label
	KeyPairs     []pairCount             `json:"key_pairs"`
	KeyMoves     []pairCount             `json:"key_moves"`
	SegMoves     []pairCount             `json:"segment_moves"`
	RefitMoves   int                     `json:"refit_moves,omitempty"`
	Crosstab     [][]int                 `json:"crosstab"`   // by cluster label, then RFM segment (features.RFMSegments)
	Scores       [][6]int                `json:"rfm_scores"` // by letter (R, F, M), then score
	Shape        *tallyShape             `json:"shape"`
	Mixed        bool                    `json:"mixed,omitempty"`
	CLVScored    int                     `json:"clv_scored"`
	CLVOrders    []byte                  `json:"clv_orders"`
	CLVValue     []byte                  `json:"clv_value"`
	CLVBySeg     map[string]*clvSumsJSON `json:"clv_by_segment"`
	CLVByCluster map[int]*clvSumsJSON    `json:"clv_by_cluster"`
	Sums         *reportSums             `json:"report_sums,omitempty"`
}

type pairCount struct {
	Prev, Cur string
	N         int
}

type clvSumsJSON struct {
	Name                         string
	Customers                    int
	PAlive, Orders, Value, Risks []byte
}

// MarshalJSON encodes the tally.
func (c CustomerTally) MarshalJSON() ([]byte, error) {
	t := c.t
	if t == nil {
		t = &customerTally{}
	}
	j := tallyJSON{Customers: t.customers, Segments: t.segments, Groups: t.groups, NotClustered: t.notClustered, AnySpend: t.anySpend,
		Common: t.common, KeyPairs: pairList(t.keyPairs), KeyMoves: pairList(t.keyMoves), SegMoves: pairList(t.segMoves), RefitMoves: t.refitMoves,
		Crosstab: t.crosstab, Scores: t.scores, Shape: t.shape, Mixed: t.mixed, CLVScored: t.clvScored, CLVOrders: sumBytes(&t.clvOrders), CLVValue: sumBytes(&t.clvValue),
		CLVBySeg: sumsJSON(t.clvBySeg), CLVByCluster: sumsJSON(t.clvByCluster), Sums: t.sums}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what MarshalJSON encoded.
func (c *CustomerTally) UnmarshalJSON(b []byte) error {
	var j tallyJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	t := &customerTally{customers: j.Customers, segments: j.Segments, groups: j.Groups, notClustered: j.NotClustered, anySpend: j.AnySpend,
		common: j.Common, keyPairs: pairMap(j.KeyPairs), keyMoves: pairMap(j.KeyMoves), segMoves: pairMap(j.SegMoves), refitMoves: j.RefitMoves,
		crosstab: j.Crosstab, scores: j.Scores, shape: j.Shape, mixed: j.Mixed, clvScored: j.CLVScored, sums: j.Sums}
	if err := t.clvOrders.UnmarshalBinary(j.CLVOrders); err != nil {
		return fmt.Errorf("pipeline: a customers' tally: %w", err)
	}
	if err := t.clvValue.UnmarshalBinary(j.CLVValue); err != nil {
		return fmt.Errorf("pipeline: a customers' tally: %w", err)
	}
	if j.Scores != nil && len(j.Scores) != 3 {
		return fmt.Errorf("pipeline: a customers' tally: scores of %d RFM letters", len(j.Scores))
	}
	var err error
	if t.clvBySeg, err = sumsOf(j.CLVBySeg); err != nil {
		return err
	}
	if t.clvByCluster, err = sumsOf(j.CLVByCluster); err != nil {
		return err
	}
	c.t = t
	return nil
}

// pairList returns m's pairs, sorted; nil for nil m, empty for empty m.
func pairList(m map[[2]string]int) []pairCount {
	if m == nil {
		return nil
	}
	out := make([]pairCount, 0, len(m))
	for _, p := range slices.SortedFunc(maps.Keys(m), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	}) {
		out = append(out, pairCount{Prev: p[0], Cur: p[1], N: m[p]})
	}
	return out
}

func pairMap(l []pairCount) map[[2]string]int {
	if l == nil {
		return nil
	}
	m := make(map[[2]string]int, len(l))
	for _, p := range l {
		m[[2]string{p.Prev, p.Cur}] += p.N
	}
	return m
}

func sumBytes(s *features.ExactSum) []byte {
	b, _ := s.MarshalBinary() // never fails
	return b
}

func sumsJSON[K comparable](m map[K]*clvSums) map[K]*clvSumsJSON {
	if m == nil {
		return nil
	}
	out := make(map[K]*clvSumsJSON, len(m))
	for k, s := range m {
		out[k] = &clvSumsJSON{Name: s.Name, Customers: s.Customers, PAlive: sumBytes(&s.PAlive), Orders: sumBytes(&s.Orders),
			Value: sumBytes(&s.Value), Risks: sumBytes(&s.Risks)}
	}
	return out
}

func sumsOf[K comparable](m map[K]*clvSumsJSON) (map[K]*clvSums, error) {
	if m == nil {
		return nil, nil
	}
	out := make(map[K]*clvSums, len(m))
	for k, j := range m {
		s := &clvSums{Name: j.Name, Customers: j.Customers}
		for _, f := range []struct {
			sum *features.ExactSum
			b   []byte
		}{{&s.PAlive, j.PAlive}, {&s.Orders, j.Orders}, {&s.Value, j.Value}, {&s.Risks, j.Risks}} {
			if err := f.sum.UnmarshalBinary(f.b); err != nil {
				return nil, fmt.Errorf("pipeline: a customers' tally: %w", err)
			}
		}
		out[k] = s
	}
	return out, nil
}
