package features

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCompileGroupsErrors(t *testing.T) {
	cases := []struct {
		name, when string
		line, col  int    // 0: no position expected
		msg        string // part of the message
	}{
		{"syntax", `frequency >= `, 1, 13, "unexpected"},
		{"unclosed_string", `city == "Paris`, 1, 15, "literal not terminated"},
		{"single_equals", `frequency = 2`, 1, 11, ""},
		{"unknown_name", `frequncy >= 2`, 1, 1, "unknown name frequncy"},
		{"not_bool", `monetary * 2`, 0, 0, "bool"},
		{"type_mismatch", `city > 3`, 1, 6, "invalid operation"},
		{"second_line", "frequency >= 2 &&\n  citty == \"Paris\"", 2, 3, "unknown name citty"},
		{"clock", `now() > date("2024-01-01")`, 1, 1, "now"},
		{"empty", `   `, 0, 0, "empty expression"},
		// 200,000 parentheses took the parser half a gigabyte.
		{"too_long", strings.Repeat("(", 200_000) + "frequency >= 1" + strings.Repeat(")", 200_000), 0, 0, "400014 bytes long, more than 10000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := CompileGroups([]CustomGroup{{Name: "ok_group", When: "frequency >= 1"}, {Name: c.name, When: c.when}})
			var ee *ExprError
			if !errors.As(err, &ee) {
				t.Fatalf("error %v (%T), want *ExprError", err, err)
			}
			if ee.Group != c.name {
				t.Errorf("Group = %q, want %q", ee.Group, c.name)
			}
			if c.line > 0 && (ee.Line != c.line || ee.Column != c.col) {
				t.Errorf("position line %d column %d, want %d:%d (%v)", ee.Line, ee.Column, c.line, c.col, err)
			}
			if !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), `group "`+c.name+`"`) {
				t.Errorf("error %q lacks %q or the group name", err, c.msg)
			}
		})
	}
}

func TestCompileGroupsNames(t *testing.T) {
	for _, g := range []CustomGroup{
		{Name: "Bad Name", When: "true"},
		{Name: "vip_top5", When: "true"},
		{Name: "monetary", When: "true"},
		{Name: "city_paris", When: "true"},
		// Columns the assignments hold beside the groups: a group of the
		// name would be written twice, or hide the column.
		{Name: "email", When: "true"}, {Name: "signup_time", When: "true"}, {Name: "cluster", When: "true"},
		{Name: "customer_id", When: "true"}, {Name: "distance", When: "true"}, {Name: "previous_segment", When: "true"},
		{Name: "p_alive", When: "true"}, {Name: "churn_risk", When: "true"}, {Name: "clv_365d", When: "true"},
		{Name: "expected_orders_90d", When: "true"},
	} {
		if _, err := CompileGroups([]CustomGroup{g}); err == nil {
			t.Errorf("CompileGroups(%q): no error", g.Name)
		}
	}
	for _, name := range []string{"clv_fans", "expected_orders_d", "emails", "clusters", "high_value"} {
		if _, err := CompileGroups([]CustomGroup{{Name: name, When: "true"}}); err != nil {
			t.Errorf("CompileGroups(%q): %v", name, err)
		}
	}
	if _, err := CompileGroups([]CustomGroup{{Name: "x", When: "true"}, {Name: "x", When: "false"}}); err == nil {
		t.Error("duplicate name: no error")
	}
}

func TestCustomGroupsEval(t *testing.T) {
	tab := groupTable(t, append(BaseColumns(), "mix_toys"), map[string]map[string]float64{
		"a": {Frequency: 3, Monetary: 300, RecencyDays: 5, "mix_toys": 0.7},
		"b": {Frequency: 1, Monetary: 20, RecencyDays: 400},
		"c": {},
	})
	p := &Profile{City: []string{"Bucharest", "Bucharest", "Paris"}, Newsletter: []bool{false, true, true}}
	seed, err := SeedGroups(context.Background(), tab, p, Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	rfm, err := ScoreRFM(tab, FitRFMCuts(tab))
	if err != nil {
		t.Fatal(err)
	}
	c, err := CompileGroups([]CustomGroup{
		{Name: "local_fast_shipping", When: `city == "Bucharest" && frequency >= 2`},
		// Two buyers: cuts R [5 5 400 400], F [1 1 3 3], M [20 20 300 300];
		// a scores R 5 F 3 M 3 (loyal_customers), b R 3 F 1 M 1 (promising).
		{Name: "toy_fans", When: `mix_toys > 0.5 || rfm_segment == "promising"`},
		{Name: "subscribed_lapsed", When: "newsletter && lapsed"},
		{Name: "scored", When: "r_score >= 1 and m_score in [1, 3]"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Eval(context.Background(), tab, Segments{RFM: rfm, Seed: seed, Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"local_fast_shipping": "a", "toy_fans": "a,b", "subscribed_lapsed": "b", "scored": "a,b"}
	for id, w := range want {
		if m := members(tab, got, id); m != w {
			t.Errorf("%s = %q, want %q", id, m, w)
		}
	}

	// Names the run cannot provide fail at Eval, naming the group.
	for _, g := range []CustomGroup{
		{Name: "no_mix", When: "mix_books > 0.2"},
		{Name: "no_country", When: `country == "RO"`},
		{Name: "no_events", When: "cart_abandoner"},
	} {
		c, err := CompileGroups([]CustomGroup{g})
		if err != nil {
			t.Fatalf("%s: compile: %v", g.Name, err)
		}
		_, err = c.Eval(context.Background(), tab, Segments{RFM: rfm, Seed: seed, Profile: p})
		var ee *ExprError
		if !errors.As(err, &ee) || ee.Group != g.Name {
			t.Errorf("%s: Eval error %v, want an *ExprError for the group", g.Name, err)
		}
	}

	// A division: guarded, it divides (ints and floats alike); by zero, it
	// names the customer and says to guard it, where the expr language
	// would give +Inf and put customer c (no orders) in the group.
	c, err = CompileGroups([]CustomGroup{
		{Name: "big_baskets", When: "frequency > 0 && monetary / frequency > 50"},
		{Name: "halves", When: "r_score / 2 >= 2 && 3 / 2 == 1.5"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err = c.Eval(context.Background(), tab, Segments{RFM: rfm, Seed: seed, Profile: p}); err != nil {
		t.Fatal(err)
	}
	if m, h := members(tab, got, "big_baskets"), members(tab, got, "halves"); m != "a" || h != "a" {
		t.Errorf("big_baskets = %q, halves = %q; want a and a", m, h)
	}
	c, err = CompileGroups([]CustomGroup{{Name: "avg", When: "monetary / frequency > 100"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Eval(context.Background(), tab, Segments{RFM: rfm, Seed: seed, Profile: p})
	var ee *ExprError
	if !errors.As(err, &ee) || ee.Group != "avg" || !strings.Contains(ee.Msg, `customer "c": division by zero: guard it`) || strings.Contains(err.Error(), "\n") {
		t.Errorf("division by zero: %v, want one line naming group avg and customer c", err)
	}

	// int() of a whole number works; of a value no int holds it is an
	// error naming the customer (the least int, silently, before).
	c, err = CompileGroups([]CustomGroup{{Name: "whole", When: "int(monetary / 10) >= 1 && int(2.9) == 2 && int(r_score) >= 0"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = c.Eval(context.Background(), tab, Segments{RFM: rfm, Seed: seed, Profile: p}); err != nil {
		t.Errorf("int() of whole numbers: %v", err)
	}
	c, err = CompileGroups([]CustomGroup{{Name: "huge", When: "int(monetary * 1e20) > 0"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Eval(context.Background(), tab, Segments{RFM: rfm, Seed: seed, Profile: p})
	if !errors.As(err, &ee) || ee.Group != "huge" || !strings.Contains(ee.Msg, "beyond the range of a whole number") {
		t.Errorf("int() overflow: %v", err)
	}
}
