package exports

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// Files are the names of every file the exports folder may hold.
var Files = []string{KlaviyoFile, MailchimpFile, ShopifyFile, GoogleFile, MetaFile, TagsRemovedFile, InvalidEmailsFile}

// Summary counts the rows written to each file.
type Summary struct {
	Exported      int // contacts who accept marketing and have a valid email
	Skipped       int // the others
	InvalidEmails int // contacts with an email that is not valid (EmailProblem), whether or not they accept marketing
	TagsRemoved   int
}

// PreviousTags gives the campaign tags each customer had in the previous
// run. A Writer asks for its contacts' ids in increasing order, each
// once, so that an implementation may read a previous run's rows, sorted
// by id, as it goes instead of holding them.
type PreviousTags interface {
	// Tags returns the tags of customer id, and false when the previous
	// run did not have the customer.
	Tags(id string) (tags []string, known bool, err error)
}

// TagMap is PreviousTags held in memory: a customer id's tags.
type TagMap map[string][]string

// Tags returns m[id].
func (m TagMap) Tags(id string) ([]string, bool, error) {
	tags, ok := m[id]
	return tags, ok, nil
}

// AudienceTag is the tag of the contacts who accept marketing (the
// newsletter_subscriber group): the contacts a run exports, whose tags are
// in the campaign tools.
const AudienceTag = "group:newsletter_subscriber"

// WriteAll writes the export files into dir (which must exist), rows
// sorted by customer id. previous maps a customer id to the tags it had
// in the previous run (nil without one); tags_removed.csv lists, for every
// customer of cs whose previous tags hold AudienceTag (the previous run
// exported it), the tags it no longer has (customer_id, email, tag), and
// every tag it had when this run does not export it (it no longer accepts
// marketing, or its address is gone or no longer valid), so that the tags
// can be removed in the tools too; a customer the previous run did not export is never
// listed (its address is in no tool, and it may not accept marketing). A contact whose email is not valid
// (EmailProblem) is never exported: invalid_emails.csv lists it with the
// reason (customer_id, email, reason), whether or not it accepts marketing.
//
// With bom, every file starts with a UTF-8 byte order mark (for Excel).
// WriteAll returns ctx.Err() once ctx is done (checked every 1,024 contacts).
// It is NewWriter given cs sorted: two contacts of one customer id are an
// error.
func WriteAll(ctx context.Context, dir string, cs []Contact, previous map[string][]string, bom bool) (Summary, error) {
	sorted := slices.Clone(cs)
	slices.SortFunc(sorted, func(a, b Contact) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
	var prev PreviousTags
	if previous != nil {
		prev = TagMap(previous)
	}
	w, err := NewWriter(ctx, dir, prev, bom)
	if err != nil {
		return Summary{}, err
	}
	for _, c := range sorted {
		if err := w.Add(c); err != nil {
			w.Close()
			return w.s, err
		}
	}
	return w.Close()
}

// Writer writes the export files of WriteAll a contact at a time, the
// contacts given in customer id order, so that memory does not grow with
// them.
type Writer struct {
	ctx      context.Context
	previous PreviousTags // nil: no previous run
	files    []*csvFile   // exportFiles' files, then invalid_emails.csv and tags_removed.csv
	props    []string     // the properties' names, from the first contact exported
	last     string       // the last contact's customer id
	n        int          // contacts added
	// sent maps the first 64 bits of each exported address's hash
	// (HashEmail) to its customer: one address is exported once.
	sent map[uint64]string
	// google holds the first 64 bits of each Google Customer Match hash
	// written (GoogleHash), which two addresses may share.
	google map[uint64]struct{}
	// carried are the rows of an earlier tags_removed.csv still to list
	// (Carry), in customer id order.
	carried []RemovedTag
	s       Summary
	err     error
}

// exportFile is a campaign tool's file: its name, header (for Klaviyo,
// "Email" and the properties' names) and a contact's row.
type exportFile struct {
	name   string
	header func(props []string) []string
	row    func(c Contact, hash string) []string // hash: HashEmail(c.Email)
}

// exportFiles are the campaign tools' files, in the order they are written.
var exportFiles = []exportFile{
	{KlaviyoFile, func(props []string) []string { return append([]string{"Email"}, props...) }, func(c Contact, _ string) []string {
		row := []string{strings.TrimSpace(c.Email)}
		for _, p := range c.Properties {
			row = append(row, p.Value)
		}
		return row
	}},
	{MailchimpFile, fixedHeader("Email Address", "Tags"), func(c Contact, _ string) []string {
		return []string{strings.TrimSpace(c.Email), strings.Join(c.Tags, ",")}
	}},
	{ShopifyFile, fixedHeader("Email", "Accepts Email Marketing", "Tags"), func(c Contact, _ string) []string {
		return []string{strings.TrimSpace(c.Email), "yes", strings.Join(c.Tags, ", ")}
	}},
	{GoogleFile, fixedHeader("Email"), func(c Contact, _ string) []string { return []string{GoogleHash(c.Email)} }},
	{MetaFile, fixedHeader("email"), func(_ Contact, hash string) []string { return []string{hash} }},
}

func fixedHeader(h ...string) func([]string) []string { return func([]string) []string { return h } }

// NewWriter creates the export files of WriteAll in dir (which must
// exist), with previous the previous run's tags (nil: none); Close
// completes them.
func NewWriter(ctx context.Context, dir string, previous PreviousTags, bom bool) (*Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := &Writer{ctx: ctx, previous: previous}
	names := []string{}
	for _, f := range exportFiles {
		names = append(names, f.name)
	}
	for _, name := range append(names, InvalidEmailsFile, TagsRemovedFile) {
		f, err := createCSV(filepath.Join(dir, name), bom)
		if err != nil {
			w.Close()
			return nil, err
		}
		w.files = append(w.files, f)
	}
	nf := len(exportFiles)
	w.files[nf].header = []string{"customer_id", "email", "reason"}
	w.files[nf+1].header = removedHeader
	return w, nil
}

// Add writes contact c, whose customer id must come after the last
// contact's.
func (w *Writer) Add(c Contact) error {
	if w.err != nil {
		return w.err
	}
	if w.n > 0 && c.CustomerID <= w.last {
		w.err = fmt.Errorf("exports: customer %q after %q: not in id order", c.CustomerID, w.last)
		return w.err
	}
	if w.n%1024 == 0 {
		if w.err = w.ctx.Err(); w.err != nil {
			return w.err
		}
	}
	w.last, w.n = c.CustomerID, w.n+1
	if w.err = w.flushCarried(c.CustomerID, false); w.err != nil {
		return w.err
	}
	nf := len(exportFiles)
	exported := false // this run exports c: its tags in the tools are its new ones
	if why := EmailProblem(c.Email); why != "" {
		w.s.InvalidEmails++
		w.err = w.files[nf].write([]string{c.CustomerID, c.Email, why})
	} else if MayExport(c.AcceptsMarketing, c.Email) {
		hash := HashEmail(c.Email)
		key, _ := strconv.ParseUint(hash[:16], 16, 64)
		if first, dup := w.sent[key]; dup {
			// Campaign tools match addresses whatever their case: a
			// second contact of the address would overwrite the first's
			// tags at random. Its lost tags are not listed either: the
			// address is the first customer's, whose tags they may be.
			w.s.InvalidEmails++
			w.err = w.files[nf].write([]string{c.CustomerID, c.Email, "the address of customer " + first + " (case and spaces aside), exported once, for " + first})
			return w.err
		}
		if w.sent == nil {
			w.sent = map[uint64]string{}
		}
		w.sent[key] = c.CustomerID
		w.err = w.export(c, hash)
		exported = true
	}
	if w.err != nil {
		return w.err
	}
	if w.previous == nil {
		w.err = w.carriedOf(c, nil)
		return w.err
	}
	prev, known, err := w.previous.Tags(c.CustomerID)
	if err != nil {
		w.err = err
		return err
	}
	var listed []string
	if known && slices.Contains(prev, AudienceTag) { // only a contact the previous run exported has tags in the tools
		for _, tag := range prev {
			// Not exported now (unsubscribed, its address gone or no
			// longer valid), it keeps none of its tags in the tools.
			if !exported || !slices.Contains(c.Tags, tag) {
				listed = append(listed, tag)
				if w.err = w.removed(RemovedTag{c.CustomerID, strings.TrimSpace(c.Email), tag}); w.err != nil {
					return w.err
				}
			}
		}
	}
	w.err = w.carriedOf(c, listed)
	return w.err
}

// export writes c, whose address hashes to hash, into the campaign
// tools' files.
func (w *Writer) export(c Contact, hash string) error {
	w.s.Exported++
	if w.s.Exported == 1 {
		for _, p := range c.Properties {
			w.props = append(w.props, p.Name)
		}
	}
	for i, f := range exportFiles {
		if w.files[i].header == nil {
			w.files[i].header = f.header(w.props)
		}
		row := f.row(c, hash)
		if f.name == GoogleFile {
			// Google drops the periods of a Gmail address before its @:
			// Fred.Bloggs@gmail.com and fredbloggs@gmail.com, two contacts
			// elsewhere, are one hash there, listed once.
			key, _ := strconv.ParseUint(row[0][:16], 16, 64)
			if _, dup := w.google[key]; dup {
				continue
			}
			if w.google == nil {
				w.google = map[uint64]struct{}{}
			}
			w.google[key] = struct{}{}
		}
		if err := w.files[i].write(row); err != nil {
			return err
		}
	}
	return nil
}

// Close completes and closes the files and returns what was written, or
// the first error of the writer.
func (w *Writer) Close() (Summary, error) {
	if w.err == nil && w.files != nil {
		w.err = w.flushCarried("", true)
	}
	w.s.Skipped = w.n - w.s.Exported
	for i, f := range w.files {
		if f.header == nil && i < len(exportFiles) { // nobody exported
			f.header = exportFiles[i].header(nil)
		}
		if err := f.close(); w.err == nil {
			w.err = err
		}
	}
	w.files = nil
	if w.err == nil {
		w.err = w.ctx.Err()
	}
	if w.err != nil {
		return w.s, w.err
	}
	w.err = errors.New("exports: the writer is closed")
	return w.s, nil
}

// csvFile is an export file being written: its header goes first, when
// the first row is written or at the latest at close.
type csvFile struct {
	path    string
	f       *os.File
	bw      *bufio.Writer
	w       *csv.Writer
	bom     bool
	header  []string
	written bool // the header
}

// utf8BOM is the UTF-8 byte order mark Excel looks for.
const utf8BOM = "\ufeff"

func createCSV(path string, withBOM bool) (*csvFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("exports: %w", err)
	}
	c := &csvFile{path: path, f: f, bw: bufio.NewWriter(f), bom: withBOM}
	if withBOM {
		c.bw.WriteString(utf8BOM)
	}
	c.w = csv.NewWriter(c.bw)
	return c, nil
}

// write writes row, after the header the first time.
func (c *csvFile) write(row []string) error {
	if !c.written {
		c.written = true
		if err := c.w.Write(c.header); err != nil {
			return fmt.Errorf("exports: %w", err)
		}
	}
	if row == nil {
		return nil
	}
	if c.bom { // for Excel: no cell read as a formula
		for j, s := range row {
			if h := c.header[j]; h != "Email" && h != "Email Address" { // a campaign tool's address, valid, is uploaded as it is: +deals@x.com
				row[j] = data.ExcelSafe(s)
			}
		}
	}
	if err := c.w.Write(row); err != nil {
		return fmt.Errorf("exports: write %s: %w", filepath.Base(c.path), err)
	}
	return nil
}

// close writes the header if no row was written, flushes and closes.
func (c *csvFile) close() (err error) {
	defer func() {
		if cerr := c.f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("exports: close %s: %w", c.path, cerr)
		}
	}()
	if c.header != nil {
		if err := c.write(nil); err != nil {
			return err
		}
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("exports: write %s: %w", filepath.Base(c.path), err)
	}
	if err := c.bw.Flush(); err != nil {
		return fmt.Errorf("exports: write %s: %w", filepath.Base(c.path), err)
	}
	return nil
}
