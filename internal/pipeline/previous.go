package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/data"
)

// Previous is what a refit remembers of the previous run: its model, its
// customers by RFM segment, and each customer's cluster key, RFM segment
// and the date that segment was assigned. The customers' campaign tags
// (for tags_removed.csv) are read from Dir as the exports are written
// (openPreviousTags).
type Previous struct {
	Dir       string
	Model     *Model
	KeyOf     map[string]string // customer → cluster_key
	SegOf     map[string]string // customer → rfm_segment
	ChangedAt map[string]string // customer → segment_changed_at (absent before the second run)
	// SegCount counts the customers by RFM segment; empty when the run had
	// no RFM segments.
	SegCount map[string]int
}

// summary returns p without its customers' maps: what a scale-out finish
// needs of it (the model, the segment counts, the folder its tags are
// read from).
func (p *Previous) summary() *Previous {
	if p == nil {
		return nil
	}
	return &Previous{Dir: p.Dir, Model: p.Model, SegCount: p.SegCount}
}

// PreviousDir resolves Options.Previous: "none" means no previous run; ""
// means the output directory out when it holds a model.json; anything else
// is the directory itself.
func PreviousDir(previous, out string) string {
	switch previous {
	case "none":
		return ""
	case "":
		if _, err := os.Stat(filepath.Join(out, "model.json")); err == nil {
			return out
		}
		return ""
	}
	return previous
}

// LoadPrevious reads a previous run's model.json and assignments.parquet.
func LoadPrevious(ctx context.Context, dir string) (*Previous, error) {
	m, err := LoadModel(filepath.Join(dir, "model.json"))
	if err != nil {
		return nil, fmt.Errorf("previous run: %w", err)
	}
	path := filepath.Join(dir, "assignments.parquet")
	t, err := data.ReadTable(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("previous run: %w", err)
	}
	p := &Previous{Dir: dir, Model: m, KeyOf: map[string]string{}, SegOf: map[string]string{}, ChangedAt: map[string]string{},
		SegCount: map[string]int{}}
	ids, keys := t.Column("customer_id"), t.Column("cluster_key")
	if ids == nil || keys == nil || ids.Kind != data.KindString || keys.Kind != data.KindString {
		return nil, fmt.Errorf("previous run: %s lacks string columns customer_id and cluster_key", path)
	}
	seg, changed := t.Column("rfm_segment"), t.Column("segment_changed_at")
	for i, id := range ids.Strings {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p.KeyOf[id] = keys.Strings[i]
		if seg != nil && seg.Kind == data.KindString && !seg.IsNull(i) {
			p.SegOf[id] = seg.Strings[i]
			p.SegCount[seg.Strings[i]]++
		}
		if changed != nil && changed.Kind == data.KindString && !changed.IsNull(i) {
			p.ChangedAt[id] = changed.Strings[i]
		}
	}
	return p, nil
}

// history returns each output row's previous RFM segment and cluster key
// ("" when the customer is new) and the date its RFM segment was assigned:
// asOf when it changed (or the customer is new), else the previous date
// (the previous run's as_of when that run had none).
func (p *Previous) history(ids, segments []string, asOf string) (prevSeg, prevKey, changedAt []string, nulls []bool) {
	n := len(ids)
	prevSeg, prevKey, changedAt, nulls = make([]string, n), make([]string, n), make([]string, n), make([]bool, n)
	for i, id := range ids {
		key, known := p.KeyOf[id]
		nulls[i] = !known
		prevKey[i], prevSeg[i] = key, p.SegOf[id]
		switch {
		case !known || segments == nil || prevSeg[i] != segments[i]:
			changedAt[i] = asOf
		case p.ChangedAt[id] != "":
			changedAt[i] = p.ChangedAt[id]
		default:
			changedAt[i] = p.Model.AsOf
		}
	}
	return prevSeg, prevKey, changedAt, nulls
}
