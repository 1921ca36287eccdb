package report

import (
	"strings"
	"testing"
)

func TestWriteCLV(t *testing.T) {
	base := CLV{HorizonDays: 365, Discount: 0.1, Period: "day", BGNBD: "r = 0.243", Scored: 3,
		Segments: []CLVRow{{Name: "champions", Customers: 3, PAlive: 0.9, Orders: 12.5, Value: 1234.5, AtRisk: 40}}}
	for _, c := range []struct {
		name      string
		edit      func(*CLV)
		want, not []string
	}{
		{"fitted", func(c *CLV) { c.HasValue = true },
			[]string{"## Lifetime value", "discounted at 10.0% a year", "| champions | 3 | 0.90 | 12.5 | 1,234 | 40 |"},
			[]string{"counted as orders"}},
		{"no Gamma-Gamma: no CLV figure", func(c *CLV) { c.GammaGamma = "not computed: too few repeat customers" },
			[]string{"- Gamma-Gamma: not computed: too few repeat customers", "| champions | 3 | 0.90 | 12.5 | – | 40 |"}, nil},
		{"from orders", func(c *CLV) { c.FromOrders = true }, []string{"several orders on one day count apart"}, nil},
		{"nothing scored", func(c *CLV) { c.Scored, c.BGNBD = 0, "not computed: history too short" },
			[]string{"- BG/NBD: not computed: history too short"}, []string{"| champions"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sec := base
			c.edit(&sec)
			var b strings.Builder
			writeCLV(&b, &Run{CLV: &sec})
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("missing %q in\n%s", w, b.String())
				}
			}
			for _, w := range c.not {
				if strings.Contains(b.String(), w) {
					t.Errorf("unexpected %q in\n%s", w, b.String())
				}
			}
		})
	}
	var b strings.Builder
	writeCLV(&b, &Run{})
	if b.Len() != 0 {
		t.Errorf("no CLV section wrote %q", b.String())
	}
}
