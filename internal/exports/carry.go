package exports

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
)

// removedHeader is the header of tags_removed.csv.
var removedHeader = []string{"customer_id", "email", "tag"}

// RemovedTag is a row of tags_removed.csv.
type RemovedTag struct{ CustomerID, Email, Tag string }

// Carry makes the writer list again the rows of an earlier
// tags_removed.csv (ReadRemovedTags) whose customer does not have the tag
// now: the file of a run this one replaces (a re-run of the same date),
// whose removals may not have been applied in the tools yet. A customer
// who is no longer a contact keeps every carried row. Call it before the
// first Add.
func (w *Writer) Carry(rows []RemovedTag) {
	w.carried = slices.Clone(rows)
	slices.SortStableFunc(w.carried, func(a, b RemovedTag) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
}

// removed writes a row of tags_removed.csv.
func (w *Writer) removed(r RemovedTag) error {
	w.s.TagsRemoved++
	return w.files[len(exportFiles)+1].write([]string{r.CustomerID, r.Email, r.Tag})
}

// flushCarried lists the carried rows of the customers before id (all of
// them when all), who are not contacts now.
func (w *Writer) flushCarried(id string, all bool) error {
	for len(w.carried) > 0 && (all || w.carried[0].CustomerID < id) {
		r := w.carried[0]
		w.carried = w.carried[1:]
		if err := w.removed(r); err != nil {
			return err
		}
	}
	return nil
}

// carriedOf lists the carried rows of contact c whose tag c does not have
// now and that listed is not (the tags removed since the previous run).
func (w *Writer) carriedOf(c Contact, listed []string) error {
	for len(w.carried) > 0 && w.carried[0].CustomerID == c.CustomerID {
		r := w.carried[0]
		w.carried = w.carried[1:]
		if slices.Contains(c.Tags, r.Tag) || slices.Contains(listed, r.Tag) {
			continue
		}
		if err := w.removed(r); err != nil {
			return err
		}
	}
	return nil
}

// ReadRemovedTags reads a tags_removed.csv a Writer wrote (with or without
// a byte order mark); none when there is no such file.
func ReadRemovedTags(path string) ([]RemovedTag, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("exports: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if head, err := br.Peek(len(utf8BOM)); err == nil && string(head) == utf8BOM {
		br.Discard(len(utf8BOM))
	}
	recs, err := csv.NewReader(br).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("exports: %s: %w", path, err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], removedHeader) {
		return nil, fmt.Errorf("exports: %s: not a tags_removed.csv (its header is not customer_id,email,tag)", path)
	}
	rows := make([]RemovedTag, 0, len(recs)-1)
	for _, r := range recs[1:] {
		rows = append(rows, RemovedTag{r[0], r[1], r[2]})
	}
	return rows, nil
}
