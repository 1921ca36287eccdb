package data

import (
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
	"github.com/parquet-go/parquet-go/format"
)

// fastSnappy is parquet-go's SNAPPY codec with s2's fast Snappy encoder
// in place of its "better" one: the same block format, which every Snappy
// decoder reads, for twice the speed and about 9 % larger pages (on the
// numeric columns of a million customers' assignments: 0.32 against 0.60 s
// of CPU, 105 against 97 MB).
type fastSnappy struct{}

func (fastSnappy) String() string                            { return "SNAPPY" }
func (fastSnappy) CompressionCodec() format.CompressionCodec { return format.Snappy }

// Encode writes the Snappy block of src to dst, grown as needed.
func (fastSnappy) Encode(dst, src []byte) ([]byte, error) {
	return s2.EncodeSnappy(dst[:cap(dst)], src), nil
}

// Decode returns the bytes of the Snappy block src, in dst when it has room.
func (fastSnappy) Decode(dst, src []byte) ([]byte, error) {
	return snappy.Decode(dst[:cap(dst)], src)
}
