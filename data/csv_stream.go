package data

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// The byte streams under the CSV reader (openCSV): a gzip file's members
// one after the other, and line ends normalised.

// lineEnds reads CSV text with each CR that no LF follows read as LF, so
// that a line ended by CR alone is a line wherever it is in the file,
// CRLF and LF lines beside it staying as they are. A CR alone in a quoted
// field is a line break too.
type lineEnds struct {
	r      io.Reader
	skipLF bool // the last byte returned was a CR turned LF: an LF right after it goes
}

func (c *lineEnds) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		if c.skipLF && n > 0 {
			c.skipLF = false
			if p[0] == '\n' { // the CR before it was a CRLF's: already one LF
				n = copy(p, p[1:n])
			}
		}
		b := p[:n]
		for i := bytes.IndexByte(b, '\r'); i >= 0; {
			switch {
			case i+1 == n: // the next byte is not read yet
				b[i], c.skipLF = '\n', true
			case b[i+1] != '\n':
				b[i] = '\n'
			}
			j := bytes.IndexByte(b[i+1:], '\r')
			if j < 0 {
				break
			}
			i += 1 + j
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// gzipMembers reads the members of a gzip file one after the other (files
// compressed apart and concatenated are one file), and says what its
// read errors mean (gzipError); bytes after the last member that are not
// another member are an error, not the data cut short, but for zero bytes
// to the end (padding).
type gzipMembers struct {
	z  *gzip.Reader // Multistream(false): each member ends in io.EOF
	in *bufio.Reader
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	for {
		n, err := g.z.Read(p)
		if !errors.Is(err, io.EOF) {
			return n, gzipError(err)
		}
		b, err := g.in.Peek(1)
		if errors.Is(err, io.EOF) {
			return n, io.EOF // the file ends with the member
		}
		if err == nil && b[0] == 0 { // no member starts with 0
			if !zerosToEnd(g.in) {
				return n, errors.New("the file goes on after its gzip data with bytes that are not gzip (a damaged or appended file)")
			}
			return n, io.EOF // padded with zero bytes to a block (tape, some copy tools): gzip -d reads it too
		}
		if err := g.z.Reset(g.in); err != nil {
			return n, fmt.Errorf("the file goes on after its gzip data with bytes that are not gzip (a damaged or appended file): %w", err)
		}
		g.z.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}

// zerosToEnd reads r to its end, or to its first byte that is not 0, and
// reports whether every byte left was 0.
func zerosToEnd(r io.Reader) bool {
	var buf [4096]byte
	for {
		n, err := r.Read(buf[:])
		for _, c := range buf[:n] {
			if c != 0 {
				return false
			}
		}
		if err != nil {
			return errors.Is(err, io.EOF)
		}
	}
}

// gzipError says what a gzip read error means: the data ending early (a
// file cut short: still being written, or copied in part) or damaged data.
func gzipError(err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case err == nil || errors.Is(err, io.EOF):
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("the gzip data ends early, so the file is cut short (still being written, or copied in part): %w", err)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.As(err, &corrupt):
		err = fmt.Errorf("the gzip data is damaged: %w", err)
	}
	return err
}
