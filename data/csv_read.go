package data

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"slices"
	"strings"
)

// csvFile is an open CSV or gzip-compressed CSV file positioned after its
// header row.
type csvFile struct {
	f      *os.File
	gz     *gzip.Reader
	inner  hash.Hash // of a gzip file's data as decompressed and read (innerSHA256)
	r      *csv.Reader
	header []string
	comma  rune          // the field delimiter, given or detected
	enc    string        // the text encoding, given or detected; "" for a plain ASCII start…
	lazy   *lazyEncoding // …decided at the first byte beyond ASCII
	sample [][]string    // the records of the file's first 64 KiB after the header (at most 1,000)
}

// encoding returns the file's text encoding as read so far: given,
// detected from its start, or decided at its first byte beyond ASCII; ""
// while only ASCII was read.
func (c *csvFile) encoding() string {
	if c.enc == "" && c.lazy != nil {
		return c.lazy.enc
	}
	return c.enc
}

// innerSHA256 returns the hex SHA-256 of a gzip file's data as
// decompressed, once it was read to its end; "" for a file not compressed.
func (c *csvFile) innerSHA256() string {
	if c.inner == nil {
		return ""
	}
	return hex.EncodeToString(c.inner.Sum(nil))
}

// utf8BOM is the byte order mark some tools (Excel's CSV UTF-8) write
// before the header.
const utf8BOM = "\ufeff"

// openCSV opens a CSV file (gzip-compressed when gz) and reads its header.
// A UTF-8 byte order mark before the header is dropped, and so is a first
// line "sep=;" (Excel's way of naming the delimiter; not a data row). The
// delimiter is d.Delimiter, else the sep line's, else detected from the
// header (CSVDialect); setting names the config key that sets it, for the
// message when it cannot be detected ("" for a file that has none).
func openCSV(path string, gz bool, d CSVDialect, setting string) (*csvFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	c := &csvFile{f: f}
	in := bufio.NewReaderSize(f, csvPeek)
	if gz {
		if magic, _ := in.Peek(2); !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
			f.Close()
			return nil, fmt.Errorf("data: %s: the name ends in .gz but the file is not gzip-compressed (it does not start with gzip's bytes 1F 8B): rename it, or compress it", path)
		}
		if c.gz, err = gzip.NewReader(in); err != nil {
			f.Close()
			return nil, fmt.Errorf("data: %s: %w", path, gzipError(err))
		}
		c.gz.Multistream(false)
		c.inner = sha256.New()
		in = bufio.NewReaderSize(io.TeeReader(&gzipMembers{z: c.gz, in: in}, c.inner), csvPeek)
	}
	head, err := peekHead(in)
	if err != nil {
		c.close()
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		// Excel's "Unicode Text" and some exports: read as UTF-8, the
		// header would be one garbled column.
		c.close()
		return nil, fmt.Errorf("data: %s: the file is UTF-16 text (it starts with the byte order mark % X); segment reads CSV files as UTF-8: save it as CSV UTF-8 (in Excel: Save As, CSV UTF-8)", path, head[:2])
	}
	if err := notText(head); err != nil {
		c.close()
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	c.enc = d.Encoding
	if bytes.HasPrefix(head, []byte(utf8BOM)) {
		// Dropped before the csv.Reader sees it: a quoted first name
		// after it ("\ufeff\"customer_id\"") is otherwise a bare quote.
		in.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
		if c.enc == "" {
			c.enc = EncodingUTF8 // the mark says so
		}
	}
	if c.enc == "" {
		c.enc = detectEncoding(head)
	}
	switch c.enc {
	case EncodingWindows1252:
		in = bufio.NewReaderSize(&windows1252Reader{r: in}, csvPeek)
	case "":
		c.lazy = &lazyEncoding{r: in}
		in = bufio.NewReaderSize(c.lazy, csvPeek)
	}
	// Lines ended by CR alone (classic Mac OS, some old exports, and such
	// lines appended to a file of LF or CRLF lines): encoding/csv would
	// read the rest of the file as one record.
	in = bufio.NewReaderSize(&lineEnds{r: in}, csvPeek)
	if head, err = peekHead(in); err != nil {
		c.close()
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	c.comma = d.Delimiter
	sep, sepLen := sepLine(head) // Excel's "sep=;" line before the header
	if c.comma == 0 {
		c.comma = sep
	}
	head = head[sepLen:]
	if c.comma == 0 {
		if c.comma, err = detectDelimiter(path, head, setting); err != nil {
			c.close()
			return nil, err
		}
	}
	c.sample = sampleRecords(head, c.comma)
	c.r = newCSVReader(in, c.comma)
	c.r.ReuseRecord = true
	if sepLen > 0 {
		// Read by the csv.Reader, so that its errors count file lines.
		c.r.FieldsPerRecord = -1
		if _, err := c.r.Read(); err != nil {
			c.close()
			return nil, fmt.Errorf("data: %s: %w", path, err)
		}
		c.r.FieldsPerRecord = 0 // the header's, as without the line
	}
	header, err := c.r.Read()
	if err != nil {
		c.close()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("data: %s: empty file: no header row", path)
		}
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	c.header = slices.Clone(header)
	return c, nil
}

func (c *csvFile) close() {
	if c.gz != nil {
		c.gz.Close()
	}
	c.f.Close()
}

// index returns the position of column name in the header, or an error
// when it appears more than once.
func (c *csvFile) index(path, name string) (int, error) {
	i := slices.Index(c.header, name)
	if slices.Index(c.header[i+1:], name) >= 0 {
		return 0, &ColumnError{File: path, Column: name, Err: errors.New("the header names this column more than once")}
	}
	return i, nil
}

// csvColumn is a planned column of a CSV order file.
type csvColumn struct {
	l     logical // lDiscount for a discount column
	name  string
	index int
}

// readCSV reads the order lines of one CSV file.
func (r *orderReader) readCSV(ctx context.Context, path string, gz bool) error {
	r.prev, r.carry = orderStatus{}, refundCarry{}
	r.last.customer, r.last.order = "", ""
	c, err := openCSV(path, gz, r.src.CSV, "orders.delimiter")
	if err != nil {
		return err
	}
	if r.src.CSV.Encoding == "" && r.enc != "" && (c.enc == "" || c.enc == EncodingWindows1252 && r.enc == EncodingUTF8) {
		// A file whose start is plain ASCII says nothing of its
		// encoding, and one whose start has bytes that are not UTF-8 but
		// no UTF-8 character beyond ASCII, after a UTF-8 file, has a
		// stray byte: either is read in the encoding the files before it
		// showed (one store's exports share one). A file whose start
		// holds UTF-8 characters is UTF-8 whatever the files before it
		// (an export re-saved as UTF-8 beside older Windows-1252 ones:
		// read as Windows-1252, "Müller" became "MÃ¼ller", another
		// customer).
		c.close()
		d := r.src.CSV
		d.Encoding = r.enc
		if c, err = openCSV(path, gz, d, "orders.delimiter"); err != nil {
			return err
		}
	}
	defer c.close()
	r.enc = cmp.Or(r.enc, c.enc)
	plan, err := planColumns(path, r.src.Columns, c.header)
	if err != nil {
		return err
	}
	r.notePlan(path, plan)
	if err := r.checkExclude(path, plan); err != nil {
		return err
	}
	var cols []csvColumn
	for l, name := range plan.cols {
		if name != "" {
			cols = append(cols, csvColumn{l: logical(l), name: name})
		}
	}
	for _, name := range plan.discounts {
		cols = append(cols, csvColumn{l: lDiscount, name: name})
	}
	mapped := make([]bool, len(c.header))
	for i := range cols {
		if cols[i].index, err = c.index(path, cols[i].name); err != nil {
			return err
		}
		mapped[cols[i].index] = true
	}
	var numeric []int
	var numNames []string
	for _, col := range cols {
		if isNumber(col.l) {
			numeric, numNames = append(numeric, col.index), append(numNames, col.name)
		}
	}
	dec, pending := r.src.CSV.Decimal, false
	if dec == 0 {
		var decided bool
		if dec, decided, err = detectDecimal(path, c.comma, c.sample, numeric, numNames); err != nil {
			return err
		}
		pending = !decided // whole numbers only so far: the first decimal decides
	}
	times := newTimeParser(r.src.TimeFormat, r.src.Location)
	if err := r.guessDates(ctx, c, path, gz, cols, times); err != nil {
		return err
	}
	var rest []int // the fields no logical column maps (OrderLine.Rest)
	for j, m := range mapped {
		if !m {
			rest = append(rest, j)
		}
	}
	var line OrderLine
	for row := int64(1); ; row++ {
		if row%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			r.inner = c.innerSHA256()
			return nil
		}
		if errors.Is(err, csv.ErrFieldCount) {
			// A row with more or fewer fields than the header (a field
			// lost in an export, an unquoted delimiter): its fields cannot
			// be told apart, so the row is rejected, listed with them.
			r.excluded = 0
			r.reject(path, row, ReasonFieldCount, raggedRaw(rec, c.header))
			continue
		}
		if err != nil {
			return fmt.Errorf("data: %s: %w", path, err)
		}
		if err := c.checkQuotes(path, row, rec); err != nil {
			return err
		}
		if repeatsHeader(rec, c.header) {
			// Exports concatenated as files (cat a.csv b.csv): the next
			// file's header is not a line, and its text would stop the
			// run as a bad time or amount.
			raw := make(map[string]string, len(cols))
			for _, col := range cols {
				raw[col.name] = rec[col.index]
			}
			r.excluded = 0
			r.reject(path, row, ReasonRepeatedHeader, raw)
			continue
		}
		line = OrderLine{}
		var miss missing
		for _, col := range cols {
			s := rec[col.index]
			if strings.TrimSpace(s) == "" {
				if col.l != lDiscount {
					miss |= 1 << col.l
				}
				continue
			}
			if pending && isNumber(col.l) {
				d, err := laterDecimal(s, c.comma)
				if err != nil {
					return &ColumnError{File: path, Column: col.name, Row: row, Err: err}
				}
				if d != 0 {
					dec, pending = d, false
				}
			}
			if err := setCSVField(&line, col.l, s, times, dec); err != nil {
				return &ColumnError{File: path, Column: col.name, Row: row, Err: err}
			}
			if col.l == lAmount || col.l == lUnitPrice || col.l == lDiscount || col.l == lRefunded {
				if err := r.currency.note(s, path, col.name, row); err != nil {
					return &ColumnError{File: path, Column: col.name, Row: row, Err: err}
				}
			}
		}
		line.Rest = restHash(rec, rest)
		if reason := r.finish(&plan, &line, miss); reason != "" {
			raw := make(map[string]string, len(cols))
			for _, col := range cols {
				raw[col.name] = rec[col.index]
			}
			r.reject(path, row, reason, raw)
			continue
		}
		if plan.cols[lCurrency] != "" {
			if err := r.noteCode(path, plan.cols[lCurrency], row, line.Currency); err != nil {
				return err
			}
		}
		if err := r.use(&line); err != nil {
			return err
		}
	}
}

// isNumber reports whether logical column l holds numbers.
func isNumber(l logical) bool {
	return l == lAmount || l == lQuantity || l == lUnitPrice || l == lDiscount || l == lRefunded
}

// setCSVField parses s, a non-empty field of logical column l, into line;
// numbers have the decimal mark dec.
func setCSVField(line *OrderLine, l logical, s string, times *timeParser, dec rune) error {
	switch l {
	case lCustomer:
		line.CustomerID = s
	case lOrder:
		line.OrderID = s
	case lCoupon:
		line.Coupon = s
	case lCategory:
		line.Category = s
	case lProduct:
		line.ProductID = s
	case lStatus:
		line.Status = s
	case lCity:
		line.City = s
	case lCountry:
		line.Country = s
	case lChannel:
		line.Channel = s
	case lCurrency:
		line.Currency = s
	case lTime:
		t, err := times.parse(s)
		if err != nil {
			return err
		}
		line.Time = t
	default:
		x, err := parseDecimal(s, dec)
		if err != nil {
			return err
		}
		switch l {
		case lAmount:
			line.Amount = x
		case lQuantity:
			line.Quantity = x
		case lUnitPrice:
			line.UnitPrice = x
		case lDiscount:
			line.Discount += x
		case lRefunded:
			line.Refunded = x
		}
	}
	return nil
}

// guessDates adds the day/month layouts of the file's slash dates to
// times when no time format is set (guessSlashDates), noting the order
// chosen in ReadStats.DateGuesses.
func (r *orderReader) guessDates(ctx context.Context, c *csvFile, path string, gz bool, cols []csvColumn, times *timeParser) error {
	if r.src.TimeFormat != "" {
		return nil
	}
	for _, col := range cols {
		if col.l != lTime {
			continue
		}
		layouts, guess, err := guessSlashDates(ctx, path, gz, CSVDialect{Delimiter: c.comma, Encoding: c.enc}, c.sample, col.index, col.name)
		if err != nil {
			return err
		}
		if layouts != nil {
			times.layouts = append(slices.Clip(defaultTimeLayouts), layouts...)
		}
		if guess != nil {
			r.stats.DateGuesses = append(r.stats.DateGuesses, *guess)
		}
	}
	return nil
}
