package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/internal/exports"
)

// previousTagRows is the number of the previous run's customers read at a
// time for their tags.
const previousTagRows = 1 << 14

// previousTags are the campaign tags of a previous run's customers, as its
// exports gave them (the RFM segment, the cluster key and the computed
// groups), read from its assignments.parquet in customer id order as the
// exports ask for them (exports.PreviousTags): a piece of the file in
// memory, not a list of tags per customer.
type previousTags struct {
	r      *data.MergeReader
	t      *data.Table // the piece being read…
	i      int         // …and its next row
	done   bool
	seg    bool     // the file has rfm_segment (column 2)
	groups []string // the previous model's computed groups, columns from 2 (3 with seg)
}

// openPreviousTags opens the tags of the previous run p.
func openPreviousTags(ctx context.Context, p *Previous) (*previousTags, error) {
	path := filepath.Join(p.Dir, "assignments.parquet")
	names, err := data.ParquetColumns(path)
	if err != nil {
		return nil, fmt.Errorf("previous run: %w", err)
	}
	cols := []string{"customer_id", "cluster_key"}
	pt := &previousTags{seg: slices.Contains(names, "rfm_segment")}
	if pt.seg {
		cols = append(cols, "rfm_segment")
	}
	for _, g := range p.Model.Groups {
		if g.Computed && slices.Contains(names, g.ID) {
			pt.groups, cols = append(pt.groups, g.ID), append(cols, g.ID)
		}
	}
	if pt.r, err = data.OpenMerge(ctx, []string{path}, "customer_id", cols); err != nil {
		return nil, fmt.Errorf("previous run: %w", err)
	}
	return pt, nil
}

// Tags returns the tags of customer id in the previous run, and false when
// that run did not have the customer. The ids must come in increasing
// order.
func (pt *previousTags) Tags(id string) ([]string, bool, error) {
	for !pt.done {
		if pt.t == nil || pt.i == pt.t.NumRows() {
			t, err := pt.r.Read(previousTagRows)
			if errors.Is(err, io.EOF) {
				pt.done = true
				break
			}
			if err != nil {
				return nil, false, fmt.Errorf("previous run: %w", err)
			}
			if key := &t.Columns[1]; key.Kind != data.KindString {
				return nil, false, fmt.Errorf("previous run: cluster_key is not a string column")
			}
			pt.t, pt.i = t, 0
			continue
		}
		ids := pt.t.Columns[0].Strings
		k, found := slices.BinarySearch(ids[pt.i:], id)
		if pt.i += k; pt.i == len(ids) {
			continue // every customer of the piece comes before id
		}
		if !found {
			return nil, false, nil
		}
		tags := pt.tagsOf(pt.i)
		pt.i++
		return tags, true, nil
	}
	return nil, false, nil
}

// tagsOf returns the tags of row i of the piece.
func (pt *previousTags) tagsOf(i int) []string {
	var tags []string
	c := 2
	if pt.seg {
		if seg := &pt.t.Columns[c]; seg.Kind == data.KindString && !seg.IsNull(i) {
			tags = append(tags, exports.Tag("rfm", seg.Strings[i]))
		}
		c++
	}
	tags = append(tags, exports.Tag("cluster", pt.t.Columns[1].Strings[i]))
	for k, id := range pt.groups {
		if g := &pt.t.Columns[c+k]; g.Kind == data.KindBool && g.Bools[i] {
			tags = append(tags, exports.Tag("group", id))
		}
	}
	return tags
}

// Close stops the reading.
func (pt *previousTags) Close() { pt.r.Close() }
