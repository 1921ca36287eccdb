package featurejob

import (
	"context"
	"reflect"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/segment-tool/segment/data"
)

// Build adds job 1 to the pipeline of scope s: it reads cfg.Orders (or
// the feature table cfg.Features: buildTable) and, when the pipeline
// runs, writes cfg.Out/features (see Config.Out), or with cfg.Work its
// files and manifest in cfg.WorkDir()/features, for FetchFeatures to
// download into cfg.Out/features (manifest.go). An empty cfg.Staging is
// set to the current time, so that runs into one output folder do not
// share a staging folder.
func Build(s beam.Scope, cfg Config) error {
	if err := cfg.Check(); err != nil {
		return err
	}
	if cfg.Staging == "" {
		cfg.Staging = time.Now().UTC().Format("20060102T150405.000000000")
	}
	if cfg.Features != "" {
		buildTable(s.Scope("feature_table"), cfg) // table_job.go
		return nil
	}
	s = s.Scope("features")
	parts := beam.ParDo(s, listParts, beam.Create(s, cfg.Orders))
	parts = beam.Reshuffle(s, parts) // spread the row groups over the workers
	var lines, stats, rejects beam.PCollection
	if cfg.Duplicates == data.DropDuplicates {
		lines, stats, rejects = dedupParts(s, cfg, parts) // dups.go
	} else {
		lines, stats, rejects = beam.ParDo3(s, &readPartFn{Cfg: cfg}, parts)
	}
	store := beam.Combine(s, mergeStats{}, stats)
	asOf := beam.ParDo(s, &asOfFn{Cfg: cfg}, store)
	// The lines' blocks by line shard (orders.go).
	shards := beam.GroupByKey(s, lines)

	var mix beam.PCollection
	if cfg.Categories != nil {
		mix = beam.Create(s, fixedMix(cfg))
	} else {
		gross := beam.ParDo(s, &catGrossFn{Cfg: cfg}, shards, beam.SideInput{Input: asOf})
		// The seed makes the combine see an element when no line has a
		// category: the mix is then empty.
		gross = beam.Flatten(s, gross, beam.Create(s, catTotals{}))
		mix = beam.Combine(s, topCategoriesFn{Top: cfg.TopCategories}, gross)
	}

	rows, rstats, nets := beam.ParDo3(s, &rowsFn{Cfg: cfg}, shards, beam.SideInput{Input: asOf}, beam.SideInput{Input: mix})
	rstats = beam.Flatten(s, rstats, beam.Create(s, rowStats{}))
	table := beam.Combine(s, mergeRowStats{}, rstats)
	med := medianOrder(s, nets)
	// By city ("city:"), and the customers and events tables' counts
	// ("customers:", "events:").
	var cities beam.PCollection
	files := beam.ParDo(s, &writeShardFn{Cfg: cfg}, beam.GroupByKey(s, rows), beam.SideInput{Input: mix})
	if cfg.Customers != "" {
		var customerFiles beam.PCollection
		customerFiles, cities = joinCustomers(s, cfg, rows, table) // customers.go
		files = beam.Flatten(s, files, customerFiles)
	} else {
		cities = beam.ParDo(s, cityOf, rows)
	}
	if cfg.Events != "" {
		eventFiles, eventCounts := joinEvents(s, cfg, rows, asOf) // events.go
		files, cities = beam.Flatten(s, files, eventFiles), beam.Flatten(s, cities, eventCounts)
	}
	fit, sample := fitValues(s, cfg, rows, mix, store, cities)
	commit(s, cfg, beam.Flatten(s, files, rejects), jobValues{mix: mix, asOf: asOf, store: store, table: table, med: med, fit: fit, sample: sample})
	return nil
}

// jobValues are the singletons job 1's commit writes into the summary:
// the mix categories (mixCats), as_of (int64), the store's and the rows'
// counts (partStats, rowStats), the median order (float64), the fit's
// values (Fit as JSON) and the sample (sampleRows).
type jobValues struct{ mix, asOf, store, table, med, fit, sample beam.PCollection }

// commit adds job 1's commit (commitFn) of files, the files written.
func commit(s beam.Scope, cfg Config, files beam.PCollection, v jobValues) {
	files = beam.Flatten(s, files, beam.Create(s, shardFile{Shard: -1}))
	beam.ParDo0(s, &commitFn{Cfg: cfg}, beam.GroupByKey(s, beam.AddFixedKey(s, files)),
		beam.SideInput{Input: v.mix}, beam.SideInput{Input: v.asOf}, beam.SideInput{Input: v.store}, beam.SideInput{Input: v.table},
		beam.SideInput{Input: v.med}, beam.SideInput{Input: v.fit}, beam.SideInput{Input: v.sample})
}

// medianOrder adds the two passes of the store's median order (see
// medianShift) over the purchase nets and returns it as a singleton.
func medianOrder(s beam.Scope, nets beam.PCollection) beam.PCollection {
	s = s.Scope("median_order")
	// The seeds make each combine see an element when there is no purchase.
	coarse := beam.Combine(s, mergeHist{}, beam.Flatten(s, beam.ParDo(s, bucketHist, nets), beam.Create(s, histogram{})))
	target := beam.ParDo(s, selectMedian, coarse)
	exact := beam.ParDo(s, exactHist, nets, beam.SideInput{Input: target})
	exact = beam.Combine(s, mergeHist{}, beam.Flatten(s, exact, beam.Create(s, histogram{})))
	return beam.ParDo(s, medianOf, exact, beam.SideInput{Input: target})
}

func init() {
	for _, t := range []any{orderPart{}, data.OrderPart{}, partStats{}, catTotals{}, mixCats{}, featureRow{}, rowStats{}, shardFile{},
		netList{}, histogram{}, medianTarget{}, statPoint{}, statHist{}, statTargets{}, orderStats{}, sumInput{}, sumOut{},
		sampleItem{}, sampleRows{}, customerRow{}, eventDays{}, eventRow{}} {
		beam.RegisterType(reflect.TypeOf(t))
	}
	register.Function3x1(listParts)
	register.Emitter1[orderPart]()
	register.DoFn5x1[context.Context, orderPart, func(int, lineBlock), func(partStats), func(shardFile), error](&readPartFn{})
	register.DoFn3x1[context.Context, orderPart, func(uint64, int), error](&partHashesFn{})
	register.Emitter2[uint64, int]()
	register.Iter1[int]()
	register.Function3x0(laterCopies)
	register.Emitter2[int, uint64]()
	register.Function1x2(partBySeq)
	register.Iter1[orderPart]()
	register.Iter1[uint64]()
	register.DoFn7x1[context.Context, int, func(*orderPart) bool, func(*uint64) bool, func(int, lineBlock), func(partStats), func(shardFile), error](&readDedupFn{})
	register.Emitter1[partStats]()
	register.Combiner1[partStats](&mergeStats{})
	register.DoFn1x2[partStats, int64, error](&asOfFn{})
	beam.RegisterCoder(reflect.TypeOf(lineBlock{}), encodeBlock, decodeBlock)
	register.Emitter2[int, lineBlock]()
	register.Iter1[lineBlock]()
	register.DoFn4x1[int, func(*lineBlock) bool, int64, func(catTotals), error](&catGrossFn{})
	register.Emitter1[catTotals]()
	register.Combiner2[catTotals, mixCats](&topCategoriesFn{})
	register.DoFn7x1[int, func(*lineBlock) bool, int64, mixCats, func(int, featureRow), func(rowStats), func(netList), error](&rowsFn{})
	register.Emitter2[int, featureRow]()
	register.Emitter1[rowStats]()
	register.Combiner1[rowStats](&mergeRowStats{})
	register.Iter1[featureRow]()
	register.DoFn5x1[context.Context, int, func(*featureRow) bool, mixCats, func(shardFile), error](&writeShardFn{})
	register.Emitter1[shardFile]()
	register.Iter1[shardFile]()
	register.DoFn10x1[context.Context, int, func(*shardFile) bool, mixCats, int64, partStats, rowStats, float64, string, sampleRows, error](&commitFn{})
	register.Emitter1[netList]()
	register.Function1x1(bucketHist)
	register.Combiner1[histogram](&mergeHist{})
	register.Function1x1(selectMedian)
	register.Function2x1(exactHist)
	register.Function2x2(medianOf)

	beam.RegisterCoder(reflect.TypeOf(sumAcc{}), encodeSumAcc, decodeSumAcc)
	register.DoFn4x1[int, featureRow, mixCats, func(statPoint), error](&statPointsFn{})
	register.Emitter1[statPoint]()
	register.Function1x1(coarseStatHist)
	register.Combiner1[statHist](&mergeStatHist{})
	register.DoFn1x1[statHist, statTargets](&selectTargetsFn{})
	register.Function2x1(exactStatHist)
	register.Function2x2(resolveStats)
	register.DoFn5x1[int, featureRow, mixCats, orderStats, func(sumInput), error](&momentsFn{})
	register.Emitter1[sumInput]()
	register.Combiner3[sumAcc, sumInput, sumOut](&sumFn{})
	register.DoFn7x1[int, featureRow, mixCats, orderStats, sumOut, partStats, func(sumInput), error](&squaresFn{})
	register.DoFn4x1[int, featureRow, mixCats, func(sampleRows), error](&sampleItemFn{})
	register.Emitter1[sampleRows]()
	register.Combiner2[sampleRows, sampleRows](&sampleFn{})
	register.DoFn7x2[orderStats, mixCats, sumOut, sumOut, partStats, sampleRows, catTotals, string, error](&fitFn{})
	register.Function3x0(cityOf)
	register.DoFn5x1[context.Context, shardFile, func(shardFile), func(catTotals), func(string), error](&assignShardFn{})
	register.Emitter1[string]()
	register.DoFn6x1[context.Context, int, func(*shardFile) bool, catTotals, string, []byte, error](&assignCommitFn{})
	register.Combiner1[catTotals](&countsFn{})
	register.Combiner1[string](&tallyFn{})

	beam.RegisterCoder(reflect.TypeOf(customerRow{}), encodeCustomerRow, decodeCustomerRow)
	register.DoFn5x1[context.Context, string, func(string, customerRow), func(catTotals), func(shardFile), error](&readCustomersFn{})
	register.Emitter2[string, customerRow]()
	register.Function3x0(idCity)
	register.Emitter2[string, string]()
	register.Iter1[string]()
	register.Iter1[customerRow]()
	register.DoFn6x1[string, func(*string) bool, func(*customerRow) bool, rowStats, func(int, customerRow), func(catTotals), error](&joinCustomersFn{})
	register.Emitter2[int, customerRow]()
	register.DoFn4x1[context.Context, int, func(*customerRow) bool, func(shardFile), error](&writeCustomersFn{})

	register.DoFn6x1[context.Context, string, int64, func(string, eventDays), func(catTotals), func(shardFile), error](&readEventsFn{})
	register.DoFn6x1[context.Context, string, func(int, featureRow), func(mixCats), func(partStats), func(rowStats), error](&readTableFn{})
	register.Emitter1[mixCats]()
	register.Emitter2[string, eventDays]()
	register.Combiner1[eventDays](&mergeDaysFn{})
	register.Iter1[eventDays]()
	register.DoFn6x1[string, func(*string) bool, func(*eventDays) bool, int64, func(int, eventRow), func(catTotals), error](&joinEventsFn{})
	register.Emitter2[int, eventRow]()
	register.Iter1[eventRow]()
	register.DoFn4x1[context.Context, int, func(*eventRow) bool, func(shardFile), error](&writeEventsFn{})
}
