package pipeline

import (
	"cmp"
	"fmt"

	"github.com/segment-tool/segment/data"
)

// checkCurrency returns an error when the currency the order amounts were
// read in (read: a currency column's code or the amounts' sign,
// data.ReadStats.Currency; "" when they say none) cannot be the one they
// are labelled or scored as: a saved model's (segment assign: its
// centroids, scaler and cut points are in that currency's amounts) or the
// config's `currency`, which the report prints with every amount. A
// previous run in another currency is only warned of: its clusters are
// still matched, by amounts of another scale.
func checkCurrency(o *Options, read string, prev *Previous) error {
	if m := o.Model; m != nil && m.Currency != "" {
		// Without -config the saved config's currency is the model's: the
		// amounts' own mark decides.
		said := "the amounts are in " + read
		if read == "" {
			said = "the config's currency is " + o.Currency
		}
		if got := cmp.Or(read, o.Currency); got != "" && !data.SameCurrency(got, m.Currency) {
			return fmt.Errorf("orders %s: %s but the model %s was fitted on amounts in %s: its centroids, scaler and RFM cut points would score them as %s; score them with a model fitted on %s amounts, or convert them",
				o.Orders, said, o.ModelPath, m.Currency, m.Currency, got)
		}
	}
	if read != "" && o.Currency != "" && !data.SameCurrency(read, o.Currency) {
		return fmt.Errorf("orders %s: the amounts are in %s but the config's currency is %s, which the report would print with them: set currency: %s, or leave it out",
			o.Orders, read, o.Currency, read)
	}
	if prev != nil && prev.Model != nil && prev.Model.Currency != "" {
		if got := cmp.Or(o.Currency, read); got != "" && !data.SameCurrency(got, prev.Model.Currency) {
			o.logger().Warn("orders: the previous run's amounts were in another currency: its clusters are matched with this run's by amounts of another scale, so cluster keys and the history columns may change",
				"previous", prev.Model.Currency, "now", got)
		}
	}
	return nil
}

// amountsCurrency is the currency model.json keeps (Model.Currency): the
// code of the amounts' currency when their marks or the config give one
// (USD for a config's "$" beside amounts marked USD), else the sign.
func amountsCurrency(config, read string) string {
	c, r := data.CurrencyName(config), data.CurrencyName(read)
	switch {
	case data.IsCurrencyCode(r):
		return r
	case data.IsCurrencyCode(c):
		return c
	}
	return cmp.Or(r, c)
}
