package pipeline

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/segment-tool/segment/report"
)

// CLVSummary is run.json's "clv" (absent without a clv section): the
// settings, the fitted parameters or why each model was not computed, and
// totals over the customers scored.
type CLVSummary struct {
	HorizonDays int     `json:"horizon_days"`
	Discount    float64 `json:"discount"`
	Period      string  `json:"period"`
	// FrequencySource is "purchase_days" (x counts purchase days) or
	// "orders" (x counts orders: several orders on one day count apart).
	FrequencySource       string             `json:"frequency_source"`
	Scored                int                `json:"scored"`
	BGNBD                 *BGNBDSummary      `json:"bgnbd"`
	BGNBDNotComputed      string             `json:"bgnbd_not_computed,omitempty"`
	GammaGamma            *GammaGammaSummary `json:"gamma_gamma"`
	GammaGammaNotComputed string             `json:"gamma_gamma_not_computed,omitempty"`
	ExpectedOrders        float64            `json:"expected_orders"` // Σ over the customers scored
	Value                 *float64           `json:"clv"`             // Σ over the customers with a CLV; null without Gamma-Gamma
	// Holdout compares the calibration fit with the holdout (absent
	// without clv.holdout_days or -holdout-days).
	Holdout *HoldoutSummary `json:"holdout,omitempty"`
}

// BGNBDSummary is the fitted BG/NBD model (times in the clv period).
type BGNBDSummary struct {
	R               float64 `json:"r"`
	Alpha           float64 `json:"alpha"`
	A               float64 `json:"a"`
	B               float64 `json:"b"`
	LogLikelihood   float64 `json:"log_likelihood"`
	Customers       int     `json:"customers"`
	RepeatCustomers int     `json:"repeat_customers"`
}

// GammaGammaSummary is the fitted Gamma-Gamma model.
type GammaGammaSummary struct {
	P             float64 `json:"p"`
	Q             float64 `json:"q"`
	Gamma         float64 `json:"gamma"`
	LogLikelihood float64 `json:"log_likelihood"`
	Customers     int     `json:"customers"`
	// FrequencySpendCorrelation is the Pearson correlation of repeat
	// purchases and mean spend; the model assumes none.
	FrequencySpendCorrelation float64 `json:"frequency_spend_correlation"`
}

// summary returns run.json's "clv", nil without a clv section, with the
// sums and count of t (the customers' tally).
func (c *CLV) summary(t *customerTally) *CLVSummary {
	if c == nil {
		return nil
	}
	s := &CLVSummary{HorizonDays: c.HorizonDays(), Discount: c.Settings.Discount, Period: c.Settings.Period.String(),
		FrequencySource: c.Source, Scored: t.clvScored,
		BGNBDNotComputed: c.BGNBDNotComputed, GammaGammaNotComputed: c.GammaGammaNotComputed}
	if f := c.BGNBD; f != nil {
		s.BGNBD = &BGNBDSummary{R: f.R, Alpha: f.Alpha, A: f.A, B: f.B, LogLikelihood: f.LogLik, Customers: f.Customers, RepeatCustomers: f.Repeat}
	}
	if f := c.GammaGamma; f != nil {
		s.GammaGamma = &GammaGammaSummary{P: f.P, Q: f.Q, Gamma: f.Gamma, LogLikelihood: f.LogLik, Customers: f.Customers,
			FrequencySpendCorrelation: f.Correlation}
	}
	value := t.clvValue.Float64()
	s.ExpectedOrders = t.clvOrders.Float64()
	if c.GammaGamma != nil {
		s.Value = &value
	}
	s.Holdout = c.Holdout.summary()
	return s
}

// clvSection returns the report's lifetime-value section, nil without a
// clv section: the models, then sums per RFM segment and per cluster.
func (r *Result) clvSection() *report.CLV {
	c := r.CLV
	if c == nil {
		return nil
	}
	sec := &report.CLV{HorizonDays: c.HorizonDays(), Discount: c.Settings.Discount, Period: c.Settings.Period.String(),
		FromOrders: c.Source == CLVFromOrders, Scored: r.counted().clvScored, HasValue: c.GammaGamma != nil, BGNBD: c.BGNBDNotComputed, GammaGamma: c.GammaGammaNotComputed,
		Holdout: c.Holdout.section()}
	if f := c.BGNBD; f != nil {
		sec.BGNBD = fmt.Sprintf("r = %.4g, α = %.4g, a = %.4g, b = %.4g (log-likelihood %.1f; %d customers, %d with a repeat purchase)",
			f.R, f.Alpha, f.A, f.B, f.LogLik, f.Customers, f.Repeat)
	}
	if f := c.GammaGamma; f != nil {
		sec.GammaGamma = fmt.Sprintf("p = %.4g, q = %.4g, γ = %.4g (%d repeat customers; correlation of frequency and mean spend %.2f, which the model assumes to be 0)",
			f.P, f.Q, f.Gamma, f.Customers, f.Correlation)
	}
	bySeg, byCluster := r.counted().clvBySeg, r.counted().clvByCluster
	for _, k := range slices.Sorted(maps.Keys(bySeg)) {
		sec.Segments = append(sec.Segments, bySeg[k].row())
	}
	for _, k := range slices.Sorted(maps.Keys(byCluster)) {
		sec.Clusters = append(sec.Clusters, byCluster[k].row())
	}
	for _, rows := range [][]report.CLVRow{sec.Segments, sec.Clusters} {
		for i := range rows {
			rows[i].PAlive /= float64(rows[i].Customers)
		}
	}
	// Clusters by id, "Not clustered" (−1) last.
	slices.SortStableFunc(sec.Clusters, func(a, b report.CLVRow) int {
		return cmp.Compare(boolInt(a.Name == "Not clustered"), boolInt(b.Name == "Not clustered"))
	})
	return sec
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
