package data

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvScanRows is the number of rows in each table that ScanTable gives fn
// from a CSV file (the last one may have fewer).
var csvScanRows = 1 << 16

// csvPlan is how a CSV table's columns are typed, from all their values:
// what readCSVTable decides, found without holding the values.
type csvPlan struct {
	header []string
	text   []bool // kept as written (a ";" column of "1.234"s): KindString
	comma  []bool // decimal-comma numbers, rewritten as strconv reads them
	kinds  []Kind
}

// scanCSVTable reads the CSV table at path as readCSVTable does, and gives
// fn its rows csvScanRows at a time: a first pass types the columns from
// every value (planCSVTable), a second one reads the rows again and types
// them so. The tables given to fn are those of readCSVTable cut into
// pieces: the same columns, kinds, values and nulls. With ragged, a row
// whose number of fields is not the header's is kept as a row of empty
// cells and listed in the table's Ragged (ScanTableRagged), and plays no
// part in typing the columns; without, it is an error.
func scanCSVTable(ctx context.Context, path string, gz, ragged bool, fn func(t *Table, first int64) error) error {
	plan, err := planCSVTable(ctx, path, gz, ragged)
	if err != nil {
		return err
	}
	c, err := openCSV(path, gz, CSVDialect{}, "")
	if err != nil {
		return err
	}
	defer c.close()
	if len(c.header) != len(plan.header) {
		return fmt.Errorf("data: %s: the header changed while the file was read", path)
	}
	var first int64
	n := 0
	cells := make([][]string, len(plan.header))
	var odd []RaggedRow
	flush := func() error {
		t, err := plan.table(cells)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		t.Ragged, odd = odd, nil
		if err := fn(t, first); err != nil {
			return err
		}
		first += int64(n)
		n = 0
		cells = make([][]string, len(plan.header)) // t keeps the old ones
		return nil
	}
	for row := 1; ; row++ {
		if row%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if ragged && errors.Is(err, csv.ErrFieldCount) {
			odd = append(odd, RaggedRow{Row: n, Raw: raggedRaw(rec, c.header)})
			for j := range cells {
				cells[j] = append(cells[j], "")
			}
		} else if err != nil {
			return fmt.Errorf("data: %s: %w", path, err)
		} else if err := c.checkQuotes(path, int64(row), rec); err != nil {
			return err
		} else {
			for j, s := range rec {
				cells[j] = append(cells[j], s)
			}
		}
		if n++; n == csvScanRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if n > 0 || first == 0 { // a file without rows still has its columns
		return flush()
	}
	return nil
}

// planCSVTable reads the CSV table at path once and types its columns as
// readCSVTable types them: csvKind over every value, after the decimal
// marks of a ";" file are decided (tableDecimals) over every value too.
// Both the values as written and as rewritten from a decimal comma are
// typed, since which of them a column keeps is known only at the end.
func planCSVTable(ctx context.Context, path string, gz, ragged bool) (*csvPlan, error) {
	c, err := openCSV(path, gz, CSVDialect{}, "")
	if err != nil {
		return nil, err
	}
	defer c.close()
	m := len(c.header)
	cellsDecide := cellsDecideDecimal(c.comma)
	raw, conv := make([]kindState, m), make([]kindState, m)
	evidence := make([]decimalEvidence, m)
	commaOK, sawComma := make([]bool, m), make([]bool, m) // commaColumn's conditions
	for j := range m {
		raw[j], conv[j], commaOK[j], evidence[j] = newKindState(), newKindState(), true, newDecimalEvidence(c.comma)
	}
	for row := 1; ; row++ {
		if row%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if ragged && errors.Is(err, csv.ErrFieldCount) {
			continue // a row rejected by its reader: not typed
		}
		if err != nil {
			return nil, fmt.Errorf("data: %s: %w", path, err)
		}
		if err := c.checkQuotes(path, int64(row), rec); err != nil {
			return nil, err
		}
		for j, s := range rec {
			raw[j].add(s)
			if !cellsDecide {
				continue
			}
			evidence[j].add(s, c.header[j])
			if !commaOK[j] {
				continue
			}
			t := strings.TrimSpace(s)
			if t == "" {
				continue
			}
			v, ok := commaNumber(t)
			if !ok {
				commaOK[j] = false
				continue
			}
			conv[j].add(v)
			sawComma[j] = sawComma[j] || strings.Contains(t, ",")
		}
	}
	p := &csvPlan{header: c.header, text: make([]bool, m), comma: make([]bool, m), kinds: make([]Kind, m)}
	for j := range m {
		p.kinds[j] = raw[j].kind()
		if !cellsDecide {
			continue
		}
		dec, err := evidence[j].decide(path, "write one decimal mark per column")
		switch {
		case err != nil:
			return nil, err
		case dec == 0:
			p.text[j], p.kinds[j] = true, KindString
		case dec == ',' && commaOK[j] && sawComma[j]:
			p.comma[j], p.kinds[j] = true, conv[j].kind()
		}
	}
	return p, nil
}

// table types the CSV text of some rows, cells[j] the values of column j,
// as p says.
func (p *csvPlan) table(cells [][]string) (*Table, error) {
	t := &Table{Columns: make([]Column, len(p.header))}
	for j, name := range p.header {
		vals := cells[j]
		if p.comma[j] {
			vals = commaValues(vals)
		}
		t.Columns[j] = typedColumnOf(name, vals, p.kinds[j])
	}
	return t, t.Validate()
}

// commaValues rewrites the values of a decimal-comma column as
// commaColumn does: each non-empty value as strconv reads it, blanks as "".
func commaValues(vals []string) []string {
	out := make([]string, len(vals))
	for i, s := range vals {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if v, ok := commaNumber(s); ok {
			out[i] = v
		} else {
			out[i] = s // the file changed between the passes
		}
	}
	return out
}
