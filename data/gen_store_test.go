package data

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestWriteGeneratedStoreHashes compares the files with SHA-256 recorded
// from the generator before it streamed (GenerateStore and WriteStore at
// commit c0eb19b, which held the store in memory and sorted it stably): the
// same options must keep giving the same bytes.
func TestWriteGeneratedStoreHashes(t *testing.T) {
	if puregoBuild {
		// The hashes were recorded with parquet-go's assembly; the other
		// tests here still compare the streaming writer with the reference.
		t.Skip("skipping: parquet-go built with -tags purego writes other bytes for the same rows")
	}
	for _, c := range []struct {
		o    GenOptions
		want []string // storeFiles' hashes
	}{
		{GenOptions{Customers: 7, Seed: 2}, []string{
			"aaafe378a728cadcca4c0fd982b1024358ecfc78425f6c39577985cd4d02ccdd",
			"0db62cecc9c7139224754822b03a0a08eb78ecb666ea540df2dfdf9f69a18f47",
			"6bbb90605b7f7014987fffde1db6c60c5fa9915bd7af43c7c537f1390604a7ab",
			"d0df9d95d3f9244c1538647d329dd38447c237524f16bd608dd2d87f57423677",
			"701ed29f165a3391f73f2b8713172adf54888feeac333cac8fe75eda67de99e5",
		}},
		{GenOptions{Customers: 1000, Seed: 1}, []string{
			"5b03129fdadc9801011885f10967d320c92daa627241762537886e08d1d57137",
			"ec034ea5afa3d11b6d0430f892927c808c74e0d60d66dcf261f0af9dddf87048",
			"6bbb90605b7f7014987fffde1db6c60c5fa9915bd7af43c7c537f1390604a7ab",
			"2e98ac20dd0e0fdc164ab5f28b34a6ce55bde8940b67cb39bbc4d9bc09bf5fb0",
			"c2595b89b15444c6979384842730c010f17b6cfce1d65051bdd342ef9ff96973",
		}},
	} {
		t.Run(fmt.Sprintf("customers=%d,seed=%d", c.o.Customers, c.o.Seed), func(t *testing.T) {
			dir := t.TempDir()
			if err := WriteGeneratedStore(context.Background(), dir, c.o); err != nil {
				t.Fatal(err)
			}
			for i, b := range readStore(t, dir) {
				sum := sha256.Sum256(b)
				if got := hex.EncodeToString(sum[:]); got != c.want[i] {
					t.Errorf("%s: SHA-256 %s, want %s", storeFiles[i], got, c.want[i])
				}
			}
		})
	}
}

// TestWriteGeneratedStoreReference compares the streamed files with an
// in-memory reference, with blocks small enough that the lines and events
// go through many run files.
func TestWriteGeneratedStoreReference(t *testing.T) {
	for _, c := range []struct {
		name  string
		o     GenOptions
		block int
		long  bool
	}{
		{"one customer", GenOptions{Customers: 1, Seed: 1}, genBlockRecords, false},
		{"prospects", GenOptions{Customers: 90, Prospects: 15, Seed: 5}, 500, false},
		{"many runs", GenOptions{Customers: 700, Seed: 2}, 3000, false},
		// More than MaxRowsPerRowGroup lines and events: several row
		// groups, encoded concurrently.
		{"row groups", GenOptions{Customers: 13000, Seed: 3}, 1 << 18, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.long && testing.Short() {
				t.Skip("a large store in -short mode")
			}
			defer func(b int) { genBlockRecords = b }(genBlockRecords)
			genBlockRecords = c.block
			dir := t.TempDir()
			if err := WriteGeneratedStore(context.Background(), dir, c.o); err != nil {
				t.Fatal(err)
			}
			got := readStore(t, dir)
			for i, want := range referenceStore(t, c.o) {
				if !bytes.Equal(got[i], want) {
					t.Errorf("%s differs from the reference (%d bytes, want %d)", storeFiles[i], len(got[i]), len(want))
				}
			}
		})
	}
}

// referenceStore returns storeFiles' bytes for o built the simplest way:
// every record generated in memory, turned into rows with fmt, sorted
// stably by (time, order_id) and (time, customer_id, type), and written
// with WriteParquet's code in the generator's layout.
func referenceStore(t *testing.T, o GenOptions) [][]byte {
	n, prospects := o.sizes()
	g := newGenerator(o.Seed)
	for i := range n + prospects {
		g.add(uint32(i), i >= n)
	}
	width := len(fmt.Sprint(n + prospects))
	id := func(cust uint32) string { return fmt.Sprintf("C%0*d", width, cust+1) }
	product := func(p uint16) string {
		return productID(catalogue[int(p)/productsPerCategory], int(p)%productsPerCategory)
	}

	type line struct {
		order, cust, product, category, coupon string
		t                                      time.Time
		qty                                    int64
		price, discount                        float64
	}
	lines := make([]line, len(g.lines))
	for i, l := range g.lines {
		prefix, coupon := "O", ""
		if l.flags&lineReturn != 0 {
			prefix = "R"
		}
		if c := l.flags & lineCoupon; c != 0 {
			coupon = fmt.Sprintf("SAVE%d", 5*c)
		}
		lines[i] = line{fmt.Sprintf("%s%08d", prefix, l.order), id(l.cust), product(l.product),
			catalogue[int(l.product)/productsPerCategory], coupon, time.UnixMicro(l.t).UTC(),
			int64(l.qty), float64(l.price) / 100, float64(l.discount) / 100}
	}
	slices.SortStableFunc(lines, func(a, b line) int { return cmp.Or(a.t.Compare(b.t), cmp.Compare(a.order, b.order)) })
	orders := &Table{Columns: slices.Clone(ordersColumns)}
	for _, l := range lines {
		oc := orders.Columns
		oc[0].Strings, oc[1].Strings = append(oc[0].Strings, l.order), append(oc[1].Strings, l.cust)
		oc[2].Times, oc[3].Strings = append(oc[2].Times, l.t), append(oc[3].Strings, l.product)
		oc[4].Strings, oc[5].Ints = append(oc[4].Strings, l.category), append(oc[5].Ints, l.qty)
		oc[6].Floats, oc[7].Floats = append(oc[6].Floats, l.price), append(oc[7].Floats, l.discount)
		oc[8].Strings = append(oc[8].Strings, l.coupon)
	}

	type event struct {
		cust, typ, product string
		t                  time.Time
	}
	events := make([]event, len(g.events))
	for i, e := range g.events {
		p := ""
		if e.product != noProduct {
			p = product(e.product)
		}
		events[i] = event{id(e.cust), string(eventTypes[e.typ]), p, time.UnixMicro(e.t).UTC()}
	}
	slices.SortStableFunc(events, func(a, b event) int {
		return cmp.Or(a.t.Compare(b.t), cmp.Compare(a.cust, b.cust), cmp.Compare(a.typ, b.typ))
	})
	ev := &Table{Columns: slices.Clone(eventsColumns)}
	for _, e := range events {
		ev.Columns[0].Strings = append(ev.Columns[0].Strings, e.cust)
		ev.Columns[1].Times = append(ev.Columns[1].Times, e.t)
		ev.Columns[2].Strings = append(ev.Columns[2].Strings, e.typ)
		ev.Columns[3].Strings = append(ev.Columns[3].Strings, e.product)
	}

	customers, truth := &Table{Columns: slices.Clone(customersColumns)}, &Table{Columns: slices.Clone(truthColumns)}
	for i, p := range g.profiles {
		c := id(uint32(i))
		cc := customers.Columns
		cc[0].Strings, cc[1].Strings = append(cc[0].Strings, c), append(cc[1].Strings, c+"@example.com")
		cc[2].Strings, cc[3].Strings = append(cc[2].Strings, cities[p.city].city), append(cc[3].Strings, cities[p.city].country)
		cc[4].Bools, cc[5].Times = append(cc[4].Bools, p.newsletter), append(cc[5].Times, time.UnixMicro(p.signup).UTC())
		cc[6].Bools, cc[7].Strings = append(cc[6].Bools, p.b2b), append(cc[7].Strings, ageBands[p.age])
		tc := truth.Columns
		tc[0].Strings, tc[1].Strings = append(tc[0].Strings, c), append(tc[1].Strings, string(personaBytes[p.persona]))
		for k := range traitNames {
			tc[2+k].Bools = append(tc[2+k].Bools, p.traits&(1<<k) != 0)
		}
	}

	var files [][]byte
	for _, tab := range []*Table{orders, customers, productsTable(), ev, truth} {
		var b bytes.Buffer
		if err := writeParquet(&b, Whole(tab), storeLayout, MaxRowsPerRowGroup); err != nil {
			t.Fatal(err)
		}
		files = append(files, b.Bytes())
	}
	return files
}

// countdownCtx is a context whose Err is nil for its first n calls and
// context.Canceled after, so that a test can stop WriteGeneratedStore at
// each of its checks in turn.
type countdownCtx struct {
	context.Context
	n atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestWriteGeneratedStoreCancel(t *testing.T) {
	defer func(b int) { genBlockRecords = b }(genBlockRecords)
	genBlockRecords = 20000 // run files exist when it stops
	o := GenOptions{Customers: 3000, Seed: 1}
	// Count the checks of a whole run.
	counter := &countdownCtx{Context: context.Background()}
	counter.n.Store(1 << 40)
	if err := WriteGeneratedStore(counter, t.TempDir(), o); err != nil {
		t.Fatal(err)
	}
	checks := 1<<40 - counter.n.Load()
	if checks < 5 {
		t.Fatalf("%d checks of ctx in a run, want some in generating and in merging", checks)
	}
	for k := range checks {
		ctx := &countdownCtx{Context: context.Background()}
		ctx.n.Store(k)
		dir := t.TempDir()
		err := WriteGeneratedStore(ctx, dir, o)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stopped at check %d of %d: error %v, want context.Canceled", k+1, checks, err)
		}
		if left, _ := os.ReadDir(dir); len(left) > 0 {
			t.Fatalf("stopped at check %d of %d: left %v in the directory", k+1, checks, left)
		}
	}
}

// TestGeneratedStoreKeepsOthersFiles: the generator never overwrites a
// file, and when it fails it removes only the files it made.
func TestGeneratedStoreKeepsOthersFiles(t *testing.T) {
	dir := t.TempDir()
	theirs := filepath.Join(dir, "events.parquet") // one of the store's names, someone else's file
	if err := os.WriteFile(theirs, []byte("not ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteGeneratedStore(context.Background(), dir, GenOptions{Customers: 50, Seed: 1}); err == nil {
		t.Fatal("the store was written over an existing file")
	}
	if b, err := os.ReadFile(theirs); err != nil || string(b) != "not ours" {
		t.Errorf("the existing file now holds %q (%v)", b, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "events.parquet" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
