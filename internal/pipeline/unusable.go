package pipeline

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/report"
)

// maxRejectExamples is how many rejected rows NoUsableRowsError quotes.
const maxRejectExamples = 3

// NoUsableRowsError is returned when order lines were read but every one
// was rejected: nothing is left to segment. Its message counts the rejects
// by reason and quotes the first ones (file, row, reason); KeptRejects,
// when set, is where Run kept rejects.csv, which lists them all.
type NoUsableRowsError struct {
	Orders      string         // the orders path (file, glob or directory)
	Stats       data.ReadStats // rows read and rejected, by reason
	Examples    []data.Reject  // the first rejects, at most maxRejectExamples
	KeptRejects string         // rejects.csv kept beside the output folder, or ""
	NotKept     error          // why rejects.csv could not be kept (a full disk), or nil
}

// Error implements error.
func (e *NoUsableRowsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "orders %s: no usable order line: %s %s read, every one rejected (", e.Orders,
		report.FormatInt(e.Stats.RowsRead), plural(int(e.Stats.RowsRead), "row", "rows"))
	// By count, most first; ties by reason.
	reasons := slices.SortedFunc(maps.Keys(e.Stats.RejectsByReason), func(a, b string) int {
		if na, nb := e.Stats.RejectsByReason[a], e.Stats.RejectsByReason[b]; na != nb {
			return int(nb - na)
		}
		return strings.Compare(a, b)
	})
	for i, r := range reasons {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", report.FormatInt(e.Stats.RejectsByReason[r]), r)
	}
	b.WriteString(")")
	for i, x := range e.Examples {
		if i == 0 {
			b.WriteString("; first: ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s row %d: %s", x.File, x.Row, x.Reason)
	}
	if e.KeptRejects != "" {
		fmt.Fprintf(&b, "; every rejected row is listed in %s", e.KeptRejects)
	}
	if e.NotKept != nil {
		fmt.Fprintf(&b, "; the list of every rejected row (rejects.csv) could not be kept: %v", e.NotKept)
	}
	return b.String()
}

// firstRejects wraps a reject callback to keep the first
// maxRejectExamples rejects in *dst.
func firstRejects(dst *[]data.Reject, next func(data.Reject)) func(data.Reject) {
	return func(r data.Reject) {
		if len(*dst) < maxRejectExamples {
			*dst = append(*dst, r)
		}
		if next != nil {
			next(r)
		}
	}
}

// keepRejects keeps the staging folder's rejects.csv when err says no row
// was usable, since the failed run's staging folder is removed: it is
// moved beside the output folder (target: the folder with every link
// followed, where the staging folder is), to a new file named
// <out>.rejects-<random>.csv (never replacing a file), and err names it,
// or says why it could not be kept. Other errors are returned as they are.
func keepRejects(err error, rejects *rejectWriter, stagingDir, target string) error {
	var nu *NoUsableRowsError
	if !errors.As(err, &nu) {
		return err
	}
	if cerr := rejects.close(); cerr != nil {
		nu.NotKept = cerr
		return err
	}
	f, cerr := os.CreateTemp(filepath.Dir(target), filepath.Base(target)+".rejects-*.csv")
	if cerr != nil {
		nu.NotKept = cerr
		return err
	}
	dst := f.Name()
	f.Close()
	if rerr := os.Rename(filepath.Join(stagingDir, "rejects.csv"), dst); rerr != nil {
		os.Remove(dst)
		nu.NotKept = rerr
		return err
	}
	nu.KeptRejects = dst
	return err
}
