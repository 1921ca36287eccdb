package main

import (
	"encoding/json"
	"io"
	"math"

	"github.com/segment-tool/segment/features"
)

// runManifest is run.json, the machine-readable manifest an orchestrator
// reads. Field names are stable and documented in the README. Every field but
// timings_ms is the same for the same inputs and seed.
type runManifest struct {
	Version         string           `json:"version"`
	Status          string           `json:"status"`
	AsOf            string           `json:"as_of"`
	Seed            uint64           `json:"seed"`
	Inputs          []inputJSON      `json:"inputs"`
	Rows            rowsJSON         `json:"rows"`
	RejectsByReason map[string]int64 `json:"rejects_by_reason"`
	Customers       int              `json:"customers"`
	Orders          int              `json:"orders"`
	Revenue         float64          `json:"revenue"`
	Features        []string         `json:"features"`
	// Clustering says who was clustered and on what.
	Clustering clusteringJSON `json:"clustering"`
	K          int            `json:"k"`
	KMethod    string         `json:"k_method"` // "elbow", "elbow-fallback" or "fixed"
	KReason    string         `json:"k_reason"`
	Inertia    float64        `json:"inertia"` // in the clustered (transformed) space
	Iterations int            `json:"iterations"`
	Converged  bool           `json:"converged"`
	Metrics    metricsJSON    `json:"metrics"`
	Elbow      []elbowJSON    `json:"elbow,omitempty"`
	// ElbowSampleRows is the sample each k of the sweep was first fitted on
	// before refining on all rows (0: no sampling).
	ElbowSampleRows int `json:"elbow_sample_rows"`
	// ElbowMiniBatch is the batch size when the refinement on all rows was
	// mini-batch k-means (above 2,000,000 customers), 0 for Lloyd's.
	ElbowMiniBatch int            `json:"elbow_minibatch_batch"`
	Clusters       []modelCluster `json:"clusters"`
	// RFMSegments counts customers per RFM segment (every segment listed);
	// Groups counts members per group, null for a group not computed.
	RFMSegments map[string]int `json:"rfm_segments"`
	// Stability compares with the previous run (null without one).
	Stability *stabilityJSON `json:"stability"`
	// Exports counts the campaign exports (null when none were written).
	Exports   *exportsJSON     `json:"exports"`
	Groups    map[string]*int  `json:"groups"`
	TimingsMS map[string]int64 `json:"timings_ms"`
	// PeakRSSBytes is the process's peak resident memory so far (0 where
	// the platform does not tell).
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// nonDeterministic are the run.json fields that may differ between two
// runs on the same inputs and seed; every other field is identical.
var nonDeterministic = []string{"timings_ms", "peak_rss_bytes"}

type exportsJSON struct {
	Exported    int    `json:"exported"`
	Skipped     int    `json:"skipped"`
	TagsRemoved int    `json:"tags_removed"`
	Note        string `json:"note,omitempty"`
}

type stabilityJSON struct {
	Previous        string   `json:"previous"`
	PreviousAsOf    string   `json:"previous_as_of"`
	CustomersInBoth int      `json:"customers_in_both"`
	ARI             float64  `json:"ari"`
	KeyChanges      int      `json:"cluster_changes"`
	NewClusters     []string `json:"new_clusters"`
	Vanished        []string `json:"vanished_clusters"`
}

type rowsJSON struct {
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
	// RevenueExcluded is the net amount of the rejected rows whose amount
	// could be read.
	RevenueExcluded float64 `json:"revenue_excluded"`
}

type metricsJSON struct {
	Silhouette        *float64 `json:"silhouette"` // null when undefined (k = 1)
	CalinskiHarabasz  *float64 `json:"calinski_harabasz"`
	DaviesBouldin     *float64 `json:"davies_bouldin"`
	SilhouetteSample  int      `json:"silhouette_sample"`
	SilhouetteSampled bool     `json:"silhouette_sampled"`
}

// clusteringJSON is run.json's "clustering" object: the customers
// clustered, those left out by reason (prospect, zero_value_orders_only,
// returns_only, returns_exceed_purchases), the features of clustering.use
// left out and why, the winsorised customers and the minimum segment size.
type clusteringJSON struct {
	Clustered        int                 `json:"clustered"`
	NotClustered     map[string]int      `json:"not_clustered"`
	ExcludedFeatures []features.Excluded `json:"excluded_features"`
	ClipShare        float64             `json:"clip_share"`
	Clipped          int                 `json:"clipped_customers"`
	MinShare         float64             `json:"min_share"`
	MinSize          int                 `json:"min_size"`
	KNote            string              `json:"k_note,omitempty"`
}

type elbowJSON struct {
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

func (r *result) manifest() runManifest {
	m := runManifest{
		Version: version, Status: "ok", AsOf: r.table.AsOf.Format("2006-01-02"), Seed: r.opts.Seed,
		Inputs: r.inputJSON(),
		Rows: rowsJSON{Read: r.stats.RowsRead, Used: r.stats.RowsUsed, Rejected: r.stats.RowsRejected,
			AfterAsOf: r.table.LinesAfterAsOf, CustomersTotal: r.table.N(), UnmatchedProducts: r.unmatchedProducts,
			Prospects: len(r.prospects), RevenueExcluded: r.stats.RevenueExcluded},
		RejectsByReason: r.stats.RejectsByReason,
		Customers:       r.table.N(), Orders: r.table.Purchases, Revenue: r.table.Revenue,
		Features: r.transform.Columns,
		K:        r.fit.K, Inertia: r.fit.Inertia, Iterations: r.fit.Iterations, Converged: r.fit.Converged,
		Metrics:   r.metrics(),
		TimingsMS: map[string]int64{},
	}
	if m.RejectsByReason == nil {
		m.RejectsByReason = map[string]int64{}
	}
	sec := r.clusteringSection()
	m.Clustering = clusteringJSON{Clustered: sec.Clustered, NotClustered: map[string]int{}, ExcludedFeatures: r.excluded,
		ClipShare: sec.ClipShare, Clipped: sec.Clipped, MinShare: sec.MinShare, MinSize: sec.MinSize, KNote: sec.KNote}
	if m.Clustering.ExcludedFeatures == nil {
		m.Clustering.ExcludedFeatures = []features.Excluded{}
	}
	for _, n := range sec.NotClustered {
		m.Clustering.NotClustered[n.ID] = n.Customers
	}
	switch {
	case r.opts.Model != nil:
		m.KMethod, m.KReason = "model", "scored with the saved model "+r.opts.ModelPath
	case r.sweep == nil:
		m.KMethod, m.KReason = "fixed", "k given by the user"
	case r.sweep.KneeFound:
		m.KMethod, m.KReason = "elbow", r.sweep.Reason
	default:
		m.KMethod, m.KReason = "elbow-fallback", r.sweep.Reason
	}
	if sw := r.sweep; sw != nil {
		m.ElbowSampleRows = sw.Sampled
		m.ElbowMiniBatch = sw.MiniBatch
		for i, k := range sw.Ks {
			m.Elbow = append(m.Elbow, elbowJSON{K: k, Inertia: sw.Inertia[i], Silhouette: finite(sw.Silhouette[i]), CalinskiHarabasz: finite(sw.CalinskiHarabasz[i])})
		}
	}
	for _, c := range r.clusters {
		m.Clusters = append(m.Clusters, modelCluster{ID: c.ID, Key: c.Key, Name: c.Name, Size: c.Size})
	}
	m.RFMSegments = map[string]int{}
	if rfm := r.seg.rfm; rfm != nil {
		for _, info := range features.RFMSegments() {
			m.RFMSegments[info.ID] = 0
		}
		for _, seg := range rfm.Segment {
			m.RFMSegments[seg]++
		}
	}
	m.Groups = map[string]*int{}
	for _, g := range r.seg.groups {
		if g.Members == nil {
			m.Groups[g.ID] = nil
			continue
		}
		n := g.Count()
		m.Groups[g.ID] = &n
	}
	if s := r.stable; s != nil {
		st := &stabilityJSON{Previous: s.prev.dir, PreviousAsOf: s.prev.model.AsOf, CustomersInBoth: s.common, ARI: s.ari,
			KeyChanges: s.keyChanges, NewClusters: []string{}, Vanished: s.vanishedKeys()}
		for _, c := range r.clusters {
			if c.New {
				st.NewClusters = append(st.NewClusters, c.Key)
			}
		}
		if st.Vanished == nil {
			st.Vanished = []string{}
		}
		m.Stability = st
	}
	if s := r.exportSummary; s != nil {
		m.Exports = &exportsJSON{Exported: s.Exported, Skipped: s.Skipped, TagsRemoved: s.TagsRemoved, Note: r.exportNote}
	}
	m.PeakRSSBytes = peakRSS()
	for _, t := range r.timings {
		m.TimingsMS[t.Stage] += t.D.Milliseconds()
	}
	return m
}

// silhouetteSample is the number of customers the silhouette is computed on.
const silhouetteSample = 10000

func (r *result) metrics() metricsJSON {
	return metricsJSON{
		Silhouette:        finite(r.silhouette),
		CalinskiHarabasz:  finite(r.ch),
		DaviesBouldin:     finite(r.db),
		SilhouetteSample:  min(silhouetteSample, r.table.N()),
		SilhouetteSampled: r.table.N() > silhouetteSample,
	}
}

func writeRunJSON(path string, r *result) error {
	return writeFile(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r.manifest())
	})
}
