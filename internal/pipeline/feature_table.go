package pipeline

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// ReadFeatureTable reads a per-customer feature table (-features): its
// customer_id column (else its first column) and every numeric column.
func ReadFeatureTable(ctx context.Context, path string) (*Tables, error) {
	t, err := data.ReadTable(ctx, path)
	if err != nil {
		return nil, err
	}
	mixed := NewMixedColumns(path)
	ids, names, cols, err := FeatureColumnsOf(path, t, 0, mixed)
	if err != nil {
		return nil, err
	}
	if err := mixed.Err(); err != nil {
		return nil, err
	}
	ft, err := features.FromColumns(ids, names, cols)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := &Tables{Table: ft, FeatureColumns: names}
	if out.Inputs, err = withInput(nil, path, int64(len(ids))); err != nil {
		return nil, err
	}
	out.Stats.RowsRead, out.Stats.RowsUsed = int64(len(ids)), int64(len(ids))
	return out, nil
}

// CheckFeatureTable returns why o cannot run on its feature table
// (o.Features), or nil (also when o reads order lines): an events or a
// products table needs order lines, and as_of applies to them only. Run
// refuses such options; so should a front end, before any work.
func CheckFeatureTable(o *Options) error {
	switch {
	case o.Features == "":
		return nil
	case o.Events != nil:
		return fmt.Errorf("-features %s: an events table (-events or events:) needs order lines: its features count each customer's events before as_of, the day after the last order line, which a feature table does not have; add the events features to the table instead", o.Features)
	case o.Products != nil:
		return fmt.Errorf("-features %s: a products table (-products or products:) is joined to the order lines by product_id, which a feature table does not have; add the product features to the table instead", o.Features)
	case !o.AsOf.IsZero():
		return fmt.Errorf("-features %s: as_of (-as-of or as_of:) dates the order lines, and a feature table's values are used as they are: leave it unset", o.Features)
	}
	return nil
}

// FeatureColumnsOf returns the ids and the numeric columns, with their
// names, of t, the feature table at path or a piece of it whose first row
// is the file's row first+1 (data.ScanTable types a piece's columns as
// data.ReadTable types the file's): the ids are its customer_id column
// (idColumn), the features every numeric column (integers as floats), an
// empty cell NaN. Its text columns are tallied in mixed (MixedColumns),
// whose Err, once every piece is read, refuses one most of whose cells are
// numbers: one N/A must not drop a feature without a word. It does not
// check the values (features.FromColumns does, and refuses NaN).
func FeatureColumnsOf(path string, t *data.Table, first int64, mixed *MixedColumns) (ids, names []string, cols [][]float64, err error) {
	if len(t.Columns) == 0 {
		return nil, nil, nil, fmt.Errorf("%s: no columns", path)
	}
	idCol := idColumn(t)
	if ids, err = data.IDStrings(path, idCol, first); err != nil {
		return nil, nil, nil, err
	}
	// The assignments' columns, compared without letter case: a warehouse
	// that ignores it could not load both Spend and spend.
	seen := map[string]string{"customer_id": idCol.Name}
	for _, c := range t.Columns {
		if c.Name == idCol.Name {
			continue
		}
		v, ok := c.Float64s()
		if !ok {
			mixed.add(&c, first)
			continue
		}
		lower := strings.ToLower(c.Name)
		if outputColumn(c.Name) || lower != "customer_id" && outputColumn(lower) {
			return nil, nil, nil, fmt.Errorf("%s: column %q is a column segment's assignments add (a previous run's assignments given as a feature table?): rename it, or leave it out", path, c.Name)
		}
		if other, dup := seen[lower]; dup {
			return nil, nil, nil, fmt.Errorf("%s: columns %q and %q differ only in letter case (the assignments name the id column customer_id): a warehouse that ignores case could not load the assignments; rename one", path, other, c.Name)
		}
		seen[lower] = c.Name
		if slices.Contains(c.Nulls, true) {
			// An empty cell is NaN, which features.CheckValue refuses
			// (naming the row): never a silent 0.
			v = slices.Clone(v)
			for i := range v {
				if c.IsNull(i) {
					v[i] = math.NaN()
				}
			}
		}
		names = append(names, c.Name)
		cols = append(cols, v)
	}
	if len(names) == 0 {
		return nil, nil, nil, fmt.Errorf("%s: no numeric feature columns besides %q", path, idCol.Name)
	}
	return ids, names, cols, nil
}

// CheckGroupColumns returns an error naming the first of a feature
// table's columns (at path) that has the name of a custom group: the
// assignments add a column of each group's name beside the features, so
// the run would fail writing them, after all its work.
func CheckGroupColumns(path string, columns []string, custom *features.CompiledGroups) error {
	for _, c := range columns {
		if custom.Has(c) {
			return fmt.Errorf("%s: column %q has the name of a custom group (groups:), a column the assignments add: rename the column or the group", path, c)
		}
	}
	return nil
}

// outputColumn reports whether a feature table's column name is one the
// assignments add beside the features (assignmentTable), which a feature
// of that name would repeat: the run failed writing them, after all its
// work.
func outputColumn(name string) bool {
	return name != "customer_id" && features.AssignmentColumn(name) || slices.Contains(features.SeedGroupIDs, name)
}

// idColumn is a feature table's id column: customer_id, else the column
// whose name is customer_id but for letter case, spaces, hyphens and
// underscores (CustomerID, Customer ID), else the first column.
func idColumn(t *data.Table) data.Column {
	for _, c := range t.Columns {
		if c.Name == "customer_id" {
			return c
		}
	}
	for _, c := range t.Columns {
		if foldName(c.Name) == "customerid" {
			return c
		}
	}
	return t.Columns[0]
}

// MixedColumns tallies the text columns of a feature table at path, read
// whole or a piece at a time in file order (FeatureColumnsOf): their
// filled cells, those that are numbers, and the first that is not. The
// verdict (Err) is the file's, however it was split.
type MixedColumns struct {
	path  string
	names []string // in the order first seen
	cols  map[string]*mixedTally
}

// mixedTally is one text column's tally.
type mixedTally struct {
	filled, numbers int64
	row             int64  // the file's row of the first cell that is not a number, 0 for none
	cell            string // …and the cell
}

// NewMixedColumns returns an empty tally of the feature table at path.
func NewMixedColumns(path string) *MixedColumns {
	return &MixedColumns{path: path, cols: map[string]*mixedTally{}}
}

// add tallies c, a text column of a piece whose first row is the file's
// row first+1; a nil m tallies nothing.
func (m *MixedColumns) add(c *data.Column, first int64) {
	if m == nil || c.Kind != data.KindString {
		return
	}
	mt := m.cols[c.Name]
	if mt == nil {
		mt = &mixedTally{}
		m.cols[c.Name] = mt
		m.names = append(m.names, c.Name)
	}
	for i, s := range c.Strings {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		mt.filled++
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			mt.numbers++
		} else if mt.row == 0 {
			mt.row, mt.cell = first+int64(i)+1, c.Strings[i]
		}
	}
}

// Err returns an error naming the first text column most of whose filled
// cells are numbers, the row of its first cell that is not one and the
// counts: the others (N/A, a thousands separator, a unit) would drop the
// whole column from the features.
func (m *MixedColumns) Err() error {
	for _, name := range m.names {
		mt := m.cols[name]
		if mt.row == 0 || 2*mt.numbers <= mt.filled {
			continue
		}
		return fmt.Errorf("%s: column %q, row %d: %s is not a number, but %d of the column's %d filled cells are: a feature column needs a number in every cell (write 0 where 0 is meant, a decimal point, no thousands separator or unit); a column of text is left out",
			m.path, name, mt.row, data.QuoteCell(mt.cell), mt.numbers, mt.filled)
	}
	return nil
}

// IDLikeColumn reports whether a feature table's column is named like an
// id or a row number rather than a feature: id, index, row, row_number,
// pandas' "Unnamed: 0", or a name ending in _id, -id, " id" or a
// capitalised Id/ID after a lower-case letter (CustomerID, rowId).
func IDLikeColumn(name string) bool {
	switch foldName(name) {
	case "id", "index", "row", "rownumber", "rownum", "rowid", "unnamed0", "level0":
		return true
	}
	lower := strings.ToLower(name)
	for _, suffix := range []string{"_id", "-id", " id"} {
		if strings.HasSuffix(lower, suffix) {
			return true
		}
	}
	for _, suffix := range []string{"ID", "Id"} {
		if rest, ok := strings.CutSuffix(name, suffix); ok && rest != "" {
			if c := rest[len(rest)-1]; c >= 'a' && c <= 'z' {
				return true
			}
		}
	}
	return false
}

// foldName returns a column name in lower case without spaces, hyphens,
// underscores or colons: "Customer ID", "customer-id" and "CustomerID"
// fold alike.
func foldName(s string) string {
	return strings.NewReplacer("_", "", " ", "", "-", "", ":", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}
