package config

import (
	"path/filepath"
	"testing"
)

func TestLoadCLV(t *testing.T) {
	path := writeFile(t, t.TempDir(), "segment.yaml", "clv: {horizon_days: 180, discount: 0.1, period: week, holdout_days: 273, churn_threshold: 0.3}\n")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.CLV == nil || *c.CLV != (CLV{HorizonDays: 180, Discount: 0.1, Period: "week", HoldoutDays: 273, ChurnThreshold: 0.3}) {
		t.Errorf("clv = %+v", c.CLV)
	}
	c, err = Load(writeFile(t, t.TempDir(), "segment.yaml", "clv: {}\n"))
	if err != nil || c.CLV == nil || *c.CLV != (CLV{}) {
		t.Errorf("clv: {} gives %+v, %v; want the section on with its defaults", c.CLV, err)
	}
	c, err = Load(writeFile(t, t.TempDir(), filepath.Base(path), "as_of: 2024-01-01\n"))
	if err != nil || c.CLV != nil {
		t.Errorf("without clv: %+v, %v; want nil", c.CLV, err)
	}
}

func TestLoadCLVInvalid(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"negative horizon", "clv: {horizon_days: -5}\n", "clv.horizon_days"},
		{"discount of 1", "clv: {discount: 1}\n", "clv.discount"},
		{"negative discount", "clv: {discount: -0.1}\n", "clv.discount"},
		{"month period", "clv: {period: month}\n", "clv.period"},
		{"negative holdout", "clv: {holdout_days: -7}\n", "clv.holdout_days"},
		{"churn threshold of 1", "clv: {churn_threshold: 1}\n", "clv.churn_threshold"},
		{"negative churn threshold", "clv: {churn_threshold: -0.2}\n", "clv.churn_threshold"},
		{"unknown key", "clv: {horizon: 30}\n", "horizon"},
	} {
		t.Run(c.name, func(t *testing.T) { loadErr(t, c.yaml, c.want) })
	}
}
