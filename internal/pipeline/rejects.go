package pipeline

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/segment-tool/segment/data"
)

// rejectWriter streams rejected input rows to rejects.csv: source file,
// row, reason and the raw values. Nothing is dropped silently.
type rejectWriter struct {
	f   *os.File
	bw  *bufio.Writer
	w   *csv.Writer
	err error
	// excel makes the text cells safe for a spreadsheet (data.ExcelSafe),
	// as in every CSV output with Options.Excel: a file named "=1+2.csv".
	excel bool
}

// newRejectWriter creates rejects.csv at path, for a spreadsheet when
// excel (Options.Excel): a UTF-8 byte order mark first, and no cell read
// as a formula.
func newRejectWriter(path string, excel bool) (*rejectWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	bw := bufio.NewWriter(f)
	if excel {
		bw.WriteString(utf8BOM)
	}
	w := csv.NewWriter(bw)
	rw := &rejectWriter{f: f, bw: bw, w: w, excel: excel}
	rw.write([]string{"file", "row", "reason", "raw"})
	return rw, nil
}

func (rw *rejectWriter) write(rec []string) {
	if rw.excel {
		for i, cell := range rec {
			rec[i] = data.ExcelSafe(cell)
		}
	}
	if rw.err == nil {
		rw.err = rw.w.Write(rec)
	}
}

// add records one rejected row.
func (rw *rejectWriter) add(r data.Reject) {
	rw.write([]string{r.File, strconv.FormatInt(r.Row, 10), r.Reason, rawString(r)})
}

// rawString renders a reject's raw values as a JSON object with sorted keys.
func rawString(r data.Reject) string {
	b, err := json.Marshal(r.Raw)
	if err != nil {
		return fmt.Sprint(r.Raw)
	}
	return string(b)
}

// close flushes and closes the file; it is safe to call twice.
func (rw *rejectWriter) close() error {
	if rw.f == nil {
		return rw.err
	}
	rw.w.Flush()
	if rw.err == nil {
		rw.err = rw.w.Error()
	}
	if err := rw.bw.Flush(); rw.err == nil {
		rw.err = err
	}
	if err := rw.f.Close(); rw.err == nil {
		rw.err = err
	}
	rw.f = nil
	if rw.err != nil {
		return fmt.Errorf("output: rejects.csv: %w", rw.err)
	}
	return nil
}
