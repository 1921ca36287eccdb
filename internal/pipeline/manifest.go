package pipeline

import (
	"io"
	"maps"
	"math"
	"path/filepath"
	"time"

	"github.com/segment-tool/segment/features"
)

// Manifest is run.json, the machine-readable manifest an orchestrator
// reads. The JSON field names are the stable contract, documented in the
// README; a field is added, never renamed or removed (as_of,
// previous_as_of, ari and tags_removed became nullable on 2026-12-06,
// where they had written a date of year 1 or a 0 that meant nothing).
// Every field but
// timings_ms is the same for the same inputs and seed.
type Manifest struct {
	Version string  `json:"version"` // segment's version
	Status  string  `json:"status"`  // "ok": a failed run writes no run.json
	AsOf    *string `json:"as_of"`   // the analysis date, YYYY-MM-DD; null for a feature table
	Seed    uint64  `json:"seed"`
	// Runner is the Apache Beam runner of a segment run -runner run
	// (prism, flink, spark, dataflow); absent for a local run.
	Runner string  `json:"runner,omitempty"`
	Inputs []Input `json:"inputs"` // every file read, with its SHA-256 and rows
	Rows   Rows    `json:"rows"`
	// Events is what happened to the events table's rows; absent without
	// an events table.
	Events *EventRows `json:"events,omitempty"`
	// RejectsByReason counts the rejected rows (order lines, customers table rows and events) by
	// reason, as listed in rejects.csv.
	RejectsByReason map[string]int64 `json:"rejects_by_reason"`
	Customers       int              `json:"customers"` // customers with orders
	Orders          int              `json:"orders"`    // purchases (orders of positive net value)
	Revenue         float64          `json:"revenue"`   // net revenue of the lines used
	Features        []string         `json:"features"`  // the clustered columns, the category mix expanded
	// Clustering says who was clustered and on what.
	Clustering ClusteringSummary `json:"clustering"`
	K          int               `json:"k"`        // the number of clusters
	KMethod    string            `json:"k_method"` // "elbow", "elbow-fallback", "fixed", "model" (segment assign) or "none" (clustering skipped, k 0)
	KReason    string            `json:"k_reason"` // why this k, in words
	Inertia    float64           `json:"inertia"`  // in the clustered (transformed) space
	Iterations int               `json:"iterations"`
	Converged  bool              `json:"converged"`
	Metrics    Metrics           `json:"metrics"`
	Elbow      []ElbowPoint      `json:"elbow,omitempty"` // every k of the sweep (absent for a fixed k)
	// ElbowSampleRows is the sample each k of the sweep was first fitted on
	// before refining on all rows (0: no sampling).
	ElbowSampleRows int `json:"elbow_sample_rows"`
	// ElbowMiniBatch is the batch size when the refinement on all rows was
	// mini-batch k-means (above 2,000,000 customers), 0 for Lloyd's.
	ElbowMiniBatch int `json:"elbow_minibatch_batch"`
	// Clusters are the clusters by id: key, name and size.
	Clusters []ModelCluster `json:"clusters"`
	// RFMSegments counts customers per RFM segment (every segment listed);
	// Groups counts members per group, null for a group not computed.
	RFMSegments map[string]int `json:"rfm_segments"`
	// Stability compares with the previous run (null without one).
	Stability *StabilitySummary `json:"stability"`
	// Exports counts the campaign exports (null when none were written).
	Exports *ExportsSummary `json:"exports"`
	Groups  map[string]*int `json:"groups"`
	// CLV is the lifetime-value models and totals (absent without a clv
	// section in the config).
	CLV *CLVSummary `json:"clv,omitempty"`
	// TimingsMS is each stage's wall time in milliseconds (not
	// deterministic).
	TimingsMS map[string]int64 `json:"timings_ms"`
	// PeakRSSBytes is the process's peak resident memory so far (0 where
	// the platform does not tell).
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// NonDeterministic are the run.json fields that may differ between two
// runs on the same inputs and seed; every other field is identical.
var NonDeterministic = []string{"timings_ms", "peak_rss_bytes"}

// ExportsSummary is run.json's "exports": contacts exported and skipped,
// tags removed since the previous run (null without one).
type ExportsSummary struct {
	Exported    int    `json:"exported"`
	Skipped     int    `json:"skipped"`
	TagsRemoved *int   `json:"tags_removed"`
	Note        string `json:"note,omitempty"`
	// InvalidEmails counts the contacts of exports/invalid_emails.csv.
	InvalidEmails int `json:"invalid_emails,omitempty"`
}

// StabilitySummary is run.json's "stability": the comparison with the
// previous run.
type StabilitySummary struct {
	Previous        string   `json:"previous"`
	PreviousAsOf    *string  `json:"previous_as_of"` // null when that run had none (a feature table)
	CustomersInBoth int      `json:"customers_in_both"`
	ARI             *float64 `json:"ari"` // null with fewer than 2 customers in both
	KeyChanges      int      `json:"cluster_changes"`
	// RefitChanges counts the cluster changes the previous run's model
	// would not have made (its transform and centres applied to the
	// customers' features now): the refit moved them; absent when that
	// model cannot score this run's features.
	RefitChanges *int     `json:"cluster_changes_by_refit,omitempty"`
	NewClusters  []string `json:"new_clusters"`
	Vanished     []string `json:"vanished_clusters"`
	// PreviousCustomers and Missing count the previous run's customers
	// with orders (not its prospects) and those of them this run's data
	// lacks.
	PreviousCustomers *int `json:"previous_customers,omitempty"`
	Missing           *int `json:"previous_customers_missing,omitempty"`
}

// Rows is run.json's "rows": what happened to the input rows.
type Rows struct {
	Read           int64 `json:"read"`
	Used           int64 `json:"used"`
	Rejected       int64 `json:"rejected"`
	AfterAsOf      int64 `json:"after_as_of"`
	CustomersTotal int   `json:"customers"`
	// UnmatchedProducts counts order lines whose product_id the products
	// table lacks (their category counts as "other").
	UnmatchedProducts int64 `json:"unmatched_products"`
	// Prospects counts customers-table rows with no orders (not clustered).
	Prospects int `json:"prospects"`
	// CustomersRejected counts customers-table rows left out for want of a
	// customer id (in rejects.csv). They are not order lines: read, used,
	// rejected and after_as_of count only those.
	CustomersRejected int `json:"customers_rejected"`
	// RevenueExcluded is the net amount of the rejected rows whose amount
	// could be read.
	RevenueExcluded float64 `json:"revenue_excluded"`
	// PurchasesExcluded is the part of RevenueExcluded of rows of a
	// positive amount: the sales left out, which returns and credits
	// among the rejected rows would hide in the net.
	PurchasesExcluded float64 `json:"purchases_excluded"`
	// NegativeDiscounts counts the lines used whose discount was negative,
	// read as its magnitude.
	NegativeDiscounts int64 `json:"negative_discounts"`
	// Repeated counts the rows used that repeat an earlier row exactly,
	// duplicates kept (orders.duplicates: keep), RepeatedEstimated whether
	// that count was estimated from a sample of the orders (data.Repeats);
	// both absent when no row repeats one.
	Repeated          int64 `json:"repeated,omitempty"`
	RepeatedEstimated bool  `json:"repeated_estimated,omitempty"`
	// RefundOrders counts the orders with a refund taken off their net
	// (orders.columns.refunded), Refunded sums what was taken off (at most
	// each order's value); both absent without refunds.
	RefundOrders int     `json:"refund_orders,omitempty"`
	Refunded     float64 `json:"refunded,omitempty"`
}

// customersRejected returns the number of customers-table rows without an
// id, 0 without a customers table.
func (t *Tables) customersRejected() int {
	if t.Customers == nil {
		return 0
	}
	return len(t.Customers.Rejects) + t.counted.customersRejected
}

// EventRows is run.json's "events": read = used + rejected + after_as_of +
// unknown_type.
type EventRows struct {
	Read        int64 `json:"read"`
	Used        int64 `json:"used"`
	Rejected    int64 `json:"rejected"`     // no customer id or no time: in rejects.csv
	AfterAsOf   int64 `json:"after_as_of"`  // counted, not used
	UnknownType int64 `json:"unknown_type"` // not a view, cart add or checkout: counted, not used
}

// eventRows returns the events block of run.json, or nil.
func (r *Result) eventRows() *EventRows {
	e := r.Tables.Events
	if e == nil {
		return nil
	}
	st := e.Agg.Stats()
	return &EventRows{Read: e.Rows, Used: st.Used, Rejected: e.Rejected, AfterAsOf: st.AfterAsOf, UnknownType: st.UnknownType}
}

// Metrics is run.json's "metrics": the quality of the final fit.
type Metrics struct {
	Silhouette        *float64 `json:"silhouette"` // null when undefined (k = 1)
	CalinskiHarabasz  *float64 `json:"calinski_harabasz"`
	DaviesBouldin     *float64 `json:"davies_bouldin"`
	SilhouetteSample  int      `json:"silhouette_sample"`
	SilhouetteSampled bool     `json:"silhouette_sampled"`
}

// ClusteringSummary is run.json's "clustering" object: the customers
// clustered, those left out by reason (prospect, zero_value_orders_only,
// returns_only, returns_exceed_purchases), the features of clustering.use
// left out and why, the winsorised customers and the minimum segment size.
type ClusteringSummary struct {
	Clustered        int                 `json:"clustered"`
	NotClustered     map[string]int      `json:"not_clustered"`
	ExcludedFeatures []features.Excluded `json:"excluded_features"`
	ClipShare        float64             `json:"clip_share"`
	Clipped          int                 `json:"clipped_customers"`
	MinShare         float64             `json:"min_share"`
	MinSize          int                 `json:"min_size"`
	KNote            string              `json:"k_note,omitempty"`
}

// ElbowPoint is one k of the elbow sweep.
type ElbowPoint struct {
	K                int      `json:"k"`
	Inertia          float64  `json:"inertia"`
	Silhouette       *float64 `json:"silhouette"`
	CalinskiHarabasz *float64 `json:"calinski_harabasz"`
}

// finite returns a pointer to v, or nil for NaN and Inf (not valid JSON).
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// Manifest returns run.json for the run, with what the output stage wrote
// (w) and the stages' timings. Its figures over every customer (the
// stability's, the lifetime values') are those WriteOutputs counted: it
// comes after it.
func (r *Result) Manifest(w *Written, timings []Timing) *Manifest {
	if w == nil {
		w = &Written{}
	}
	m := &Manifest{
		Version: Version, Status: "ok", Seed: r.Options.Seed,
		Inputs: r.inputs(),
		Rows: Rows{Read: r.Tables.Stats.RowsRead, Used: r.Tables.Stats.RowsUsed, Rejected: r.Tables.Stats.RowsRejected,
			AfterAsOf: r.Tables.Table.LinesAfterAsOf, CustomersTotal: r.withOrders(), UnmatchedProducts: r.Tables.UnmatchedProducts,
			Prospects: r.Tables.prospects(), CustomersRejected: r.Tables.customersRejected(), RevenueExcluded: r.Tables.Stats.RevenueExcluded, PurchasesExcluded: r.Tables.Stats.PurchasesExcluded,
			NegativeDiscounts: r.Tables.Stats.NegativeDiscounts, RefundOrders: r.Tables.Table.RefundOrders,
			Repeated: r.Tables.Stats.Repeated, RepeatedEstimated: r.Tables.Stats.RepeatedEstimated,
			Refunded: r.Tables.Table.Refunded},
		Events:          r.eventRows(),
		RejectsByReason: r.Tables.Stats.RejectsByReason,
		Customers:       r.withOrders(), Orders: r.Tables.Table.Purchases, Revenue: r.Tables.Table.Revenue,
		Features: r.Matrix.Transform.Columns,
		K:        r.Clustering.Fit.K, Inertia: r.Clustering.Fit.Inertia, Iterations: r.Clustering.Fit.Iterations, Converged: r.Clustering.Fit.Converged,
		Metrics:   r.metrics(),
		TimingsMS: map[string]int64{},
	}
	if asOf := r.Tables.Table.AsOf; !asOf.IsZero() {
		d := asOf.Format(time.DateOnly)
		m.AsOf = &d
	}
	if m.RejectsByReason == nil {
		m.RejectsByReason = map[string]int64{}
	}
	sec := r.clusteringSection()
	m.Clustering = ClusteringSummary{Clustered: sec.Clustered, NotClustered: map[string]int{}, ExcludedFeatures: r.Matrix.Excluded,
		ClipShare: sec.ClipShare, Clipped: sec.Clipped, MinShare: sec.MinShare, MinSize: sec.MinSize, KNote: sec.KNote}
	if m.Clustering.ExcludedFeatures == nil {
		m.Clustering.ExcludedFeatures = []features.Excluded{}
	}
	for _, n := range sec.NotClustered {
		m.Clustering.NotClustered[n.ID] = n.Customers
	}
	switch {
	case r.Clustering.Skipped != "":
		m.KMethod, m.KReason, m.Clusters, m.Features = "none", "clustering skipped: "+r.Clustering.Skipped, []ModelCluster{}, []string{}
	case r.Options.Model != nil:
		m.KMethod, m.KReason = "model", "scored with the saved model "+r.Options.ModelPath
	case r.Clustering.Sweep == nil:
		m.KMethod, m.KReason = "fixed", "k given by the user"
	case r.Clustering.Sweep.KneeFound:
		m.KMethod, m.KReason = "elbow", r.Clustering.Sweep.Reason
	default:
		m.KMethod, m.KReason = "elbow-fallback", r.Clustering.Sweep.Reason
	}
	if sw := r.Clustering.Sweep; sw != nil {
		m.ElbowSampleRows = sw.Sampled
		m.ElbowMiniBatch = sw.MiniBatch
		for i, k := range sw.Ks {
			m.Elbow = append(m.Elbow, ElbowPoint{K: k, Inertia: sw.Inertia[i], Silhouette: finite(sw.Silhouette[i]), CalinskiHarabasz: finite(sw.CalinskiHarabasz[i])})
		}
	}
	for _, c := range r.Profiles.Clusters {
		m.Clusters = append(m.Clusters, ModelCluster{ID: c.ID, Key: c.Key, Name: c.Name, Size: c.Size})
	}
	t := r.counted()
	m.RFMSegments = map[string]int{}
	if r.Segments.RFM != nil {
		for _, info := range features.RFMSegments() {
			m.RFMSegments[info.ID] = 0
		}
		maps.Copy(m.RFMSegments, t.segments)
	}
	m.Groups = map[string]*int{}
	for _, g := range r.Segments.Groups {
		if g.Members == nil {
			m.Groups[g.ID] = nil
			continue
		}
		n := t.groups[g.ID]
		m.Groups[g.ID] = &n
	}
	if s := r.Stability; s != nil {
		st := &StabilitySummary{Previous: s.Prev.Dir, CustomersInBoth: s.Common,
			KeyChanges: s.KeyChanges, NewClusters: []string{}, Vanished: s.vanishedKeys()}
		if s.Common > 1 {
			st.ARI = &s.ARI
		}
		if isDate(s.Prev.Model.AsOf) {
			st.PreviousAsOf = &s.Prev.Model.AsOf
		}
		if s.RefitKnown {
			st.RefitChanges = &s.RefitMoves
		}
		if n, ok := s.missing(); ok {
			st.PreviousCustomers, st.Missing = &s.Prev.Count, &n
		}
		for _, c := range r.Profiles.Clusters {
			if c.New {
				st.NewClusters = append(st.NewClusters, c.Key)
			}
		}
		if st.Vanished == nil {
			st.Vanished = []string{}
		}
		m.Stability = st
	}
	if s := w.Exports; s != nil {
		m.Exports = &ExportsSummary{Exported: s.Exported, Skipped: s.Skipped, Note: w.ExportNote, InvalidEmails: s.InvalidEmails}
		if r.Previous != nil {
			m.Exports.TagsRemoved = &s.TagsRemoved
		}
	}
	m.CLV = r.CLV.summary(t)
	m.PeakRSSBytes = peakRSS()
	for _, t := range timings {
		m.TimingsMS[t.Stage] += t.Duration.Milliseconds()
	}
	return m
}

func (r *Result) metrics() Metrics {
	return Metrics{
		Silhouette:        finite(r.Clustering.Silhouette),
		CalinskiHarabasz:  finite(r.Clustering.CalinskiHarabasz),
		DaviesBouldin:     finite(r.Clustering.DaviesBouldin),
		SilhouetteSample:  min(silhouetteSample, r.Buyers.N()),
		SilhouetteSampled: r.Buyers.N() > silhouetteSample,
	}
}

// writeManifest writes run.json into dir.
func writeManifest(dir string, m *Manifest) error {
	return writeFile(filepath.Join(dir, "run.json"), func(w io.Writer) error { return writeJSON(w, m) })
}
