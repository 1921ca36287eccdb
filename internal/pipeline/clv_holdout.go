package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/segment-tool/segment/clv"
	"github.com/segment-tool/segment/features"
)

// holdoutBuckets is the number of calibration-frequency buckets of the
// holdout table: x = 0, 1, …, 6 and 7+ (Fader, Hardie & Lee 2005, fig. 5).
const holdoutBuckets = 8

// CLVHoldout compares the models fitted on the calibration period with
// what the calibration customers (those with a purchase before the holdout)
// did in the holdout: per customer the conditional expectation
// E[Y(N) | x, t_x, T] of Fader, Hardie & Lee (2005a, eq. 10) for the N
// holdout days against the purchase days they made, by calibration
// frequency x and in total; and, for the tracking plot, the store-wide
// cumulative repeat purchases per day against Σ E[X(t − first day)] (eq. 9).
type CLVHoldout struct {
	Days           int
	CalibrationEnd time.Time // the last calibration day (midnight in the store's zone)
	Customers      int       // calibration customers
	// CalibrationRepeat is Σ x: their repeat purchase days in calibration.
	CalibrationRepeat int64
	// Actual is Σ their purchase days in the holdout, Predicted the
	// model's Σ E[Y(N)] (valid when Computed: the BG/NBD was fitted).
	Actual    int64
	Predicted float64
	Computed  bool
	Buckets   [holdoutBuckets]HoldoutBucket

	// Tracking is the cumulative tracking plot's data, nil when the
	// BG/NBD was not fitted or there are no calibration customers.
	Tracking *Tracking
}

// HoldoutBucket sums the calibration customers of one calibration
// frequency x (the last bucket: 7 and more).
type HoldoutBucket struct {
	Customers int
	Predicted float64 // Σ E[Y(N) | x, t_x, T]
	Actual    int64   // Σ holdout purchase days
}

// BucketLabel returns bucket k's calibration frequency: "0" … "6", "7+".
func BucketLabel(k int) string {
	if k == holdoutBuckets-1 {
		return strconv.Itoa(k) + "+"
	}
	return strconv.Itoa(k)
}

// Tracking is the cumulative repeat purchases of the calibration customers
// by day, from Start (the earliest first purchase) to the day before
// as_of: Actual[d] counts the repeat purchase days up to and including
// day d, Expected[d] = Σ over the customers with a first purchase day
// f ≤ d of E[X((d − f) / period)]. CalibrationEnd is the index of the
// last calibration day (−1 if it falls before Start).
type Tracking struct {
	Start            time.Time
	Actual, Expected []float64
	CalibrationEnd   int
}

// hasHoldout reports whether t has a holdout: features.Options.HoldoutDays
// and the calibration columns.
func hasHoldout(t *features.Table) bool {
	if t.Holdout == nil {
		return false
	}
	for _, name := range []string{features.CalibrationPurchaseDays, features.CalibrationRepeatMonetary, features.CalibrationAgeDays,
		features.CalibrationSpanDays, features.HoldoutPurchaseDays} {
		if t.Col(name) == nil {
			return false
		}
	}
	return true
}

// compare sets the fit's Holdout from the calibration buyers added (nothing
// without a holdout), with the predictions of its BG/NBD when it was
// fitted. It returns only ctx's error.
func (in *CLVInputs) compare(ctx context.Context, workers int) error {
	if in.hold == nil {
		return nil
	}
	res := in.res
	out := &CLVHoldout{Days: in.hold.Days, CalibrationEnd: in.hold.CalibrationEnd(), Customers: len(in.stats), Computed: res.BGNBD != nil}
	var pred []float64
	if out.Computed {
		pred = conditionalExpected(res.BGNBD.BGNBD, in.stats, float64(in.hold.Days)/in.per, workers)
	}
	for k, s := range in.stats {
		b := &out.Buckets[min(s.X, holdoutBuckets-1)]
		b.Customers++
		b.Actual += int64(in.actual[k])
		out.Actual += int64(in.actual[k])
		out.CalibrationRepeat += int64(s.X)
		if pred != nil {
			b.Predicted += pred[k]
			out.Predicted += pred[k]
		}
	}
	if out.Computed {
		tr, err := tracking(ctx, res.BGNBD.BGNBD, in.hold, in.per)
		if err != nil {
			return err
		}
		out.Tracking = tr
	}
	res.Holdout = out
	return nil
}

// conditionalExpected returns E[Y(t) | s] for each of stats, computed in
// contiguous blocks across workers (each alone: the result does not depend
// on the split); 0 where it is not finite.
func conditionalExpected(m clv.BGNBD, stats []clv.Stats, t float64, workers int) []float64 {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]float64, len(stats))
	block := max(1, (len(stats)+workers-1)/workers)
	var wg sync.WaitGroup
	for lo := 0; lo < len(stats); lo += block {
		hi := min(lo+block, len(stats))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := lo; k < hi; k++ {
				if e, ok := m.ConditionalExpected(stats[k], t); ok {
					out[k] = e
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// tracking returns the cumulative tracking data of h under model m, nil
// without calibration customers or when E[X(t)] is not finite somewhere.
// It returns ctx.Err() once ctx is done (checked every 256 days).
func tracking(ctx context.Context, m clv.BGNBD, h *features.Holdout, per float64) (*Tracking, error) {
	n := len(h.First)
	if n == 0 {
		return nil, nil
	}
	ex := make([]float64, n) // E[X(d / per)], d days after the first purchase
	for d := range ex {
		e, ok := m.Expected(float64(d) / per)
		if !ok {
			return nil, nil
		}
		ex[d] = e
	}
	tr := &Tracking{Start: h.Start, Actual: make([]float64, n), Expected: make([]float64, n)}
	tr.CalibrationEnd = int(h.CalibrationEnd().Sub(h.Start).Round(24*time.Hour) / (24 * time.Hour))
	// The days on which calibration customers first bought: a store's
	// history may span decades with a stray early date, so the sum below
	// runs over these only (O(days × first-purchase days), not days²).
	var firsts []int
	for f, c := range h.First {
		if c > 0 {
			firsts = append(firsts, f)
		}
	}
	var cum float64
	for d := range n {
		if d%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		cum += float64(h.Repeat[d])
		tr.Actual[d] = cum
		var e float64
		for _, f := range firsts {
			if f > d {
				break
			}
			e += float64(h.First[f]) * ex[d-f]
		}
		tr.Expected[d] = e
	}
	return tr, nil
}

// checkHoldout checks the clv section and the holdout settings before any
// data is read: a holdout needs the clv section and order lines.
func (o *Options) checkHoldout() error {
	if v := o.CLV; v != nil { // a library caller's is not checked by a config
		if err := v.Validate(); err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
		if v.HorizonDays > features.MaxDays {
			return fmt.Errorf("pipeline: clv horizon %g days: want at most %d days (100 years)", v.HorizonDays, features.MaxDays)
		}
	}
	switch {
	case o.HoldoutDays < 0:
		return fmt.Errorf("pipeline: holdout days: want a positive number of days, got %d", o.HoldoutDays)
	case o.HoldoutDays > features.MaxDays:
		return fmt.Errorf("pipeline: holdout days: want at most %d days (100 years), got %d", features.MaxDays, o.HoldoutDays)
	case o.HoldoutDays == 0:
		return nil
	case o.CLV == nil:
		return fmt.Errorf("pipeline: a holdout of %d days needs a clv section in the config (the lifetime value models it tests)", o.HoldoutDays)
	case o.Features != "":
		return fmt.Errorf("pipeline: a holdout of %d days needs order lines, not a feature table (-features %s): it splits each customer's purchases by date", o.HoldoutDays, o.Features)
	}
	return nil
}
