package data

import (
	"errors"
	"fmt"
)

// parquet-go decodes Thrift (the footer, page headers) trusting the sizes
// it reads: a list of 2^31 elements is allocated before its first element
// is read (encoding/thrift decodeFuncSliceOf: reflect.MakeSlice(t, size,
// size)), and a binary field read from a stream is allocated at its
// declared length before the bytes are (compactReader.ReadBytes). A few
// bytes can so ask for gigabytes, and a failed allocation of that size is a
// fatal error of the Go runtime, not a panic. The walker below checks the
// structure of compact-protocol bytes without allocating: every list, set,
// map and binary fits in the bytes left (each element takes at least one
// byte), varints end, and nesting is shallow. Bytes that pass decode with a
// bounded allocation.

// errThriftShort: the bytes end inside the value; more may follow.
var errThriftShort = errors.New("truncated Thrift value")

// thriftMaxDepth bounds the nesting of structs, lists and maps.
const thriftMaxDepth = 64

// Compact protocol type codes.
const (
	tcTrue   = 1
	tcFalse  = 2
	tcByte   = 3
	tcI16    = 4
	tcI32    = 5
	tcI64    = 6
	tcDouble = 7
	tcBinary = 8
	tcList   = 9
	tcSet    = 10
	tcMap    = 11
	tcStruct = 12
)

// thriftWalker walks compact-protocol bytes.
type thriftWalker struct {
	b []byte
	i int
}

// walkThriftStruct checks the struct at the start of b and returns its
// length in bytes. It returns errThriftShort when b ends inside it.
func walkThriftStruct(b []byte) (int, error) {
	w := thriftWalker{b: b}
	if err := w.structure(0); err != nil {
		return 0, err
	}
	return w.i, nil
}

func (w *thriftWalker) byte() (byte, error) {
	if w.i >= len(w.b) {
		return 0, errThriftShort
	}
	c := w.b[w.i]
	w.i++
	return c, nil
}

func (w *thriftWalker) uvarint() (uint64, error) {
	var u uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c, err := w.byte()
		if err != nil {
			return 0, err
		}
		u |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return u, nil
		}
	}
	return 0, errors.New("a Thrift varint longer than 10 bytes")
}

// size reads a length or element count and checks that n elements of at
// least min bytes each fit in the bytes left.
func (w *thriftWalker) size(what string, min int) (int, error) {
	u, err := w.uvarint()
	if err != nil {
		return 0, err
	}
	if u > uint64(len(w.b)-w.i)/uint64(min) {
		return 0, fmt.Errorf("%w: %s of %d declared with %d bytes left", errThriftShort, what, u, len(w.b)-w.i)
	}
	return int(u), nil
}

func (w *thriftWalker) structure(depth int) error {
	if depth > thriftMaxDepth {
		return fmt.Errorf("values nested deeper than %d in Thrift bytes", thriftMaxDepth)
	}
	for {
		h, err := w.byte()
		if err != nil {
			return err
		}
		if h == 0 { // stop
			return nil
		}
		if h>>4 == 0 { // long form: the field id follows as a zigzag varint
			if _, err := w.uvarint(); err != nil {
				return err
			}
		}
		if err := w.value(h&0x0f, depth+1); err != nil {
			return err
		}
	}
}

// value walks one value of type typ; in a struct field, booleans are in
// the type code and take no byte.
func (w *thriftWalker) value(typ byte, depth int) error {
	switch typ {
	case tcTrue, tcFalse:
		return nil
	case tcByte:
		_, err := w.byte()
		return err
	case tcI16, tcI32, tcI64:
		_, err := w.uvarint()
		return err
	case tcDouble:
		if len(w.b)-w.i < 8 {
			return errThriftShort
		}
		w.i += 8
		return nil
	case tcBinary:
		n, err := w.size("binary", 1)
		if err != nil {
			return err
		}
		if n > len(w.b)-w.i {
			return errThriftShort
		}
		w.i += n
		return nil
	case tcList, tcSet:
		h, err := w.byte()
		if err != nil {
			return err
		}
		n := int(h >> 4)
		if n == 15 {
			if n, err = w.size("list", 1); err != nil {
				return err
			}
		}
		return w.elements(n, h&0x0f, depth)
	case tcMap:
		n, err := w.size("map", 2)
		if err != nil || n == 0 {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		for range n {
			if err := w.element(kv>>4, depth); err != nil {
				return err
			}
			if err := w.element(kv&0x0f, depth); err != nil {
				return err
			}
		}
		return nil
	case tcStruct:
		return w.structure(depth)
	}
	return fmt.Errorf("unknown Thrift type %d", typ)
}

func (w *thriftWalker) elements(n int, typ byte, depth int) error {
	if depth > thriftMaxDepth {
		return fmt.Errorf("values nested deeper than %d in Thrift bytes", thriftMaxDepth)
	}
	if n > len(w.b)-w.i {
		return errThriftShort
	}
	for range n {
		if err := w.element(typ, depth); err != nil {
			return err
		}
	}
	return nil
}

// element walks one element of a list or map, where a boolean takes a byte.
func (w *thriftWalker) element(typ byte, depth int) error {
	if typ == tcTrue || typ == tcFalse {
		_, err := w.byte()
		return err
	}
	return w.value(typ, depth+1)
}
