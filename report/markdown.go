package report

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
)

// Run is everything the Markdown report says about one run, as plain
// data. Numbers are in raw units (not scaled); the report formats them.
type Run struct {
	Title   string // report heading; "" means "Customer segments"
	Version string // tool version
	AsOf    time.Time
	Seed    uint64
	Inputs  []Input
	// Runner is the Apache Beam runner the run's jobs ran on; "" (a local
	// run) prints no runner line.
	Runner string
	// Currency is printed with every amount of the summaries ("" prints
	// none); Period is the dates of the first and last order.
	Currency string
	Period   Period
	// WindowDays is features.window_days: revenue, orders and spend count
	// the last WindowDays days before AsOf (0: all history).
	WindowDays int

	Quality Quality
	Elbow   Elbow

	// Features names the profile columns; Population describes them over
	// every clustered customer and each Cluster's Stats over the cluster,
	// in raw units.
	Features   []string
	Population Population
	Clusters   []Cluster // in the order the report lists them

	// Optional sections; nil or empty leaves them out.
	Concentration *Concentration
	Clustering    *Clustering
	RFM           *RFMSection
	Groups        []GroupRow
	Crosstab      *Crosstab
	Stability     *Stability
	Exports       *Exports
	CLV           *CLV
	Settings      []Setting

	Plots []Plot
}

// Input is one input file of the run.
type Input struct {
	Path   string // as given by the user
	SHA256 string // hex digest of the file's bytes
	Rows   int64
}

// Elbow is the sweep over the number of clusters and its outcome.
// Silhouette and CalinskiHarabasz may be nil (not computed) or hold NaN
// for a k where they were not computed.
type Elbow struct {
	Ks                                    []int
	Inertia, Silhouette, CalinskiHarabasz []float64
	K                                     int    // the number of clusters used
	KneeFound                             bool   // K is Kneedle's knee
	Knee                                  int    // Kneedle's knee, 0 if none (not K when its clusters were too small)
	Reason                                string // one sentence: why K
	Fixed                                 bool   // K was given by the user
	Skipped                               bool   // no clustering at all (K is 0): Reason says why
}

// Cluster is one segment's profile.
type Cluster struct {
	ID      int
	Key     string // stable key across runs
	Name    string
	Size    int
	Revenue float64
	Stats   ClusterStats // raw units, same order as Run.Features

	// RFMSegment is the cluster's most common RFM segment and RFMShare
	// the share of its customers in it ("" when not scored).
	RFMSegment string
	RFMShare   float64
	// Action, when set, is the recommended action; otherwise one is
	// derived from the cluster's strongest trait.
	Action string
	// RuleName, when set, is the name the naming rules give the cluster on
	// this run's customers, where the run kept a saved model's name
	// (segment assign) that differs from it.
	RuleName string
	// FreshName, when set, is the name the naming rules give this run's
	// numbers, where the cluster kept the previous run's name because
	// every word of it still holds (NameHolds).
	FreshName string

	Common []CommonValue // most common city, country, channel (attributes_md.go); nil: none
}

// Plot is an image the report embeds.
type Plot struct {
	Title   string
	Path    string // relative to the report, e.g. "plots/elbow.png"
	Caption string
}

// WriteMarkdown writes the report for r to w as GitHub-flavoured
// Markdown: run header, data quality, summary, how k was chosen, the
// segment profiles with a plain-language description and a suggested
// action for each segment, and the plots linked by their relative paths.
// The output depends only on r (map keys are sorted, no clock is read),
// so the same run gives the same bytes.
//
// WriteMarkdown returns an error if r is nil or inconsistent (slice
// lengths that do not match Features or Elbow.Ks, a plot path that is
// absolute or leaves the report's directory), and any error from w.
func WriteMarkdown(w io.Writer, r *Run) error {
	if err := validate(r); err != nil {
		return err
	}
	var b strings.Builder
	// What a marketing lead needs comes first (the summary, the segments
	// at a glance, the three to act on); details follow, and technical
	// material (data quality, thresholds, input hashes) closes the report.
	writeHeader(&b, r)
	writeGlance(&b, r)
	writeOverview(&b, r)
	writeSummary(&b, r)
	writeConcentration(&b, r)
	writeRFM(&b, r)
	writeGroups(&b, r)
	writeCLV(&b, r)
	writeProfiles(&b, r)
	writeCommonValues(&b, r)
	writeCrosstab(&b, r)
	writePlots(&b, r)
	writeStability(&b, r)
	writeExports(&b, r)
	writeClustering(&b, r)
	writeElbow(&b, r)
	writeQuality(&b, r)
	writeAppendix(&b, r)
	writeInputs(&b, r)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("report: write markdown: %w", err)
	}
	return nil
}

// validate checks that r can be reported.
func validate(r *Run) error {
	if r == nil {
		return errors.New("report: nil run")
	}
	e := r.Elbow
	if len(e.Inertia) != len(e.Ks) {
		return fmt.Errorf("report: elbow has %d inertia values for %d k values", len(e.Inertia), len(e.Ks))
	}
	if e.Silhouette != nil && len(e.Silhouette) != len(e.Ks) {
		return fmt.Errorf("report: elbow has %d silhouette values for %d k values", len(e.Silhouette), len(e.Ks))
	}
	if e.CalinskiHarabasz != nil && len(e.CalinskiHarabasz) != len(e.Ks) {
		return fmt.Errorf("report: elbow has %d Calinski–Harabasz values for %d k values", len(e.CalinskiHarabasz), len(e.Ks))
	}
	if len(r.Population.Median) != len(r.Features) || len(r.Population.Share) != len(r.Features) {
		return fmt.Errorf("report: %d population medians for %d features", len(r.Population.Median), len(r.Features))
	}
	for _, c := range r.Clusters {
		if st := c.Stats; len(st.Median) != len(r.Features) || len(st.Pos) != len(r.Features) || len(st.Share) != len(r.Features) {
			return fmt.Errorf("report: cluster %d has %d medians for %d features", c.ID, len(st.Median), len(r.Features))
		}
	}
	plots := r.Plots
	if c := r.Concentration; c != nil && c.Plot != nil {
		plots = append(slices.Clone(plots), *c.Plot)
	}
	if r.RFM != nil {
		plots = append(slices.Clone(plots), r.RFM.Plots...)
	}
	if r.Stability != nil {
		plots = append(slices.Clone(plots), r.Stability.Plots...)
		for _, x := range []*Crosstab{r.Stability.RFMMigration, r.Stability.ClusterMigration} {
			if err := checkCrosstab(x); err != nil {
				return err
			}
		}
	}
	for _, p := range plots {
		if _, err := plotLink(p.Path); err != nil {
			return err
		}
	}
	return checkCrosstab(r.Crosstab)
}

// checkCrosstab checks that a crosstab (nil is fine) has one count per
// row and column.
func checkCrosstab(x *Crosstab) error {
	if x == nil {
		return nil
	}
	if len(x.Counts) != len(x.Rows) {
		return fmt.Errorf("report: crosstab has %d rows of counts for %d rows", len(x.Counts), len(x.Rows))
	}
	for i, row := range x.Counts {
		if len(row) != len(x.Cols) {
			return fmt.Errorf("report: crosstab row %d has %d counts for %d columns", i, len(row), len(x.Cols))
		}
	}
	if x.RowNames != nil && len(x.RowNames) != len(x.Rows) || x.ColNames != nil && len(x.ColNames) != len(x.Cols) {
		return fmt.Errorf("report: crosstab has %d row and %d column names for %d rows and %d columns", len(x.RowNames), len(x.ColNames), len(x.Rows), len(x.Cols))
	}
	return nil
}

// plotLink returns the URL-escaped relative link for a plot path. The
// path must be relative, use forward slashes and stay inside the report's
// directory, so that the report and its plots can be moved together.
func plotLink(p string) (string, error) {
	clean := path.Clean(p)
	switch {
	case p == "":
		return "", errors.New("report: plot with an empty path")
	case path.IsAbs(p), strings.Contains(p, "\\"), strings.Contains(p, ":"):
		return "", fmt.Errorf("report: plot path %q must be relative, with forward slashes", p)
	case clean == ".." || strings.HasPrefix(clean, "../"):
		return "", fmt.Errorf("report: plot path %q leaves the report's directory", p)
	}
	parts := strings.Split(clean, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/"), nil
}

func writeHeader(b *strings.Builder, r *Run) {
	title := cmp.Or(r.Title, "Customer segments")
	fmt.Fprintf(b, "# %s\n\n", mdText(title))
	if r.AsOf.IsZero() { // a feature table: no dates
		fmt.Fprintf(b, "segment %s · a feature table, used as it is: no analysis date · seed %d",
			mdText(cmp.Or(r.Version, "(version unknown)")), r.Seed)
	} else {
		fmt.Fprintf(b, "segment %s · data as of **%s** (orders before this date) · orders %s · seed %d",
			mdText(cmp.Or(r.Version, "(version unknown)")), r.AsOf.Format(time.DateOnly), periodText(r.Period), r.Seed)
	}
	if r.Currency != "" {
		fmt.Fprintf(b, " · amounts in %s", mdText(r.Currency))
	}
	b.WriteString("\n\n")
	if r.Runner != "" {
		fmt.Fprintf(b, "Run on Apache Beam (runner **%s**): features and assignments by the jobs, the model fitted on a sample on the submitting machine.\n\n", mdText(r.Runner))
	}
}

// writeInputs lists the input files with their rows and SHA-256, at the
// end of the report.
func writeInputs(b *strings.Builder, r *Run) {
	if len(r.Inputs) == 0 {
		return
	}
	b.WriteString("## Appendix: inputs\n\n")
	b.WriteString("| Input | Rows | SHA-256 |\n|---|---:|---|\n")
	for _, in := range r.Inputs {
		fmt.Fprintf(b, "| `%s` | %s | `%s` |\n", mdCode(in.Path), FormatInt(in.Rows), shortHash(in.SHA256))
	}
	b.WriteString("\n")
}

// shortHash returns the first 12 hex digits of a digest, enough to tell
// inputs apart at a glance (run.json has the full digest).
func shortHash(h string) string {
	if h == "" {
		return "–"
	}
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}

func writeSummary(b *strings.Builder, r *Run) {
	q := r.Quality
	b.WriteString("## Summary\n\n| | |\n|---|---:|\n")
	fmt.Fprintf(b, "| Customers | %s |\n", FormatInt(int64(q.Customers)))
	fmt.Fprintf(b, "| Orders | %s |\n", FormatInt(int64(q.Orders)))
	fmt.Fprintf(b, "| Revenue | %s |\n", r.money(q.Revenue))
	if q.Customers > 0 {
		fmt.Fprintf(b, "| Revenue per customer | %s |\n", r.money(q.Revenue/float64(q.Customers)))
		fmt.Fprintf(b, "| Orders per customer | %s |\n", formatNumber(float64(q.Orders)/float64(q.Customers)))
	}
	if q.Orders > 0 {
		fmt.Fprintf(b, "| Revenue per order (AOV: revenue ÷ orders) | %s |\n", r.money(q.Revenue/float64(q.Orders)))
	}
	b.WriteString("\n")
	if r.WindowDays > 0 {
		fmt.Fprintf(b, "Orders and revenue are those of the last %d days before %s (`features.window_days`); customers are every customer with an order before it, those who bought only before the window included.\n\n",
			r.WindowDays, r.AsOf.Format(time.DateOnly))
	}
}

func writeElbow(b *strings.Builder, r *Run) {
	e := r.Elbow
	b.WriteString("## How the number of segments was chosen\n\n")
	switch {
	case e.Skipped:
		b.WriteString("**The customers were not clustered**, so no segment was computed:")
	case e.Fixed:
		fmt.Fprintf(b, "**k = %d was fixed by the user**; the elbow method did not choose it.", e.K)
		if len(e.Ks) > 0 {
			b.WriteString(" The sweep below is shown for reference.")
		}
	case !e.KneeFound && e.Knee > 0:
		fmt.Fprintf(b, "**The elbow is at k = %d, but k = %d was used**: at the elbow a segment would be below the minimum size.", e.Knee, e.K)
	case !e.KneeFound:
		b.WriteString("**No clear elbow**: the inertia curve has no knee")
		if len(e.Ks) > 0 {
			fmt.Fprintf(b, " between k = %d and k = %d", slices.Min(e.Ks), slices.Max(e.Ks))
		}
		fmt.Fprintf(b, ", so k = %d was chosen by the fallback rule.", e.K)
	default:
		fmt.Fprintf(b, "The elbow of the inertia curve (Kneedle, Satopää et al. 2011) is at **k = %d**.", e.K)
	}
	if e.Reason != "" {
		fmt.Fprintf(b, " %s", mdText(e.Reason))
	}
	b.WriteString("\n\n")
	if len(e.Ks) == 0 {
		return
	}
	b.WriteString("Inertia is the total squared distance between customers and the centre of their segment: it always " +
		"falls as k grows, and the elbow is where adding a segment stops paying off. ")
	if e.Silhouette != nil {
		b.WriteString("The silhouette (from −1 to 1) says how much closer customers are to their own segment than to the next one; higher is better. ")
	}
	if e.CalinskiHarabasz != nil {
		b.WriteString("Calinski–Harabasz compares the spread between segments with the spread within them; higher is better.")
	}
	b.WriteString("\n\n| k | Inertia |")
	align := "|---:|---:|"
	if e.Silhouette != nil {
		b.WriteString(" Silhouette |")
		align += "---:|"
	}
	if e.CalinskiHarabasz != nil {
		b.WriteString(" Calinski–Harabasz |")
		align += "---:|"
	}
	b.WriteString(" |\n" + align + "---|\n")
	for i, k := range e.Ks {
		ks, mark := fmt.Sprint(k), ""
		if k == e.K {
			ks, mark = "**"+ks+"**", "← chosen"
		}
		fmt.Fprintf(b, "| %s | %s |", ks, formatNumber(e.Inertia[i]))
		if e.Silhouette != nil {
			fmt.Fprintf(b, " %s |", formatFixed(e.Silhouette[i], 3))
		}
		if e.CalinskiHarabasz != nil {
			fmt.Fprintf(b, " %s |", formatNumber(e.CalinskiHarabasz[i]))
		}
		fmt.Fprintf(b, " %s |\n", mark)
	}
	b.WriteString("\n")
}

func writePlots(b *strings.Builder, r *Run) {
	if len(r.Plots) == 0 {
		return
	}
	b.WriteString("## Plots\n\n")
	for _, p := range r.Plots {
		link, _ := plotLink(p.Path) // checked by validate
		title := cmp.Or(p.Title, path.Base(p.Path))
		fmt.Fprintf(b, "### %s\n\n![%s](%s)\n\n", mdText(title), mdText(title), link)
		if p.Caption != "" {
			fmt.Fprintf(b, "%s\n\n", mdText(p.Caption))
		}
	}
}

// mdText escapes the characters that Markdown would read as markup or as
// a table cell boundary in plain text.
func mdText(s string) string {
	var b strings.Builder
	for _, c := range s {
		if bidiControl(c) {
			continue
		}
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#':
			b.WriteByte('\\')
		case '\n', '\r':
			c = ' '
		}
		b.WriteRune(c)
	}
	return b.String()
}

// mdCode makes s safe inside a single-backtick code span in a table.
func mdCode(s string) string {
	s = strings.NewReplacer("`", "'", "|", "\\|", "\n", " ", "\r", " ").Replace(s)
	return strings.Map(func(c rune) rune {
		if bidiControl(c) {
			return -1
		}
		return c
	}, s)
}

// bidiControl reports whether c is an invisible control of the text's
// direction (an override, embedding, isolate or mark): from the data, it
// would reverse the report's figures around it ("91.7 %" shown as
// "% 7.19"), so the report drops it.
func bidiControl(c rune) bool {
	return c == '\u061c' || c == '\u200e' || c == '\u200f' || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069'
}

// fraction returns num/den, NaN when den is 0.
func fraction(num, den float64) float64 {
	if den == 0 {
		return math.NaN()
	}
	return num / den
}
