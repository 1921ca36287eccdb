package pipeline

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segment-tool/segment/clv"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
)

// cdnowHoldoutTable is BTYD's CDNOW cbs as the aggregator's holdout columns
// give it (days): calibration_purchase_days = x + 1, calibration_age_days
// = 7·T, calibration_span_days = 7·t_x, holdout_purchase_days = x.star;
// the all-history columns as of the end of the holdout (a customer with a
// holdout purchase made the last one on the holdout's last day), so that a
// fit on them would not give the published parameters.
func cdnowHoldoutTable(t *testing.T) *features.Table {
	t.Helper()
	f, err := os.Open("../../../shared/data/cdnow/cdnow_sample_cbs.csv")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("../shared/data/cdnow absent")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var days, rep, age, span, hold, rec, allDays, allAge, allSpan []float64
	for i, r := range recs[1:] {
		v := make([]float64, 4)
		for k := range v {
			if v[k], err = strconv.ParseFloat(r[k+1], 64); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, fmt.Sprintf("%04d", i+1))
		days, rep = append(days, v[0]+1), append(rep, 30*v[0])
		age, span = append(age, math.Round(7*v[2])), append(span, math.Round(7*v[1]))
		rec, hold = append(rec, math.Round(7*(v[2]-v[1]))), append(hold, v[3])
		allDays, allAge, allSpan = append(allDays, v[0]+v[3]+1), append(allAge, math.Round(7*v[2])+273), append(allSpan, math.Round(7*v[1]))
		if v[3] > 0 {
			allSpan[i] = allAge[i]
		}
	}
	tab := featureTable(t, ids, col(features.Frequency, allDays...), col(features.RecencyDays, rec...), col(features.TenureDays, allAge...),
		col(PurchaseDaysColumn, allDays...), col(RepeatMonetaryColumn, rep...), col(features.FirstPurchaseAgeDays, allAge...), col(features.PurchaseSpanDays, allSpan...),
		col(features.CalibrationPurchaseDays, days...), col(features.CalibrationRepeatMonetary, rep...),
		col(features.CalibrationAgeDays, age...), col(features.CalibrationSpanDays, span...), col(features.HoldoutPurchaseDays, hold...))
	tab.Holdout = &features.Holdout{Days: 273, From: time.Date(1997, 10, 1, 0, 0, 0, 0, time.UTC)}
	return tab
}

// TestComputeCLVHoldoutCDNOW: fitted on the calibration columns, the stage
// predicts clv's 1,653.4 holdout repeat transactions from the published
// statistics (TestHoldoutCDNOW), against the 1,882 made, with the
// published counts per bucket.
func TestComputeCLVHoldoutCDNOW(t *testing.T) {
	c, err := ComputeCLV(context.Background(), cdnowHoldoutTable(t), clv.Value{HorizonDays: 273, Period: clv.Week}, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	h := c.Holdout
	if h == nil || !h.Computed {
		t.Fatalf("holdout %+v (BG/NBD: %s)", h, c.BGNBDNotComputed)
	}
	if math.Abs(c.BGNBD.R-0.243) > 5e-4 || math.Abs(c.BGNBD.B-2.426) > 5e-4 {
		t.Errorf("BG/NBD r %.4f b %.4f, want the published 0.243 and 2.426", c.BGNBD.R, c.BGNBD.B)
	}
	if h.Customers != 2357 || h.CalibrationRepeat != 2457 || h.Actual != 1882 || math.Abs(h.Predicted-1653.4) > 0.05 {
		t.Errorf("customers %d, calibration %d, holdout actual %d predicted %.2f; want 2,357, 2,457, 1,882, 1,653.4",
			h.Customers, h.CalibrationRepeat, h.Actual, h.Predicted)
	}
	if b := h.Buckets[0]; b.Customers != 1411 || math.Abs(b.Predicted/1411-0.225) > 5e-4 {
		t.Errorf("x = 0: %d customers, mean predicted %.4f; want 1,411 and 0.225", b.Customers, b.Predicted/float64(b.Customers))
	}
	if !h.CalibrationEnd.Equal(time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)) || h.Tracking != nil {
		t.Errorf("calibration end %v, tracking %v; want 1997-09-30 and none (no daily counts)", h.CalibrationEnd, h.Tracking)
	}
	s := c.summary(&customerTally{}).Holdout
	if s == nil || s.Predicted == nil || len(s.Buckets) != 8 || s.Buckets[7].Frequency != "7+" || s.CalibrationEnd != "1997-09-30" {
		t.Fatalf("run.json holdout %+v", s)
	}
}

// TestTracking checks the cumulative tracking data against E[X(t)]
// computed directly: customers enter on their first purchase day and each
// adds E[X(days since / period)].
func TestTracking(t *testing.T) {
	m := clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	h := &features.Holdout{Days: 2, From: start.AddDate(0, 0, 3), Start: start,
		First: []int64{2, 0, 1, 0, 0}, Repeat: []int64{0, 1, 0, 2, 1}}
	tr, err := tracking(context.Background(), m, h, 7)
	if err != nil || tr == nil {
		t.Fatalf("tracking: %v, %v", tr, err)
	}
	ex := func(days int) float64 {
		e, ok := m.Expected(float64(days) / 7)
		if !ok {
			t.Fatal("E[X] not finite")
		}
		return e
	}
	wantActual := []float64{0, 1, 1, 3, 4}
	for d := range 5 {
		want := 2 * ex(d)
		if d >= 2 {
			want += ex(d - 2)
		}
		if math.Abs(tr.Expected[d]-want) > 1e-12 || tr.Actual[d] != wantActual[d] {
			t.Errorf("day %d: expected %v actual %v, want %v and %v", d, tr.Expected[d], tr.Actual[d], want, wantActual[d])
		}
	}
	if tr.CalibrationEnd != 2 || !tr.Start.Equal(start) {
		t.Errorf("calibration end index %d, start %v; want 2 and %v", tr.CalibrationEnd, tr.Start, start)
	}
	if tr, err := tracking(context.Background(), m, &features.Holdout{Days: 2}, 7); tr != nil || err != nil {
		t.Errorf("no calibration customers: %v, %v; want nothing", tr, err)
	}
}

// TestComputeCLVHoldoutNotComputed: a holdout as long as the history
// leaves no calibration customer; the models are not computed, the
// holdout is reported without a prediction, and run.json has no NaN.
func TestComputeCLVHoldoutNotComputed(t *testing.T) {
	ids := []string{"a", "b", "c"}
	zero := []float64{0, 0, 0}
	tab := featureTable(t, ids, col(features.Frequency, 1, 2, 1), col(features.RecencyDays, 3, 1, 2), col(features.TenureDays, 5, 4, 2),
		col(PurchaseDaysColumn, 1, 2, 1), col(RepeatMonetaryColumn, 0, 10, 0), col(features.FirstPurchaseAgeDays, 4, 3, 1), col(features.PurchaseSpanDays, 0, 2, 0),
		col(features.CalibrationPurchaseDays, zero...), col(features.CalibrationRepeatMonetary, zero...),
		col(features.CalibrationAgeDays, zero...), col(features.CalibrationSpanDays, zero...), col(features.HoldoutPurchaseDays, 1, 2, 1))
	tab.Holdout = &features.Holdout{Days: 30, From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	c, err := ComputeCLV(context.Background(), tab, clv.Value{HorizonDays: 30}, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	h := c.Holdout
	if c.BGNBD != nil || h == nil || h.Computed || h.Customers != 0 || h.Tracking != nil {
		t.Fatalf("BG/NBD %v, holdout %+v; want neither computed", c.BGNBD, h)
	}
	b, err := json.Marshal(c.summary(&customerTally{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"predicted":null`) || strings.Contains(string(b), "NaN") {
		t.Errorf("run.json clv: %s", b)
	}
}

// TestHoldoutOptions: clv.holdout_days and clv.churn_threshold reach the
// options, and a holdout is refused before any data is read without a clv
// section or with a feature table.
func TestHoldoutOptions(t *testing.T) {
	o := DefaultOptions()
	if err := o.ApplyConfig(&config.File{CLV: &config.CLV{HoldoutDays: 30, ChurnThreshold: 0.3}}); err != nil {
		t.Fatal(err)
	}
	if o.HoldoutDays != 30 || o.ChurnThreshold != 0.3 || o.checkHoldout() != nil {
		t.Errorf("holdout %d, churn threshold %v, check %v", o.HoldoutDays, o.ChurnThreshold, o.checkHoldout())
	}
	for name, change := range map[string]func(*Options){
		"no clv section": func(o *Options) { o.CLV = nil },
		"feature table":  func(o *Options) { o.Features = "features.csv" },
		"negative":       func(o *Options) { o.HoldoutDays = -1 },
		"beyond MaxDays": func(o *Options) { o.HoldoutDays = features.MaxDays + 1 }, // -holdout-days 200000 put the calibration's end in 1477
		"a clv horizon beyond MaxDays (a library caller's)": func(o *Options) {
			o.CLV = &clv.Value{HorizonDays: 1e19}
		},
	} {
		bad := o
		change(&bad)
		if err := bad.checkHoldout(); err == nil {
			t.Errorf("%s: no error", name)
		}
		bad.Out = t.TempDir()
		if bad.Features == "" {
			bad.Orders = "no-such-orders.csv" // never read
		}
		if _, err := Run(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "holdout") && !strings.Contains(err.Error(), "horizon") {
			t.Errorf("%s: Run error %v, want the holdout's", name, err)
		}
	}
}
