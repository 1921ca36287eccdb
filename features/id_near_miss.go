package features

import (
	"slices"
	"strings"
	"unicode"
)

// NearMissIDs counts the ids of a joined table without orders (its
// prospects) that are the id of a buyer without a row in the table but
// for the way they are written: letter case, invisible format characters
// (a zero width space), leading zeros or a trailing ".0" of a number
// (foldID). Such a pair is joined as two customers: the table's row
// becomes a prospect, the buyer loses its e-mail and consent. orderIDs
// and tableIDs are sorted; first is the first pair found (table id, order
// id). One walk of the two lists finds both sides' lone ids; it holds the
// folded ids of the buyers without a row.
func NearMissIDs(orderIDs, tableIDs []string) (n int, first [2]string) {
	type folded struct{ key, id string }
	var lone []folded      // buyers without a row, by folded id
	var prospects []string // table ids without orders
	i, j := 0, 0
	for i < len(orderIDs) || j < len(tableIDs) {
		switch {
		case j == len(tableIDs) || i < len(orderIDs) && orderIDs[i] < tableIDs[j]:
			lone = append(lone, folded{foldID(orderIDs[i]), orderIDs[i]})
			i++
		case i == len(orderIDs) || tableIDs[j] < orderIDs[i]:
			prospects = append(prospects, tableIDs[j])
			j++
		default: // joined
			i++
			j++
		}
	}
	if len(lone) == 0 {
		return 0, first
	}
	slices.SortFunc(lone, func(a, b folded) int { return strings.Compare(a.key, b.key) })
	for _, id := range prospects {
		k := foldID(id)
		if at, ok := slices.BinarySearchFunc(lone, k, func(f folded, k string) int { return strings.Compare(f.key, k) }); ok {
			if n++; n == 1 {
				first = [2]string{id, lone[at].id}
			}
		}
	}
	return n, first
}

// foldID returns id written the plain way: without format characters
// (zero width spaces, byte order marks), in lower case, and when it is a
// whole number, without leading zeros or a ".0" after it.
func foldID(id string) string {
	k := strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, id))
	if digits := strings.TrimSuffix(k, ".0"); digits != "" && strings.Trim(digits, "0123456789") == "" {
		if k = strings.TrimLeft(digits, "0"); k == "" {
			k = "0"
		}
	}
	return k
}
