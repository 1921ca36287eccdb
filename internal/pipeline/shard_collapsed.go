package pipeline

import (
	"fmt"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/selectk"
)

// collapsed returns features.RFM.Collapsed of the customers in the
// shards, as ScoreRFM lists it over every customer: each letter whose
// scores some scored customer (score above 0) did not receive, with the
// letter's most common value among the scored customers and its share.
// The scores received are given (by letter and score: job 2's tally), or
// read in a first pass (given nil); only when a letter has unused scores
// do more passes find its most common value (selectk.Mode: two passes,
// three when no value makes up more than 1/1025 of the scored customers).
func (p *shardPasses) collapsed(given *[3][6]bool) ([]features.Collapse, error) {
	letters := [3]struct{ letter, score, value string }{
		{"R", "r_score", features.RecencyDays}, {"F", "f_score", features.Frequency}, {"M", "m_score", features.Monetary}}
	var used [3][6]bool
	if given != nil {
		used = *given
	} else if err := p.scan([]string{"r_score", "f_score", "m_score"}, func(t *data.Table) error {
		for l := range letters {
			c := &t.Columns[l]
			for i, s := range c.Ints {
				if s > 0 && s <= 5 && !c.IsNull(i) {
					used[l][s] = true
				}
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var cols []string // a score and a value column per letter with unused scores
	var want []int
	var modes []*selectk.Mode
	for l, c := range letters {
		if len(features.UnusedScores(used[l])) > 0 {
			cols, want, modes = append(cols, c.score, c.value), append(want, l), append(modes, selectk.NewMode())
		}
	}
	for more := len(want) > 0; more; {
		err := p.scan(cols, func(t *data.Table) error {
			for k, m := range modes {
				score, value := &t.Columns[2*k], &t.Columns[2*k+1]
				for i, s := range score.Ints {
					if s > 0 && !score.IsNull(i) {
						m.Add(value.Floats[i])
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		more = false
		for _, m := range modes {
			again, err := m.EndPass()
			if err != nil {
				return nil, fmt.Errorf("pipeline: finish: the RFM values of the assignment shards: %w", err)
			}
			more = more || again
		}
	}
	var out []features.Collapse
	for k, l := range want {
		v, count, n := modes[k].Result()
		if n == 0 {
			continue // nobody scored: nothing collapsed
		}
		out = append(out, features.Collapse{Letter: letters[l].letter, Scores: features.UnusedScores(used[l]),
			Value: v, Share: float64(count) / float64(n)})
	}
	return out, nil
}
