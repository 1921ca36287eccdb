package exports

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

	"github.com/segment-tool/segment/internal/translit"
)

func TestHashEmail(t *testing.T) {
	// printf %s test@example.com | sha256sum
	const want = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"
	for _, in := range []string{"test@example.com", "  Test@Example.COM ", "TEST@EXAMPLE.COM\t"} {
		if got := HashEmail(in); got != want {
			t.Errorf("HashEmail(%q) = %s, want %s", in, got, want)
		}
	}
	sum := sha256.Sum256([]byte("ana.pop@mail.ro"))
	if got := HashEmail(" Ana.Pop@Mail.RO"); got != hex.EncodeToString(sum[:]) {
		t.Errorf("HashEmail = %s", got)
	}
}

// TestGoogleHash: Gmail addresses lose the periods before the @, as
// Google asks; other addresses hash as HashEmail hashes them.
func TestGoogleHash(t *testing.T) {
	cases := map[string]string{
		" Ana.Pop@Gmail.com":     "anapop@gmail.com",
		"a.n.a@googlemail.com":   "ana@googlemail.com",
		"ana.pop@mail.ro":        "ana.pop@mail.ro",
		"ana.pop@gmail.com.evil": "ana.pop@gmail.com.evil",
		"no-at-sign":             "no-at-sign",
	}
	for in, want := range cases {
		if got := GoogleEmail(in); got != want {
			t.Errorf("GoogleEmail(%q) = %q, want %q", in, got, want)
		}
		sum := sha256.Sum256([]byte(want))
		if got := GoogleHash(in); got != hex.EncodeToString(sum[:]) {
			t.Errorf("GoogleHash(%q) = %s, want the hash of %q", in, got, want)
		}
	}
	if GoogleHash("ana.pop@mail.ro") != HashEmail("ana.pop@mail.ro") {
		t.Error("GoogleHash and HashEmail differ on an address that is not Gmail's")
	}
}

func TestTag(t *testing.T) {
	cases := map[[2]string]string{
		{"rfm", "champions"}:                              "rfm:champions",
		{"city", "Cluj-Napoca"}:                           "city:cluj-napoca",
		{"city", "Bucureşti"}:                             "city:bucuresti",
		{"cluster", "High-spend lapsed customers (pets)"}: "cluster:high-spend_lapsed_customers__pets_",
		{"group", "vip_top5"}:                             "group:vip_top5",
		{"city", "Zürich, Straße"}:                        "city:zurich__strasse",
		{"x", "日本"}:                                       "x:" + translit.Token("日本"),
		{"x", "Tokyo 日本"}:                                 "x:tokyo_" + translit.Token("Tokyo 日本"),
		{"group", "city_köln"}:                            "group:city_koln",
		{"city", "São Paulo"}:                             "city:sao_paulo",
		{"city", "Łódź"}:                                  "city:lodz",
		{"city", "Ærø, Þórshöfn"}:                         "city:aero__thorshofn",
	}
	for in, want := range cases {
		got := Tag(in[0], in[1])
		if got != want {
			t.Errorf("Tag(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
		for _, r := range got {
			if r > 127 {
				t.Errorf("Tag %q is not ASCII", got)
			}
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	props := func(seg string) []Property { return []Property{{"rfm_segment", seg}, {"cluster", "k1"}} }
	cs := []Contact{
		{CustomerID: "c2", Email: " Bo@Shop.com ", AcceptsMarketing: true, Tags: []string{"rfm:at_risk", "group:vip_top5", AudienceTag}, Properties: props("at_risk")},
		{CustomerID: "c1", Email: "ana@shop.com", AcceptsMarketing: true, Tags: []string{"rfm:champions", AudienceTag}, Properties: props("champions")},
		{CustomerID: "c3", Email: "no@shop.com", AcceptsMarketing: false, Tags: []string{"rfm:at_risk"}, Properties: props("at_risk")},
		{CustomerID: "c4", Email: "", AcceptsMarketing: true, Tags: []string{"rfm:lost"}, Properties: props("lost")},
		{CustomerID: "c5", Email: "never@shop.com", AcceptsMarketing: false, Tags: []string{"rfm:lost"}, Properties: props("lost")},
	}
	previous := map[string][]string{
		"c1": {"rfm:champions", "group:vip_top5", AudienceTag}, // lost vip_top5
		"c2": {"rfm:champions", AudienceTag},                   // lost champions
		"c3": {"rfm:at_risk", AudienceTag},                     // unsubscribed since: every tag in the tools goes, kept ones too
		"c5": {"rfm:at_risk"},                                  // never exported: in no tool, never listed
	}
	s, err := WriteAll(context.Background(), dir, cs, previous, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Exported != 2 || s.Skipped != 3 || s.TagsRemoved != 4 {
		t.Errorf("summary %+v", s)
	}
	want := map[string][][]string{
		KlaviyoFile:   {{"Email", "rfm_segment", "cluster"}, {"ana@shop.com", "champions", "k1"}, {"Bo@Shop.com", "at_risk", "k1"}},
		MailchimpFile: {{"Email Address", "Tags"}, {"ana@shop.com", "rfm:champions," + AudienceTag}, {"Bo@Shop.com", "rfm:at_risk,group:vip_top5," + AudienceTag}},
		ShopifyFile: {{"Email", "Accepts Email Marketing", "Tags"}, {"ana@shop.com", "yes", "rfm:champions, " + AudienceTag},
			{"Bo@Shop.com", "yes", "rfm:at_risk, group:vip_top5, " + AudienceTag}},
		GoogleFile: {{"Email"}, {HashEmail("ana@shop.com")}, {HashEmail("bo@shop.com")}},
		MetaFile:   {{"email"}, {HashEmail("ana@shop.com")}, {HashEmail("bo@shop.com")}},
		TagsRemovedFile: {{"customer_id", "email", "tag"}, {"c1", "ana@shop.com", "group:vip_top5"},
			{"c2", "Bo@Shop.com", "rfm:champions"}, {"c3", "no@shop.com", "rfm:at_risk"}, {"c3", "no@shop.com", AudienceTag}},
	}
	for file, rows := range want {
		got := readCSV(t, filepath.Join(dir, file))
		if !slices.EqualFunc(got, rows, slices.Equal) {
			t.Errorf("%s:\n got %q\nwant %q", file, got, rows)
		}
	}
	// Several tags share one quoted field.
	raw, _ := os.ReadFile(filepath.Join(dir, MailchimpFile))
	if !strings.Contains(string(raw), `"rfm:at_risk,group:vip_top5,group:newsletter_subscriber"`) {
		t.Errorf("mailchimp tags not quoted as one field:\n%s", raw)
	}
}

// TestWriteAllSameAddress: an address exported for one customer is not
// exported again for another whose address differs only in case and
// spaces (the tools would merge them, one set of tags lost at random): the
// second is listed in invalid_emails.csv naming the first.
func TestWriteAllSameAddress(t *testing.T) {
	dir := t.TempDir()
	cs := []Contact{
		{CustomerID: "a1", Email: "Upper@Example.COM", AcceptsMarketing: true, Tags: []string{"rfm:champions"}},
		{CustomerID: "a2", Email: " upper@example.com", AcceptsMarketing: true, Tags: []string{"rfm:lost"}},
		{CustomerID: "a3", Email: "other@example.com", AcceptsMarketing: true, Tags: []string{"rfm:lost"}},
	}
	// a2's lost tag is not listed: the address is a1's, who has it.
	s, err := WriteAll(context.Background(), dir, cs, map[string][]string{"a2": {"rfm:champions"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Exported != 2 || s.InvalidEmails != 1 || s.TagsRemoved != 0 {
		t.Errorf("summary %+v", s)
	}
	if got := readCSV(t, filepath.Join(dir, MailchimpFile)); len(got) != 3 || got[1][0] != "Upper@Example.COM" || got[2][0] != "other@example.com" {
		t.Errorf("mailchimp %q", got)
	}
	invalid := readCSV(t, filepath.Join(dir, InvalidEmailsFile))
	if len(invalid) != 2 || invalid[1][0] != "a2" || !strings.Contains(invalid[1][2], "the address of customer a1") {
		t.Errorf("invalid_emails %q", invalid)
	}
}

// TestWriteAllGmailDots: two Gmail addresses that differ only in the
// periods before the @ are two contacts for the other tools and one hash
// for Google Customer Match, listed once there.
func TestWriteAllGmailDots(t *testing.T) {
	dir := t.TempDir()
	cs := []Contact{
		{CustomerID: "g1", Email: "Fred.Bloggs@GMail.com", AcceptsMarketing: true},
		{CustomerID: "g2", Email: "fredbloggs@gmail.com", AcceptsMarketing: true},
		{CustomerID: "g3", Email: "ann@x.com", AcceptsMarketing: true},
	}
	s, err := WriteAll(context.Background(), dir, cs, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.Exported != 3 {
		t.Errorf("summary %+v", s)
	}
	if got := readCSV(t, filepath.Join(dir, MetaFile)); len(got) != 4 {
		t.Errorf("meta %q: want 3 hashes", got)
	}
	want := [][]string{{"Email"}, {GoogleHash("fredbloggs@gmail.com")}, {GoogleHash("ann@x.com")}}
	if got := readCSV(t, filepath.Join(dir, GoogleFile)); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("google %q, want %q", got, want)
	}
}

// TestWriterOrder: the Writer takes contacts in customer id order only;
// with nobody exported, Klaviyo's file still has its header.
func TestWriterOrder(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(context.Background(), dir, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(Contact{CustomerID: "b", Email: "b@shop.example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(Contact{CustomerID: "a", Email: "a@shop.example.com"}); err == nil || !strings.Contains(err.Error(), "not in id order") {
		t.Errorf("a contact out of order: %v", err)
	}
	if _, err := w.Close(); err == nil {
		t.Error("Close after a failed Add: no error")
	}
	w, err = NewWriter(context.Background(), dir, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	w.Add(Contact{CustomerID: "a", Email: "a@shop.example.com"}) // no consent
	s, err := w.Close()
	if err != nil || s.Exported != 0 || s.Skipped != 1 {
		t.Fatalf("summary %+v, error %v", s, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, KlaviyoFile))
	if err != nil || string(b) != "Email\n" {
		t.Errorf("klaviyo.csv with nobody exported: %q, %v", b, err)
	}
}

// TestWriterCarry: the rows of a replaced tags_removed.csv are listed again
// where the customer still lacks the tag, in customer id order, beside the
// tags removed since the previous run, each once; a customer no longer a
// contact keeps them all.
func TestWriterCarry(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(context.Background(), dir, TagMap{"c2": {"rfm:lost", AudienceTag}}, false)
	if err != nil {
		t.Fatal(err)
	}
	w.Carry([]RemovedTag{
		{"c9", "z@x.com", "rfm:champions"},  // after every contact
		{"c2", "b@x.com", "rfm:lost"},       // also removed since the previous run: listed once
		{"c1", "a@x.com", "rfm:at_risk"},    // has it again: not listed
		{"c0", "o@x.com", "group:vip_top5"}, // not a contact now
		{"c2", "b@x.com", "group:top20"},
	})
	for _, c := range []Contact{
		{CustomerID: "c1", Email: "a@x.com", AcceptsMarketing: true, Tags: []string{"rfm:at_risk", AudienceTag}},
		{CustomerID: "c2", Email: "b@x.com", AcceptsMarketing: true, Tags: []string{"rfm:champions", AudienceTag}},
	} {
		if err := w.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	s, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"customer_id", "email", "tag"}, {"c0", "o@x.com", "group:vip_top5"},
		{"c2", "b@x.com", "rfm:lost"}, {"c2", "b@x.com", "group:top20"}, {"c9", "z@x.com", "rfm:champions"}}
	if got := readCSV(t, filepath.Join(dir, TagsRemovedFile)); !slices.EqualFunc(got, want, slices.Equal) || s.TagsRemoved != 4 {
		t.Errorf("tags_removed.csv (%d counted):\n got %q\nwant %q", s.TagsRemoved, got, want)
	}
}

// TestReadRemovedTags: a tags_removed.csv a writer made, with the byte
// order mark or without, reads back as its rows; a missing file is none,
// another file an error.
func TestReadRemovedTags(t *testing.T) {
	for _, withBOM := range []bool{false, true} {
		dir := t.TempDir()
		w, err := NewWriter(context.Background(), dir, TagMap{"c1": {"rfm:lost", AudienceTag}}, withBOM)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(Contact{CustomerID: "c1", Email: "a@x.com", AcceptsMarketing: true, Tags: []string{AudienceTag}}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		rows, err := ReadRemovedTags(filepath.Join(dir, TagsRemovedFile))
		if want := []RemovedTag{{"c1", "a@x.com", "rfm:lost"}}; err != nil || !slices.Equal(rows, want) {
			t.Errorf("bom %t: rows %v (%v), want %v", withBOM, rows, err, want)
		}
		if rows, err := ReadRemovedTags(filepath.Join(dir, "none.csv")); rows != nil || err != nil {
			t.Errorf("no file: %v, %v", rows, err)
		}
		if _, err := ReadRemovedTags(filepath.Join(dir, KlaviyoFile)); err == nil {
			t.Error("klaviyo.csv read as a tags_removed.csv")
		}
	}
}
