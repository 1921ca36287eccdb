package pipeline

import (
	"fmt"
	"slices"

	"github.com/segment-tool/segment/features"
)

// The lifetime-value groups, computed with a clv section only.
const (
	ChurnRiskGroup       = "churn_risk"
	HighValueAtRiskGroup = "high_value_at_risk"
	// ChurnPAlive is churn_risk's default threshold on P(alive)
	// (clv.churn_threshold sets another).
	ChurnPAlive = 0.5
)

// churnThreshold returns churn_risk's threshold: c.ChurnThreshold, or
// ChurnPAlive when it is 0.
func (c *CLV) churnThreshold() float64 {
	if c.ChurnThreshold > 0 {
		return c.ChurnThreshold
	}
	return ChurnPAlive
}

// withCLV returns s with the lifetime-value groups of lv's predictions
// for every row of s.All (o.ChurnThreshold their threshold), and the
// predictions, as a run computes them with the models fitted on the
// whole store; s and nil when lv is nil (no clv section).
func (s *Segments) withCLV(lv *CLVFit, o *Options) (*Segments, *CLV) {
	if lv == nil {
		return s, nil
	}
	pred := lv.Predict(s.All, o.Workers)
	pred.ChurnThreshold = o.ChurnThreshold
	return s.withCLVGroups(pred), pred
}

// withCLVGroups returns a copy of s with the lifetime-value groups inserted
// after the seed groups, before the custom groups (s is not modified):
//
//	churn_risk          P(alive) < 0.5 (clv.churn_threshold) among customers with a repeat purchase
//	                    (for one-time buyers the BG/NBD's P(alive) is 1)
//	high_value_at_risk  churn_risk and in top20 (the top 20 % by net spend)
//
// Without a fitted BG/NBD model both groups are not computed, with the
// reason in Needs.
func (s *Segments) withCLVGroups(c *CLV) *Segments {
	if c == nil {
		return s
	}
	churn := features.Group{SegmentInfo: features.SegmentInfo{ID: ChurnRiskGroup,
		Definition: fmt.Sprintf("P(alive) below %g (BG/NBD model) among customers with a repeat purchase", c.churnThreshold()),
		Action:     "win back before they are gone: a personal reminder of what they bought, a reason to return"}}
	high := features.Group{SegmentInfo: features.SegmentInfo{ID: HighValueAtRiskGroup,
		Definition: "churn_risk and top20: big spenders the model believes are leaving",
		Action:     "call or write personally; a strong, exclusive offer is worth its cost here"}}
	var top []bool
	if i := slices.IndexFunc(s.Groups, func(g features.Group) bool { return g.ID == "top20" }); i >= 0 {
		top = s.Groups[i].Members
	}
	switch {
	case c.BGNBD == nil:
		churn.Needs = "the BG/NBD model (" + c.BGNBDNotComputed + ")"
		high.Needs = churn.Needs
	default:
		freq := s.All.Col(features.Frequency)
		if c.Source == CLVFromPurchaseDays {
			freq = s.All.Col(PurchaseDaysColumn)
		}
		churn.Members = make([]bool, s.All.N())
		th := c.churnThreshold()
		for i, null := range c.Null {
			churn.Members[i] = !null && freq[i] >= 2 && c.PAlive[i] < th
		}
		if top == nil {
			high.Needs = "the top20 group (frequency and monetary)"
			break
		}
		high.Members = make([]bool, s.All.N())
		for i, m := range churn.Members {
			high.Members[i] = m && top[i]
		}
	}
	out := *s
	seed := len(s.Groups) - s.CustomCount
	out.Groups = slices.Concat(s.Groups[:seed], []features.Group{churn, high}, s.Groups[seed:])
	return &out
}
