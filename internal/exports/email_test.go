package exports

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEmailProblem(t *testing.T) {
	for _, c := range []struct {
		email string
		want  string // a part of the reason; "" for a valid email
	}{
		{"ana@shop.com", ""},
		{"  Ana.Pop+news@Mail.example.RO ", ""},
		{"", ""}, // no email: not exported, but not invalid
		{"o'brien@shop.ie", ""},
		{"ana", "missing '@'"},
		{"ana@", "not an email address"},
		{"@shop.com", "not an email address"},
		{"ana@@shop.com", "not an email address"},
		{"ana pop@shop.com", "not an email address"},
		{"Ana <ana@shop.com>", "not a bare address"},
		{"<ana@shop.com>", "not a bare address"},
		{"ana@shop.com (Ana)", "not a bare address"},
		{"ana@localhost", "not a full internet domain"},
		{"ana@shop.", "not an email address"},
		{"ana@shop..com", "not an email address"},
		{"ana@shop.com, bo@shop.com", "not an email address"},
	} {
		t.Run(c.email, func(t *testing.T) {
			got := EmailProblem(c.email)
			if (got == "") != (c.want == "") || !strings.Contains(got, c.want) {
				t.Errorf("EmailProblem(%q) = %q, want %q", c.email, got, c.want)
			}
		})
	}
}

// TestWriteAllLeavesOutInvalidEmails: an invalid email is in no export
// file, and invalid_emails.csv lists it with the reason, consent or not.
func TestWriteAllLeavesOutInvalidEmails(t *testing.T) {
	dir := t.TempDir()
	props := []Property{{"rfm_segment", "champions"}}
	cs := []Contact{
		{CustomerID: "c1", Email: "ana@shop.com", AcceptsMarketing: true, Tags: []string{"rfm:champions"}, Properties: props},
		{CustomerID: "c2", Email: "Bo <bo@shop.com>", AcceptsMarketing: true, Tags: []string{"rfm:champions"}, Properties: props},
		{CustomerID: "c3", Email: "not-an-email", AcceptsMarketing: false, Tags: []string{"rfm:champions"}, Properties: props},
		{CustomerID: "c4", Email: "", AcceptsMarketing: true, Tags: []string{"rfm:champions"}, Properties: props},
	}
	s, err := WriteAll(context.Background(), dir, cs, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Exported != 1 || s.Skipped != 3 || s.InvalidEmails != 2 {
		t.Errorf("summary %+v, want 1 exported, 3 skipped, 2 invalid", s)
	}
	got := readCSV(t, filepath.Join(dir, InvalidEmailsFile))
	want := [][]string{{"customer_id", "email", "reason"},
		{"c2", "Bo <bo@shop.com>", EmailProblem("Bo <bo@shop.com>")},
		{"c3", "not-an-email", EmailProblem("not-an-email")}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("%s:\n got %q\nwant %q", InvalidEmailsFile, got, want)
	}
	for _, f := range []string{KlaviyoFile, MailchimpFile, ShopifyFile} {
		for _, row := range readCSV(t, filepath.Join(dir, f))[1:] {
			if row[0] != "ana@shop.com" {
				t.Errorf("%s exports %q", f, row[0])
			}
		}
	}
	for _, f := range []string{GoogleFile, MetaFile} {
		if rows := readCSV(t, filepath.Join(dir, f)); len(rows) != 2 || rows[1][0] != HashEmail("ana@shop.com") {
			t.Errorf("%s = %q, want only ana's hash", f, rows)
		}
	}
}

// TestWriteAllForExcel: with bom (-excel), no cell of an export runs as a
// formula in a spreadsheet: text starting with "=" gets a ', numbers keep
// their sign; without it the values are exported as they are.
func TestWriteAllForExcel(t *testing.T) {
	cs := []Contact{{CustomerID: "=HYPERLINK(\"http://x\")", Email: "+deals@shop.com", AcceptsMarketing: true, Tags: []string{"rfm:champions"},
		Properties: []Property{{"clv", "-3.5"}, {"city", "=cmd|' /C calc'!A0"}}}}
	for _, bom := range []bool{false, true} {
		dir := t.TempDir()
		if _, err := WriteAll(context.Background(), dir, cs, nil, bom); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, KlaviyoFile))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		guarded := strings.Contains(text, "'=cmd") && !strings.Contains(text, ",=cmd") && strings.Contains(text, ",-3.5")
		raw := strings.Contains(text, ",=cmd") && strings.Contains(text, ",-3.5")
		if !strings.Contains(text, "+deals@shop.com") || strings.Contains(text, "'+deals") { // an address is uploaded as it is
			t.Errorf("bom %v: the e-mail address changed: %s", bom, text)
		}
		if bom && !guarded || !bom && !raw {
			t.Errorf("bom %v: %s", bom, text)
		}
	}
}

// TestPlainAddress: every address plainAddress lets through without the
// parser is one net/mail's path accepts too, among strings made of the
// characters that matter around it (letters, digits, dots, @, symbols,
// spaces, brackets, non-ASCII); and the common addresses take the
// shortcut.
func TestPlainAddress(t *testing.T) {
	for _, s := range []string{"ana@shop.com", "Ana.Pop+news@Mail.example.RO", "a_b%c-d@x-y.z9.com"} {
		if !plainAddress(s) {
			t.Errorf("plainAddress(%q) = false, want true", s)
		}
	}
	alphabet := []string{"a", "Z", "0", ".", "@", "-", "_", "+", "%", "'", " ", "<", ">", "(", ")", ",", "\"", "é", "\\", ":", ";", "[", "]"}
	rng := rand.New(rand.NewPCG(1, 2))
	plain := 0
	word := func(b *strings.Builder) {
		for range 1 + rng.IntN(6) {
			if rng.IntN(4) == 0 { // a character of any kind
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			} else { // a letter, a digit or a dot
				b.WriteString(alphabet[rng.IntN(4)])
			}
		}
	}
	for range 200_000 {
		// Two words about an @: many are addresses, or nearly.
		var b strings.Builder
		word(&b)
		if rng.IntN(8) != 0 {
			b.WriteByte('@')
		}
		word(&b)
		s := strings.TrimSpace(b.String())
		if s == "" || !plainAddress(s) {
			continue
		}
		plain++
		if why := parsedEmailProblem(s); why != "" {
			t.Fatalf("plainAddress(%q) = true, but net/mail's path says %q", s, why)
		}
	}
	if plain < 1000 {
		t.Errorf("only %d plain addresses generated: the test checks too little", plain)
	}
}

// TestContactEmail: a cell that says missing is no address (not listed as
// an invalid one); any other cell is kept as written.
func TestContactEmail(t *testing.T) {
	for cell, want := range map[string]string{"": "", "  ": "", "NULL": "", "n/a": "", " None ": "", "#N/A": "",
		"ana@x.com": "ana@x.com", " Bo@X.com ": " Bo@X.com ", "null@x.com": "null@x.com", "nope": "nope"} {
		if got := ContactEmail(cell); got != want {
			t.Errorf("ContactEmail(%q) = %q, want %q", cell, got, want)
		}
	}
}
