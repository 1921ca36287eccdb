package features

import (
	"slices"
	"testing"

	"github.com/segment-tool/segment/data"
)

func TestMergeAttributes(t *testing.T) {
	ids := []string{"a", "b", "c", "d"}
	tests := []struct {
		name                               string
		orders                             [3][]string // the table's City, Country, Channel
		city, country                      []string    // the customers table's
		mapped                             [3]bool
		wantCity, wantCountry, wantChannel []string
		fromOrders                         [3]bool
	}{
		{
			name:   "customers table wins when not blank",
			orders: [3][]string{{"Berlin", "Paris", "", "Lyon"}, {"DE", "FR", "", ""}, {"web", "app", "", "web"}},
			city:   []string{" Munich ", "", "Nice", "   "}, country: []string{"AT", "", "", ""},
			wantCity: []string{"Munich", "Paris", "Nice", "Lyon"}, wantCountry: []string{"AT", "FR", "", ""},
			wantChannel: []string{"web", "app", "", "web"}, fromOrders: [3]bool{true, true, true},
		},
		{
			name: "customers table only", city: []string{" Munich ", "", "Nice", ""},
			wantCity: []string{" Munich ", "", "Nice", ""}, // as the table has it
		},
		{
			name: "orders only", orders: [3][]string{nil, {"DE", "FR", "", ""}, nil},
			wantCountry: []string{"DE", "FR", "", ""}, fromOrders: [3]bool{false, true, false},
		},
		{
			name: "mapped without values", mapped: [3]bool{true, false, true}, country: []string{"AT", "", "", ""},
			wantCity: []string{"", "", "", ""}, wantCountry: []string{"AT", "", "", ""}, wantChannel: []string{"", "", "", ""},
			fromOrders: [3]bool{true, false, true},
		},
		{name: "nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := &Table{IDs: ids, City: tt.orders[0], Country: tt.orders[1], Channel: tt.orders[2]}
			city, country := slices.Clone(tt.city), slices.Clone(tt.country)
			a := MergeAttributes(all, city, country, tt.mapped)
			for _, c := range []struct {
				name      string
				got, want []string
			}{{"City", a.City, tt.wantCity}, {"Country", a.Country, tt.wantCountry}, {"Channel", a.Channel, tt.wantChannel}} {
				if !slices.Equal(c.got, c.want) || (c.got == nil) != (c.want == nil) {
					t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
				}
			}
			if a.FromOrders != tt.fromOrders {
				t.Errorf("FromOrders = %v, want %v", a.FromOrders, tt.fromOrders)
			}
			if !slices.Equal(city, tt.city) || !slices.Equal(country, tt.country) {
				t.Error("MergeAttributes modified its inputs")
			}
		})
	}
}

func TestAttributesWithCity(t *testing.T) {
	p := &Profile{Registered: []bool{true, false}, City: []string{"x", "y"}}
	if got := (Attributes{}).WithCity(p); got != p {
		t.Error("without a merged city, WithCity does not return p")
	}
	if got := (Attributes{}).WithCity(nil); got != nil {
		t.Errorf("WithCity(nil) = %+v, want nil", got)
	}
	a := Attributes{City: []string{"Paris", ""}}
	q := a.WithCity(p)
	if q == p || !slices.Equal(q.City, a.City) || !slices.Equal(q.Registered, p.Registered) {
		t.Errorf("WithCity = %+v", q)
	}
	if !slices.Equal(p.City, []string{"x", "y"}) {
		t.Error("WithCity modified p")
	}
	if q := a.WithCity(nil); q == nil || !slices.Equal(q.City, a.City) || q.Registered != nil {
		t.Errorf("WithCity(nil) = %+v", q)
	}
}

func TestAttributesAssignmentColumns(t *testing.T) {
	cols := func() []data.Column {
		return []data.Column{
			{Name: "customer_id", Kind: data.KindString, Strings: []string{"a", "b"}},
			{Name: "city", Kind: data.KindString, Strings: []string{"Munich", ""}, Nulls: []bool{false, true}},
		}
	}
	// No attribute from the orders: cols as is, even with values.
	if got := (Attributes{City: []string{"Nice", "Lyon"}}).AssignmentColumns(cols()); len(got) != 2 || got[1].Strings[0] != "Munich" {
		t.Errorf("without order-line values: %+v", got)
	}
	a := Attributes{City: []string{"Munich", "Lyon"}, Channel: []string{"", "web"}, FromOrders: [3]bool{true, false, true}}
	got := a.AssignmentColumns(cols())
	var names []string
	for _, c := range got {
		names = append(names, c.Name)
	}
	if want := []string{"customer_id", "city", "channel"}; !slices.Equal(names, want) {
		t.Fatalf("columns %q, want %q (city in place, channel appended)", names, want)
	}
	for _, c := range got[1:] {
		v := map[string][]string{"city": a.City, "channel": a.Channel}[c.Name]
		if c.Kind != data.KindString || !slices.Equal(c.Strings, v) {
			t.Errorf("column %s = %+v, want %q", c.Name, c, v)
		}
		for i, s := range v {
			if c.IsNull(i) != (s == "") {
				t.Errorf("column %s row %d: null %v for %q", c.Name, i, c.IsNull(i), s)
			}
		}
	}
}
