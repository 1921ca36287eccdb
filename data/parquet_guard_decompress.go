package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pierrec/lz4/v4"
)

// Largest expansion of a compressed block: LZ4 (a 255 byte run costs one
// byte) and DEFLATE (258 bytes per ~2 bits, 1032 in practice).
const (
	maxLZ4Ratio     = 255
	maxDeflateRatio = 1032
)

// decompress checks that src decompresses with codec to exactly size bytes,
// and returns them; nil with no error for a codec the guard does not know
// (parquet-go refuses it).
func (g *pageGuard) decompress(codec format.CompressionCodec, src []byte, size int) ([]byte, error) {
	if size < 0 {
		return nil, fmt.Errorf("a page of %d bytes uncompressed", size)
	}
	tooBig := func(ratio int) error {
		if size/ratio > len(src)+64 {
			return fmt.Errorf("%d compressed bytes declared to expand to %d, more than %s can", len(src), size, codec)
		}
		return nil
	}
	var err error
	switch codec {
	case format.Uncompressed:
		return src, nil
	case format.Snappy:
		var n int
		if n, err = snappy.DecodedLen(src); err == nil && n != size {
			return nil, fmt.Errorf("a SNAPPY page of %d bytes declared as %d", n, size)
		}
		if err == nil {
			g.out = grow(g.out, size)
			_, err = snappy.Decode(g.out, src)
		}
	case format.Lz4Raw:
		if err := tooBig(maxLZ4Ratio); err != nil {
			return nil, err
		}
		g.out = grow(g.out, size)
		var n int
		if n, err = lz4.UncompressBlock(src, g.out); err == nil && n != size {
			return nil, fmt.Errorf("an LZ4_RAW page of %d bytes declared as %d", n, size)
		}
	case format.Gzip:
		if err := tooBig(maxDeflateRatio); err != nil {
			return nil, err
		}
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(bytes.NewReader(src)); err == nil {
			err = g.readAll(zr, size)
		}
	case format.Brotli:
		err = g.readAll(brotli.NewReader(bytes.NewReader(src)), size)
	case format.Zstd:
		var dec *zstd.Decoder
		if dec, err = zstdDecoder(); err == nil {
			g.out = grow(g.out, size)
			var out []byte
			if out, err = dec.DecodeAll(src, g.out[:0]); err == nil && len(out) != size {
				return nil, fmt.Errorf("a ZSTD page of %d bytes declared as %d", len(out), size)
			}
		}
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the %s page does not decompress to its declared %d bytes: %v", codec, size, err)
	}
	return g.out, nil
}

// readAll reads exactly size bytes from r into g.out, failing if r holds
// more or fewer.
func (g *pageGuard) readAll(r io.Reader, size int) error {
	g.out = grow(g.out, size)
	if _, err := io.ReadFull(r, g.out); err != nil {
		return err
	}
	var one [1]byte
	if n, _ := r.Read(one[:]); n > 0 {
		return errors.New("more bytes than declared")
	}
	return nil
}

// zstdDecoder is shared: DecodeAll may be called concurrently. It decodes
// no more than the capacity of the buffer it is given.
var zstdDecoder = sync.OnceValues(func() (*zstd.Decoder, error) {
	return zstd.NewReader(nil, zstd.WithDecodeAllCapLimit(true), zstd.WithDecoderMaxMemory(maxPageBytes),
		zstd.WithDecoderConcurrency(0))
})
