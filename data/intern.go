package data

// maxInterned bounds the number of distinct values an interner keeps: a
// column with more distinct values than this is not low-cardinality, and
// its further values are converted as they come.
const maxInterned = 1 << 16

// interner hands out one string per distinct value of a low-cardinality
// string column (city, country, channel), so that reading a plain-encoded
// Parquet page of such a column allocates per distinct value, not per row.
// Dictionary-encoded pages need no interner: their strings are converted
// once per dictionary.
type interner struct {
	m map[string]string
}

func newInterner() *interner { return &interner{m: make(map[string]string)} }

// get returns the string with the bytes of b.
func (in *interner) get(b []byte) string {
	if s, ok := in.m[string(b)]; ok { // the conversion in a map index does not allocate
		return s
	}
	s := string(b)
	if len(in.m) < maxInterned {
		in.m[s] = s
	}
	return s
}
