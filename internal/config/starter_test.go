package config

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segment-tool/segment/data"
	"gopkg.in/yaml.v3"
)

// starterInput is an inspected CSV whose column names need quoting in
// YAML, with discounts and a category, and its guessed mapping.
func starterInput(orders string) (*data.Inspection, data.Mapping) {
	in := &data.Inspection{Path: orders, Format: "csv", Columns: []data.ColumnInfo{
		{Name: "Kunde #"}, {Name: "Beleg"}, {Name: `Zeit "lokal"`, TimeFormat: "02.01.2006 15:04"},
		{Name: `Betrag\EUR`}, {Name: "Rabatt: Aktion"}, {Name: "Rabatt Treue"}, {Name: "Warengruppe"},
	}}
	m := data.Mapping{
		Columns: map[string]string{
			"customer_id": "Kunde #", "order_id": "Beleg", "time": `Zeit "lokal"`,
			"amount": `Betrag\EUR`, "category": "Warengruppe",
		},
		Discounts: []string{"Rabatt: Aktion", "Rabatt Treue"},
	}
	return in, m
}

// TestWriteStarterLoads: the starter file loads with Load as is, and maps
// the columns, however their names must be quoted, back to themselves.
func TestWriteStarterLoads(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "starter.yaml")
	orders := filepath.Join(dir, "orders.csv")
	in, m := starterInput(orders)
	if err := WriteStarter(file, []StarterTable{{Path: orders, In: in, Guess: data.TableGuess{Kind: data.OrdersTable, Mapping: m}}}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(file)
	if err != nil {
		b, _ := os.ReadFile(file)
		t.Fatalf("the starter file does not load: %v\n%s", err, b)
	}
	col := c.Orders.Columns.Data()
	if c.Orders.Path != orders || col.CustomerID != "Kunde #" || col.OrderID != "Beleg" || col.Time != `Zeit "lokal"` ||
		col.Amount != `Betrag\EUR` || col.Category != "Warengruppe" || !slices.Equal(col.Discount, m.Discounts) {
		t.Errorf("orders.path %q, columns %+v", c.Orders.Path, col)
	}
	if c.Orders.TimeFormat != "02.01.2006 15:04" {
		t.Errorf("orders.time_format %q", c.Orders.TimeFormat)
	}
	if c.Clustering.K != "auto" || c.Clustering.KMin != 2 || c.Clustering.KMax != 12 {
		t.Errorf("clustering %+v", c.Clustering)
	}
	if want := []string{"recency_days", "frequency", "monetary", "aov", "discount_ratio", "category_mix"}; !slices.Equal(c.Clustering.Use, want) {
		t.Errorf("clustering.use = %q, want %q", c.Clustering.Use, want)
	}
	if c.Customers != nil || c.Products != nil || c.Events != nil {
		t.Error("the starter file sets an optional table; it should only suggest them")
	}
}

// TestWriteStarterRefusesToOverwrite: an existing file is left as it was
// and the error says so.
func TestWriteStarterRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "segment.yaml")
	const before = "orders: {path: mine.csv}\n"
	if err := os.WriteFile(file, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	in, m := starterInput(filepath.Join(dir, "orders.csv"))
	err := WriteStarter(file, []StarterTable{{Path: in.Path, In: in, Guess: data.TableGuess{Kind: data.OrdersTable, Mapping: m}}})
	if want := "inspect: " + file + " exists; not overwriting it"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if after, _ := os.ReadFile(file); string(after) != before {
		t.Errorf("the file was overwritten:\n%s", after)
	}
}

func TestStarterUse(t *testing.T) {
	base := []string{"recency_days", "frequency", "monetary", "aov"}
	for _, c := range []struct {
		name string
		m    data.Mapping
		want []string
	}{
		{"orders only", data.Mapping{Columns: map[string]string{"customer_id": "c"}}, base},
		{"discounts", data.Mapping{Discounts: []string{"d"}}, append(slices.Clone(base), "discount_ratio")},
		{"category", data.Mapping{Columns: map[string]string{"category": "cat"}}, append(slices.Clone(base), "category_mix")},
		{"both", data.Mapping{Columns: map[string]string{"category": "cat"}, Discounts: []string{"d"}}, append(slices.Clone(base), "discount_ratio", "category_mix")},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := starterUse(c.m, c.m.Columns["category"] != ""); !slices.Equal(got, c.want) {
				t.Errorf("starterUse = %q, want %q", got, c.want)
			}
		})
	}
}

// TestYAMLString: a quoted string reads back as itself.
func TestYAMLString(t *testing.T) {
	for _, s := range []string{"plain", `a "quoted" name`, `C:\orders\2024.csv`, "# not a comment", "key: value", "", "\t", "a\nb\r"} {
		// Decoded only: the currency's value is checked by Validate.
		var c File
		if err := yaml.Unmarshal([]byte("currency: "+yamlString(s)+"\n"), &c); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if c.Currency != s {
			t.Errorf("yamlString(%q) reads back as %q", s, c.Currency)
		}
	}
}

// TestWriteStarterDialect: a ";" file with decimal commas and day/month
// dates gets a starter that loads, with the dialect (and the encoding of
// a file that is not UTF-8) and a strftime
// time_format; dates that read both ways leave time_format as a comment
// that says why.
func TestWriteStarterDialect(t *testing.T) {
	for _, c := range []struct {
		name, rows, format string
	}{
		{"day first", "c1;o1;25/04/2021 10:00;12,50\n", "%d/%m/%Y %H:%M"},
		{"ambiguous", "c1;o1;03/04/2021 10:00;12,50\n", ""},
		{"windows-1252", "M\xfcller;o1;25/04/2021 10:00;12,50\n", "%d/%m/%Y %H:%M"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			orders := filepath.Join(dir, "orders.csv")
			if err := os.WriteFile(orders, []byte("customer_id;order_id;time;amount\n"+c.rows), 0o644); err != nil {
				t.Fatal(err)
			}
			in, err := data.Inspect(context.Background(), orders)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "starter.yaml")
			if err := WriteStarter(file, []StarterTable{{Path: orders, In: in, Guess: data.GuessTable(in.Columns)}}); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(file)
			cfg, err := Load(file)
			if err != nil {
				t.Fatalf("the starter file does not load: %v\n%s", err, b)
			}
			if cfg.Orders.Delimiter != ";" || cfg.Orders.Decimal != "," || cfg.Orders.TimeFormat != c.format {
				t.Errorf("orders %+v, want ; , and %q\n%s", cfg.Orders, c.format, b)
			}
			if enc := cfg.Orders.Encoding; (enc == data.EncodingWindows1252) != (c.name == "windows-1252") {
				t.Errorf("orders.encoding %q\n%s", enc, b)
			}
			if c.format == "" && !strings.Contains(string(b), "# time_format:") {
				t.Errorf("no time_format comment:\n%s", b)
			}
		})
	}
}

// TestWriteStarterTables: an optional table gets its section with the
// columns found; a products table the order lines cannot join (no
// product_id) is named in a comment, not configured, and clustering.use
// takes the category mix from a products table only when it is joined.
func TestWriteStarterTables(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	in, m := starterInput(orders)
	delete(m.Columns, "category")
	// A launch time the default layouts read: no time_format.
	products := StarterTable{Path: filepath.Join(dir, "products.csv"),
		In:    &data.Inspection{Columns: []data.ColumnInfo{{Name: "launched", Kind: data.KindTime, TimeFormat: "2006-01-02", Examples: []string{"2024-01-05"}}}},
		Guess: data.TableGuess{Kind: data.ProductsTable, Mapping: data.Mapping{Columns: map[string]string{"product_id": "sku", "category": "dept", "launch_time": "launched"}}}}
	// A signup time in a layout Inspect found that the default layouts do
	// not read: the section's time_format.
	customers := StarterTable{Path: filepath.Join(dir, "people.csv"),
		In:    &data.Inspection{Columns: []data.ColumnInfo{{Name: "Mail", Kind: data.KindString}, {Name: "Seit", Kind: data.KindTime, TimeFormat: "01/02/2006", Examples: []string{"12/24/2023"}}}},
		Guess: data.TableGuess{Kind: data.CustomersTable, Mapping: data.Mapping{Columns: map[string]string{"customer_id": "Kunde #", "email": "Mail", "signup_time": "Seit"}}}}
	// Day/month dates that read both ways: a time_format the user must
	// fill in, asked for in a comment.
	events := StarterTable{Path: filepath.Join(dir, "events.csv"),
		In:    &data.Inspection{Columns: []data.ColumnInfo{{Name: "when", Kind: data.KindTime, TimeNote: "03/04/2021 10:01 reads both ways", TimeGuess: "%d/%m/%Y %H:%M"}}},
		Guess: data.TableGuess{Kind: data.EventsTable, Mapping: data.Mapping{Columns: map[string]string{"customer_id": "who", "time": "when", "type": "what"}}}}
	for _, c := range []struct {
		name      string
		productID string
		joined    bool
	}{{"no product_id in the orders", "", false}, {"product_id in the orders", "Artikel", true}} {
		t.Run(c.name, func(t *testing.T) {
			om := data.Mapping{Columns: maps.Clone(m.Columns), Discounts: m.Discounts}
			if c.productID != "" {
				om.Columns["product_id"] = c.productID
			}
			file := filepath.Join(t.TempDir(), "starter.yaml")
			tables := []StarterTable{customers, {Path: orders, In: in, Guess: data.TableGuess{Kind: data.OrdersTable, Mapping: om}}, products, events}
			if err := WriteStarter(file, tables); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(file)
			cfg, err := Load(file)
			if err != nil {
				t.Fatalf("the starter file does not load: %v\n%s", err, b)
			}
			if cfg.Customers == nil || cfg.Customers.Columns["email"] != "Mail" || cfg.Customers.Columns["customer_id"] != "Kunde #" || cfg.Customers.TimeFormat != "01/02/2006" {
				t.Errorf("customers section %+v\n%s", cfg.Customers, b)
			}
			if cfg.Events == nil || cfg.Events.Columns["time"] != "when" || cfg.Events.TimeFormat != "" ||
				!strings.Contains(string(b), "events:\n  path: ") || !strings.Contains(string(b), `  # time_format: "%d/%m/%Y %H:%M"   # REQUIRED: 03/04/2021 10:01 reads both ways`) {
				t.Errorf("events section %+v: want time mapped and time_format asked for\n%s", cfg.Events, b)
			}
			if cfg.Products != nil && cfg.Products.TimeFormat != "" {
				t.Errorf("products' time_format %q for dates the default layouts read", cfg.Products.TimeFormat)
			}
			if joined := cfg.Products != nil && cfg.Products.Columns["category"] == "dept"; joined != c.joined {
				t.Errorf("products section %+v, want joined %v\n%s", cfg.Products, c.joined, b)
			}
			if !c.joined && !strings.Contains(string(b), "no product_id column to join") {
				t.Errorf("no comment on the products table that cannot be joined\n%s", b)
			}
			if got := slices.Contains(cfg.Clustering.Use, "category_mix"); got != c.joined {
				t.Errorf("clustering.use %q: category_mix %v, want %v", cfg.Clustering.Use, got, c.joined)
			}
		})
	}
}

// TestWriteStarterCustomersByEmail: order lines whose customers are told
// apart by e-mail (Mapping.Notes) join a customers table on its e-mail
// column, whatever id column it has, with a comment; the table's own
// mapping is left as it was for the caller.
func TestWriteStarterCustomersByEmail(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	in, m := starterInput(orders)
	m.Columns["customer_id"] = "Mail"
	m.Notes = map[string]string{"customer_id": "no customer id column: customers told apart by e-mail"}
	own := map[string]string{"customer_id": "Customer ID", "email": "E-Mail"}
	customers := StarterTable{Path: filepath.Join(dir, "customers.csv"), In: &data.Inspection{},
		Guess: data.TableGuess{Kind: data.CustomersTable, Mapping: data.Mapping{Columns: own}}}
	file := filepath.Join(dir, "starter.yaml")
	if err := WriteStarter(file, []StarterTable{{Path: orders, In: in, Guess: data.TableGuess{Kind: data.OrdersTable, Mapping: m}}, customers}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	cfg, err := Load(file)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if cfg.Customers == nil || cfg.Customers.Columns["customer_id"] != "E-Mail" || cfg.Customers.Columns["email"] != "E-Mail" ||
		!strings.Contains(string(b), `customer_id: "E-Mail"   # as the order lines: customers told apart by e-mail`) ||
		!strings.Contains(string(b), `customer_id: "Mail"   # no customer id column: customers told apart by e-mail`) {
		t.Errorf("customers section %+v\n%s", cfg.Customers, b)
	}
	if own["customer_id"] != "Customer ID" {
		t.Errorf("the caller's mapping changed: %v", own)
	}
}

// TestWriteStarterCancellation: the values of the status column that read
// as a line cancelled, returned or refunded in full are the starter's
// cancellation.status, quoted however they are written, with the others
// in a comment; a status column without such values, or none, leaves the
// commented example.
func TestWriteStarterCancellation(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	for _, c := range []struct {
		name   string
		values []string
		want   []string
	}{
		{"refunds", []string{"Voided", "paid", "partially_refunded", "refunded: \"full\"", "pending"}, []string{"Voided", `refunded: "full"`}},
		{"none", []string{"paid", "shipped"}, nil},
		{"too many to list", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, m := starterInput(orders)
			in.Columns = append(in.Columns, data.ColumnInfo{Name: "Status #1", Values: c.values})
			m.Columns["status"] = "Status #1"
			file := filepath.Join(t.TempDir(), "starter.yaml")
			if err := WriteStarter(file, []StarterTable{{Path: orders, In: in, Guess: data.TableGuess{Kind: data.OrdersTable, Mapping: m}}}); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(file)
			cfg, err := Load(file)
			if err != nil {
				t.Fatalf("%v\n%s", err, b)
			}
			if got := cfg.Orders.Cancellation.Status; !slices.Equal(got, c.want) {
				t.Errorf("cancellation.status %q, want %q\n%s", got, c.want, b)
			}
			if c.want == nil && !strings.Contains(string(b), "  # cancellation: {order_id_prefix:") {
				t.Errorf("no commented example:\n%s", b)
			}
			if c.want != nil && !strings.Contains(string(b), `its others count as purchases: "paid", "partially_refunded", "pending"`) {
				t.Errorf("the other values not listed:\n%s", b)
			}
			// A payment not made yet is named in a comment, not left out.
			if x := cfg.Orders.Exclude; c.name == "refunds" && (x != nil || !strings.Contains(string(b), `#   exclude status "pending" too`)) {
				t.Errorf("exclude %+v, want none and pending in a comment\n%s", x, b)
			}
		})
	}
}

// TestWriteStarterOffsets: times that carry offsets from UTC (Shopify's
// "-0500") get a comment beside timezone saying that days are counted in
// UTC unless it names the store's zone; times without do not.
func TestWriteStarterOffsets(t *testing.T) {
	dir := t.TempDir()
	orders := filepath.Join(dir, "orders.csv")
	for _, offsets := range [][]string{{"-05:00", "-04:00"}, nil} {
		in, m := starterInput(orders)
		in.Columns[2].Offsets = offsets
		file := filepath.Join(t.TempDir(), "starter.yaml")
		if err := WriteStarter(file, []StarterTable{{Path: orders, In: in, Guess: data.TableGuess{Kind: data.OrdersTable, Mapping: m}}}); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(file)
		if _, err := Load(file); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		hint := strings.Contains(string(b), "  # timezone: UTC   # the times carry offsets (-05:00, -04:00): days")
		if hint != (offsets != nil) {
			t.Errorf("offsets %q: hint %v\n%s", offsets, hint, b)
		}
	}
}
