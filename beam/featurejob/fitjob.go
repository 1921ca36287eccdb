package featurejob

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/pipeline"
)

// The Beam transforms of the fit's global values (fit.go) and the sample.

// fitValues adds the fit's passes over the rows and returns Fit and the
// sample as singletons.
// cities are the counts of customers by city ("city:" names) and, with a
// customers table, its counts ("customers:" names, customersFit), with an
// events table, its counts ("events:" names, eventsFit).
func fitValues(s beam.Scope, cfg Config, rows, mix, store, cities beam.PCollection) (fit, sample beam.PCollection) {
	s = s.Scope("fit")
	points := beam.ParDo(s, &statPointsFn{Cfg: cfg}, rows, beam.SideInput{Input: mix})
	// The seeds make each combine see an element when there is no customer.
	coarse := beam.Combine(s, mergeStatHist{}, beam.Flatten(s, beam.ParDo(s, coarseStatHist, points), beam.Create(s, statHist{})))
	targets := beam.ParDo(s, &selectTargetsFn{Spec: newRankSpec(&cfg)}, coarse)
	exact := beam.ParDo(s, exactStatHist, points, beam.SideInput{Input: targets})
	exact = beam.Combine(s, mergeStatHist{}, beam.Flatten(s, exact, beam.Create(s, statHist{})))
	st := beam.ParDo(s, resolveStats, exact, beam.SideInput{Input: targets})

	pass1 := beam.ParDo(s, &momentsFn{Cfg: cfg}, rows, beam.SideInput{Input: mix}, beam.SideInput{Input: st})
	sums1 := beam.Combine(s, sumFn{}, beam.Flatten(s, pass1, beam.Create(s, sumInput{})))
	pass2 := beam.ParDo(s, &squaresFn{Cfg: cfg}, rows, beam.SideInput{Input: mix}, beam.SideInput{Input: st},
		beam.SideInput{Input: sums1}, beam.SideInput{Input: store})
	sums2 := beam.Combine(s, sumFn{}, beam.Flatten(s, pass2, beam.Create(s, sumInput{})))

	cities = beam.Combine(s, countsFn{}, beam.Flatten(s, cities, beam.Create(s, catTotals{})))

	items := beam.ParDo(s, &sampleItemFn{Cfg: cfg}, rows, beam.SideInput{Input: mix})
	sample = beam.Combine(s, sampleFn{K: cfg.sampleSize()}, beam.Flatten(s, items, beam.Create(s, sampleRows{})))
	fit = beam.ParDo(s, &fitFn{Cfg: cfg}, st, beam.SideInput{Input: mix}, beam.SideInput{Input: sums1},
		beam.SideInput{Input: sums2}, beam.SideInput{Input: store}, beam.SideInput{Input: sample}, beam.SideInput{Input: cities})
	return fit, sample
}

// fitBase holds the column resolution the fit's DoFns share, computed
// once per DoFn instance (the mix categories and the order statistics are
// the same for every element).
type fitBase struct {
	cfg  Config
	opts features.Options
	cols *fitCols
}

// setup builds the aggregation options.
func (f *fitBase) setup(c Config) error {
	var err error
	f.cfg = c
	f.opts, err = c.featureOptions()
	return err
}

// columns resolves the columns on first use.
func (f *fitBase) columns(mix mixCats, st *orderStats) (*fitCols, error) {
	if f.cols == nil {
		names, err := columnNames(f.opts, mix)
		if err != nil {
			return nil, err
		}
		if f.cols, err = newFitCols(&f.cfg, names, st); err != nil {
			return nil, err
		}
	}
	return f.cols, nil
}

// statPointsFn emits each customer's values for the order statistics.
type statPointsFn struct {
	Cfg  Config
	base fitBase
}

// Setup builds the aggregation options.
func (f *statPointsFn) Setup() error { return f.base.setup(f.Cfg) }

// ProcessElement emits one customer's values.
func (f *statPointsFn) ProcessElement(_ int, r featureRow, mix mixCats, emit func(statPoint)) error {
	c, err := f.base.columns(mix, nil)
	if err != nil {
		return err
	}
	if p := c.point(r.Values); len(p.Stats) > 0 {
		emit(p)
	}
	return nil
}

// momentsFn is pass 1 of the moments: each buyer's g(v), and whether v is
// its column's lower median, by candidate column.
type momentsFn struct {
	Cfg  Config
	base fitBase
}

// Setup builds the aggregation options.
func (f *momentsFn) Setup() error { return f.base.setup(f.Cfg) }

// ProcessElement emits one buyer's terms.
func (f *momentsFn) ProcessElement(_ int, r featureRow, mix mixCats, st orderStats, emit func(sumInput)) error {
	c, err := f.base.columns(mix, &st)
	if err != nil || !c.isBuyer(r.Values) {
		return err
	}
	in := sumInput{Count: 1, Eq: make([]int64, len(c.idx)), V: make([]float64, len(c.idx))}
	for j, i := range c.idx {
		s := int32(statFirstColumn + j)
		if med, ok := st.value(s, (st.count(s)-1)/2); ok && r.Values[i] == med {
			in.Eq[j] = 1
		}
		in.V[j] = c.cand.Clipped(j, r.Values[i])
	}
	emit(in)
	return nil
}

// squaresFn is pass 2: each buyer's (g(v) − mean)² by candidate column,
// and in Count whether the buyer has a winsorised value.
type squaresFn struct {
	Cfg  Config
	base fitBase
	tr   *features.Transform
}

// Setup builds the aggregation options.
func (f *squaresFn) Setup() error { return f.base.setup(f.Cfg) }

// ProcessElement emits one buyer's terms.
func (f *squaresFn) ProcessElement(_ int, r featureRow, mix mixCats, st orderStats, pass1 sumOut, store partStats, emit func(sumInput)) error {
	c, err := f.base.columns(mix, &st)
	if err != nil || !c.isBuyer(r.Values) {
		return err
	}
	if f.tr == nil {
		if f.tr, _, _, err = c.transform(&f.Cfg, store.Absent, st, pass1, nil); err != nil {
			return err
		}
	}
	in := sumInput{V: make([]float64, len(c.idx))}
	for j, i := range c.idx {
		m, ok := c.candMoments(j, st, pass1, sumOut{})
		if !ok {
			return fmt.Errorf("featurejob: no mean for %s", c.cand.Columns[j])
		}
		g := c.cand.Clipped(j, r.Values[i])
		in.V[j] = (g - m.Mean) * (g - m.Mean)
	}
	if c.clippedRow(f.tr, r.Values) {
		in.Count = 1
	}
	emit(in)
	return nil
}

// fitFn assembles Fit.
type fitFn struct {
	Cfg  Config
	base fitBase
}

// Setup builds the aggregation options.
func (f *fitFn) Setup() error { return f.base.setup(f.Cfg) }

// ProcessElement returns the fit's global values.
func (f *fitFn) ProcessElement(st orderStats, mix mixCats, pass1, pass2 sumOut, store partStats, sample sampleRows, cities catTotals) (string, error) {
	c, err := f.base.columns(mix, &st)
	if err != nil {
		return "", err
	}
	fit := Fit{Buyers: pass1.Count, Clipped: pass2.Count, SampleRows: int64(len(sample.Items)), Seed: f.Cfg.Seed, Sample: SampleFile}
	if fit.RFMCuts, err = rfmCuts(st); err != nil {
		return "", err
	}
	if fit.GroupCuts, err = groupCuts(&f.Cfg, st, cities); err != nil {
		return "", err
	}
	fit.Customers = customersFit(&f.Cfg, cities)
	fit.Events = eventsFit(&f.Cfg, cities)
	if fit.Buyers > 0 {
		if fit.Transform, fit.Use, fit.Excluded, err = c.transform(&f.Cfg, store.Absent, st, pass1, &pass2); err != nil {
			return "", err
		}
	}
	b, err := json.Marshal(fit) // a string: Beam need not know the types inside
	if err != nil {
		return "", fmt.Errorf("featurejob: %w", err)
	}
	return string(b), nil
}

// SampleFile is the file of the fit's sample, in FeaturesDir.
const SampleFile = "sample.parquet"

// sampleItem is a buyer with its sampling hash.
type sampleItem struct {
	Hash uint64
	Row  featureRow
}

// sampleRows are the buyers with the smallest (hash, id).
type sampleRows struct{ Items []sampleItem }

// sampleHash is a buyer's sampling hash (pipeline.SampleHash).
func sampleHash(seed uint64, id string) uint64 { return pipeline.SampleHash(seed, id) }

// sampleItemFn emits each buyer with its hash.
type sampleItemFn struct {
	Cfg  Config
	base fitBase
}

// Setup builds the aggregation options.
func (f *sampleItemFn) Setup() error { return f.base.setup(f.Cfg) }

// ProcessElement emits a buyer.
func (f *sampleItemFn) ProcessElement(_ int, r featureRow, mix mixCats, emit func(sampleRows)) error {
	c, err := f.base.columns(mix, nil)
	if err != nil || !c.isBuyer(r.Values) {
		return err
	}
	emit(sampleRows{Items: []sampleItem{{Hash: sampleHash(f.Cfg.Seed, r.ID), Row: r}}})
	return nil
}

// sampleFn keeps the K items of smallest (hash, id): a total order, so
// the sample does not depend on the order of the inputs.
type sampleFn struct{ K int }

func compareItems(a, b sampleItem) int {
	switch {
	case a.Hash < b.Hash:
		return -1
	case a.Hash > b.Hash:
		return 1
	}
	return strings.Compare(a.Row.ID, b.Row.ID)
}

// MergeAccumulators keeps the K smallest of a and b, trimming only past
// 2K (a superset of the K smallest is kept until then).
func (f sampleFn) MergeAccumulators(a, b sampleRows) sampleRows {
	a.Items = append(a.Items, b.Items...)
	if len(a.Items) > 2*f.K {
		slices.SortFunc(a.Items, compareItems)
		a.Items = slices.Clip(a.Items[:f.K])
	}
	return a
}

// ExtractOutput returns the K smallest, sorted by id.
func (f sampleFn) ExtractOutput(a sampleRows) sampleRows {
	slices.SortFunc(a.Items, compareItems)
	a.Items = a.Items[:min(len(a.Items), f.K)]
	slices.SortFunc(a.Items, func(x, y sampleItem) int { return strings.Compare(x.Row.ID, y.Row.ID) })
	return a
}

// encodeSumAcc is the Beam coder of sumAcc: the count, the counts and the
// exact sums (features.ExactSum.MarshalBinary), length-prefixed.
func encodeSumAcc(a sumAcc) ([]byte, error) {
	b := binary.AppendVarint(nil, a.Count)
	b = binary.AppendUvarint(b, uint64(len(a.Eq)))
	for _, e := range a.Eq {
		b = binary.AppendVarint(b, e)
	}
	b = binary.AppendUvarint(b, uint64(len(a.Sums)))
	for i := range a.Sums {
		s, err := a.Sums[i].MarshalBinary()
		if err != nil {
			return nil, err
		}
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b, nil
}

// decodeSumAcc decodes what encodeSumAcc encoded.
func decodeSumAcc(b []byte) (sumAcc, error) {
	var a sumAcc
	bad := fmt.Errorf("featurejob: a damaged sum (%s…)", hex.EncodeToString(b[:min(len(b), 8)]))
	next := func() (int64, bool) {
		v, k := binary.Varint(b)
		if k <= 0 {
			return 0, false
		}
		b = b[k:]
		return v, true
	}
	nextU := func() (uint64, bool) {
		v, k := binary.Uvarint(b)
		if k <= 0 || v > uint64(len(b)) {
			return 0, false
		}
		b = b[k:]
		return v, true
	}
	var ok bool
	if a.Count, ok = next(); !ok {
		return a, bad
	}
	n, ok := nextU()
	if !ok {
		return a, bad
	}
	a.Eq = make([]int64, n)
	for i := range a.Eq {
		if a.Eq[i], ok = next(); !ok {
			return a, bad
		}
	}
	if n, ok = nextU(); !ok {
		return a, bad
	}
	a.Sums = make([]features.ExactSum, n)
	for i := range a.Sums {
		l, ok := nextU()
		if !ok {
			return a, bad
		}
		if err := a.Sums[i].UnmarshalBinary(b[:l]); err != nil {
			return a, bad
		}
		b = b[l:]
	}
	if len(b) != 0 {
		return a, bad
	}
	return a, nil
}
