package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/gob"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/segment-tool/segment/clv"
	"github.com/segment-tool/segment/features"
)

// cdnowTable is BTYD's CDNOW cbs (../shared/data/cdnow/cdnow_sample_cbs.csv)
// as a customer table in days, the columns the aggregator gives:
// tenure_days = 7·T, recency_days = 7·(T − t_x), frequency = x + 1, and,
// when withDays, purchase_days = x + 1. aov is a constant 30.
func cdnowTable(t *testing.T, withDays bool) *features.Table {
	t.Helper()
	f, err := os.Open("../../../shared/data/cdnow/cdnow_sample_cbs.csv")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("../shared/data/cdnow absent")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var freq, rec, ten, aov []float64
	for i, r := range recs[1:] {
		x, _ := strconv.ParseFloat(r[1], 64)
		tx, _ := strconv.ParseFloat(r[2], 64)
		T, _ := strconv.ParseFloat(r[3], 64)
		ids = append(ids, fmt.Sprintf("%04d", i+1))
		freq = append(freq, x+1)
		ten = append(ten, math.Round(7*T))
		rec = append(rec, math.Round(7*(T-tx)))
		aov = append(aov, 30)
	}
	cols := []column{col(features.Frequency, freq...), col(features.RecencyDays, rec...), col(features.TenureDays, ten...), col(features.AOV, aov...)}
	if withDays {
		cols = append(cols, col(PurchaseDaysColumn, freq...))
	}
	return featureTable(t, ids, cols...)
}

// TestComputeCLVCDNOW: from the features' days, in weeks, the stage fits
// the published CDNOW BG/NBD (r 0.243, α 4.414, a 0.793, b 2.426, LL
// −9582.4): the features carry the models' statistics exactly.
func TestComputeCLVCDNOW(t *testing.T) {
	for _, withDays := range []bool{true, false} {
		t.Run(fmt.Sprintf("purchase_days=%v", withDays), func(t *testing.T) {
			c, err := ComputeCLV(context.Background(), cdnowTable(t, withDays), clv.Value{HorizonDays: 273, Period: clv.Week}, 0, 2)
			if err != nil {
				t.Fatal(err)
			}
			if c.BGNBD == nil {
				t.Fatalf("BG/NBD %s", c.BGNBDNotComputed)
			}
			// got, published, half a unit of the last published digit.
			want := map[string][3]float64{"r": {c.BGNBD.R, 0.243, 5e-4}, "alpha": {c.BGNBD.Alpha, 4.414, 5e-4}, "a": {c.BGNBD.A, 0.793, 5e-4},
				"b": {c.BGNBD.B, 2.426, 5e-4}, "LL": {c.BGNBD.LogLik, -9582.4, 0.05}}
			for name, g := range want {
				if math.Abs(g[0]-g[1]) > g[2] {
					t.Errorf("%s = %.6g, want %g", name, g[0], g[1])
				}
			}
			wantSource := map[bool]string{true: CLVFromPurchaseDays, false: CLVFromOrders}[withDays]
			if c.Source != wantSource || c.Scored != 2357 {
				t.Errorf("source %q, scored %d; want %q, 2357", c.Source, c.Scored, wantSource)
			}
			// 273 days = the 39 holdout weeks: Σ E[Y] is clv's 1,653.4.
			var sum float64
			for i, null := range c.Null {
				if !null {
					sum += c.Orders[i]
				}
			}
			if math.Abs(sum-1653.4) > 0.1 {
				t.Errorf("Σ expected orders in 273 days = %.2f, want 1653.4", sum)
			}
		})
	}
}

// TestComputeCLVNotComputed: every refusal is a "not computed: …" reason
// and null columns, never NaN.
func TestComputeCLVNotComputed(t *testing.T) {
	few := twoGroups(t)
	few, err := few.WithColumns([]string{features.TenureDays}, [][]float64{{300, 300, 300, 300, 300, 300, 300, 310, 320, 330, 340, 350, 200}})
	if err != nil {
		t.Fatal(err)
	}
	// 30 customers, 25 with a repeat purchase, the oldest 21 days old.
	var ids []string
	var freq, rec, ten []float64
	for i := range 30 {
		ids = append(ids, fmt.Sprintf("C%02d", i))
		freq, rec, ten = append(freq, float64(1+min(i, 25)%4)), append(rec, 1), append(ten, float64(10+i%12))
	}
	young := featureTable(t, ids, col(features.Frequency, freq...), col(features.RecencyDays, rec...), col(features.TenureDays, ten...))
	for _, c := range []struct {
		name   string
		table  *features.Table
		window int
		want   string
	}{
		{"no tenure_days", twoGroups(t), 0, "not computed: the customer table lacks frequency, recency_days or tenure_days"},
		{"window without purchase_days", few, 90, "not computed: features.window_days is set"},
		{"six repeat customers", few, 0, "not computed: too few repeat customers: 6 of 12 customers have a repeat purchase, want at least 20"},
		{"store three weeks old", young, 0, "not computed: history too short: oldest customer is 21 periods old, want at least 28"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := ComputeCLV(context.Background(), c.table, clv.Value{HorizonDays: 365}, c.window, 1)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(res.BGNBDNotComputed, c.want) || res.BGNBD != nil {
				t.Errorf("BG/NBD: %q, want %q", res.BGNBDNotComputed, c.want)
			}
			if !strings.HasPrefix(res.GammaGammaNotComputed, "not computed: ") {
				t.Errorf("Gamma-Gamma: %q, want a not-computed reason", res.GammaGammaNotComputed)
			}
			for _, col := range res.columns() {
				for i, v := range col.Floats {
					if !col.Nulls[i] || math.IsNaN(v) {
						t.Fatalf("%s row %d = %v, null %v; want null", col.Name, i, v, col.Nulls[i])
					}
				}
			}
			if res.Scored != 0 {
				t.Errorf("scored %d, want 0", res.Scored)
			}
		})
	}
}

// TestRunCLV: with a clv section the run writes the four columns, run.json's
// "clv" and the report section; on this tiny store the models are not
// computed, which all three say.
func TestRunCLV(t *testing.T) {
	o := runOptions(t)
	o.CLV = &clv.Value{HorizonDays: 90}
	o.CustomersPath = writeCSV(t, t.TempDir(), "customers.csv", "customer_id,email,newsletter", "H1,h1@example.com,true")
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(o.Out, "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for j, name := range recs[0] {
		idx[name] = j
	}
	for _, name := range []string{"p_alive", "expected_orders_90d", "expected_aov", "clv_90d"} {
		j, ok := idx[name]
		if !ok {
			t.Fatalf("assignments lack %s: %v", name, recs[0])
		}
		for _, r := range recs[1:] {
			if r[j] != "" {
				t.Errorf("%s = %q for %s, want null (not computed)", name, r[j], r[0])
			}
		}
	}
	var m Manifest
	readJSON(t, filepath.Join(o.Out, "run.json"), &m)
	if m.CLV == nil || m.CLV.HorizonDays != 90 || !strings.HasPrefix(m.CLV.BGNBDNotComputed, "not computed: too few repeat customers") || m.CLV.Value != nil {
		t.Errorf("run.json clv = %+v", m.CLV)
	}
	for _, g := range []string{ChurnRiskGroup, HighValueAtRiskGroup} {
		if n, ok := m.Groups[g]; !ok || n != nil {
			t.Errorf("run.json groups[%s] = %v (present %v), want null: not computed", g, n, ok)
		}
	}
	kl, err := os.ReadFile(filepath.Join(o.Out, exportsDir, "klaviyo.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if header, _, _ := strings.Cut(string(kl), "\n"); !strings.HasSuffix(header, ",p_alive,expected_orders_90d,expected_aov,clv_90d") {
		t.Errorf("klaviyo.csv header %q lacks the lifetime-value properties", header)
	}
	md, err := os.ReadFile(filepath.Join(o.Out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "## Lifetime value") || !strings.Contains(string(md), "- BG/NBD: not computed: too few repeat customers") {
		t.Errorf("report.md lacks the lifetime value section or its reason")
	}
}

func TestWithCLVGroups(t *testing.T) {
	all := featureTable(t, []string{"A", "B", "C", "D"},
		col(features.Frequency, 3, 3, 1, 0), col(features.Monetary, 500, 50, 900, 0))
	top := features.Group{SegmentInfo: features.SegmentInfo{ID: "top20"}, Members: []bool{true, false, true, false}}
	custom := features.Group{SegmentInfo: features.SegmentInfo{ID: "mine"}, Members: make([]bool, 4)}
	s := &Segments{All: all, Groups: []features.Group{top, custom}, CustomCount: 1}
	// A and B are likely gone, C is a one-time buyer (P(alive) 1 by the
	// model, never churn_risk), D has no purchase (not scored).
	lv := &CLV{CLVFit: CLVFit{Source: CLVFromOrders, BGNBD: &clv.BGNBDFit{}},
		PAlive: []float64{0.2, 0.3, 1, 0}, Null: []bool{false, false, false, true}}
	got := s.withCLVGroups(lv)
	var ids []string
	for _, g := range got.Groups {
		ids = append(ids, g.ID)
	}
	if strings.Join(ids, ",") != "top20,churn_risk,high_value_at_risk,mine" || got.CustomCount != 1 {
		t.Fatalf("groups %v (custom %d), want the lifetime-value groups before the custom group", ids, got.CustomCount)
	}
	if len(s.Groups) != 2 {
		t.Errorf("the input Segments were modified: %d groups", len(s.Groups))
	}
	for _, c := range []struct {
		i    int
		want []bool
	}{{1, []bool{true, true, false, false}}, {2, []bool{true, false, false, false}}} {
		if fmt.Sprint(got.Groups[c.i].Members) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", got.Groups[c.i].ID, got.Groups[c.i].Members, c.want)
		}
	}
	// clv.churn_threshold 0.25: B (P(alive) 0.3) is no longer at risk.
	lv.ChurnThreshold = 0.25
	low := s.withCLVGroups(lv).Groups[1]
	if fmt.Sprint(low.Members) != fmt.Sprint([]bool{true, false, false, false}) || !strings.Contains(low.Definition, "below 0.25") {
		t.Errorf("churn_risk with threshold 0.25: %v, %q", low.Members, low.Definition)
	}
	notFitted := s.withCLVGroups(&CLV{CLVFit: CLVFit{BGNBDNotComputed: "not computed: history too short"}})
	for _, g := range notFitted.Groups[1:3] {
		if g.Members != nil || !strings.Contains(g.Needs, "history too short") {
			t.Errorf("%s without a BG/NBD model: members %v, needs %q", g.ID, g.Members, g.Needs)
		}
	}
}

// TestPredictKeepsBGNBDWhenValueIsNotFinite: a customer whose order value
// cannot be predicted (here p·x + q − 1 = 0, so its conditional mean is not finite) keeps
// P(alive) and the expected orders of the BG/NBD model; only the order
// value and CLV are null.
func TestPredictKeepsBGNBDWhenValueIsNotFinite(t *testing.T) {
	res := &CLV{CLVFit: CLVFit{
		Settings:   clv.Value{HorizonDays: 365, Period: clv.Day},
		BGNBD:      &clv.BGNBDFit{BGNBD: clv.BGNBD{R: 0.243, Alpha: 4.414 * 7, A: 0.793, B: 2.426}},
		GammaGamma: &clv.GammaGammaFit{GammaGamma: clv.GammaGamma{P: 0.25, Q: 0.5, Gamma: 15.44}}}, // p·x + q − 1 = 0: no finite mean
		PAlive: make([]float64, 1), Orders: make([]float64, 1), AOV: make([]float64, 1), Value: make([]float64, 1),
		Null: []bool{true}, ValueNull: []bool{true},
	}
	s := clv.Stats{X: 2, Tx: 200, T: 270}
	res.predict([]int{0}, []clv.Stats{s}, []clv.Spend{{X: 2, Mean: 30}}, 1)
	if res.Null[0] || !res.ValueNull[0] {
		t.Fatalf("null %t, value null %t; want P(alive) and orders kept, the value null", res.Null[0], res.ValueNull[0])
	}
	if res.PAlive[0] <= 0 || res.PAlive[0] > 1 || res.Orders[0] <= 0 {
		t.Errorf("P(alive) %v, expected orders %v", res.PAlive[0], res.Orders[0])
	}
}

// TestCLVPredictParts: the models fitted once (FitCLV) score a part of
// the customers (a scale-out run's shard) as they score them among all
// (ComputeCLV), bit for bit, and a CLVFit survives encoding/gob (the file
// a scale-out run saves) unchanged.
func TestCLVPredictParts(t *testing.T) {
	ctx := context.Background()
	all := cdnowTable(t, true)
	v := clv.Value{HorizonDays: 180, Period: clv.Week}
	whole, err := ComputeCLV(ctx, all, v, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	fit, err := FitCLV(ctx, all, v, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if fit.BGNBD == nil { // CDNOW's table has no spend for Gamma-Gamma (TestCLVOnPrism fits both)
		t.Fatalf("fit %+v: want the BG/NBD model", fit)
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(fit); err != nil {
		t.Fatal(err)
	}
	var saved CLVFit
	if err := gob.NewDecoder(&b).Decode(&saved); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&saved, fit) || !reflect.DeepEqual(saved, whole.CLVFit) {
		t.Fatalf("saved fit %+v, want %+v", saved, whole.CLVFit)
	}
	var rows []int
	for i := 0; i < all.N(); i += 7 {
		rows = append(rows, i)
	}
	part := saved.Predict(all.Rows(rows), 1)
	for k, i := range rows {
		got := [4]float64{part.PAlive[k], part.Orders[k], part.AOV[k], part.Value[k]}
		want := [4]float64{whole.PAlive[i], whole.Orders[i], whole.AOV[i], whole.Value[i]}
		if got != want || part.Null[k] != whole.Null[i] || part.ValueNull[k] != whole.ValueNull[i] {
			t.Fatalf("row %d: %v (null %t, %t), among all %v (%t, %t)", i, got, part.Null[k], part.ValueNull[k], want, whole.Null[i], whole.ValueNull[i])
		}
	}
}

// TestCLVInputsPieces: the models fitted on a table given a piece at a
// time, each piece holding only the columns CLVColumns names (a
// scale-out run's fit over its shards), are FitCLV's on the whole table,
// bit for bit: with and without purchase_days, and with a holdout.
func TestCLVInputsPieces(t *testing.T) {
	ctx := context.Background()
	v := clv.Value{HorizonDays: 180, Period: clv.Week}
	for _, c := range []struct {
		name string
		all  *features.Table
	}{{"purchase days", cdnowTable(t, true)}, {"orders", cdnowTable(t, false)}, {"holdout", cdnowHoldoutTable(t)}} {
		want, err := FitCLV(ctx, c.all, v, 0, 2)
		if err != nil {
			t.Fatal(err)
		}
		if want.BGNBD == nil {
			t.Fatalf("%s: %+v: want the BG/NBD model", c.name, want)
		}
		header := c.all.Rows([]int{})
		names := CLVColumns(header)
		for _, size := range []int{1, 333, c.all.N()} {
			in := NewCLVInputs(header, v, 0)
			for lo := 0; lo < c.all.N(); lo += size {
				hi := min(lo+size, c.all.N())
				piece := &features.Table{IDs: c.all.IDs[lo:hi], Names: names}
				for _, name := range names {
					piece.Cols = append(piece.Cols, c.all.Col(name)[lo:hi])
				}
				in.Add(piece)
			}
			got, err := in.Fit(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, pieces of %d: %+v, want %+v", c.name, size, got, want)
			}
		}
	}
}
