package exports

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/segment-tool/segment/data"
)

// The files WriteAll writes, and their headers as the tools document them:
//
//   - Klaviyo list import: "Email" identifies the profile; other columns
//     become custom properties.
//   - Mailchimp audience import: "Email Address" and "Tags" (several tags
//     comma-separated in one field).
//   - Shopify customer CSV: "Email", "Accepts Email Marketing" (yes or no)
//     and "Tags" (comma-separated); headers are case-sensitive.
//   - Google Ads Customer Match: "Email", SHA-256 of the normalised address.
//   - Meta custom audience: "email", SHA-256 of the normalised address.
const (
	KlaviyoFile     = "klaviyo.csv"
	MailchimpFile   = "mailchimp.csv"
	ShopifyFile     = "shopify_customers.csv"
	GoogleFile      = "google_customer_match.csv"
	MetaFile        = "meta_custom_audience.csv"
	TagsRemovedFile = "tags_removed.csv"
)

// Summary counts the rows written to each file.
type Summary struct {
	Exported      int // contacts who accept marketing and have a valid email
	Skipped       int // the others
	InvalidEmails int // contacts with an email that is not valid (EmailProblem), whether or not they accept marketing
	TagsRemoved   int
}

// WriteAll writes the export files into dir (which must exist), rows
// sorted by customer id. previous maps a customer id to the tags it had
// in the previous run (nil without one); tags_removed.csv lists, for every
// customer of cs in previous, the tags it no longer has (customer_id,
// email, tag), whether or not it accepts marketing, so that the tags can be
// removed in the tools too. A contact whose email is not valid
// (EmailProblem) is never exported: invalid_emails.csv lists it with the
// reason (customer_id, email, reason), whether or not it accepts marketing.
//
// With bom, every file starts with a UTF-8 byte order mark (for Excel).
// WriteAll returns ctx.Err() once ctx is done (checked every 4,096 rows).
func WriteAll(ctx context.Context, dir string, cs []Contact, previous map[string][]string, bom bool) (Summary, error) {
	sorted := slices.Clone(cs)
	slices.SortFunc(sorted, func(a, b Contact) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
	var ok []Contact
	var invalid [][]string
	var s Summary
	for _, c := range sorted {
		if why := EmailProblem(c.Email); why != "" {
			invalid = append(invalid, []string{c.CustomerID, c.Email, why})
			continue
		}
		if c.AcceptsMarketing && strings.TrimSpace(c.Email) != "" {
			ok = append(ok, c)
		}
	}
	s.Exported, s.Skipped, s.InvalidEmails = len(ok), len(sorted)-len(ok), len(invalid)
	if err := writeCSV(ctx, filepath.Join(dir, InvalidEmailsFile), []string{"customer_id", "email", "reason"}, invalid, bom); err != nil {
		return s, err
	}
	var props []string
	if len(ok) > 0 {
		for _, p := range ok[0].Properties {
			props = append(props, p.Name)
		}
	}
	files := []struct {
		name   string
		header []string
		row    func(c Contact) []string
	}{
		{KlaviyoFile, append([]string{"Email"}, props...), func(c Contact) []string {
			row := []string{strings.TrimSpace(c.Email)}
			for _, p := range c.Properties {
				row = append(row, p.Value)
			}
			return row
		}},
		{MailchimpFile, []string{"Email Address", "Tags"}, func(c Contact) []string {
			return []string{strings.TrimSpace(c.Email), strings.Join(c.Tags, ",")}
		}},
		{ShopifyFile, []string{"Email", "Accepts Email Marketing", "Tags"}, func(c Contact) []string {
			return []string{strings.TrimSpace(c.Email), "yes", strings.Join(c.Tags, ", ")}
		}},
		{GoogleFile, []string{"Email"}, func(c Contact) []string { return []string{HashEmail(c.Email)} }},
		{MetaFile, []string{"email"}, func(c Contact) []string { return []string{HashEmail(c.Email)} }},
	}
	for _, f := range files {
		var rows [][]string
		for i, c := range ok {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return s, err
				}
			}
			rows = append(rows, f.row(c))
		}
		if err := writeCSV(ctx, filepath.Join(dir, f.name), f.header, rows, bom); err != nil {
			return s, err
		}
	}
	var removed [][]string
	for _, c := range sorted {
		prev, known := previous[c.CustomerID]
		if !known {
			continue
		}
		for _, tag := range prev {
			if !slices.Contains(c.Tags, tag) {
				removed = append(removed, []string{c.CustomerID, strings.TrimSpace(c.Email), tag})
			}
		}
	}
	s.TagsRemoved = len(removed)
	return s, writeCSV(ctx, filepath.Join(dir, TagsRemovedFile), []string{"customer_id", "email", "tag"}, removed, bom)
}

// writeCSV writes a CSV file of header and rows, returning ctx.Err() once
// ctx is done (checked every 4,096 rows).
func writeCSV(ctx context.Context, path string, header []string, rows [][]string, bom bool) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("exports: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("exports: close %s: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriter(f)
	if bom {
		bw.WriteString("\ufeff")
	}
	w := csv.NewWriter(bw)
	if err := w.Write(header); err != nil {
		return fmt.Errorf("exports: %w", err)
	}
	for i, row := range rows {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if bom { // for Excel: no cell read as a formula
			for j, s := range row {
				if h := header[j]; h != "Email" && h != "Email Address" { // a campaign tool's address, valid, is uploaded as it is: +deals@x.com
					row[j] = data.ExcelSafe(s)
				}
			}
		}
		if err := w.Write(row); err != nil {
			return fmt.Errorf("exports: write %s: %w", filepath.Base(path), err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("exports: write %s: %w", filepath.Base(path), err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("exports: write %s: %w", filepath.Base(path), err)
	}
	return nil
}
