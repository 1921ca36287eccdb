package translit

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// letters are the lower-case Latin letters that NFKD does not decompose
// into an ASCII letter and marks.
var letters = map[rune]string{
	'ł': "l", 'ø': "o", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ĸ': "k", 'ŋ': "ng", 'ſ': "s",
}

// Fold returns s lower-cased and transliterated to ASCII where it can be:
// compatibility-decomposed (NFKD, so "ﬁ" is "fi" and full-width letters
// are ASCII), combining marks (category Mn) removed, and the letters of a
// small table replaced (ł → l, ß → ss, æ → ae, þ → th, …). Other runes,
// letters of scripts without a transliteration among them, are kept as
// they are.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		case letters[r] != "":
			b.WriteString(letters[r])
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Untransliterated reports whether r, a rune of Fold's result, is a letter
// or digit that Fold could not write in ASCII.
func Untransliterated(r rune) bool {
	return r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// Token returns the stable stand-in for the letters of s that have no
// transliteration: "x" and the first 6 hex digits of the SHA-256 of
// Fold(s) (東京 → "x" + 6 hex digits). Names that fold alike share it.
func Token(s string) string {
	sum := sha256.Sum256([]byte(Fold(s)))
	return "x" + hex.EncodeToString(sum[:3])
}

// Slug returns Fold(s) as ASCII letters and digits, every run of other
// characters written as one sep, with no sep at either end: Slug("Köln
// Hbf", '_') = "koln_hbf". When s has letters or digits with no
// transliteration, Token(s) is added as a last word: Slug("Tokyo 東京",
// '_') = "tokyo_x…", Slug("東京", '_') = "x…". Slug is "" only when s has
// no letter or digit at all.
func Slug(s string, sep byte) string {
	var b strings.Builder
	gap, other := false, false
	for _, r := range Fold(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if gap && b.Len() > 0 {
				b.WriteByte(sep)
			}
			b.WriteRune(r)
			gap = false
		case Untransliterated(r):
			other, gap = true, true
		default:
			gap = true
		}
	}
	if other {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(Token(s))
	}
	return b.String()
}
