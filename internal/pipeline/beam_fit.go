package pipeline

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
)

// SampleFit are the global values a scale-out run (the Beam runner,
// beam/featurejob) computed over every customer for the fit: the
// transform fitted on all buyers, with the features left out and the
// winsorised buyers, and the RFM cut points of all customers with a
// purchase.
type SampleFit struct {
	Transform *features.Transform
	Excluded  []features.Excluded
	Clipped   int
	RFMCuts   features.RFMCuts
	// GroupCuts are the seed groups' store-wide cuts; nil: the sample's.
	GroupCuts *features.GroupCuts
	// Previous is the previous run whose cluster keys to keep (a local
	// run's -previous, LoadPrevious), or nil.
	Previous *Previous
	// Customers are the customers table's rows of the sample's customers
	// (features.NewCustomerTable), or nil without a customers table: the
	// seed and custom groups that profile the clusters read them.
	Customers *features.CustomerTable
	// Events is the events table folded for the sample's customers
	// (features.NewEventTable), or nil without one: the groups on the
	// events columns (cart_abandoner…) profile the clusters too.
	Events *features.EventTable
	// CLV is the lifetime-value models fitted on every customer (FitCLV),
	// or nil without a clv section: the lifetime-value groups profile the
	// clusters too.
	CLV *CLVFit
	// Currency is the currency the order amounts were read in
	// (data.ReadStats.Currency), or "".
	Currency string
}

// FitSample runs the stages of a local run from the matrix to the named
// clusters on a sample of the buyers (a feature table whose rows are all
// buyers, with AsOf and Categories set), with the transform and RFM cut
// points fitted on every customer (fit; the cut points of
// o.RFMFreezeFrom instead when set): the matrix is the sample's rows
// transformed by fit.Transform, clustered as Cluster does (the elbow sweep
// or o.K), profiled and named as Profile and ApplyNames do, on the sample.
// The seed groups that profile the clusters (their shares name them) use
// fit.GroupCuts, the store's cuts, when given. With every buyer
// in the sample, the clusters, their names and sizes are those of a
// local run on the same store.
//
// With fit.Previous, the clusters are matched with the previous run's
// (MatchPrevious, on the sample's matrix and clustering) before they are
// named, as a local run matches them: matched clusters keep their keys,
// the others are new (Result.Stability; its keys are compared with the
// previous run's on every customer when the outputs are written).
//
// It returns the result (Tables.Table the sample, Buyers all of it) whose
// model (Result.Model) is model.json. A run whose buyers are too alike
// to cluster (Clustering.Skipped) is an error: the scale-out runner does
// not support it yet. o.Model (segment assign) is not supported either.
func FitSample(ctx context.Context, sample *features.Table, fit SampleFit, o *Options) (*Result, error) {
	if err := CheckPreviousDate(fit.Previous, sample.AsOf); err != nil {
		return nil, err
	}
	if o.Model != nil {
		return nil, fmt.Errorf("pipeline: a scale-out fit cannot score with a saved model")
	}
	if o.Location == nil {
		return nil, fmt.Errorf("pipeline: no time zone")
	}
	if err := checkCurrency(o, fit.Currency, fit.Previous); err != nil {
		return nil, err
	}
	buyers, err := SelectBuyers(sample, o.Log)
	if err != nil {
		return nil, err
	}
	if buyers.Table.N() != sample.N() {
		return nil, fmt.Errorf("pipeline: the sample holds %d customers who are not clustered", sample.N()-buyers.Table.N())
	}
	m := &Matrix{Transform: fit.Transform, N: sample.N(), D: len(fit.Transform.Columns), IDs: sample.IDs, Excluded: fit.Excluded, Clipped: fit.Clipped}
	if m.D > 0 {
		if m.X, err = fit.Transform.Apply(sample, nil); err != nil {
			return nil, fmt.Errorf("pipeline: the sample: %w", err)
		}
	}
	c, err := clusterLike(ctx, m, o, fit.Previous, sample.Categories)
	if err != nil {
		return nil, err
	}
	if c.Skipped != "" {
		return nil, fmt.Errorf("pipeline: clustering skipped (%s): not supported by the scale-out runner yet", c.Skipped)
	}
	// Segment with the given cut points, or rfm.freeze_from's: a model that
	// holds only them freezes them (rfm.recency_days applied first, as a
	// run applies it; the model's path is the one they are frozen from).
	cuts := fit.RFMCuts
	if path := o.RFMFreezeFrom; path != "" {
		if cuts, err = readRFMCuts(path); err != nil {
			return nil, err
		}
	}
	if days := o.RecencyDays; days != nil {
		cuts = cuts.WithRecencyDays(days)
	}
	so := *o
	so.Model, so.ModelPath, so.RFMFreezeFrom = &Model{RFMCuts: &cuts}, o.RFMFreezeFrom, ""
	seg, err := segment(ctx, &Tables{Table: sample, Customers: fit.Customers, Events: fit.Events}, &so, fit.GroupCuts)
	if err != nil {
		return nil, err
	}
	seg, _ = seg.withCLV(fit.CLV, o)
	prof, err := Profile(ctx, buyers, m, c, seg, o)
	if err != nil {
		return nil, err
	}
	in := &Tables{Table: sample, Stats: data.ReadStats{Currency: fit.Currency}}
	clusters := slices.Clone(prof.Clusters)
	var st *Stability
	if fit.Previous != nil {
		clusters, st = MatchPrevious(fit.Previous, in, buyers, m, c, clusters, prof.Population)
		warnFeaturesChanged(o.logger(), fit.Previous, m)
	}
	named := *prof
	named.Clusters = ApplyNames(clusters, o.Names)
	WarnUnusedNames(o.logger(), clusters, o.Names)
	return &Result{Options: o, Tables: in, Segments: seg, Buyers: buyers, Matrix: m, Clustering: c,
		Profiles: &named, Previous: fit.Previous, Stability: st}, nil
}

// Model returns the run's model.json.
func (r *Result) Model() *Model { return r.newModel() }

// WriteModelJSON writes m as model.json is written.
func WriteModelJSON(w io.Writer, m *Model) error { return writeJSON(w, m) }
