package exports

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/translit"
)

// Contact is one customer as the exports see it. A Writer reads a
// contact's Properties only when it exports the contact (AcceptsMarketing,
// with an email EmailProblem accepts), and its Tags then and for
// tags_removed.csv when it has a previous run's tags: a caller may leave
// them out for the others.
type Contact struct {
	CustomerID       string
	Email            string
	AcceptsMarketing bool
	Tags             []string   // already prefixed, e.g. "rfm:champions" (see Tag)
	Properties       []Property // the same names, in the same order, for every contact exported
}

// MayExport reports whether a contact with this consent and email is one
// a Writer exports when EmailProblem accepts the email: the contacts whose
// Properties it reads.
func MayExport(acceptsMarketing bool, email string) bool {
	return acceptsMarketing && strings.TrimSpace(email) != ""
}

// ContactEmail returns a customers table's email cell as a contact's
// address: "" for an empty cell or one of the words tools write for a
// missing value (NULL, N/A, None, …, as ids are read: data.CleanID),
// which is no address to list as invalid; else the cell as written.
func ContactEmail(cell string) string {
	if data.CleanID(cell) == "" {
		return ""
	}
	return cell
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

// GoogleEmail normalises an email as Google asks before hashing: trimmed,
// lower-cased, and for a gmail.com or googlemail.com address without the
// periods before the @ (Gmail ignores them: a.b@gmail.com is
// ab@gmail.com), so that such an address matches its Google account.
func GoogleEmail(s string) string {
	s = NormalizeEmail(s)
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	if domain := s[at+1:]; domain == "gmail.com" || domain == "googlemail.com" {
		return strings.ReplaceAll(s[:at], ".", "") + s[at:]
	}
	return s
}

// GoogleHash returns the hex SHA-256 of GoogleEmail(s): Customer Match's
// hashed email.
func GoogleHash(s string) string {
	sum := sha256.Sum256([]byte(GoogleEmail(s)))
	return hex.EncodeToString(sum[:])
}

// Tag returns "prefix:value" with value lower-cased and transliterated
// to ASCII (translit.Fold: accents removed, ß → ss, ł → l), keeping
// letters, digits, "_" and "-" and writing anything else as "_", so that
// every tool accepts it: Tag("city", "Cluj-Napoca") = "city:cluj-napoca",
// Tag("group", "city_köln") = "group:city_koln". Letters of scripts with
// no transliteration are left out and a stable token of the value
// (translit.Token) ends the tag instead: Tag("x", "日本") = "x:x" and 6 hex
// digits.
func Tag(prefix, value string) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte(':')
	other := false
	for _, r := range translit.Fold(value) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-':
			b.WriteRune(r)
		case translit.Untransliterated(r):
			other = true
		default:
			b.WriteByte('_')
		}
	}
	if other {
		if s := b.String(); !strings.HasSuffix(s, ":") && !strings.HasSuffix(s, "_") && !strings.HasSuffix(s, "-") {
			b.WriteByte('_')
		}
		b.WriteString(translit.Token(value))
	}
	return b.String()
}
