package featurejob

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/segment-tool/segment/data"
)

// SummaryFile is the name of the job's summary in FeaturesDir.
const SummaryFile = "features.json"

// Summary describes the feature table the job wrote: its store-wide values
// and the table-wide counts of features.Table.
type Summary struct {
	AsOf       time.Time `json:"as_of"`
	TimeZone   string    `json:"time_zone"`
	Categories []string  `json:"categories"`
	Columns    []string  `json:"columns"` // the feature columns, in Table order
	Shards     []string  `json:"shards"`  // the shard files, in FeaturesDir

	Customers      int64     `json:"customers"`
	Orders         int64     `json:"orders"`
	Purchases      int64     `json:"purchases"`
	Revenue        float64   `json:"revenue"`
	MedianOrder    float64   `json:"median_order"` // the median net value of the purchases counted
	Lines          int64     `json:"lines"`
	LinesAfterAsOf int64     `json:"lines_after_as_of"`
	FirstLine      time.Time `json:"first_line"`
	LastLine       time.Time `json:"last_line"`
	Latest         []int64   `json:"latest_lines,omitempty"` // the newest line time of each of the newest days, unix nanoseconds (features.Table.Latest)

	Parts        int64 `json:"parts"`
	RowsRead     int64 `json:"rows_read"`
	RowsUsed     int64 `json:"rows_used"` // read and used, less those after as_of
	RowsRejected int64 `json:"rows_rejected"`
	// UnmatchedProducts counts the lines whose product the products
	// table lacks (none without one).
	UnmatchedProducts int64 `json:"unmatched_products,omitempty"`
	// NegativeDiscounts counts the lines whose negative discount was read
	// as its magnitude (data.ReadStats.NegativeDiscounts).
	NegativeDiscounts int64 `json:"negative_discounts,omitempty"`
	// Repeated counts the lines that repeat an earlier line exactly,
	// duplicates kept, estimated when RepeatedEstimated
	// (data.ReadStats.Repeated).
	Repeated          int64   `json:"repeated,omitempty"`
	RepeatedEstimated bool    `json:"repeated_estimated,omitempty"`
	RefundOrders      int64   `json:"refund_orders,omitempty"` // features.Table.RefundOrders
	Refunded          float64 `json:"refunded,omitempty"`      // features.Table.Refunded
	// Absent are the optional order columns no file had
	// (data.ReadStats.Absent).
	Absent []string `json:"absent,omitempty"`
	// PartlyAbsent maps the optional order columns some files had and
	// others lacked to the files that lacked them
	// (data.ReadStats.PartlyAbsent).
	PartlyAbsent map[string][]string `json:"partly_absent,omitempty"`
	// Currency is the currency the money cells were marked with
	// (data.ReadStats.Currency).
	Currency string `json:"currency,omitempty"`
	// Holdout is the lifetime-value holdout's store-wide counts
	// (features.Table.Holdout; holdout.go), nil without clv.holdout_days.
	Holdout *holdoutDays `json:"holdout,omitempty"`
	// RejectsByReason counts the rejected rows by reason.
	RejectsByReason map[string]int64 `json:"rejects_by_reason,omitempty"`
	// Files are the order files read, by path, with their checksums and
	// rows (run.json's inputs).
	Files []InputFile `json:"files,omitempty"`
	// RejectFiles are the files of rejected lines in FeaturesDir, in the
	// order a local run reads the parts they come from (ReadRejects).
	RejectFiles []string `json:"reject_files,omitempty"`

	// Attributes are the order-line attributes some customer has, of
	// city, country and channel (a local table's column is nil for the
	// others).
	Attributes []string `json:"attributes"`

	// Fit are the global values the fit needs (fit.go), with its sample.
	Fit *Fit `json:"fit,omitempty"`

	// Features is the feature table read instead of order lines
	// (Config.Features), "" for order lines: the table has no as_of, mix
	// categories, order counts or top_category (table_job.go).
	Features string `json:"features,omitempty"`
}

// InputFile is an order file read: its path, SHA-256 and rows.
type InputFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

// ReadSummary reads the summary of the feature table in dir/FeaturesDir.
func ReadSummary(dir string) (*Summary, error) {
	b, err := os.ReadFile(filepath.Join(dir, FeaturesDir, SummaryFile))
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", SummaryFile, err)
	}
	// JSON keeps a time's offset, not its zone: the report names the zone
	// (as_of is midnight in it), as a local run's table holds it.
	if s.TimeZone != "" {
		loc, err := data.LoadZone(s.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("featurejob: %s: time zone: %w", SummaryFile, err)
		}
		s.AsOf, s.FirstLine, s.LastLine = s.AsOf.In(loc), s.FirstLine.In(loc), s.LastLine.In(loc)
	}
	return &s, nil
}
