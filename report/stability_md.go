package report

import (
	"fmt"
	"strings"
	"time"
)

// Stability compares a run with the previous one (segment run -previous).
type Stability struct {
	PreviousDir  string
	Replaced     bool   // PreviousDir is this run's output folder: this run replaces that one
	PreviousAsOf string // YYYY-MM-DD; "" when that run had no date (a feature table's)
	// Added and Dropped are the clustered features this run has and the
	// previous run had not, and the reverse: clusters were matched on the
	// others.
	Added, Dropped []string
	// Changed are the feature options that differ from the previous
	// run's, as "key: before → now".
	Changed []string
	// Missing counts the previous run's customers (PreviousCustomers in
	// all) that this run's data lacks.
	Missing, PreviousCustomers int
	// Shorter counts this run's customers whose first purchase is later
	// than in the previous run (ShorterExample the first by id).
	Shorter        int
	ShorterExample string
	Common         int     // customers clustered in both runs
	ARI            float64 // adjusted Rand index of the cluster keys on them
	KeyChanges     int     // of them, customers whose cluster key changed
	// RefitMoves, of KeyChanges, are those the previous run's model still
	// puts in their previous cluster (the refit moved them), when
	// RefitKnown.
	RefitMoves       int
	RefitKnown       bool
	Clusters         []StableCluster
	Vanished         []StableCluster // previous clusters with no match
	Segments         []Drift         // RFM segment sizes, previous and now
	RFMMigration     *Crosstab       // previous RFM segment (rows) × this run's (columns)
	ClusterMigration *Crosstab       // previous cluster key × this run's, named
	Plots            []Plot
}

// StableCluster is one cluster's match with the previous run.
type StableCluster struct {
	Key, Name string
	PrevName  string // the matched previous cluster's name ("" when new)
	// FreshName is the name the naming rules give this run's numbers,
	// where the cluster kept PrevName because every word of it still
	// holds (NameHolds); "" otherwise.
	FreshName      string
	PrevSize, Size int
	New            bool    // no previous cluster was close: a human should review it
	ActionChanged  bool    // matched, and its recommended action is not the previous run's
	Shift          float64 // distance the centroid moved (clustering space); NaN when new
	// ByCustomers marks a cluster matched by its customers rather than
	// its centre: the centre moved further than the match by centres
	// allows, but most of its customers were in the previous cluster.
	ByCustomers bool
}

// Drift is a segment's size in the previous run and in this one.
type Drift struct {
	ID             string
	PrevSize, Size int
}

func writeStability(b *strings.Builder, r *Run) {
	s := r.Stability
	if s == nil {
		return
	}
	b.WriteString("## Stability since the previous run\n\n")
	prevDate := "no analysis date: a feature table's run"
	if s.PreviousAsOf != "" {
		prevDate = "data as of " + s.PreviousAsOf
	}
	if s.Replaced {
		fmt.Fprintf(b, "Compared with the previous run (%s), whose outputs in `%s` this run replaces. ", mdText(prevDate), mdCode(s.PreviousDir))
	} else {
		fmt.Fprintf(b, "Compared with the run in `%s` (%s). ", mdCode(s.PreviousDir), mdText(prevDate))
	}
	if !r.AsOf.IsZero() && s.PreviousAsOf == r.AsOf.Format(time.DateOnly) {
		b.WriteString("**That run has this run's analysis date** (a re-run, or no order newer than its): this run is compared " +
			"with it, not with the run before it, so customers whose data did not change keep their RFM segment and its date (their cluster may still change if the clustering did). `tags_removed.csv` " +
			"lists the tags lost since that run and, again, that run's rows whose tag the customer still lacks, so no removal " +
			"is lost if that file was not applied in the campaign tools yet. ")
	}
	if s.Missing > 0 {
		fmt.Fprintf(b, "**%s of that run's %s customers with orders (%s) are not in this run's data.** "+
			"Order history only grows, so the inputs lack their orders: an export cut short or filtered otherwise, "+
			"or a rolling export window that their orders have left. Check the inputs before acting on this run. ",
			FormatInt(int64(s.Missing)), FormatInt(int64(s.PreviousCustomers)),
			formatPercent(float64(s.Missing)/float64(s.PreviousCustomers)))
	}
	if s.Shorter > 0 {
		who := "customers have"
		if s.Shorter == 1 {
			who = "customer has"
		}
		fmt.Fprintf(b, "**%s %s a first purchase later than in that run** (`tenure_days` shorter than then plus the days "+
			"since; the first by id: `%s`). Orders are only added, so either the inputs lack their earlier orders (an export "+
			"cut by date?) or those orders were refunded since: their frequency and spend may have fallen for that reason. "+
			"Check the inputs before acting on this run. ",
			FormatInt(int64(s.Shorter)), who, mdCode(s.ShorterExample))
	}
	switch s.Common {
	case 0:
		b.WriteString("**No customer is clustered in both runs** (is the previous run of another store, or were the " +
			"customer ids written differently?): there is nothing to compare customer by customer.\n\n")
	case 1:
		moved := "kept its"
		if s.KeyChanges > 0 {
			moved = "changed"
		}
		fmt.Fprintf(b, "Only 1 customer is clustered in both runs, and it %s cluster: too few to compare the groupings.\n\n", moved)
	default:
		fmt.Fprintf(b, "Of the %s customers clustered in both runs, %s changed cluster; the adjusted Rand index of the two "+
			"partitions is **%s** (1 = the same grouping, 0 = no better than chance).",
			FormatInt(int64(s.Common)), FormatInt(int64(s.KeyChanges)), formatFixed(s.ARI, 3))
		if s.RefitKnown && s.KeyChanges > 0 {
			fmt.Fprintf(b, " Of those who changed, **%s were moved by the refit**: that run's model (its scaling and centres, "+
				"applied to their features now) still puts them in their previous cluster, so the segments' boundaries moved, not "+
				"they; the other %s changed by their own data (new orders, days passing).",
				FormatInt(int64(s.RefitMoves)), FormatInt(int64(s.KeyChanges-s.RefitMoves)))
		}
		b.WriteString("\n\n")
	}
	if len(s.Changed) > 0 {
		fmt.Fprintf(b, "**The features are computed otherwise than in that run** (%s): a kept key may now describe "+
			"other customers; check the sizes and names below.\n\n", mdText(strings.Join(s.Changed, "; ")))
	}
	if len(s.Added)+len(s.Dropped) > 0 {
		var what []string
		if len(s.Added) > 0 {
			what = append(what, "it clusters on "+codeList(s.Added)+" as well")
		}
		if len(s.Dropped) > 0 {
			what = append(what, "no longer on "+codeList(s.Dropped))
		}
		fmt.Fprintf(b, "**The clustered features changed since that run:** %s. Clusters were matched on the features both "+
			"runs cluster on, so a kept key may now describe other customers: check the sizes and names below.\n\n", strings.Join(what, "; "))
	}
	b.WriteString("Clusters are matched to the previous run's by their centres (Hungarian method); a cluster whose centre " +
		"moved too far for that is matched by its customers instead: it takes a previous cluster no other took when most of " +
		"its customers were in it and it holds more of them than any other cluster (a cluster that split keeps its key on its larger part, so the " +
		"fewest customers lose their tag). A matched cluster " +
		"keeps its key, so campaigns keyed on it keep working. It keeps its name too while every word of the name still holds " +
		"on this run's numbers, even where other traits now lead (the status then gives the name the rules would choose " +
		"afresh), and its action while its traits still call for it; it is renamed when a word stops holding (the status " +
		"says from what), and its action may change (the status says so: check the campaign it feeds). " +
		"`clustering.names` fixes a name by key.\n\n")
	b.WriteString("| Cluster key | Name | Previous size | Size | Change | Status |\n|---|---|---:|---:|---:|---|\n")
	for _, c := range s.Clusters {
		status := "kept"
		switch {
		case c.PrevName != "" && c.PrevName != c.Name:
			status = "kept, renamed from " + mdText(c.PrevName)
		case c.FreshName != "":
			status = "kept, and its name: every word still holds (named afresh it would be " + mdText(c.FreshName) + ", as other traits now lead)"
		}
		if c.ByCustomers {
			status += " (by its customers: its centre moved, but most of its customers were in that cluster)"
		}
		if c.ActionChanged {
			status += "; **its action changed**"
		}
		if c.New {
			status = "**new: review it**"
		}
		change := "–"
		if !c.New {
			change = formatSignedInt(c.Size - c.PrevSize)
		}
		prev := "–"
		if !c.New {
			prev = FormatInt(int64(c.PrevSize))
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s |\n", mdCode(c.Key), mdText(c.Name), prev, FormatInt(int64(c.Size)), change, status)
	}
	for _, c := range s.Vanished {
		fmt.Fprintf(b, "| `%s` | %s | %s | 0 | %s | **vanished: review it** |\n", mdCode(c.Key), mdText(c.Name),
			FormatInt(int64(c.PrevSize)), formatSignedInt(-c.PrevSize))
	}
	b.WriteString("\n")
	if len(s.Segments) > 0 {
		b.WriteString("RFM segment sizes:\n\n| Segment | Previous | Now | Change |\n|---|---:|---:|---:|\n")
		for _, d := range s.Segments {
			fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", mdCode(d.ID), FormatInt(int64(d.PrevSize)), FormatInt(int64(d.Size)), formatSignedInt(d.Size-d.PrevSize))
		}
		b.WriteString("\n")
	}
	for _, m := range []struct {
		title string
		x     *Crosstab
	}{{"RFM segment migration (customers in both runs; rows: previous segment, columns: this run's)", s.RFMMigration},
		{"Cluster migration (customers in both runs; rows: their cluster in the previous run, columns: in this run; a cluster by its name in this run, or the previous run's for one that vanished)", s.ClusterMigration}} {
		if m.x == nil || len(m.x.Rows) == 0 {
			continue
		}
		fmt.Fprintf(b, "%s:\n\n", m.title)
		writeMatrix(b, m.x)
	}
	for _, p := range s.Plots {
		writeInlinePlot(b, p)
	}
}

// writeMatrix writes a crosstab with its names, or its labels as code
// without names.
func writeMatrix(b *strings.Builder, x *Crosstab) {
	label := func(names []string, labels []string, i int) string {
		if names != nil {
			return mdText(names[i])
		}
		return "`" + mdCode(labels[i]) + "`"
	}
	b.WriteString("| |")
	align := "|---|"
	for j := range x.Cols {
		fmt.Fprintf(b, " %s |", label(x.ColNames, x.Cols, j))
		align += "---:|"
	}
	b.WriteString("\n" + align + "\n")
	for i := range x.Rows {
		fmt.Fprintf(b, "| %s |", label(x.RowNames, x.Rows, i))
		for _, n := range x.Counts[i] {
			fmt.Fprintf(b, " %s |", FormatInt(int64(n)))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// formatSignedInt formats n with an explicit sign: +12, −3, 0.
func formatSignedInt(n int) string {
	switch {
	case n > 0:
		return "+" + FormatInt(int64(n))
	case n < 0:
		return "−" + FormatInt(int64(-n))
	}
	return "0"
}

// Exports summarises the campaign files of the run.
type Exports struct {
	Dir                            string   // relative to the report, e.g. "exports"
	Files                          []string // file names
	Exported, Skipped, TagsRemoved int
	InvalidEmails                  int    // contacts left out for an invalid email (invalid_emails.csv)
	Previous                       bool   // a previous run was compared with: TagsRemoved counts its exported customers' lost tags
	Note                           string // why nothing was exported, or a caveat
}

func writeExports(b *strings.Builder, r *Run) {
	e := r.Exports
	if e == nil {
		return
	}
	b.WriteString("## Exports\n\n")
	if len(e.Files) == 0 {
		fmt.Fprintf(b, "No campaign export was written: %s.\n\n", mdText(e.Note))
		return
	}
	fmt.Fprintf(b, "%s customers who accept marketing are in the campaign files of `%s/` (%s others are left out). "+
		"Tags are `rfm:<segment>`, `cluster:<key>` and `group:<id>`; Google and Meta get SHA-256 hashes of the "+
		"trimmed, lower-cased emails.", FormatInt(int64(e.Exported)), mdCode(e.Dir), FormatInt(int64(e.Skipped)))
	if e.InvalidEmails > 0 {
		fmt.Fprintf(b, " %s customers have an email that is not a valid address: they are never exported, and "+
			"`invalid_emails.csv` lists them with the reason.", FormatInt(int64(e.InvalidEmails)))
	}
	if e.Note != "" {
		fmt.Fprintf(b, " Note: %s.", mdText(e.Note))
	}
	b.WriteString("\n\n")
	for _, f := range e.Files {
		fmt.Fprintf(b, "- `%s/%s`\n", mdCode(e.Dir), mdCode(f))
	}
	b.WriteString("\n")
	if e.Previous {
		fmt.Fprintf(b, "%s tags were removed since the previous run from the customers it exported (`tags_removed.csv`): remove them in the tools too.\n\n", FormatInt(int64(e.TagsRemoved)))
	}
}

// codeList writes names as code: "`a`, `b` and `c`".
func codeList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "`" + mdCode(n) + "`"
	}
	return joinWords(out)
}
