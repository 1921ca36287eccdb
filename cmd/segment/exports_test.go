package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
)

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// TestExports runs twice on a generated store, first on the history up to
// June 2025 then on all of it, and checks the campaign files: documented
// headers, only consenting customers, hashes of the normalised emails, ASCII
// prefixed tags, and tags_removed.csv listing the previous RFM tag of every
// exported customer whose segment changed, and no one else.
func TestExports(t *testing.T) {
	dir := t.TempDir()
	store, out := filepath.Join(dir, "store"), filepath.Join(dir, "out")
	mustSegment(t, "gen", "-customers", "1500", "-seed", "12", "-out", store)
	args := []string{"run", "-quiet", "-orders", filepath.Join(store, "orders.parquet"),
		"-customers", filepath.Join(store, "customers.parquet"), "-k", "5", "-out", out}
	mustSegment(t, append(args, "-as-of", "2025-06-01")...) // history up to June, then all of it
	firstSeg := readColumn(t, filepath.Join(out, "assignments.parquet"), "customer_id", "rfm_segment")
	mustSegment(t, args...)

	tab, err := data.ReadTable(context.Background(), filepath.Join(out, "assignments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	seg := readColumn(t, filepath.Join(out, "assignments.parquet"), "customer_id", "rfm_segment")
	news, mail := tab.Column("newsletter"), tab.Column("email")
	var consenting []string
	consents := map[string]bool{} // by customer id
	for i, id := range tab.Column("customer_id").Strings {
		if !news.IsNull(i) && news.Bools[i] && mail.Strings[i] != "" {
			consenting = append(consenting, strings.ToLower(strings.TrimSpace(mail.Strings[i])))
			consents[id] = true
		}
	}
	slices.Sort(consenting)
	ex := filepath.Join(out, "exports")
	headers := map[string][]string{
		"klaviyo.csv":               {"Email", "customer_id", "rfm_segment", "cluster_key", "cluster_name", "recency_days", "frequency", "monetary"},
		"mailchimp.csv":             {"Email Address", "Tags"},
		"shopify_customers.csv":     {"Email", "Accepts Email Marketing", "Tags"},
		"google_customer_match.csv": {"Email"},
		"meta_custom_audience.csv":  {"email"},
		"tags_removed.csv":          {"customer_id", "email", "tag"},
	}
	for file, h := range headers {
		recs := readCSVFile(t, filepath.Join(ex, file))
		if !slices.Equal(recs[0][:len(h)], h) {
			t.Errorf("%s header %v, want it to start with %v", file, recs[0], h)
		}
		if file != "tags_removed.csv" && len(recs)-1 != len(consenting) {
			t.Errorf("%s: %d rows, want the %d consenting customers", file, len(recs)-1, len(consenting))
		}
	}
	var hashes []string
	for _, e := range consenting {
		sum := sha256.Sum256([]byte(e))
		hashes = append(hashes, hex.EncodeToString(sum[:]))
	}
	slices.Sort(hashes)
	var got []string
	for _, r := range readCSVFile(t, filepath.Join(ex, "meta_custom_audience.csv"))[1:] {
		got = append(got, r[0])
	}
	slices.Sort(got)
	if !slices.Equal(got, hashes) {
		t.Error("meta_custom_audience.csv hashes differ from SHA-256 of the consenting customers' normalised emails")
	}
	for _, r := range readCSVFile(t, filepath.Join(ex, "mailchimp.csv"))[1:] {
		for _, tag := range strings.Split(r[1], ",") {
			if !strings.HasPrefix(tag, "rfm:") && !strings.HasPrefix(tag, "cluster:") && !strings.HasPrefix(tag, "group:") {
				t.Fatalf("tag %q lacks a known prefix", tag)
			}
			for _, c := range tag {
				if c > 127 || c == ' ' {
					t.Fatalf("tag %q is not plain ASCII", tag)
				}
			}
		}
	}
	// Klaviyo's properties are the customer's.
	for _, r := range readCSVFile(t, filepath.Join(ex, "klaviyo.csv"))[1:] {
		if !consents[r[1]] || r[2] != seg[r[1]] {
			t.Fatalf("klaviyo.csv row %q: want a consenting customer's id and RFM segment (%q)", r, seg[r[1]])
		}
	}
	// A tag removed is one a customer the first run exported (the same
	// customers table: those who consent) no longer has; a customer it did
	// not export is in no tool and never listed.
	removed := map[[2]string]bool{}
	for _, r := range readCSVFile(t, filepath.Join(ex, "tags_removed.csv"))[1:] {
		removed[[2]string{r[0], r[2]}] = true
		if r[2] == "rfm:"+seg[r[0]] {
			t.Fatalf("tags_removed.csv row %q: the customer is still in %s", r, seg[r[0]])
		}
		if !consents[r[0]] {
			t.Fatalf("tags_removed.csv row %q: the first run did not export the customer", r)
		}
	}
	changed, unexported := 0, 0
	for id, s := range seg {
		if prev, ok := firstSeg[id]; ok && prev != s {
			if !consents[id] {
				unexported++
				continue
			}
			changed++
			if !removed[[2]string{id, "rfm:" + prev}] {
				t.Fatalf("%s moved from %s to %s but tags_removed.csv lacks rfm:%s", id, prev, s, prev)
			}
		}
	}
	if unexported == 0 {
		t.Error("no customer without consent changed segment: the test shows nothing of them")
	}
	if changed == 0 {
		t.Fatal("no customer changed RFM segment: the test shows nothing")
	}

	// A re-run of the same date into the same folder (a retry) lists the
	// same removals: the replaced file's rows are carried over, so none
	// is lost before the tools have applied them.
	removedBefore, err := os.ReadFile(filepath.Join(ex, "tags_removed.csv"))
	if err != nil {
		t.Fatal(err)
	}
	mustSegment(t, args...)
	if again, err := os.ReadFile(filepath.Join(ex, "tags_removed.csv")); err != nil || string(again) != string(removedBefore) {
		t.Errorf("the re-run's tags_removed.csv differs from the run it replaced (%v)", err)
	}
}
