package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The text encodings of CSV files (CSVDialect.Encoding).
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
)

// ParseEncoding reads a CSV file's text encoding as a config file or a
// flag names it (any case): "" (detected: CSVDialect), "utf-8" or "utf8",
// "windows-1252" or "cp1252", and "latin-1", "latin1" or "iso-8859-1",
// which are read as Windows-1252 as browsers read them (the WHATWG
// Encoding Standard: Windows-1252 only adds printable characters where
// ISO-8859-1 has control codes).
func ParseEncoding(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1":
		return EncodingWindows1252, nil
	}
	return "", fmt.Errorf(`encoding: want "utf-8" or "windows-1252" (also "latin-1"), got %q`, s)
}

// detectEncoding returns the encoding head, a file's first bytes, shows:
// EncodingUTF8 when it holds a valid UTF-8 character beyond ASCII;
// EncodingWindows1252 when it holds a byte of 0x80 or more that is no part
// of a UTF-8 sequence and none that is part of a valid multi-byte one
// (text as spreadsheets and older systems of Western Europe and the
// Americas write it; a UTF-8 file with a stray byte stays UTF-8, its rows
// with that byte rejected or repaired as the readers say); "" when it is
// plain ASCII, which says nothing. A sequence that head's end cuts short
// is not counted.
func detectEncoding(head []byte) string {
	invalid := false
	for i := 0; i < len(head); {
		if head[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(head[i:])
		switch {
		case r == utf8.RuneError && n == 1 && !utf8.FullRune(head[i:]):
			i = len(head) // cut short by the end of head
			continue
		case r == utf8.RuneError && n == 1:
			invalid = true
		default:
			return EncodingUTF8 // valid UTF-8 beyond ASCII
		}
		i += n
	}
	if invalid {
		return EncodingWindows1252
	}
	return ""
}

// win1252High maps the bytes 0x80–0x9F of Windows-1252 to their
// characters; the five bytes it leaves undefined map to the control codes
// of the same value, as the WHATWG standard maps them. Bytes 0xA0–0xFF
// are the code points of the same value (ISO-8859-1).
var win1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// appendWindows1252 appends the UTF-8 text of src, Windows-1252 bytes.
func appendWindows1252(dst, src []byte) []byte {
	for _, b := range src {
		switch {
		case b < 0x80:
			dst = append(dst, b)
		case b < 0xA0:
			dst = utf8.AppendRune(dst, win1252High[b-0x80])
		default:
			dst = utf8.AppendRune(dst, rune(b))
		}
	}
	return dst
}

// windows1252Reader reads a Windows-1252 stream as UTF-8 text.
type windows1252Reader struct {
	r       io.Reader
	raw     [16 << 10]byte
	buf     []byte // the converted text…
	pending []byte // …not yet read (a part of buf)
	err     error
}

func (w *windows1252Reader) Read(p []byte) (int, error) {
	for len(w.pending) == 0 {
		if w.err != nil {
			return 0, w.err
		}
		n, err := w.r.Read(w.raw[:])
		w.err = err
		w.buf = appendWindows1252(w.buf[:0], w.raw[:n])
		w.pending = w.buf
	}
	n := copy(p, w.pending)
	w.pending = w.pending[n:]
	return n, nil
}

// notText returns an error when head, a file's first bytes, is not text:
// a zip archive (an Excel .xlsx workbook), an old Excel .xls file, or
// bytes with NULs in the header or many of them (a binary file, UTF-16
// text without a byte order mark). Read as CSV, such a file made a header of kilobytes of
// garbage.
func notText(head []byte) error {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return errors.New("a zip archive (an Excel .xlsx workbook?), not CSV text: save the sheet as CSV UTF-8 (in Excel: Save As, CSV UTF-8)")
	case bytes.HasPrefix(head, []byte{0xd0, 0xcf, 0x11, 0xe0}):
		return errors.New("an Excel .xls workbook (or another Office file), not CSV text: save the sheet as CSV UTF-8 (in Excel: Save As, CSV UTF-8)")
	}
	// A NUL in the header line, or in more than 1 % of the first bytes
	// (UTF-16 has one every other byte, a binary file many): a stray NUL
	// in a cell is the reader's to reject with its row.
	header, _, _ := bytes.Cut(head, []byte("\n"))
	if bytes.IndexByte(header, 0) >= 0 || bytes.Count(head, []byte{0})*100 > len(head) {
		return errors.New("not CSV text: its first bytes hold NUL bytes (a binary file, or UTF-16 text without a byte order mark: save it as CSV UTF-8)")
	}
	return nil
}

// lazyEncoding reads a file whose start is plain ASCII (detectEncoding
// decided nothing) as its first byte beyond ASCII decides: from there,
// the next 64 KiB are judged as a file's start is (detectEncoding), and
// the rest is read as Windows-1252 when they say so, else as it is
// (UTF-8). Everything before was ASCII, which reads alike in both, so the
// text is that of the whole file read in the encoding decided: a file of
// Windows-1252 text whose first accent comes after its first 64 KiB is
// not read as UTF-8 (its accented ids rejected, its other text garbled).
type lazyEncoding struct {
	r   *bufio.Reader
	dec io.Reader // once decided
	enc string    // "" until decided
}

func (l *lazyEncoding) Read(p []byte) (int, error) {
	if l.dec != nil {
		return l.dec.Read(p)
	}
	if len(p) == 0 {
		return 0, nil
	}
	buf, err := l.r.Peek(min(len(p), l.r.Size()))
	i := asciiPrefix(buf)
	if i > 0 || len(buf) == 0 {
		n := copy(p, buf[:i])
		l.r.Discard(n)
		if n == len(buf) && err != nil {
			return n, err
		}
		return n, nil
	}
	window, _ := l.r.Peek(l.r.Size())
	if l.enc = detectEncoding(window); l.enc == EncodingWindows1252 {
		l.dec = &windows1252Reader{r: l.r}
	} else {
		l.enc, l.dec = EncodingUTF8, l.r
	}
	return l.dec.Read(p)
}

// asciiPrefix returns the length of b's leading run of ASCII bytes.
func asciiPrefix(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	return i
}
