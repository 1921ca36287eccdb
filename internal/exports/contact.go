package exports

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// Contact is one customer as the exports see it.
type Contact struct {
	CustomerID       string
	Email            string
	AcceptsMarketing bool
	Tags             []string   // already prefixed, e.g. "rfm:champions" (see Tag)
	Properties       []Property // the same names, in the same order, for every contact
}

// Property is a named value exported as a column (Klaviyo custom property).
type Property struct{ Name, Value string }

// NormalizeEmail trims spaces and lower-cases an email address, as Google
// Customer Match and Meta require before hashing.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// HashEmail returns the hex SHA-256 of the normalised email.
func HashEmail(s string) string {
	sum := sha256.Sum256([]byte(NormalizeEmail(s)))
	return hex.EncodeToString(sum[:])
}

// fold maps common Latin letters with diacritics to ASCII.
var fold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ă': "a", 'ą': "a",
	'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ł': "l", 'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ő': "o",
	'ř': "r", 'ś': "s", 'š': "s", 'ș': "s", 'ş': "s", 'ß': "ss", 'ț': "t", 'ţ': "t", 'ť': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ů': "u", 'ű': "u", 'ý': "y", 'ÿ': "y",
	'ź': "z", 'ż': "z", 'ž': "z", 'æ': "ae", 'œ': "oe",
}

// Tag returns "prefix:value" with value lower-cased and folded to ASCII
// letters, digits, "_" and "-" (accents removed, anything else "_"), so
// that every tool accepts it: Tag("city", "Cluj-Napoca") = "city:cluj-napoca".
func Tag(prefix, value string) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte(':')
	for _, r := range strings.ToLower(value) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-':
			b.WriteRune(r)
		case fold[r] != "":
			b.WriteString(fold[r])
		case r < utf8.RuneSelf && r != ' ':
			b.WriteByte('_')
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
