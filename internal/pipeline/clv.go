package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/segment-tool/segment/clv"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// Columns a customer table carries for the models' exact definitions
// (features.PurchaseDays: the aggregator adds them when the run has a clv
// section; a -features table may carry them). When present they replace
// the approximations from frequency, aov, tenure_days and recency_days.
const (
	PurchaseDaysColumn   = features.PurchaseDays
	RepeatMonetaryColumn = features.RepeatMonetary
)

// minHistoryDays is the least age of the oldest customer, in days, for
// the BG/NBD fit of a run.
const minHistoryDays = 28

// CLVSource values: how x and the mean repeat spend were derived.
const (
	CLVFromPurchaseDays = "purchase_days"
	CLVFromOrders       = "orders"
)

// CLVValue returns the clv section as clv's settings (Options.CLV), or
// nil when the section is absent. config.Validate has checked it.
func CLVValue(c *config.CLV) *clv.Value {
	if c == nil {
		return nil
	}
	p := clv.Day
	if c.Period == "week" {
		p = clv.Week
	}
	h := c.HorizonDays
	if h == 0 {
		h = 365
	}
	return &clv.Value{HorizonDays: float64(h), Discount: c.Discount, Period: p}
}

// CLVFit is the lifetime-value models fitted on a store's customers
// (FitCLV), or why each was not computed: what CLVFit.Predict scores
// customers with. A scale-out run fits it once, saves it (it encodes with
// encoding/gob) and scores each part of the store with it.
type CLVFit struct {
	Settings clv.Value
	Source   string // CLVFromPurchaseDays or CLVFromOrders
	BGNBD    *clv.BGNBDFit
	// BGNBDNotComputed is "not computed: …" when BGNBD is nil.
	BGNBDNotComputed string
	GammaGamma       *clv.GammaGammaFit
	// GammaGammaNotComputed is "not computed: …" when GammaGamma is nil.
	GammaGammaNotComputed string
	// Holdout compares the models, fitted on the calibration period, with
	// the holdout's purchases; nil without a holdout (clv_holdout.go).
	Holdout *CLVHoldout
}

// CLV is the lifetime-value stage's result: the fitted models, or why each
// was not computed, and per row of Segments.All the predictions (NaN-free:
// a row not scored is null).
type CLV struct {
	CLVFit
	Scored int // rows with P(alive) and expected orders
	// ChurnThreshold is churn_risk's bound on P(alive) (0: ChurnPAlive).
	ChurnThreshold float64

	PAlive, Orders, AOV, Value []float64
	Null, ValueNull            []bool // Null: no P(alive) and orders; ValueNull: no AOV and CLV
}

// HorizonDays returns the horizon in whole days, for column names.
func (c *CLV) HorizonDays() int { return int(math.Round(c.Settings.HorizonDays)) }

// ComputeCLV fits the BG/NBD and Gamma-Gamma models on the customers of
// all with at least one purchase and predicts for each (FitCLV, then
// CLVFit.Predict). A model that cannot be fitted is reported in the
// result, not as an error; only ctx's error is returned.
//
// When the table has a holdout (features.Options.HoldoutDays: all.Holdout
// and the calibration_ columns), both models are fitted on the calibration
// statistics instead and compared with the holdout (CLV.Holdout); every
// customer is still scored from as_of, with all their purchases.
func ComputeCLV(ctx context.Context, all *features.Table, v clv.Value, windowDays, workers int) (*CLV, error) {
	fit, err := FitCLV(ctx, all, v, windowDays, workers)
	if err != nil {
		return nil, err
	}
	return fit.Predict(all, workers), nil
}

// FitCLV fits the BG/NBD and Gamma-Gamma models on the customers of all
// with at least one purchase. x, t_x and T come from the features:
// x = purchase_days − 1 when the table has it, else frequency − 1
// (orders, so several orders on one day count apart);
// T = first_purchase_age_days and t_x = purchase_span_days when the table
// has them (calendar days, as the papers count), else T = tenure_days and
// t_x = tenure_days − recency_days; in the period of v.
// The mean repeat spend is repeat_monetary / x when present, else aov
// (first purchase included). With a holdout (all.Holdout and the
// calibration_ columns) they are fitted on the calibration statistics.
// A model that cannot be fitted is reported in the result, not as an
// error; only ctx's error is returned. The fit is the same whatever
// workers is. With a holdout, the fit's Holdout compares the calibration
// fit with the holdout (see CLVHoldout).
func FitCLV(ctx context.Context, all *features.Table, v clv.Value, windowDays, workers int) (*CLVFit, error) {
	in := NewCLVInputs(all, v, windowDays)
	in.Add(all)
	return in.Fit(ctx, workers)
}

// CLVInputs gathers the models' inputs (FitCLV) from a table given a piece
// at a time, in row order, so that a caller need not hold the table: it
// keeps each buyer's statistics and spend (40 bytes), not their features.
// The fit is FitCLV's on the pieces' rows, bit for bit. With a holdout
// it keeps each calibration buyer's holdout purchase days too (4 bytes).
type CLVInputs struct {
	res   *CLVFit
	per   float64
	cols  func(t *features.Table) clvColumns // the columns the fit reads of a piece
	stats []clv.Stats
	spend []clv.Spend
	// hold is the header's holdout (nil without one), actual the
	// holdout_purchase_days of each buyer of stats.
	hold   *features.Holdout
	actual []int32
}

// NewCLVInputs returns the inputs of the models fitted with v and
// windowDays on the rows of a table with header's columns and holdout
// (header's rows are not read).
func NewCLVInputs(header *features.Table, v clv.Value, windowDays int) *CLVInputs {
	c, source := clvColumnsOf(header)
	in := &CLVInputs{res: &CLVFit{Settings: v, Source: source}, per: v.Period.Days()}
	switch {
	case c.missing(windowDays) != "":
		reason := c.missing(windowDays)
		in.res.BGNBDNotComputed, in.res.GammaGammaNotComputed = reason, reason
	case hasHoldout(header): // fit on the calibration period only
		in.hold = header.Holdout
		in.cols = func(t *features.Table) clvColumns {
			return clvColumns{freq: t.Col(features.CalibrationPurchaseDays), rep: t.Col(features.CalibrationRepeatMonetary),
				age: t.Col(features.CalibrationAgeDays), span: t.Col(features.CalibrationSpanDays)}
		}
	default:
		in.cols = func(t *features.Table) clvColumns { c, _ := clvColumnsOf(t); return c }
	}
	return in
}

// CLVColumns returns the columns of header (of those FitCLV reads) that
// NewCLVInputs' Add needs of each piece: a piece may hold those alone.
func CLVColumns(header *features.Table) []string {
	var names []string
	for _, name := range []string{features.Frequency, features.RecencyDays, features.TenureDays, features.AOV, RepeatMonetaryColumn,
		features.FirstPurchaseAgeDays, features.PurchaseSpanDays, PurchaseDaysColumn,
		features.CalibrationPurchaseDays, features.CalibrationRepeatMonetary, features.CalibrationAgeDays, features.CalibrationSpanDays,
		features.HoldoutPurchaseDays} {
		if header.Col(name) != nil {
			names = append(names, name)
		}
	}
	return names
}

// NeedsRows reports whether Fit reads the rows added: false when the
// models are not computed whatever the rows (see FitCLV), so that a
// caller need not read them.
func (in *CLVInputs) NeedsRows() bool { return in.cols != nil }

// Add adds the rows of piece (the next rows of the table, with at least
// CLVColumns of the header).
func (in *CLVInputs) Add(piece *features.Table) {
	if in.cols == nil {
		return
	}
	rows, stats, spend := clvInputs(piece.N(), in.cols(piece), in.per)
	in.stats, in.spend = append(in.stats, stats...), append(in.spend, spend...)
	if in.hold != nil {
		hold := piece.Col(features.HoldoutPurchaseDays)
		for _, i := range rows {
			in.actual = append(in.actual, int32(hold[i]))
		}
	}
}

// Fit fits the models on the rows added (see FitCLV).
func (in *CLVInputs) Fit(ctx context.Context, workers int) (*CLVFit, error) {
	res := in.res
	if in.cols == nil {
		return res, nil
	}
	// A store younger than four weeks (or three periods) cannot tell a
	// customer who left from one between purchases.
	// The fit is the same whatever Workers is (clv sums fixed pieces).
	set := &clv.FitSettings{MinHistory: math.Max(3, minHistoryDays/in.per), Workers: workers}
	if workers <= 0 {
		set.Workers = runtime.GOMAXPROCS(0)
	}
	bg, err := clv.FitBGNBD(ctx, in.stats, set)
	if err != nil {
		res.GammaGammaNotComputed = "not computed: the BG/NBD model was not computed"
		if err := notComputed(err, &res.BGNBDNotComputed); err != nil {
			return res, err
		}
		return res, in.compare(ctx, set.Workers)
	}
	res.BGNBD = &bg
	gg, err := clv.FitGammaGamma(ctx, in.spend, set)
	if err != nil {
		if err := notComputed(err, &res.GammaGammaNotComputed); err != nil {
			return res, err
		}
	} else {
		res.GammaGamma = &gg
	}
	return res, in.compare(ctx, set.Workers)
}

// Predict returns the predictions of f's models for every customer of all
// (a table with the columns f was fitted on, or a part of one), each row
// computed alone: a customer's predictions do not depend on the other
// rows of all, nor on workers.
func (f *CLVFit) Predict(all *features.Table, workers int) *CLV {
	n := all.N()
	res := &CLV{CLVFit: *f,
		PAlive: make([]float64, n), Orders: make([]float64, n), AOV: make([]float64, n), Value: make([]float64, n),
		Null: make([]bool, n), ValueNull: make([]bool, n)}
	for i := range res.Null {
		res.Null[i], res.ValueNull[i] = true, true
	}
	if f.BGNBD == nil {
		return res
	}
	c, _ := clvColumnsOf(all)
	rows, stats, spend := clvInputs(n, c, f.Settings.Period.Days())
	res.predict(rows, stats, spend, workers)
	return res
}

// clvColumns are the customer table's columns the models' inputs come
// from; any may be nil (see ComputeCLV).
type clvColumns struct {
	freq, rec, ten, aov, rep, age, span []float64
	// days says that freq is purchase_days (CLVFromPurchaseDays).
	days bool
}

// clvColumnsOf returns the models' input columns of all and their source:
// freq is purchase_days when all has it (CLVFromPurchaseDays), else
// frequency (CLVFromOrders).
func clvColumnsOf(all *features.Table) (clvColumns, string) {
	c := clvColumns{freq: all.Col(features.Frequency), rec: all.Col(features.RecencyDays), ten: all.Col(features.TenureDays),
		aov: all.Col(features.AOV), rep: all.Col(RepeatMonetaryColumn),
		age: all.Col(features.FirstPurchaseAgeDays), span: all.Col(features.PurchaseSpanDays)}
	if days := all.Col(PurchaseDaysColumn); days != nil {
		c.freq, c.days = days, true
		return c, CLVFromPurchaseDays
	}
	return c, CLVFromOrders
}

// missing returns why the models cannot be fitted on c ("not computed:
// …"), or "" when they can be tried.
func (c clvColumns) missing(windowDays int) string {
	switch {
	case c.freq == nil || c.rec == nil || c.ten == nil:
		return "not computed: the customer table lacks frequency, recency_days or tenure_days"
	case windowDays > 0 && !c.days:
		return "not computed: features.window_days is set, so frequency counts only the window; the model needs every purchase"
	}
	return ""
}

// clvInputs returns the rows of the customers with a purchase (freq ≥ 1)
// and their statistics and spend, in periods of per days: x = freq − 1;
// T and t_x from age and span when present, else from ten and rec; the
// mean repeat spend rep / x when present, else aov.
func clvInputs(n int, c clvColumns, per float64) (rows []int, stats []clv.Stats, spend []clv.Spend) {
	for i := range n {
		f := c.freq[i]
		if !(f >= 1) || math.IsInf(f, 0) || f > math.MaxInt32 {
			continue
		}
		s := clv.Stats{X: int(f) - 1}
		if c.age != nil && c.span != nil {
			if !(c.age[i] >= 0) || math.IsInf(c.age[i], 0) {
				continue
			}
			s.T, s.Tx = c.age[i]/per, math.Max(0, math.Min(c.age[i], c.span[i]))/per
		} else {
			t, r := c.ten[i], c.rec[i]
			if !(t >= 0) || !(r >= 0) || math.IsInf(t, 0) {
				continue
			}
			s.T, s.Tx = t/per, math.Max(0, math.Min(t, t-r))/per
		}
		if s.X == 0 {
			s.Tx = 0
		}
		sp := clv.Spend{X: s.X}
		switch {
		case s.X == 0:
		case c.rep != nil:
			sp.Mean = c.rep[i] / float64(s.X)
		case c.aov != nil:
			sp.Mean = c.aov[i]
		}
		rows, stats, spend = append(rows, i), append(stats, s), append(spend, sp)
	}
	return rows, stats, spend
}

// notComputed records a model's *clv.NotComputedError in *reason and
// returns nil, or returns any other error (a cancelled run).
func notComputed(err error, reason *string) error {
	var nc *clv.NotComputedError
	if !errors.As(err, &nc) {
		return fmt.Errorf("pipeline: lifetime value: %w", err)
	}
	*reason = "not computed: " + nc.Reason.Error()
	if nc.Detail != "" {
		*reason += ": " + nc.Detail
	}
	return nil
}

// predict fills the per-row predictions of rows, split across workers in
// contiguous blocks (each row is computed alone, so the result does not
// depend on the split).
func (res *CLV) predict(rows []int, stats []clv.Stats, spend []clv.Spend, workers int) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	horizon := res.Settings.HorizonDays / res.Settings.Period.Days()
	var wg sync.WaitGroup
	block := (len(rows) + workers - 1) / workers
	for lo := 0; lo < len(rows); lo += block {
		hi := min(lo+block, len(rows))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := lo; k < hi; k++ {
				i, s := rows[k], stats[k]
				if res.GammaGamma != nil {
					p, err := res.Settings.Predict(res.BGNBD.BGNBD, res.GammaGamma.GammaGamma, s, spend[k])
					if err == nil {
						res.PAlive[i], res.Orders[i], res.AOV[i], res.Value[i] = p.PAlive, p.ExpectedOrders, p.ExpectedAOV, p.CLV
						res.Null[i], res.ValueNull[i] = false, false
						continue
					}
					// A value that is not finite leaves the order value and CLV
					// null; P(alive) and the expected orders may still be.
				}
				if e, ok := res.BGNBD.ConditionalExpected(s, horizon); ok {
					res.PAlive[i], res.Orders[i], res.Null[i] = res.BGNBD.PAlive(s), e, false
				}
			}
		}()
	}
	wg.Wait()
	for _, null := range res.Null {
		if !null {
			res.Scored++
		}
	}
}

// orOK returns reason, or "ok" when it is empty, for the log.
func orOK(reason string) string {
	if reason == "" {
		return "ok"
	}
	return reason
}

// columns returns the assignments' lifetime-value columns: p_alive,
// expected_orders_<H>d, expected_aov and clv_<H>d, null where a row was
// not scored; none when c is nil (no clv section).
func (c *CLV) columns() []data.Column {
	if c == nil {
		return nil
	}
	h := c.HorizonDays()
	return []data.Column{
		{Name: "p_alive", Kind: data.KindFloat64, Floats: c.PAlive, Nulls: c.Null},
		{Name: fmt.Sprintf("expected_orders_%dd", h), Kind: data.KindFloat64, Floats: c.Orders, Nulls: c.Null},
		{Name: "expected_aov", Kind: data.KindFloat64, Floats: c.AOV, Nulls: c.ValueNull},
		{Name: fmt.Sprintf("clv_%dd", h), Kind: data.KindFloat64, Floats: c.Value, Nulls: c.ValueNull},
	}
}
