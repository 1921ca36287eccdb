package report

import (
	"fmt"
	"strings"
)

// CLV is the lifetime-value section: the BG/NBD and Gamma-Gamma models'
// parameters (or why they were not computed) and the predicted value per
// RFM segment and per cluster.
type CLV struct {
	HorizonDays int
	Discount    float64 // annual rate
	Period      string  // "day" or "week"
	// FromOrders is true when x counts orders rather than purchase days
	// (the customer table has no purchase_days column).
	FromOrders bool
	// BGNBD and GammaGamma are the fitted parameters in words, or a
	// "not computed: …" sentence.
	BGNBD, GammaGamma string
	Scored            int
	HasValue          bool        // the Gamma-Gamma model was fitted, so CLV is known
	Segments          []CLVRow    // per RFM segment
	Clusters          []CLVRow    // per cluster
	Holdout           *CLVHoldout // the calibration/holdout test, or nil (clv_holdout_md.go)
}

// CLVRow sums the predictions over one group of customers.
type CLVRow struct {
	Name      string
	Customers int     // customers scored
	PAlive    float64 // mean P(alive)
	Orders    float64 // Σ expected orders within the horizon
	Value     float64 // Σ CLV within the horizon
	AtRisk    float64 // Σ (1 − P(alive)) × past net revenue
}

func writeCLV(b *strings.Builder, r *Run) {
	c := r.CLV
	if c == nil {
		return
	}
	b.WriteString("## Lifetime value\n\n")
	fmt.Fprintf(b, "Buy-till-you-die models fitted on the customers with a purchase, in %ss: "+
		"the BG/NBD model of purchases and dropout (Fader, Hardie & Lee 2005, Marketing Science 24(2)) "+
		"and the Gamma-Gamma model of order value (Fader, Hardie & Lee 2005, JMR 42(4)). "+
		"CLV is the expected order value times the expected orders in each 30-day step of the next %s days, "+
		"discounted at %s a year.", mdText(c.Period), FormatInt(int64(c.HorizonDays)), formatPercent(c.Discount))
	if c.FromOrders {
		b.WriteString(" Repeat purchases are counted as orders: several orders on one day count apart, " +
			"and the mean order value includes the first order (the customer table has no `purchase_days` and `repeat_monetary`).")
	}
	b.WriteString("\n\n")
	fmt.Fprintf(b, "- BG/NBD: %s\n- Gamma-Gamma: %s\n- Customers scored: %s\n\n", mdText(c.BGNBD), mdText(c.GammaGamma), FormatInt(int64(c.Scored)))
	writeCLVHoldout(b, c.Holdout)
	if c.Scored == 0 {
		return
	}
	b.WriteString("Revenue at risk is Σ (1 − P(alive)) × the customer's past net revenue: the revenue of customers the model believes have left. " +
		"The BG/NBD model counts a customer without a repeat purchase as alive (P(alive) = 1); for one-time buyers read the expected orders instead.\n\n")
	for _, t := range []struct {
		title string
		rows  []CLVRow
	}{{"RFM segment", c.Segments}, {"Cluster", c.Clusters}} {
		if len(t.rows) == 0 {
			continue
		}
		fmt.Fprintf(b, "| %s | customers | mean P(alive) | expected orders, %dd | CLV, %dd | revenue at risk |\n|---|---:|---:|---:|---:|---:|\n",
			t.title, c.HorizonDays, c.HorizonDays)
		for _, row := range t.rows {
			value := "–"
			if c.HasValue {
				value = formatNumber(row.Value)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", mdText(row.Name), FormatInt(int64(row.Customers)),
				formatFixed(row.PAlive, 2), formatNumber(row.Orders), value, formatNumber(row.AtRisk))
		}
		b.WriteString("\n")
	}
}
