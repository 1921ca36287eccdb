package featurejob

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// The finishing step runs on the submitting machine after job 2: the
// outputs of a local run that the jobs do not write (the single
// assignments files, run.json, the report, plots, exports, rejects.csv
// from job 1's files of rejected lines), rendered by the local run's own
// code (pipeline.FinishBeam).

// Finish writes into out, which holds job 1's features/, model.json (with
// job 2's cluster sizes) and job 2's assignments/, the rest of a local
// run's outputs (pipeline.FinishBeam), with fit the fit's result (FitResult), o
// the options the jobs ran with, runner the Beam runner for run.json and
// the report, and the jobs' timings. It reads job 1's feature table
// header only (featureHeader): every customer's figures come from job 2's
// shards and its summary (assign.json: the counts by RFM segment, group
// and reason, the crosstab, the common values, the comparison with the
// previous run and the lifetime-value sums, AssignSummary.Tally; the
// searches for the profiles' medians and quantile positions, the revenue
// concentration and the RFM rows' medians, AssignSummary.ProfileRanks,
// RevenueRanks and RFMRanks), and
// memory does not grow with the customers (a previous run's
// tags are read from its folder as the exports are written). Of a
// customers or an events table it has job 1's counts, the table's columns
// and the files of their rejected rows, and reads no row
// (finish_tables.go); only when none of a table's ids is a buyer's does it
// read the shards' ids, a shard at a time, for the report's examples.
// With a clv section (o.CLV) it reads the lifetime-value
// models the fit step saved (FitCLV). It checks that the customers it
// labels by cluster are those job 2 counted, and returns run.json as
// written.
func Finish(ctx context.Context, out string, o *pipeline.Options, fit *pipeline.Result, runner string, timings []pipeline.Timing) (*pipeline.Manifest, error) {
	sum, err := ReadSummary(out)
	if err != nil {
		return nil, err
	}
	if sum.Fit == nil {
		return nil, fmt.Errorf("featurejob: %s has no fit (written by an older segment-beam?)", SummaryFile)
	}
	as, err := ReadAssignSummary(out)
	if err != nil {
		return nil, err
	}
	j, err := as.searches() // job 2's searches, nil for none
	if err != nil {
		return nil, err
	}
	model, err := pipeline.LoadModel(filepath.Join(out, ModelFile))
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	// The feature table's header: every customer's figures are read from
	// job 2's shards.
	table := featureHeader(sum)
	b, err := readCLVFile(out, o.CLV != nil)
	if err != nil {
		return nil, err
	}
	lv, err := decodeCLV(b)
	if err != nil {
		return nil, err
	}
	stats := data.ReadStats{RowsRead: sum.RowsRead, RowsUsed: sum.RowsUsed, RowsRejected: sum.RowsRejected, RejectsByReason: sum.RejectsByReason,
		NegativeDiscounts: sum.NegativeDiscounts, Currency: sum.Currency, PartlyAbsent: sum.PartlyAbsent,
		Repeated: sum.Repeated, RepeatedEstimated: sum.RepeatedEstimated}
	for _, f := range sum.Files {
		stats.Files = append(stats.Files, data.FileStat{Path: f.Path, SHA256: f.SHA256, Rows: f.Rows})
	}
	inputs := stats.Files
	if p := o.Products; p != nil { // listed after the order files, as a local run lists it
		err := withLocal(ctx, p.Path, func(local, sha string) error {
			times, err := p.Times()
			if err != nil {
				return err
			}
			prod, err := features.ReadProductTable(ctx, local, p.Columns, times)
			if err != nil {
				return err
			}
			if sha == "" { // a local file's
				if sha, err = data.FileSHA256(local); err != nil {
					return err
				}
			}
			inputs = append(slices.Clip(inputs), data.FileStat{Path: p.Path, SHA256: sha, Rows: int64(prod.Rows)})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("featurejob: %w", err)
		}
	}
	in := &pipeline.Tables{Table: table, Inputs: inputs}
	var customers CustomersFit
	if path := o.CustomersPath; path != "" { // listed after the products table, as a local run lists it
		var cf *CustomersFit
		if in, cf, err = finishCustomers(ctx, out, path, sum, o, in, &stats); err != nil {
			return nil, err
		}
		customers = *cf
	}
	if o.Events != nil { // listed after the customers table
		if in, err = finishEvents(ctx, out, o.Events.Path, sum, o, in, &stats); err != nil {
			return nil, err
		}
	}
	m, err := pipeline.FinishBeam(ctx, out, o, pipeline.BeamFinish{Runner: runner, Table: table, Stats: stats, Inputs: in.Inputs,
		UnmatchedProducts: sum.UnmatchedProducts, Customers: in.Customers, Prospects: int(customers.Prospects), CustomersRejected: int(customers.Rejected),
		Events: in.Events, CustomersMismatch: in.CustomersMismatch, EventsMismatch: in.EventsMismatch, Rejects: ReadRejects(out, sum),
		Fit: fit, CLV: lv, GroupCuts: sum.Fit.GroupCuts.Cuts(), Model: model, Timings: timings, Assignments: assignShards(out, as),
		Tally: as.Tally, ProfileRanks: j.profile, RevenueRanks: j.revenue, RFMRanks: j.rfm, Quality: j.quality})
	if err != nil {
		return nil, err
	}
	if err := checkAssignSummary(m, as); err != nil {
		return nil, err
	}
	return m, nil
}

// checkAssignSummary returns an error unless the figures the finish
// counted over job 2's shards (run.json, m) are those job 2 summed as it
// wrote them (as): the customers (with orders, or prospects of the
// customers or events table), the clusters' sizes, the RFM segments'
// customers, the customers not clustered by reason and each computed
// group's members.
func checkAssignSummary(m *pipeline.Manifest, as *AssignSummary) error {
	if n := int64(m.Customers + m.Clustering.NotClustered[features.NotClusteredProspect]); n != as.Customers {
		return fmt.Errorf("featurejob: finish: %d customers, job 2 assigned %d", n, as.Customers)
	}
	for _, c := range m.Clusters {
		if int64(c.Size) != as.Clusters[c.Key] {
			return fmt.Errorf("featurejob: finish: cluster %s: %d customers, job 2 assigned %d", c.Key, c.Size, as.Clusters[c.Key])
		}
	}
	// Each side's keys, the other's count 0 where it has none.
	compare := func(what string, counted map[string]int, summed map[string]int64) error {
		for _, k := range slices.Sorted(maps.Keys(counted)) {
			if int64(counted[k]) != summed[k] {
				return fmt.Errorf("featurejob: finish: %s %s: %d customers, job 2 counted %d", what, k, counted[k], summed[k])
			}
		}
		for _, k := range slices.Sorted(maps.Keys(summed)) {
			if _, ok := counted[k]; !ok && summed[k] != 0 {
				return fmt.Errorf("featurejob: finish: %s %s: no customer, job 2 counted %d", what, k, summed[k])
			}
		}
		return nil
	}
	if err := compare("RFM segment", m.RFMSegments, as.RFMSegments); err != nil {
		return err
	}
	if err := compare("customers not clustered as", m.Clustering.NotClustered, as.NotClustered); err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(m.Groups)) {
		if n := m.Groups[id]; n != nil && int64(*n) != as.Groups[id] {
			return fmt.Errorf("featurejob: finish: group %s: %d members, job 2 counted %d", id, *n, as.Groups[id])
		}
	}
	return nil
}

// assignShards are the paths of job 2's assignment shards in out.
func assignShards(out string, as *AssignSummary) []string {
	paths := make([]string, len(as.Shards))
	for i, name := range as.Shards {
		paths[i] = filepath.Join(out, AssignDir, name)
	}
	return paths
}

// withEventsInput returns in with the events table (job 1's features of
// it) and its file among the inputs. The file's checksum is sha, the one
// job 1's worker computed while downloading a remote table, or else the
// file's (a remote one's: of a copy, downloaded for it).
func withEventsInput(ctx context.Context, in *pipeline.Tables, events *features.EventTable, sha string) (*pipeline.Tables, error) {
	if sha != "" {
		return pipeline.WithEventsSHA(in, events, sha), nil
	}
	in, err := joinInput(ctx, events.Path, func(local string) (*pipeline.Tables, error) {
		e := *events
		e.Path = local
		return pipeline.WithEvents(in, &e)
	})
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	in.Events = events
	return in, nil
}

// joinInput returns what join returns, called with a local path of the
// input file at path (a remote file's copy, from the copy cache), with the
// copy's path in the tables' inputs put back to path.
func joinInput(ctx context.Context, path string, join func(local string) (*pipeline.Tables, error)) (*pipeline.Tables, error) {
	var in *pipeline.Tables
	err := withLocal(ctx, path, func(local, _ string) (err error) {
		if in, err = join(local); err != nil || local == path {
			return err
		}
		in.Inputs = slices.Clone(in.Inputs)
		for i := range in.Inputs {
			if in.Inputs[i].Path == local {
				in.Inputs[i].Path = path
			}
		}
		return nil
	})
	return in, err
}
