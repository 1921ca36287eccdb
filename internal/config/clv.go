package config

import (
	"fmt"

	"github.com/segment-tool/segment/features"
)

// CLV is the clv section: customer lifetime value from the BG/NBD and
// Gamma-Gamma models (package clv). Its presence turns the computation on;
// absent keys take the defaults: a 365-day horizon, no discounting, day
// periods.
type CLV struct {
	// HorizonDays is the horizon of expected orders and of the value, in
	// days (default 365); it names the columns expected_orders_<H>d and
	// clv_<H>d.
	HorizonDays int `yaml:"horizon_days" json:"horizon_days,omitempty"`
	// Discount is the annual discount rate in [0, 1) (default 0).
	Discount float64 `yaml:"discount" json:"discount,omitempty"`
	// Period is the models' time unit: day (default) or week.
	Period string `yaml:"period" json:"period,omitempty"`
	// HoldoutDays, when positive, fits the models on the orders before
	// as_of − HoldoutDays days and compares their predictions with the
	// repeat purchases of those last days (segment run -holdout-days
	// overrides it). 0: no holdout.
	HoldoutDays int `yaml:"holdout_days" json:"holdout_days,omitempty"`
	// ChurnThreshold is the churn_risk group's bound on P(alive), in
	// (0, 1) (default 0.5).
	ChurnThreshold float64 `yaml:"churn_threshold" json:"churn_threshold,omitempty"`
}

// Validate names the clv key at fault.
func (c *CLV) Validate() error {
	if c == nil {
		return nil
	}
	if c.HorizonDays < 0 || c.HorizonDays > features.MaxDays {
		return fmt.Errorf("clv.horizon_days: want a positive number of days, at most %d (100 years), got %d", features.MaxDays, c.HorizonDays)
	}
	if !(c.Discount >= 0 && c.Discount < 1) {
		return fmt.Errorf("clv.discount: want an annual rate in [0, 1), got %v", c.Discount)
	}
	if c.HoldoutDays < 0 || c.HoldoutDays > features.MaxDays {
		return fmt.Errorf("clv.holdout_days: want a positive number of days, at most %d (100 years), got %d", features.MaxDays, c.HoldoutDays)
	}
	if c.ChurnThreshold != 0 && !(c.ChurnThreshold > 0 && c.ChurnThreshold < 1) {
		return fmt.Errorf("clv.churn_threshold: want a probability between 0 and 1 (exclusive), got %v", c.ChurnThreshold)
	}
	if p := c.Period; p != "" && p != "day" && p != "week" {
		return fmt.Errorf("clv.period: want day or week, got %q", p)
	}
	return nil
}
