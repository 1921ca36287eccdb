package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/exports"
)

// exportsDir is the subdirectory of the outputs with the campaign files.
const exportsDir = "exports"

// exportChunkRows is the number of assignment rows the exports read at a
// time.
const exportChunkRows = 1 << 16

// tagColumns are the columns of a range of the assignments that give a
// customer's campaign tags: its RFM segment (nil without RFM scores),
// its cluster key and every group it is in.
type tagColumns struct {
	segment *data.Column
	key     *data.Column
	groups  []*data.Column
	made    *tagCache
}

// tagCache holds the tags made (exports.Tag transliterates): the few RFM
// segments' and cluster keys' by value, and the groups', by column.
type tagCache struct {
	rfm, cluster map[string]string
	groups       []string
}

// tag returns exports.Tag(prefix, value), made once per value.
func tag(made map[string]string, prefix, value string) string {
	t, ok := made[value]
	if !ok {
		t = exports.Tag(prefix, value)
		made[value] = t
	}
	return t
}

// tagColumnsOf returns t's tag columns, the run's groups' (those
// computed), with the tags made so far (made: nil for none).
func (r *Result) tagColumnsOf(t *data.Table, made *tagCache) tagColumns {
	if made == nil {
		made = &tagCache{rfm: map[string]string{}, cluster: map[string]string{}}
		for _, g := range r.Segments.Groups {
			if g.Members != nil {
				made.groups = append(made.groups, exports.Tag("group", g.ID))
			}
		}
	}
	tc := tagColumns{segment: t.Column("rfm_segment"), key: t.Column("cluster_key"), made: made}
	for _, g := range r.Segments.Groups {
		if g.Members != nil {
			tc.groups = append(tc.groups, t.Column(g.ID))
		}
	}
	return tc
}

// segmentOf returns row i's RFM segment, "" without RFM scores.
func (tc *tagColumns) segmentOf(i int) string {
	if tc.segment == nil {
		return ""
	}
	return tc.segment.Strings[i]
}

// tags returns the campaign tags of row i: its RFM segment, its cluster
// key and every group it is in.
func (tc *tagColumns) tags(i int) []string {
	var tags []string
	if tc.segment != nil {
		tags = append(tags, tag(tc.made.rfm, "rfm", tc.segment.Strings[i]))
	}
	tags = append(tags, tag(tc.made.cluster, "cluster", tc.key.Strings[i]))
	for g, c := range tc.groups {
		if c.Bools[i] {
			tags = append(tags, tc.made.groups[g])
		}
	}
	return tags
}

// writeExports writes the campaign exports of t (the assignments) into
// dir/exports when the customers table gives emails. Customers accept
// marketing when its newsletter flag is true; without that column nobody is
// exported (consent unknown). It returns the summary, or nil when no
// export was written and why.
func (r *Result) writeExports(ctx context.Context, dir string, all data.Chunks) (*exports.Summary, string, error) {
	if r.Tables.Customers == nil {
		return nil, "no customers table (no emails)", nil
	}
	n := all.NumRows()
	t, err := data.CheckedRows(all, 0, min(n, exportChunkRows), nil)
	if err != nil {
		return nil, "", err
	}
	if t.Column("email") == nil {
		return nil, "the customers table has no email column", nil
	}
	hasNews := t.Column("newsletter") != nil
	out := filepath.Join(dir, exportsDir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, "", fmt.Errorf("output: %w", err)
	}
	var previous exports.PreviousTags
	if r.Previous != nil { // its tags read as the contacts are written
		pt, err := openPreviousTags(ctx, r.Previous)
		if err != nil {
			return nil, "", err
		}
		defer pt.Close()
		previous = pt
	}
	// A contact at a time, in the assignments' order (by customer id).
	ew, err := exports.NewWriter(ctx, out, previous, r.Options.Excel)
	if err != nil {
		return nil, "", err
	}
	if r.Previous.SameDate(r.Tables.Table.AsOf) {
		// A re-run: the removals that run listed (since the run before it)
		// may not have been applied yet, and its file is replaced.
		rows, err := exports.ReadRemovedTags(filepath.Join(r.Previous.Dir, exportsDir, exports.TagsRemovedFile))
		if err != nil {
			ew.Close()
			return nil, "", err
		}
		ew.Carry(rows)
	}
	first := t
	var made *tagCache
	for lo := 0; lo < n; lo += exportChunkRows {
		hi := min(lo+exportChunkRows, n)
		if lo > 0 {
			if t, err = data.CheckedRows(all, lo, hi, first); err != nil {
				ew.Close()
				return nil, "", err
			}
		}
		email, news := t.Column("email"), t.Column("newsletter")
		ids, keys := t.Column("customer_id").Strings, t.Column("cluster_key").Strings
		names := t.Column("cluster_name").Strings
		tc := r.tagColumnsOf(t, made)
		made = tc.made
		num := func(name string, i int) string {
			c := t.Column(name)
			if c == nil || c.IsNull(i) {
				return ""
			}
			return plainNumber(c.Floats[i])
		}
		for i, id := range ids {
			c := exports.Contact{
				CustomerID:       id,
				Email:            exports.ContactEmail(email.Strings[i]),
				AcceptsMarketing: news != nil && !news.IsNull(i) && news.Bools[i],
			}
			// The tags and properties of a contact who is not exported
			// are not read (exports.Contact), but for the tags removed
			// since a previous run.
			exported := exports.MayExport(c.AcceptsMarketing, c.Email)
			if exported || previous != nil {
				c.Tags = tc.tags(i)
			}
			if exported {
				c.Properties = []exports.Property{
					{Name: "customer_id", Value: id}, {Name: "rfm_segment", Value: tc.segmentOf(i)},
					{Name: "cluster_key", Value: keys[i]}, {Name: "cluster_name", Value: names[i]},
					{Name: features.RecencyDays, Value: num(features.RecencyDays, i)},
					{Name: features.Frequency, Value: num(features.Frequency, i)},
					{Name: features.Monetary, Value: num(features.Monetary, i)},
				}
				// With a clv section, Klaviyo gets the predictions as
				// profile properties (empty where not computed).
				for _, col := range r.CLV.columns() {
					c.Properties = append(c.Properties, exports.Property{Name: col.Name, Value: num(col.Name, i)})
				}
			}
			if err := ew.Add(c); err != nil {
				ew.Close()
				return nil, "", err
			}
		}
	}
	s, err := ew.Close()
	if err != nil {
		return nil, "", err
	}
	if !hasNews {
		return &s, "the customers table has no newsletter column: consent unknown, nobody exported", nil
	}
	return &s, "", nil
}

// plainNumber formats v for a campaign tool: as in the CSV outputs, 12
// significant digits (data.FormatFloat), but never in exponent form, as
// tools read these as plain numbers. Without an exponent FormatFloat's
// text is that already (the shortest digits of the rounded value, laid
// out as 'f' lays them out); with one, the rounded value is written out.
func plainNumber(v float64) string {
	s := data.FormatFloat(v)
	if !strings.ContainsAny(s, "eE") {
		return s
	}
	r, _ := strconv.ParseFloat(s, 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
