package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/cluster"
	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/report"
)

// BeamFinish is what a scale-out run (segment-beam) hands to FinishBeam
// once its jobs and the fit are done.
type BeamFinish struct {
	// Runner is the Beam runner the jobs ran on (prism, flink…): run.json's
	// "runner" and the report's runner line.
	Runner string
	// Table is job 1's feature table: its columns and store-wide values.
	// Its rows, if it has any, are not read: every customer's figures are
	// read from Assignments.
	Table *features.Table
	// Stats are job 1's counts of the order lines read, used and rejected.
	Stats data.ReadStats
	// Inputs are the input files with their checksums and rows (job 1's),
	// for run.json and the report's appendix; nil leaves both without them.
	Inputs []data.FileStat
	// UnmatchedProducts are the order lines whose product the products
	// table lacks (run.json's rows.unmatched_products).
	UnmatchedProducts int64
	// Customers is the customers table, nil without one. Its rows, if it
	// has any, are not read: a header (its path and columns) will do, with
	// Prospects the number of its rows whose customer has no orders and
	// CustomersRejected the number of its rows without an id (beside any
	// in Customers.Rejects), listed in Rejects.
	Customers                    *features.CustomerTable
	Prospects, CustomersRejected int
	// CustomersMismatch and EventsMismatch are JoinCustomers' and
	// WithEvents' findings that no id of the table is a buyer's (nil: some
	// are): the report says so first, as a local run's does.
	CustomersMismatch, EventsMismatch *features.IDMismatch
	// Events is the events table (features.NewEventTable: its path and
	// counts; its customers, if it has any, are not read), nil without
	// one; Stats.RejectsByReason counts its rejected rows too, and Rejects
	// holds them (after the order lines' and the customers table's, as a
	// local run reads them).
	Events *features.EventTable
	// Rejects are the rejected order lines (then the customers table's
	// rows without an id, then the events table's rejected rows),
	// in the order a local run reads them (files in read order, rows in
	// file order), each with what it
	// adds to the revenue excluded (data.Reject.Excluded); nil: none.
	// FinishBeam writes them to rejects.csv and sums Stats.RevenueExcluded
	// from them, as a local run does.
	Rejects iter.Seq2[data.Reject, error]
	// Fit is the fit on the sample (FitSample): its clustering (the elbow
	// sweep, iterations) and the store-wide transform, winsorised buyers,
	// features left out and seed group cuts it was given.
	Fit *Result
	// CLV is the lifetime-value models fitted on every customer (FitCLV),
	// nil without a clv section: every customer is scored with them.
	CLV *CLVFit
	// GroupCuts are the seed groups' store-wide cuts (job 1).
	GroupCuts features.GroupCuts
	// Model is model.json as the scale-out run wrote it (the fit's model
	// with the cluster sizes of job 2): the customers are labelled with its
	// centroids and its clusters' keys and names.
	Model *Model
	// Timings are the jobs' and the fit's timings, for run.json.
	Timings []Timing
	// Assignments are job 2's assignment shards, each sorted by
	// customer_id (at least one): every customer's figures are read from
	// them in passes (shard_passes.go).
	Assignments []string
	// Tally is job 2's customers' tally, its shards' (AssignRows) merged:
	// the report's counts over every customer (by RFM segment, group,
	// reason not clustered, the clusters' common values, the comparison
	// with the previous run, the lifetime-value sums) and, when its shards'
	// tallies all have them, the sums of the profiles and of the RFM and
	// group rows (reportSums) are taken from it instead of a pass over
	// Assignments, and its crosstab of clusters and RFM segments must be
	// the finish's own. nil: counted in a pass.
	Tally *CustomerTally
	// ProfileRanks is the search for the clusters' medians and quantile
	// positions over every clustered customer of Assignments, in rounds
	// that job 2 began or finished (ShardSearches, report.ProfileRanks):
	// the finish runs the rounds left as passes over the shards (on it:
	// the search is changed), the profiles' sums in the first of them or,
	// with none left, in a pass of their own. nil: every round is a pass
	// here.
	ProfileRanks *report.ProfileRanks
	// RevenueRanks is the search for the revenue concentration of every
	// customer with orders, begun or finished by job 2 (ShardSearches,
	// report.RevenueRanks): the rounds left are passes over the shards (on
	// it). nil: every round is a pass here.
	RevenueRanks *report.RevenueRanks
	// RFMRanks is the search for the RFM rows' medians (recency, frequency
	// and monetary by segment: ShardSearches, NewRFMRanks), begun or
	// finished by job 2: the rounds left are passes over the shards (on
	// it), the first in the pass that sums the rows. nil: every round is a
	// pass here. Not read without RFM.
	RFMRanks *report.MedianRanks
	// Quality is the search for the quality figures, the customer map,
	// the clusters' sizes and the inertia (ShardSearches, ModelQuality of
	// the model and the run's seed), begun or finished by job 2: the
	// rounds left are passes over the shards (on it), each buyer labelled
	// again as read. nil: every round is a pass here.
	Quality *Quality
}

// FinishBeam writes into dir (the staging folder of a scale-out run,
// which already holds features/, model.json and assignments/) the outputs
// a local run writes besides them: assignments.parquet, .csv and .arrow,
// the campaign exports, the plots, report.md and report.html, rejects.csv
// and run.json (with "runner" set). They are rendered by the local run's
// own code from a Result rebuilt from the store-wide values, the fit, the
// model and job 2's shards: the labels are the nearest of the model's
// centroids (as job 2 assigns them), the RFM scores use the model's cut
// points and the seed groups the store-wide cuts, the clusters keep the
// model's keys and names, and the elbow sweep is the fit's. With a
// previous run (the fit's Previous), the clusters keep the fit's match
// (new ones marked), the keys are compared with the previous run's on
// every customer (the stability section, run.json's stability), and the
// history columns and the exports of removed tags are the local run's.
// With f.CLV, the lifetime-value groups, columns and report section are
// the local run's. With every buyer in the fit's sample, each output
// equals a local run's on the same store but run.json's runner and
// timings and the report's runner line (and, without f.Inputs, the inputs
// of run.json and of the report's appendix).
//
// Every customer's figures are read from f.Assignments in passes
// (shard_passes.go, report_customers.go): the assignments files and the
// exports are written from them; the cluster profiles' sums and shares
// and the RFM and group rows' sums are job 2's (f.Tally's report sums,
// reportSums), counted from them only without those, and the scores
// given to nobody likewise (f.Tally's scores); the clusters' sizes, the
// inertia, the quality figures, the customer map and the revenue
// concentration are job 2's searches' (continued here if unfinished, the
// buyers labelled again as read); the counts by RFM segment, group,
// reason not clustered and RFM score, the common values, the comparison
// with the previous run and the lifetime-value sums are job 2's
// (f.Tally), counted from them only without it; the previous run's tags
// (for the exports' removed tags) are read from its assignments.parquet
// as the contacts are written, and of the previous run only its model and
// segment counts are held. No customer's features, labels, scores or
// groups are held, nor any row of the customers or events tables.
// model.json is left as it is.
// It returns run.json as written.
func FinishBeam(ctx context.Context, dir string, o *Options, f BeamFinish) (*Manifest, error) {
	r, err := beamResult(ctx, o, f)
	if err != nil {
		return nil, err
	}
	times := timer{times: slices.Clone(f.Timings)}
	if r.Tables.Stats.RevenueExcluded, r.Tables.Stats.PurchasesExcluded, err = writeBeamRejects(ctx, dir, o, f.Rejects); err != nil {
		return nil, err
	}
	var w *Written
	if err := times.stage("outputs", func() (err error) { w, err = WriteOutputs(ctx, dir, r); return err }); err != nil {
		return nil, err
	}
	m := r.Manifest(w, times.times)
	m.Runner = f.Runner
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	return m, nil
}

// writeBeamRejects writes rejects into dir/rejects.csv and returns the
// revenue they exclude and its purchases (ReadStats.RevenueExcluded and
// PurchasesExcluded), summed in their order as the local reader sums them.
func writeBeamRejects(ctx context.Context, dir string, o *Options, rejects iter.Seq2[data.Reject, error]) (excluded, purchases float64, err error) {
	w, err := newRejectWriter(filepath.Join(dir, "rejects.csv"), o.Excel)
	if err != nil {
		return 0, 0, err
	}
	defer w.close()
	if rejects != nil {
		n := 0
		for r, err := range rejects {
			if err != nil {
				return 0, 0, err
			}
			if n++; n%4096 == 0 && ctx.Err() != nil {
				return 0, 0, ctx.Err()
			}
			w.add(r)
			if r.Excluded != 0 {
				excluded += r.Excluded
			}
			if r.Excluded > 0 {
				purchases += r.Excluded
			}
		}
	}
	return excluded, purchases, w.close()
}

// beamResult rebuilds a run's Result over every customer from a
// scale-out run's store-wide values, fit, model and assignment shards.
func beamResult(ctx context.Context, o *Options, f BeamFinish) (*Result, error) {
	if f.Table == nil || f.Fit == nil || f.Model == nil || f.Model.Transform == nil || len(f.Model.Transform.Columns) == 0 {
		return nil, fmt.Errorf("pipeline: finish: no table, fit or model")
	}
	if len(f.Assignments) == 0 {
		return nil, fmt.Errorf("pipeline: finish: no assignment shards")
	}
	// The feature table's columns and store-wide values, not its rows:
	// every customer's figures are read from the shards.
	in := &Tables{Table: f.Table.Rows([]int{}), Stats: f.Stats, Inputs: f.Inputs, UnmatchedProducts: f.UnmatchedProducts,
		Customers: f.Customers, Events: f.Events,
		CustomersMismatch: f.CustomersMismatch, EventsMismatch: f.EventsMismatch}
	in.counted.prospects, in.counted.customersRejected = f.Prospects, f.CustomersRejected
	shards := newShardPasses(ctx, f.Assignments)
	shards.ranks, shards.revenueRanks, shards.rfmRanks = f.ProfileRanks, f.RevenueRanks, f.RFMRanks
	if f.RFMRanks != nil {
		if err := checkRFMRanks(f.RFMRanks); err != nil {
			return nil, err
		}
	}
	fm := f.Fit.Matrix
	mx := &Matrix{Transform: f.Model.Transform, D: len(f.Model.Transform.Columns), Excluded: fm.Excluded, Clipped: fm.Clipped}
	// The clustering of the buyers in the shards by the model's centroids:
	// the clusters' sizes, the inertia, the quality figures and the
	// customer map, from job 2's quality search continued, or two passes
	// over the shards (each customer labelled again as read), made with
	// the other figures' below. Neither the buyers' table nor the matrix
	// is held, nor their labels; the customers not clustered are counted
	// by reason in job 2's tally (or as the outputs are written,
	// tallyCustomers).
	k, flat := len(f.Model.Centroids), f.Model.flatCentroids()
	if f.Quality != nil && (f.Quality.fork || !f.Quality.Of(mx.D, k, o.Seed, flat)) {
		return nil, fmt.Errorf("pipeline: finish: job 2's quality figures are not those of this model (%d columns, k = %d) and seed (%d)", mx.D, k, o.Seed)
	}
	// The sizes, the inertia and the quality figures are set once the
	// quality search is done; the profiles count the sizes of their own.
	fit := &cluster.Result{K: k, D: mx.D, Centroids: flat,
		Iterations: f.Fit.Clustering.Fit.Iterations, Converged: f.Fit.Clustering.Fit.Converged, Restart: f.Fit.Clustering.Fit.Restart}
	buyers := &Buyers{}
	c := &Clustering{Fit: fit, Sweep: f.Fit.Clustering.Sweep, KNote: f.Fit.Clustering.KNote}
	so := *o
	// The model's cut points (frozen from o.RFMFreezeFrom when set).
	so.Model, so.ModelPath, so.RFMFreezeFrom = &Model{RFMCuts: f.Model.RFMCuts}, o.RFMFreezeFrom, ""
	cuts := f.GroupCuts
	var tally *customerTally
	if f.Tally != nil {
		if tally = f.Tally.t; tally == nil {
			return nil, fmt.Errorf("pipeline: finish: job 2's customers' tally is empty")
		}
		if tally.sums != nil {
			if tally.mixed {
				return nil, fmt.Errorf("pipeline: finish: job 2's tallies are of different shapes, or some without the report's sums")
			}
			shards.sums = tally.sums.clone() // the report's sums: no pass for them
		}
	}
	// Which columns, groups and scores there are, not anyone's: those are
	// read from the shards.
	seg, err := segmentHeader(ctx, in, &so, &cuts)
	if err != nil {
		return nil, err
	}
	seg, lv := seg.withCLV(f.CLV, o)
	r := &Result{Options: o, Tables: in, Segments: seg, Buyers: buyers, Matrix: mx, Clustering: c, CLV: lv,
		runner: cmp.Or(f.Runner, "beam"), shards: shards, shardTally: tally}
	// The figures read from the shards, found together: the passes each
	// makes at the same time are one read (shardPasses.together). The
	// revenue concentration and the RFM and group rows are kept for the
	// outputs (Result.revenue, segmentFigures).
	var q *Quality
	var collapsed []features.Collapse
	var prof *Profiles
	err = shards.together(
		func() (err error) { q, err = shards.quality(f.Model, o.Seed, f.Quality); return err },
		func() (err error) {
			if seg.RFM != nil {
				collapsed, err = shards.collapsed(tally.scoresUsed()) // the scores received: job 2's, or a pass
			}
			return err
		},
		func() (err error) { prof, err = profile(ctx, buyers, mx, c, seg, o, shards); return err },
		func() error { _, err := r.revenue(); return err },
		func() error { _, err := r.segmentFigures(); return err },
	)
	if err != nil {
		return nil, err
	}
	if seg.RFM != nil {
		seg.RFM.Collapsed = collapsed
	}
	fit.Sizes, fit.Inertia = q.Sizes(), q.Inertia()
	buyers.n = int(q.Customers())
	mx.N = buyers.n
	m := q.Metrics()
	c.Silhouette, c.CalinskiHarabasz, c.DaviesBouldin = m.Silhouette, m.CalinskiHarabasz, m.DaviesBouldin
	r.customers = q.customerMap()
	for i, ci := range prof.Clusters {
		if ci.Size != fit.Sizes[i] {
			return nil, fmt.Errorf("pipeline: finish: the quality figures count %d customers in cluster %d, the profiles %d: job 2's quality search did not count the assignment shards' customers", fit.Sizes[i], i, ci.Size)
		}
	}
	if tally != nil && !slices.EqualFunc(tally.crosstab, prof.RFMCounts, slices.Equal) {
		return nil, fmt.Errorf("pipeline: finish: job 2's customers by cluster and RFM segment are not those of the shards")
	}
	named := *prof
	named.Clusters = slices.Clone(prof.Clusters)
	if len(named.Clusters) != len(f.Model.Clusters) {
		return nil, fmt.Errorf("pipeline: finish: %d clusters profiled, the model has %d", len(named.Clusters), len(f.Model.Clusters))
	}
	for i, mc := range f.Model.Clusters { // the fit's keys and names, as job 2 labels the customers
		named.Clusters[i].Key, named.Clusters[i].Name = mc.Key, mc.Name
		if fs := f.Fit.Stability; fs != nil { // matched with the previous run's clusters, or new
			fc := f.Fit.Profiles.Clusters[i]
			named.Clusters[i].New, named.Clusters[i].FreshName = fc.New, fc.FreshName
			if pc := fs.PrevOf[i]; pc >= 0 { // the previous action, while these customers' traits call for it
				keepAction(&named.Clusters[i], fs.Prev.Model.Clusters[pc])
			}
		}
	}
	// Of the previous run, its model and counts; its customers' tags are
	// read from its folder as the exports are written.
	prev := f.Fit.Previous.summary()
	var st *Stability
	if fs := f.Fit.Stability; fs != nil {
		// The fit's match; the keys are compared on every customer in job
		// 2's tally (or as the outputs are written, tallyCustomers).
		st = &Stability{Prev: fs.Prev.summary(), PrevOf: fs.PrevOf, Dist2: fs.Dist2, MaxDist2: fs.MaxDist2, Vanished: fs.Vanished}
	}
	r.Profiles, r.Previous, r.Stability = &named, prev, st
	return r, nil
}
