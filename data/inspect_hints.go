package data

// The first rows' hints of segment inspect: what a file's values, beyond
// its column names, say about how to read it (a line's total beside a
// quantity, a cancellation prefix, codes that are no merchandise, unpaid
// statuses, money in cents, columns left empty).

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Guess is GuessTable of the file's columns; for a CSV file of order lines
// whose price column is mapped as the unit price, it also looks at the
// first rows: when, on lines of one product, the price grows with the
// quantity (2 × 9.99 written 19.98, as Amazon's item-price is), the column
// is a line's total and is mapped as the amount instead, so that it is not
// multiplied by the quantity again.
func (in *Inspection) Guess() TableGuess {
	g := GuessTable(in.Columns)
	if g.Kind == CustomersTable && repeats(in.ids[g.Mapping.Columns["customer_id"]]) {
		// A customers table has a row per customer: ids that repeat in the
		// first rows are those of order lines (an order export with an
		// e-mail column).
		if orders := GuessTable(withoutEmail(in.Columns)); orders.Kind == OrdersTable {
			g = TableGuess{Kind: OrdersTable, Mapping: GuessMapping(in.Columns)}
		}
	}
	m := &g.Mapping
	q, p, prod := m.Columns["quantity"], m.Columns["unit_price"], m.Columns["product_id"]
	if g.Kind != OrdersTable || q == "" {
		return g
	}
	m.CancelPrefix, m.CancelExample = cancelPrefix(in.ids[m.Columns["order_id"]], in.numbers[q])
	m.OddProducts = oddProducts(in.ids[prod])
	if m.Columns["amount"] != "" || p == "" || prod == "" {
		return g
	}
	if lineTotals(in.numbers[q], in.numbers[p], in.ids[prod]) {
		m.Columns["amount"] = p
		delete(m.Columns, "unit_price")
		if m.Notes == nil {
			m.Notes = map[string]string{}
		}
		m.Notes["amount"] = fmt.Sprintf("not a unit price: on lines of one product, %q grows with the quantity (a line's total)", p)
		m.AmountBeforeDiscount = len(m.Discounts) > 0
	}
	return g
}

// lineTotals reports whether prices, beside quantities, are lines' totals:
// among lines of one product with different quantities, at least two
// whose price is the first line's price times the quantities' ratio, and
// none whose price is the same.
func lineTotals(qty, price []float64, products []string) bool {
	if len(qty) == 0 || len(qty) != len(price) || len(price) != len(products) {
		return false
	}
	type line struct{ q, p float64 }
	first := map[string]line{}
	totals, units := 0, 0
	for i, id := range products {
		l := line{qty[i], price[i]}
		if id = strings.TrimSpace(id); id == "" || !(l.q > 0) || !(l.p > 0) {
			continue
		}
		f, ok := first[id]
		switch {
		case !ok:
			first[id] = l
		case l.q == f.q:
		case l.p == f.p:
			units++
		case math.Abs(l.p/l.q-f.p/f.q) <= 1e-9*f.p/f.q:
			totals++
		}
	}
	return totals >= 2 && units == 0
}

// cancelPrefix returns the letters that start the order ids of the lines
// of negative quantity, and one such id, when every line whose id is
// those letters then digits has a negative quantity and most ids are
// digits only (UCI Online Retail's "C536379" beside "536365"; its
// "A563185" adjustments, of positive quantities, are another prefix);
// "" otherwise. Of several such prefixes, the one of the most lines.
func cancelPrefix(ids []string, qty []float64) (prefix, example string) {
	if len(ids) == 0 || len(ids) != len(qty) {
		return "", ""
	}
	type count struct {
		neg, other int
		example    string
	}
	prefixes := map[string]*count{}
	digits := 0
	for i, id := range ids {
		id = strings.TrimSpace(id)
		if isDigits(id) {
			digits++
			continue
		}
		// One or two capital letters, then digits.
		k := strings.IndexFunc(id, func(r rune) bool { return r < 'A' || r > 'Z' })
		if k <= 0 || k > 2 || !isDigits(id[k:]) {
			continue
		}
		c := prefixes[id[:k]]
		if c == nil {
			c = &count{}
			prefixes[id[:k]] = c
		}
		if qty[i] < 0 {
			c.neg++
			c.example = cmp.Or(c.example, id)
		} else {
			c.other++
		}
	}
	if 2*digits < len(ids) {
		return "", ""
	}
	best := 0
	for _, p := range slices.Sorted(maps.Keys(prefixes)) {
		if c := prefixes[p]; c.other == 0 && c.neg > best {
			prefix, example, best = p, c.example, c.neg
		}
	}
	return prefix, example
}

// oddProducts returns the distinct product ids without a digit, in order
// of appearance (at most 8), when at least 90 % of the non-empty ids have
// one: codes that are no merchandise among SKUs, perhaps.
func oddProducts(ids []string) []string {
	var odd []string
	n, withDigit := 0, 0
	for _, id := range ids {
		if id = strings.TrimSpace(id); CleanID(id) == "" {
			continue
		}
		n++
		switch {
		case strings.ContainsAny(id, "0123456789"):
			withDigit++
		case !slices.Contains(odd, id) && len(odd) < 8:
			odd = append(odd, id)
		}
	}
	if len(odd) == 0 || 10*withDigit < 9*n {
		return nil
	}
	return odd
}

// repeats reports whether a value other than an empty one appears twice.
func repeats(vals []string) bool {
	seen := make(map[string]bool, len(vals))
	for _, v := range vals {
		if v = CleanID(v); v == "" { // empty, or NULL, N/A: no id
			continue
		}
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	return false
}

// withoutEmail returns cols without their e-mail columns: what GuessTable
// makes of a file once an e-mail no longer says "customers table".
func withoutEmail(cols []ColumnInfo) []ColumnInfo {
	var out []ColumnInfo
	for _, c := range cols {
		if !strings.Contains(normalise(c.Name), "email") {
			out = append(out, c)
		}
	}
	return out
}

// MinorUnitColumns returns the money columns of m (amount, unit price,
// discounts) whose names say they hold minor units, cents or pence
// (amount_cents, price_in_cents, total_minor): the starter config reads
// them × 0.01 (orders.amount_scale).
func MinorUnitColumns(m Mapping) []string {
	var out []string
	for _, c := range append([]string{m.Columns["amount"], m.Columns["unit_price"]}, m.Discounts...) {
		words := strings.FieldsFunc(strings.ToLower(c), func(r rune) bool { return !unicode.IsLetter(r) })
		if slices.ContainsFunc(words, func(w string) bool { return w == "cents" || w == "cent" || w == "pence" || w == "minor" }) {
			out = append(out, c)
		}
	}
	return out
}

// failedWords are the words of a status value that say an order's
// payment failed (Stripe's Failed, PrestaShop's Payment error, declined
// cards, abandoned checkouts); awaitedWords those that say it was not
// made yet (Shopify's pending, PrestaShop's Awaiting bank wire payment),
// which it may still be (cash on delivery, a wire on its way).
var failedWords, awaitedWords = map[string]bool{
	"failed": true, "failure": true, "fail": true, "declined": true, "error": true, "unpaid": true, "abandoned": true,
}, map[string]bool{
	"awaiting": true, "pending": true, "expired": true, "incomplete": true,
}

// fulfilmentWords are the words of a status value about the goods, not
// the payment ("Awaiting Fulfillment", "Awaiting Shipment", "Pickup
// pending"): such an order is paid.
var fulfilmentWords = map[string]bool{
	"fulfillment": true, "fulfilment": true, "fulfilled": true, "shipment": true, "shipping": true, "ship": true,
	"shipped": true, "pickup": true, "delivery": true, "dispatch": true, "packing": true, "preparation": true,
}

// UnpaidStatuses returns the values of a status column (ColumnInfo.Values)
// whose payment failed (failed: Failed, Payment error, declined), for the
// starter config's orders.exclude.status, and those whose payment was
// not made yet (awaited: pending, Awaiting bank wire payment), which the
// starter config only names in a comment. A value about a refund, return
// or cancellation (refund_pending), or about the goods (Awaiting
// Fulfillment), is neither.
func UnpaidStatuses(values []string) (failed, awaited []string) {
	for _, v := range values {
		words := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return !unicode.IsLetter(r) })
		has := func(set map[string]bool) bool {
			return slices.ContainsFunc(words, func(w string) bool { return set[w] })
		}
		switch {
		case has(cancelWords) || has(fulfilmentWords):
		case has(failedWords):
			failed = append(failed, v)
		case has(awaitedWords):
			awaited = append(awaited, v)
		}
	}
	return failed, awaited
}

// shippingNamed reports whether a column's name says it is about the
// shipping ("Shipping Discount", "ship-promotion-discount").
func shippingNamed(name string) bool {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) })
	return slices.ContainsFunc(words, func(w string) bool {
		return w == "ship" || w == "shipping" || w == "postage" || w == "delivery" || w == "freight"
	})
}

// namedFor reports whether a column's name is one GuessMapping would map
// to some logical column, or a discount's.
func namedFor(name string) bool {
	n := normalise(name)
	if strings.Contains(n, "disc") {
		return true
	}
	for _, l := range guessNames {
		for _, want := range l.names {
			if part, ok := strings.CutPrefix(want, "~"); ok && strings.Contains(n, part) || n == want {
				return true
			}
		}
	}
	return false
}

// personNames reports whether every example is written like a person's
// name ("M. DURAND", "Jane Smith"): words of letters (and periods,
// apostrophes, hyphens), at least two, no digit and no "@".
func personNames(examples []string) bool {
	n := 0
	for _, s := range examples {
		if CleanID(s) == "" {
			continue
		}
		words := strings.Fields(s)
		if len(words) < 2 {
			return false
		}
		for _, r := range s {
			if !unicode.IsLetter(r) && !unicode.IsSpace(r) && !strings.ContainsRune(".'-", r) {
				return false
			}
		}
		n++
	}
	return n > 0
}
