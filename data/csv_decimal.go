package data

import (
	"fmt"
	"regexp"
	"strings"
)

// The decimal mark of a CSV file's numbers (CSVDialect): the evidence of
// its cells, the decision, and the numbers read with it.

var (
	decimalCommaRE = regexp.MustCompile(`^-?\d+(\.\d{3})*,\d+$`)
	groupedRE      = regexp.MustCompile(`^-?\d{1,3}(\.\d{3})+$`) // "1.234": 1.234 or 1234
	commaGroupedRE = regexp.MustCompile(`^-?\d{1,3}(,\d{3})+$`)  // "1,250": 1.25 or 1250
	decimalPointRE = regexp.MustCompile(`^-?\d*\.\d+([eE][-+]?\d+)?$`)
	// pointGroupedRE: "," between groups of three digits, then a decimal
	// point ("1,234.50"): the "," can only separate thousands. Without the
	// point ("1,250") it reads either way (1250, or 1.25 with a decimal
	// comma), and stays an error where the mark is a point.
	pointGroupedRE = regexp.MustCompile(`^[-+]?[1-9]\d{0,2}(,\d{3})+\.\d+$`)
)

// cellsDecideDecimal reports whether a file with field delimiter comma
// has its decimal mark decided from its cells: with ";", a tab or "|"; a
// "," file has a decimal point.
func cellsDecideDecimal(comma rune) bool { return comma != ',' }

// decimalEvidence holds an example of each kind of numeric cell.
type decimalEvidence struct {
	comma, point, grouped string // "12,50", "12.5" and "1.234" cells, as `"v" in column "c"`
	// commaThousands: a comma before groups of three digits ("1,250") may
	// separate thousands, as US exports separated by tabs or "|" write
	// them, so such a cell reads either way; in a ";" file it is a
	// decimal comma.
	commaThousands bool
}

// newDecimalEvidence returns the evidence of a file whose field
// delimiter is comma.
func newDecimalEvidence(comma rune) decimalEvidence {
	return decimalEvidence{commaThousands: comma != ';'}
}

// add notes cell s of the column name.
func (e *decimalEvidence) add(s, name string) {
	s = stripCurrency(s) // "66,06 €", "$1,234.50", "(12,50)": the number decides

	var ex *string
	switch {
	case pointGroupedRE.MatchString(s): // "1,234.50"
		ex = &e.point
	case e.commaThousands && commaGroupedRE.MatchString(s):
		ex = &e.grouped
	case decimalCommaRE.MatchString(s):
		ex = &e.comma
	case groupedRE.MatchString(s):
		ex = &e.grouped
	case decimalPointRE.MatchString(s):
		ex = &e.point
	default:
		return
	}
	if *ex == "" {
		*ex = fmt.Sprintf("%q in column %q", s, name)
	}
}

// decide returns the decimal mark the evidence shows, 0 when the
// numbers read either way ("1.234" and no other decimal), or an error
// when both marks are used; key is the setting to name.
func (e *decimalEvidence) decide(path, key string) (rune, error) {
	switch {
	case e.comma != "" && e.point != "":
		return 0, fmt.Errorf(`data: %s: numbers with a decimal comma (%s) and with a decimal point (%s) in one file; %s`, path, e.comma, e.point, key)
	case e.comma != "":
		return ',', nil
	case e.point == "" && e.grouped != "":
		return 0, nil
	}
	return '.', nil
}

// detectDecimal decides the decimal mark of the numeric columns cols of
// an order file's sample (see CSVDialect); names name them in messages.
// decided is false when the cells could decide but the sample shows
// nothing (whole numbers only): the mark is then '.' until a later cell
// decides it (laterDecimal).
func detectDecimal(path string, comma rune, sample [][]string, cols []int, names []string) (dec rune, decided bool, err error) {
	if !cellsDecideDecimal(comma) {
		return '.', true, nil
	}
	e := newDecimalEvidence(comma)
	for _, rec := range sample {
		for k, j := range cols {
			if j < len(rec) {
				e.add(rec[j], names[k])
			}
		}
	}
	dec, err = e.decide(path, setDecimal)
	if err == nil && dec == 0 {
		err = fmt.Errorf(`data: %s: numbers such as %s read as a decimal or as thousands; %s`, path, e.grouped, setDecimal)
	}
	return dec, e.comma != "" || e.point != "", err
}

// setDecimal is the fix the decimal mark's errors name.
const setDecimal = `set orders.decimal to "," or "."`

// laterDecimal reads cell s of a numeric column of a ";", tab or "|"
// file whose first rows showed no decimal mark (whole numbers only): it
// returns the mark s shows, 0 when it shows none (a whole number, or not
// a number), and an error when s reads either way ("1.234"): the rows
// before it cannot tell, and a guess would misread it a thousandfold.
func laterDecimal(s string, comma rune) (rune, error) {
	if !strings.ContainsAny(s, ".,") {
		return 0, nil
	}
	e := newDecimalEvidence(comma)
	e.add(s, "")
	switch {
	case e.comma != "":
		return ',', nil
	case e.point != "":
		return '.', nil
	case e.grouped != "":
		return 0, fmt.Errorf(`%q reads as a decimal or as thousands, and the numbers before it are whole; %s`, s, setDecimal)
	}
	return 0, nil
}

// commaNumber rewrites a number written with a decimal comma and "."
// between groups of three digits ("1.234,5") for strconv ("1234.5"). It
// returns false for anything else.
func commaNumber(s string) (string, bool) {
	var b strings.Builder
	digits, group, comma := 0, -1, false // group: digits since the last "." (−1: none yet)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if group >= 0 {
				group++
			}
			b.WriteByte(c)
		case c == '-' && i == 0:
			b.WriteByte(c)
		case c == '.' && !comma && digits > 0 && (group < 0 || group == 3):
			group = 0
		case c == ',' && !comma && digits > 0 && (group < 0 || group == 3):
			comma, group, digits = true, -1, 0
			b.WriteByte('.')
		default:
			return "", false
		}
	}
	if digits == 0 || (!comma && group >= 0 && group != 3) {
		return "", false
	}
	return b.String(), true
}

// parseDecimal parses a finite number written with the decimal mark dec,
// ignoring surrounding spaces.
func parseDecimal(s string, dec rune) (float64, error) {
	if dec != ',' {
		return parseNumber(s)
	}
	v, ok := commaNumber(stripCurrency(s))
	if !ok {
		return 0, &valueError{raw: s, want: "number", why: `a decimal comma, such as 1.234,50 (the file's decimal mark is ","; set orders.decimal to change it)`}
	}
	x, err := parseFloatText(v)
	if err != nil {
		return 0, &valueError{raw: s, want: "number"}
	}
	return x, nil
}

// quotedDecimalComma reports whether the records of a file separated by
// commas hold money with a decimal comma ("12,50 €", quoted) and no
// number with a decimal point or digits grouped in threes ("1,250",
// thousands or not): only columns of money count, those whose name says
// so or whose cells carry a currency, so that a list of ids in a text
// cell ("5,12") says nothing.
func quotedDecimalComma(sample [][]string, header []string) bool {
	e := newDecimalEvidence(',')
	for j, name := range header {
		money := moneyName(name)
		for _, rec := range sample {
			if j < len(rec) && !money {
				_, cur := splitCurrency(rec[j])
				money = cur != ""
			}
		}
		if !money {
			continue
		}
		for _, rec := range sample {
			if j < len(rec) {
				e.add(rec[j], name)
			}
		}
	}
	return e.comma != "" && e.point == "" && e.grouped == ""
}

// moneyName reports whether a column's name says it holds money.
func moneyName(name string) bool {
	n := normalise(name)
	for _, w := range []string{"amount", "price", "total", "cost", "revenue", "sales", "spend", "value", "discount", "tax", "betrag", "preis", "montant", "prix", "importe", "precio", "prezzo", "bedrag", "prijs"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
