package featurejob

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// Job 2, assign: each feature shard job 1 wrote is labelled with the
// model (pipeline.AssignRows: nearest centroid, RFM scores, seed groups
// with the store-wide cuts of job 1; with a customers table, the shard's
// rows of it, CustomersName, its prospects among them; with an events
// table, the events features of the shard's customers, EventsName, those
// without orders among the prospects) into an
// assignments shard of the same number, with the rows and columns of a local run's
// assignments.parquet; the counts by cluster, RFM segment, reason for not
// being clustered and group, and each cluster's revenue, are combined into
// AssignSummaryFile. The shards are written under temporary names into a
// staging folder and swapped in for Out/AssignDir at the end, as job 1's.
//
//	feature shards ─Reshuffle→ AssignShard (model, cuts) → temporary shard + counts
//	─GroupByKey (one key)→ Commit ← counts ─Combine
//
// The model and job 1's summary travel inside the DoFns, as JSON (the
// lifetime-value models as CLVFile's bytes).

// AssignDir is the folder of Config.Out job 2 writes: the assignment
// shards and AssignSummaryFile.
const AssignDir = "assignments"

// assignRowGroupRows is the size of the assignment shards' row groups:
// the finishing step merges every shard at once, holding two row groups of
// each (data.OpenMerge), so that this, not the customers, bounds its
// memory.
const assignRowGroupRows = 1 << 14

// AssignSummaryFile is the name of job 2's summary in AssignDir.
const AssignSummaryFile = "assign.json"

// AssignConfig configures job 2.
type AssignConfig struct {
	Job     Config // job 1's configuration: Job.Out holds its features and model.json
	Model   string // model.json, as JSON
	Summary string // job 1's features.json, as JSON
	// CLV is the lifetime-value models (CLVFile as written), nil without
	// a clv section.
	CLV []byte
	// Staging names the staging folder (Out/.staging-assign-<Staging>);
	// empty means the time BuildAssign was called.
	Staging string
	// Previous says that the fit split a previous run's customers by shard
	// (PreviousName): the assignments' history columns are filled from them.
	Previous bool
	// PreviousSegCount counts the previous run's customers by RFM segment
	// (pipeline.Previous.SegCount; empty when it had none): each shard's
	// tally compares the customers' segments with the previous run's only
	// when it had some, as a run's does.
	PreviousSegCount map[string]int
	// PreviousModel is the previous run's model.json, as JSON ("" without
	// a previous run): each shard's tally scores the customers who
	// changed cluster with it, as a run's does (the moves the refit made).
	PreviousModel string
	// Files are, with a working location (Job.Work), the objects of job
	// 1's committed files and of the fit's previous-run shards, by name
	// (FetchFeatures' manifest, UploadFiles): the workers read them
	// there. Nil without a working location (they are in Job.Out).
	Files map[string]string
}

// NewAssignConfig reads job 1's summary, the model and, with a clv
// section, the lifetime-value models (CLVFile) in cfg.Out.
func NewAssignConfig(cfg Config) (AssignConfig, error) {
	sum, err := os.ReadFile(filepath.Join(cfg.Out, FeaturesDir, SummaryFile))
	if err != nil {
		return AssignConfig{}, fmt.Errorf("featurejob: %w", err)
	}
	model, err := os.ReadFile(filepath.Join(cfg.Out, ModelFile))
	if err != nil {
		return AssignConfig{}, fmt.Errorf("featurejob: %w", err)
	}
	lv, err := readCLVFile(cfg.Out, cfg.CLV != nil)
	if err != nil {
		return AssignConfig{}, err
	}
	return AssignConfig{Job: cfg, Model: string(model), Summary: string(sum), CLV: lv}, nil
}

// AssignSummary is job 2's summary: counts over every customer.
type AssignSummary struct {
	Customers    int64              `json:"customers"`
	Clusters     map[string]int64   `json:"clusters"` // customers by cluster_key (not_clustered included)
	Revenue      map[string]float64 `json:"revenue"`  // Σ monetary by cluster_key, exact
	RFMSegments  map[string]int64   `json:"rfm_segments"`
	NotClustered map[string]int64   `json:"not_clustered"` // by reason
	Groups       map[string]int64   `json:"groups"`        // members by group id
	Shards       []string           `json:"shards"`
	// Tally is what a run's report counts over every customer, the
	// shards' tallies merged (pipeline.AssignRows): the finish takes it
	// instead of a pass over the shards.
	Tally *pipeline.CustomerTally `json:"tally"`
	// ProfileRanks are the profiles' medians and quantile positions over
	// every clustered customer, RevenueRanks the revenue concentration of
	// every customer with orders (none without a monetary column) and
	// RFMRanks the RFM rows' medians (none without RFM), found in rounds over the shards (report.ProfileRanks,
	// RevenueRanks and MedianRanks, encoded, as the last round left them;
	// assign_ranks.go): the finish takes them instead of its own passes,
	// and runs the rounds left, if any.
	ProfileRanks []byte `json:"profile_ranks,omitempty"`
	RevenueRanks []byte `json:"revenue_ranks,omitempty"`
	RFMRanks     []byte `json:"rfm_ranks,omitempty"`
	// Quality is the quality figures and the customer map
	// (pipeline.Quality, encoded, as the last round left it).
	Quality []byte `json:"quality,omitempty"`
}

// ReadAssignSummary reads job 2's summary in dir/AssignDir.
func ReadAssignSummary(dir string) (*AssignSummary, error) {
	b, err := os.ReadFile(filepath.Join(dir, AssignDir, AssignSummaryFile))
	if err != nil {
		return nil, fmt.Errorf("featurejob: %w", err)
	}
	var s AssignSummary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", AssignSummaryFile, err)
	}
	return &s, nil
}

// BuildAssign adds job 2 to the pipeline of scope s.
func BuildAssign(s beam.Scope, ac AssignConfig) error {
	if err := ac.Job.Check(); err != nil {
		return err
	}
	var sum Summary
	if err := json.Unmarshal([]byte(ac.Summary), &sum); err != nil {
		return fmt.Errorf("featurejob: %s: %w", SummaryFile, err)
	}
	model, err := pipeline.ParseModel([]byte(ac.Model))
	if err != nil {
		return err
	}
	if model.Transform == nil {
		return fmt.Errorf("featurejob: %s has no transform", ModelFile)
	}
	if ac.Staging == "" {
		ac.Staging = time.Now().UTC().Format("20060102T150405.000000000")
	}
	s = s.Scope("assign")
	if ac.Job.Work != "" && ac.Files == nil {
		return fmt.Errorf("featurejob: job 2 with a working location needs job 1's committed files")
	}
	var shards []shardFile
	for k, name := range sum.Shards {
		path, err := ac.jobFiles().path(name)
		if err != nil {
			return err
		}
		shards = append(shards, shardFile{Shard: k, Path: path})
	}
	files := beam.Reshuffle(s, beam.CreateList(s, shards))
	written, counts, tallies := beam.ParDo3(s, &assignShardFn{Cfg: ac}, files)
	counts = beam.Combine(s, countsFn{}, beam.Flatten(s, counts, beam.Create(s, catTotals{})))
	tally := beam.Combine(s, tallyFn{}, beam.Flatten(s, tallies, beam.Create(s, "")))
	ranks, err := profileRanks(s, ac, model, slices.Contains(sum.Columns, features.Monetary), model.RFMCuts != nil, written) // assign_ranks.go
	if err != nil {
		return err
	}
	written = beam.Flatten(s, written, beam.Create(s, shardFile{Shard: -1}))
	beam.ParDo0(s, &assignCommitFn{Cfg: ac}, beam.GroupByKey(s, beam.AddFixedKey(s, written)), beam.SideInput{Input: counts},
		beam.SideInput{Input: tally}, beam.SideInput{Input: ranks})
	return nil
}

// StagingDir is the folder job 2 writes its shards into before its commit
// (Out/.staging-assign-<Staging>); a driver removes it after a failed job.
func (ac *AssignConfig) StagingDir() string { return assignStaging(ac) }

// assignStaging is where job 2's shards are written before the commit:
// Out/.staging-assign-<Staging>, or WorkDir/assignments with a working
// location.
func assignStaging(ac *AssignConfig) string {
	if ac.Job.Work != "" {
		return joinPath(ac.Job.WorkDir(), AssignDir)
	}
	return filepath.Join(ac.Job.Out, ".staging-assign-"+ac.Staging)
}

// jobFiles locates job 1's files for job 2's workers.
func (ac *AssignConfig) jobFiles() jobFiles {
	return jobFiles{dir: ac.Job.Out, urls: ac.Files}
}

// assignShardFn labels one feature shard.
type assignShardFn struct {
	Cfg       AssignConfig
	sum       Summary
	model     *pipeline.Model
	prevModel *pipeline.Model // AssignConfig.PreviousModel, decoded; nil without one
	clv       *pipeline.CLVFit
	opts      pipeline.Options
}

// Setup decodes the model, the lifetime-value models and the summary.
func (f *assignShardFn) Setup() error {
	copies.setLimit(f.Cfg.Job.CacheBytes)
	if err := json.Unmarshal([]byte(f.Cfg.Summary), &f.sum); err != nil {
		return fmt.Errorf("featurejob: %s: %w", SummaryFile, err)
	}
	if f.sum.Fit == nil {
		return fmt.Errorf("featurejob: %s has no fit", SummaryFile)
	}
	var err error
	if f.model, err = pipeline.ParseModel([]byte(f.Cfg.Model)); err != nil {
		return err
	}
	if f.Cfg.PreviousModel != "" {
		if f.prevModel, err = pipeline.ParseModel([]byte(f.Cfg.PreviousModel)); err != nil {
			return fmt.Errorf("featurejob: the previous run's model: %w", err)
		}
	}
	if f.clv, err = decodeCLV(f.Cfg.CLV); err != nil {
		return err
	}
	f.opts, err = f.Cfg.Job.Options()
	return err
}

// ProcessElement writes the assignments of one shard's customers under a
// temporary name and counts them.
func (f *assignShardFn) ProcessElement(ctx context.Context, in shardFile, emit func(shardFile), counts func(catTotals), tally func(string)) error {
	var t *features.Table
	err := withLocal(ctx, in.Path, func(local, _ string) (err error) {
		t, err = ReadShard(ctx, local, &f.sum)
		return err
	})
	if err != nil {
		return err
	}
	files := f.Cfg.jobFiles()
	cust, err := readCustomerShard(ctx, &f.Cfg.Job, files, &f.sum, in.Shard)
	if err != nil {
		return err
	}
	events, err := readEventShard(ctx, &f.Cfg.Job, files, &f.sum, in.Shard)
	if err != nil {
		return err
	}
	if t.N() == 0 && (cust == nil || len(cust.IDs) == 0) && (events == nil || len(events.Agg.IDs()) == 0) {
		return nil // a shard without customers has no assignments shard
	}
	var prev *pipeline.Previous
	if f.Cfg.Previous {
		if prev, err = readPreviousShard(ctx, files, in.Shard, len(f.sum.Shards)); err != nil {
			return err
		}
		prev.SegCount = f.Cfg.PreviousSegCount
		if f.prevModel != nil {
			m := *f.prevModel
			m.AsOf = prev.Model.AsOf
			prev.Model = &m
		}
	}
	prospects := f.sum.Fit.Customers != nil && f.sum.Fit.Customers.Prospects > 0 || f.sum.Fit.Events != nil && f.sum.Fit.Events.NoOrders > 0
	assigned, err := pipeline.AssignRows(ctx, t, cust, events, prospects, f.model, f.sum.Fit.GroupCuts.Cuts(), prev, f.clv, &f.opts)
	if err != nil {
		return fmt.Errorf("featurejob: %s: %w", in.Path, err)
	}
	tab := assigned.Rows
	dir := assignStaging(&f.Cfg)
	if err := makeDir(dir); err != nil {
		return err
	}
	path := joinPath(dir, tempName(shardName(in.Shard, len(f.sum.Shards))))
	var buf bytes.Buffer
	if err := data.WriteParquetRowGroups(&buf, tab, assignRowGroupRows); err != nil {
		return fmt.Errorf("featurejob: %s: %w", path, err)
	}
	if err := writeFile(ctx, path, buf.Bytes()); err != nil {
		return err
	}
	tb, err := json.Marshal(assigned.Tally)
	if err != nil {
		return fmt.Errorf("featurejob: %s: %w", path, err)
	}
	emit(shardFile{Shard: in.Shard, Path: path})
	counts(countAssignments(tab))
	tally(string(tb))
	return nil
}

// countAssignments counts an assignments table's customers by cluster
// key ("cluster:"), RFM segment ("segment:"), reason for not being
// clustered ("reason:") and group ("group:", the boolean columns), and
// sums monetary by cluster key ("revenue:", in millionths: monetary is a
// fixed-point sum, so this is exact).
func countAssignments(tab *data.Table) catTotals {
	c := map[string]int64{"customers": int64(len(tab.Column("customer_id").Strings))}
	keys := tab.Column("cluster_key").Strings
	for _, k := range keys {
		c["cluster:"+k]++
	}
	if col := tab.Column("rfm_segment"); col != nil {
		for _, s := range col.Strings {
			c["segment:"+s]++
		}
	}
	if col := tab.Column("not_clustered"); col != nil {
		for i, s := range col.Strings {
			if col.Nulls == nil || !col.Nulls[i] {
				c["reason:"+s]++
			}
		}
	}
	for _, col := range tab.Columns {
		if col.Kind == data.KindBool {
			for _, b := range col.Bools {
				if b {
					c["group:"+col.Name]++
				}
			}
		}
	}
	if mon := tab.Column("monetary"); mon != nil {
		for i, v := range mon.Floats {
			if mon.Nulls == nil || !mon.Nulls[i] {
				c["revenue:"+keys[i]] += int64(math.Round(v * 1e6))
			}
		}
	}
	var t catTotals
	for _, name := range sortedKeys(c) {
		t.Names, t.Gross = append(t.Names, name), append(t.Gross, c[name])
	}
	return t
}

// assignSummary turns the combined counts into the summary.
func assignSummary(t catTotals) AssignSummary {
	s := AssignSummary{Clusters: map[string]int64{}, Revenue: map[string]float64{}, RFMSegments: map[string]int64{},
		NotClustered: map[string]int64{}, Groups: map[string]int64{}}
	for i, name := range t.Names {
		v := t.Gross[i]
		prefix, key, _ := strings.Cut(name, ":")
		switch prefix {
		case "customers":
			s.Customers = v
		case "cluster":
			s.Clusters[key] = v
		case "revenue":
			s.Revenue[key] = float64(v) / 1e6
		case "segment":
			s.RFMSegments[key] = v
		case "reason":
			s.NotClustered[key] = v
		case "group":
			s.Groups[key] = v
		}
	}
	return s
}

// tallyFn is the CombineFn of job 2's customers' tallies: each shard's
// pipeline.CustomerTally as JSON, "" for none. The merge is exact, so the
// result does not depend on the order Beam merges them in. Each merge
// decodes both sides and encodes the result: the combine's work grows
// with the shards times the tally's size (its cities, countries and
// channels by cluster), not with the customers.
type tallyFn struct{}

// MergeAccumulators merges two tallies.
func (tallyFn) MergeAccumulators(a, b string) (string, error) {
	switch {
	case a == "":
		return b, nil
	case b == "":
		return a, nil
	}
	var ta, tb pipeline.CustomerTally
	if err := json.Unmarshal([]byte(a), &ta); err != nil {
		return "", fmt.Errorf("featurejob: a shard's tally: %w", err)
	}
	if err := json.Unmarshal([]byte(b), &tb); err != nil {
		return "", fmt.Errorf("featurejob: a shard's tally: %w", err)
	}
	ta.Merge(&tb)
	out, err := json.Marshal(ta)
	return string(out), err
}
