package report

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestWriteStabilityRenamed: a matched cluster keeps its key, and the
// table says when its name changed, and from what (the name follows this
// run's numbers; the report must not claim it was kept).
func TestWriteStabilityRenamed(t *testing.T) {
	r := &Run{Stability: &Stability{
		PreviousDir: "out", PreviousAsOf: "1998-01-01", Common: 10, ARI: 0.5, KeyChanges: 2,
		Clusters: []StableCluster{
			{Key: "inactive-customers", Name: "Lapsed customers", PrevName: "Inactive customers", PrevSize: 6, Size: 5},
			{Key: "recent-customers", Name: "Recent customers", PrevName: "Recent customers", PrevSize: 4, Size: 4},
			{Key: "frequent-customers", Name: "Frequent customers", PrevName: "Frequent customers", PrevSize: 3, Size: 3, ActionChanged: true},
			{Key: "high-spend-customers", Name: "High-spend customers", PrevName: "High-spend customers", FreshName: "Big-basket customers", PrevSize: 2, Size: 2},
			{Key: "big-basket-customers", Name: "Big-basket customers", Size: 1, New: true, Shift: math.NaN()},
		},
	}}
	var b strings.Builder
	writeStability(&b, r)
	got := b.String()
	for _, want := range []string{
		"| `inactive-customers` | Lapsed customers | 6 | 5 | −1 | kept, renamed from Inactive customers |",
		"| `recent-customers` | Recent customers | 4 | 4 | 0 | kept |",
		"| `frequent-customers` | Frequent customers | 3 | 3 | 0 | kept; **its action changed** |",
		"| `high-spend-customers` | High-spend customers | 2 | 2 | 0 | kept, and its name: every word still holds (named afresh it would be Big-basket customers, as other traits now lead) |",
		"| `big-basket-customers` | Big-basket customers | – | 1 | – | **new: review it** |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the stability section lacks\n%s\nin\n%s", want, got)
		}
	}
	if strings.Contains(got, "keeps its key and name") {
		t.Error("the section says a matched cluster keeps its name")
	}
}

// TestWriteStabilitySameDate: a previous run of this run's date is said to
// be one (the history compares the run with it).
func TestWriteStabilitySameDate(t *testing.T) {
	r := &Run{AsOf: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), Stability: &Stability{PreviousDir: "out", PreviousAsOf: "2025-11-01"}}
	var b strings.Builder
	writeStability(&b, r)
	if !strings.Contains(b.String(), "**That run has this run's analysis date**") {
		t.Errorf("a re-run is not said to be one:\n%s", b.String())
	}
	b.Reset()
	r.Stability.PreviousAsOf = "2025-10-01"
	writeStability(&b, r)
	if strings.Contains(b.String(), "That run has this run's analysis date") {
		t.Errorf("a run of an earlier date is said to be a re-run:\n%s", b.String())
	}
}

// TestWriteStabilityNoneInBoth: with no customer clustered in both runs
// (another store's run) the section says so instead of an adjusted Rand
// index of 0 ("no better than chance"), which has no meaning there.
func TestWriteStabilityNoneInBoth(t *testing.T) {
	r := &Run{Stability: &Stability{PreviousDir: "other", PreviousAsOf: "2017-12-01"}}
	var b strings.Builder
	writeStability(&b, r)
	if !strings.Contains(b.String(), "**No customer is clustered in both runs**") || strings.Contains(b.String(), "adjusted Rand") {
		t.Errorf("no customer in both:\n%s", b.String())
	}
}

// TestWriteStabilityFeaturesChanged: when the clustered features or the
// feature options changed since the previous run, the section says so
// before the kept keys.
func TestWriteStabilityFeaturesChanged(t *testing.T) {
	r := &Run{Stability: &Stability{PreviousDir: "out", PreviousAsOf: "2025-10-01", Common: 5,
		Added: []string{"discount_ratio"}, Dropped: []string{"aov", "mix_pets"}, Changed: []string{"features.window_days: 90 → 0"}}}
	var b strings.Builder
	writeStability(&b, r)
	for _, want := range []string{
		"**The features are computed otherwise than in that run** (features.window\\_days: 90 → 0)",
		"**The clustered features changed since that run:** it clusters on `discount_ratio` as well; no longer on `aov` and `mix_pets`.",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the section lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	r.Stability.Added, r.Stability.Dropped, r.Stability.Changed = nil, nil, nil
	writeStability(&b, r)
	if strings.Contains(b.String(), "changed since that run") || strings.Contains(b.String(), "computed otherwise") {
		t.Errorf("unchanged features are said to have changed:\n%s", b.String())
	}
}

// TestWriteStabilityMissing: previous customers this run's data lacks are
// said, with their share and the first, and a previous run in this run's
// own output folder is said to be replaced by it.
func TestWriteStabilityMissing(t *testing.T) {
	r := &Run{Stability: &Stability{PreviousDir: "out", Replaced: true, PreviousAsOf: "1998-06-01", Common: 1661,
		Missing: 689, PreviousCustomers: 2357}}
	var b strings.Builder
	writeStability(&b, r)
	for _, want := range []string{
		"Compared with the previous run (data as of 1998-06-01), whose outputs in `out` this run replaces.",
		"**689 of that run's 2,357 customers with orders (29.2%) are not in this run's data.**",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the stability section lacks\n%s\nin\n%s", want, b.String())
		}
	}
	b.Reset()
	r.Stability.Missing, r.Stability.Replaced = 0, false
	writeStability(&b, r)
	if got := b.String(); strings.Contains(got, "not in this run's data") || !strings.Contains(got, "Compared with the run in `out` (data as of 1998-06-01).") {
		t.Errorf("without missing customers, in another folder:\n%s", got)
	}
}

// TestWriteStabilityShorter: customers whose first purchase moved later
// since the previous run (earlier orders missing from the inputs) are
// said, with the first by id; none, nothing is said.
func TestWriteStabilityShorter(t *testing.T) {
	r := &Run{Stability: &Stability{PreviousDir: "out", PreviousAsOf: "1998-06-01", Common: 1661, Shorter: 1139, ShorterExample: "00004"}}
	var b strings.Builder
	writeStability(&b, r)
	if want := "**1,139 customers have a first purchase later than in that run** (`tenure_days` shorter than then plus the days since; the first by id: `00004`)"; !strings.Contains(b.String(), want) {
		t.Errorf("the stability section lacks\n%s\nin\n%s", want, b.String())
	}
	b.Reset()
	r.Stability.Shorter = 0
	writeStability(&b, r)
	if strings.Contains(b.String(), "first purchase later") {
		t.Errorf("no customer's history is shorter, yet:\n%s", b.String())
	}
}
