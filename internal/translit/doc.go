// Package translit turns names (cities, categories, cluster and group
// names) into ASCII keys that every campaign tool and column-name rule
// accepts, by transliteration rather than by dropping letters: Köln →
// koln, São Paulo → sao paulo, Łódź → lodz, Straße → strasse.
//
// Letters are decomposed (Unicode NFKD) and their combining marks
// removed; the Latin letters that do not decompose (ł ø ß æ œ đ ð þ ı ħ
// ŧ ĸ ŋ) come from a small table. Scripts with no transliteration here
// (Chinese, Cyrillic, Greek, Arabic, …) are not guessed at: a name with
// such letters keeps its ASCII part and gains a stable token made from a
// hash of the name (Token), so that its key is never empty and two such
// names almost never share one. Callers that need unique keys still add
// their own suffix on a clash.
//
// Nothing here returns an error or panics.
package translit
