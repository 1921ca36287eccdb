package featurejob

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/segment-tool/segment/data"
	"github.com/segment-tool/segment/features"
	"github.com/segment-tool/segment/internal/config"
	"github.com/segment-tool/segment/internal/pipeline"
)

// customersRow is a row of the customers table as withProspects writes
// it.
type customersRow struct {
	CustomerID string `parquet:"customer_id"`
	Email      string `parquet:"email,optional"`
	City       string `parquet:"city"`
	Newsletter *bool  `parquet:"newsletter,optional"`
	SignupTime int64  `parquet:"signup_time,timestamp(microsecond)"`
}

// withProspects writes the generated store's customers table (in dir)
// in row groups of 150 rows, without every 11th customer (who has orders
// only), with a customer of every 6 in a city padded with spaces, one of
// every 5 without a newsletter flag, and 400 prospects in " Lyon ", a city
// the store's customers with orders do not live in; it returns the file.
func withProspects(t *testing.T, dir string) string {
	t.Helper()
	tab, err := data.ReadTable(context.Background(), filepath.Join(dir, "customers.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	ids, email, city, news, signup := tab.Column("customer_id"), tab.Column("email"), tab.Column("city"), tab.Column("newsletter"), tab.Column("signup_time")
	var rows []customersRow
	for i, id := range ids.Strings {
		if i%11 == 3 {
			continue
		}
		r := customersRow{CustomerID: id, Email: email.Strings[i], City: city.Strings[i], SignupTime: signup.Times[i].UnixMicro()}
		if i%6 == 1 {
			r.City = "  " + r.City + " "
		}
		if i%5 != 2 {
			r.Newsletter = &news.Bools[i]
		}
		rows = append(rows, r)
	}
	for i := range 400 {
		rows = append(rows, customersRow{CustomerID: fmt.Sprintf("P%04d", i), City: " Lyon ", SignupTime: signup.Times[0].UnixMicro()})
	}
	path := filepath.Join(t.TempDir(), "customers.parquet")
	writeRowGroups(t, path, rows, 150)
	return path
}

// TestCustomersMatchLocal runs job 1 on Prism with a customers table
// (withProspects: several row groups, prospects, padded cities, null
// flags) and checks that its shards hold every row of the table, in the
// shard of its id, with the columns and nulls the local reader gives
// (features.ReadCustomerTable); that the prospects, rows, columns and the
// cities of the city_ groups (the table's city, trimmed, winning over
// the orders', prospects counted) are a local run's; and that the shard
// files are byte-identical whatever the cores Prism's workers get and its
// dynamic splitting. The orders' city column is mapped explicitly, so
// that the table's cities win over the orders' (blank) ones, trimmed; the
// other case (the table's as they are, when the orders give none) is
// segment-beam's TestCustomersOnPrism's.
func TestCustomersMatchLocal(t *testing.T) {
	orders, split := testStore(t)
	customers := withProspects(t, filepath.Dir(orders))
	var first []string
	withPrismSettings(t, func(t *testing.T) {
		// The split files' city column (blank) mapped explicitly: the
		// order lines give cities, so the table's win, trimmed.
		cfg := Config{Orders: split, Out: t.TempDir(), Shards: 5, MinShare: 0.01, Seed: 1, Customers: customers,
			Columns: data.DefaultOrderColumns(), AttributesMapped: [3]bool{true, false, false}}
		sum, o, in := runWithLocal(t, cfg)
		ctx := context.Background()
		in, err := pipeline.JoinCustomers(ctx, in, &config.Table{Path: customers}, nil)
		if err != nil {
			t.Fatal(err)
		}
		seg, err := pipeline.Segment(ctx, in, &o)
		if err != nil {
			t.Fatal(err)
		}
		cuts := features.GroupCutsOf(seg.All, seg.Attrs.WithCity(nil), o.Thresholds)
		want := &CustomersFit{Rows: int64(len(in.Customers.IDs)), Prospects: int64(len(in.Prospects)), Columns: []string{"email", "newsletter", "city", "signup_time"}}
		if got := sum.Fit.Customers; !reflect.DeepEqual(got, want) || !slices.Equal(sum.Fit.GroupCuts.Cities, cuts.Cities) {
			t.Fatalf("customers %+v, cities %q: want %+v, %q", got, sum.Fit.GroupCuts.Cities, want, cuts.Cities)
		}
		if !slices.Contains(cuts.Cities, "Lyon") {
			t.Fatalf("cities %q: want the prospects' Lyon among them", cuts.Cities)
		}
		var hashes []string
		seen := 0
		for k := range sum.Shards {
			part, err := readCustomerShard(context.Background(), &cfg, localFiles(cfg.Out), sum, k)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range part.IDs {
				if s := shardOf(id, len(sum.Shards)); s != k {
					t.Fatalf("customer %s in shard %d, want %d", id, k, s)
				}
			}
			if got, want := part.ColumnsFor(part.IDs), in.Customers.ColumnsFor(part.IDs); !reflect.DeepEqual(got, want) {
				t.Fatalf("shard %d: columns differ from the local reader's", k)
			}
			seen += len(part.IDs)
			hashes = append(hashes, fileHash(t, filepath.Join(cfg.Out, FeaturesDir, CustomersName(k, len(sum.Shards)))))
		}
		if seen != len(in.Customers.IDs) {
			t.Fatalf("%d rows in the shards, want %d", seen, len(in.Customers.IDs))
		}
		if first == nil {
			first = hashes
		} else if !slices.Equal(hashes, first) {
			t.Fatalf("shard hashes %v, first run's %v", hashes, first)
		}
	})
}
