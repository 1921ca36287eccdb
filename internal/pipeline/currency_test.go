package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCurrencyChecks: model.json keeps the amounts' currency; segment
// assign refuses orders whose amounts are marked with another (a USD
// model would score yen as dollars) and takes a sign the model's currency
// writes; a run whose config's currency is not the amounts' stops before
// the report prints it with them.
func TestCurrencyChecks(t *testing.T) {
	marked := func(cur string) string {
		lines := []string{"order_id,customer_id,time,quantity,unit_price"}
		for _, l := range twoGroupOrders()[1:] {
			lines = append(lines, l+cur)
		}
		return writeCSV(t, t.TempDir(), "orders.csv", lines...)
	}
	o := runOptions(t)
	o.Orders = marked(" USD")
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	modelPath := filepath.Join(o.Out, "model.json")
	m, err := LoadModel(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	if m.Currency != "USD" {
		t.Fatalf("model.json's currency %q, want USD", m.Currency)
	}
	assign := func(orders string) error {
		t.Helper()
		so, err := ScoringOptions(m, modelPath, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		so.Orders, so.Out, so.Workers = orders, filepath.Join(t.TempDir(), "out"), 1
		_, err = Run(context.Background(), so)
		return err
	}
	if err := assign(marked(" JPY")); err == nil || !strings.Contains(err.Error(), "the amounts are in JPY but the model "+modelPath+" was fitted on amounts in USD") {
		t.Errorf("yen scored by a USD model: %v", err)
	}
	if err := assign(marked(" ¥")); err == nil || !strings.Contains(err.Error(), "in ¥ but the model") {
		t.Errorf("¥ scored by a USD model: %v", err)
	}
	if err := assign(marked(" $")); err != nil {
		t.Errorf("$ amounts scored by a USD model: %v", err)
	}
	if err := assign(marked("")); err != nil {
		t.Errorf("unmarked amounts scored by a USD model: %v", err)
	}
	if err := assign(marked(" €")); err == nil || !strings.Contains(err.Error(), "in EUR but the model") {
		t.Errorf("€ scored by a USD model: %v", err)
	}
	o = runOptions(t)
	o.Orders, o.Currency = marked(" USD"), "EUR"
	if _, err := Run(context.Background(), o); err == nil || !strings.Contains(err.Error(), "the amounts are in USD but the config's currency is EUR") {
		t.Errorf("config EUR, amounts USD: %v", err)
	}
}

// TestAmountsCurrency: model.json keeps the code when the amounts or the
// config give one, else the sign.
func TestAmountsCurrency(t *testing.T) {
	for _, c := range []struct{ config, read, want string }{
		{"$", "USD", "USD"}, {"USD", "$", "USD"}, {"€", "", "EUR"}, {"", "$", "$"}, {"eur", "", "EUR"}, {"", "", ""},
	} {
		if got := amountsCurrency(c.config, c.read); got != c.want {
			t.Errorf("amountsCurrency(%q, %q) = %q, want %q", c.config, c.read, got, c.want)
		}
	}
}

// TestStabilityCurrencyChange: a refit whose amounts are in another
// currency than the previous run's says so in the report's stability
// section (their scale changed: keys and history may move), not only in
// the log.
func TestStabilityCurrencyChange(t *testing.T) {
	o := runOptions(t)
	o.Currency = "USD"
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	o.Currency = "EUR"
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(o.Out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "the amounts' currency: USD → EUR") {
		t.Errorf("report.md does not say the currency changed since the previous run")
	}
	o.Currency = "EUR" // the same again: nothing to say
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if b, err = os.ReadFile(filepath.Join(o.Out, "report.md")); err != nil || strings.Contains(string(b), "the amounts' currency") {
		t.Errorf("report.md says the currency changed when it did not (%v)", err)
	}
}
