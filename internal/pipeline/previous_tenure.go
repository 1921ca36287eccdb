package pipeline

import (
	"math"
	"time"

	"github.com/segment-tool/segment/features"
)

// tenureCheck is what alignPrevious compares the previous run's
// tenure_days with: this run's, of the customers in id order, and the
// days from the previous run's as_of to this run's. A customer's first
// purchase does not move later while orders are only added, so a tenure
// below the previous one plus those days says the inputs lost their
// earlier orders (an export cut by date), or that their first purchase
// was refunded since.
type tenureCheck struct {
	tenure, purchases []float64
	days              float64
}

// tenureCheck returns the check of the previous run's tenure_days against
// all's (this run's customers), or nil when either run's analysis date or
// all's tenure column is unknown.
func (p *Previous) tenureCheck(all *features.Table) *tenureCheck {
	tenure, purchases := all.Col(features.TenureDays), all.Col(features.LifetimeFrequency)
	if purchases == nil {
		purchases = all.Col(features.Frequency)
	}
	date, ok := p.date(all.AsOf) // both dated, on the same wall clock
	if tenure == nil || purchases == nil || !ok {
		return nil
	}
	was, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil
	}
	now := time.Date(all.AsOf.Year(), all.AsOf.Month(), all.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	return &tenureCheck{tenure: tenure, purchases: purchases, days: math.Round(now.Sub(was).Hours() / 24)}
}
