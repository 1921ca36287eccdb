package features

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// PlaceholderID is a customer id that stands for no one person: the id
// an export writes for every guest checkout ("0", "-1", "guest"), which
// makes one customer of many people.
type PlaceholderID struct {
	ID           string
	Orders       float64 // its purchases (frequency)
	RevenueShare float64 // its monetary over the table's revenue; 0 without revenue
}

// PlaceholderIDs returns the ids of t that read as placeholders: zeros
// alone ("0", "000"), "-1", or a word for nobody in particular (guest,
// anonymous, unknown, unregistered, any case), in t's order. Such an id is
// a customer to segment; a run says so (its log), since the "customer"
// usually tops every ranking.
func (t *Table) PlaceholderIDs() []PlaceholderID {
	freq, mon := t.Col(Frequency), t.Col(Monetary)
	var out []PlaceholderID
	for i, id := range t.IDs {
		if !placeholder(id) {
			continue
		}
		p := PlaceholderID{ID: id}
		if freq != nil {
			p.Orders = freq[i]
		}
		if mon != nil && t.Revenue > 0 {
			p.RevenueShare = mon[i] / t.Revenue
		}
		out = append(out, p)
	}
	return out
}

// placeholder reports whether id reads as an id for no one in particular.
func placeholder(id string) bool {
	if strings.Trim(id, "0") == "" || id == "-1" {
		return id != ""
	}
	switch strings.ToLower(id) {
	case "guest", "anonymous", "anon", "unknown", "unregistered", "guest checkout", "walk-in", "walkin":
		return true
	}
	return false
}

// DecimalIDs counts the ids of t written as a whole number with a zero
// fraction ("17850.0": a float id column exported as text, pandas' way)
// and returns the first of them. Such an id is not the id written
// "17850" in another export (a Parquet DOUBLE id is read as "17850"):
// a run says so (its log), since one customer would become two.
func (t *Table) DecimalIDs() (n int, first string) {
	for _, id := range t.IDs {
		whole, frac, ok := strings.Cut(id, ".")
		if !ok || whole == "" || strings.Trim(frac, "0") != "" || frac == "" || strings.Trim(strings.TrimPrefix(whole, "-"), "0123456789") != "" {
			continue
		}
		if n++; n == 1 {
			first = id
		}
	}
	return n, first
}

// CaseVariantIDs counts the e-mail ids of t (ids holding an @) that
// another id of t equals but for letter case and spaces around it
// ("Ana@x.com" and "ana@x.com ": one person typing her address two ways),
// and returns the first such pair in id order. segment keeps ids as
// written, so each is a customer of its own: a run says so (its log).
// Memory grows with the e-mail ids, a lower-cased copy of each.
func (t *Table) CaseVariantIDs() (n int, first [2]string) {
	return variantIDs(t.IDs, func(id string) (string, bool) {
		if !strings.Contains(id, "@") {
			return "", false
		}
		return strings.ToLower(strings.TrimSpace(id)), true
	})
}

// NormalisationVariantIDs counts the ids of t that another id of t equals
// once both are in Unicode's composed form (NFC): "José" written with one
// character é or with an e and a combining accent looks the same but is
// another id, and segment keeps ids as written, so each is a customer of
// its own (a run says so in its log). It returns the first such pair in id
// order. Only ids with a byte beyond ASCII are looked at, and memory grows
// with those.
func (t *Table) NormalisationVariantIDs() (n int, first [2]string) {
	return variantIDs(t.IDs, func(id string) (string, bool) {
		if isASCII(id) {
			return "", false
		}
		return norm.NFC.String(id), true
	})
}

// variantIDs counts the ids that share key's value with an earlier id, of
// those key looks at (its bool), and returns the first such pair in id
// order. Memory grows with the ids looked at.
func variantIDs(ids []string, key func(id string) (string, bool)) (n int, first [2]string) {
	seen := map[string]string{}
	for _, id := range ids {
		k, look := key(id)
		if !look {
			continue
		}
		other, dup := seen[k]
		if !dup {
			seen[k] = id
			continue
		}
		if n++; n == 1 {
			first = [2]string{other, id}
		}
	}
	return n, first
}

// isASCII reports whether s holds ASCII bytes only.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
