package data

import "strings"

// ReasonTotalsRow is the reject reason of a row without a customer id that
// an export adds to sum the rows above it ("Total,,,,12345.67"): its
// money is not counted as revenue excluded.
const ReasonTotalsRow = "totals row"

// totalsRow reports whether a line's order id, product id or category is
// a word that names a row of totals (Total, Grand total, Sum, Summe…).
func totalsRow(l *OrderLine) bool {
	for _, s := range [...]string{l.OrderID, l.ProductID, l.Category} {
		w := strings.ToLower(strings.TrimRight(strings.TrimSpace(s), ":."))
		switch w {
		case "total", "totals", "grand total", "subtotal", "sub-total", "sum", "summe", "gesamt", "gesamtsumme", "totaal", "totale", "totaux", "suma", "somme":
			return true
		}
	}
	return false
}
