package data

import (
	"github.com/parquet-go/parquet-go"
)

// The generated tables' columns, and their row groups read from the
// generator's records (see rowGroupSource).

var (
	ordersColumns = []Column{
		{Name: "order_id", Kind: KindString}, {Name: "customer_id", Kind: KindString},
		{Name: "time", Kind: KindTime}, {Name: "product_id", Kind: KindString},
		{Name: "category", Kind: KindString}, {Name: "quantity", Kind: KindInt64},
		{Name: "unit_price", Kind: KindFloat64}, {Name: "discount", Kind: KindFloat64},
		{Name: "coupon", Kind: KindString},
	}
	eventsColumns = []Column{
		{Name: "customer_id", Kind: KindString}, {Name: "time", Kind: KindTime},
		{Name: "type", Kind: KindString}, {Name: "product_id", Kind: KindString},
	}
	customersColumns = []Column{
		{Name: "customer_id", Kind: KindString}, {Name: "email", Kind: KindString},
		{Name: "city", Kind: KindString}, {Name: "country", Kind: KindString},
		{Name: "newsletter", Kind: KindBool}, {Name: "signup_time", Kind: KindTime},
		{Name: "b2b", Kind: KindBool}, {Name: "age_band", Kind: KindString},
	}
	// truthColumns are customer_id, persona, then one per trait.
	truthColumns = func() []Column {
		cols := []Column{{Name: "customer_id", Kind: KindString}, {Name: "persona", Kind: KindString}}
		for _, name := range traitNames {
			cols = append(cols, Column{Name: name, Kind: KindBool})
		}
		return cols
	}()
)

// Strings of the tables, as parquet values take them.
var (
	categoryBytes           = byteStrings(catalogue)
	ageBytes                = byteStrings(ageBands)
	personaBytes            = byteStrings(append(Personas(), ProspectPersona))
	cityNames, countryNames = func() (city, country [][]byte) {
		for _, c := range cities {
			city, country = append(city, []byte(c.city)), append(country, []byte(c.country))
		}
		return city, country
	}()
)

// The values of a required column need no levels: parquet-go's column
// buffers read only the value.

// ordersGroup is a row group of orders.parquet.
type ordersGroup struct {
	lines []lineRec
	width int // of customer ids' numbers
}

func (g ordersGroup) numRows() int { return len(g.lines) }

func (g ordersGroup) appendValues(dst []parquet.Value, scratch []byte, j, lo, hi int) ([]parquet.Value, []byte) {
	lines := g.lines[lo:hi]
	switch j {
	case 0: // order_id
		for i := range lines {
			start := len(scratch)
			scratch = lines[i].appendOrderID(scratch)
			dst = append(dst, parquet.ByteArrayValue(scratch[start:]))
		}
	case 1: // customer_id
		for i := range lines {
			start := len(scratch)
			scratch = appendPadded(scratch, "C", uint64(lines[i].cust)+1, g.width)
			dst = append(dst, parquet.ByteArrayValue(scratch[start:]))
		}
	case 2: // time
		for i := range lines {
			dst = append(dst, parquet.Int64Value(lines[i].t))
		}
	case 3: // product_id
		for i := range lines {
			dst = append(dst, parquet.ByteArrayValue(productIDs[lines[i].product]))
		}
	case 4: // category
		for i := range lines {
			dst = append(dst, parquet.ByteArrayValue(categoryBytes[int(lines[i].product)/productsPerCategory]))
		}
	case 5: // quantity
		for i := range lines {
			dst = append(dst, parquet.Int64Value(int64(lines[i].qty)))
		}
	case 6: // unit_price
		for i := range lines {
			dst = append(dst, parquet.DoubleValue(float64(lines[i].price)/100))
		}
	case 7: // discount
		for i := range lines {
			dst = append(dst, parquet.DoubleValue(float64(lines[i].discount)/100))
		}
	case 8: // coupon
		for i := range lines {
			dst = append(dst, parquet.ByteArrayValue(coupons[lines[i].flags&lineCoupon]))
		}
	}
	return dst, scratch
}

// eventsGroup is a row group of events.parquet.
type eventsGroup struct {
	events []eventRec
	width  int
}

func (g eventsGroup) numRows() int { return len(g.events) }

func (g eventsGroup) appendValues(dst []parquet.Value, scratch []byte, j, lo, hi int) ([]parquet.Value, []byte) {
	events := g.events[lo:hi]
	switch j {
	case 0: // customer_id
		for i := range events {
			start := len(scratch)
			scratch = appendPadded(scratch, "C", uint64(events[i].cust)+1, g.width)
			dst = append(dst, parquet.ByteArrayValue(scratch[start:]))
		}
	case 1: // time
		for i := range events {
			dst = append(dst, parquet.Int64Value(events[i].t))
		}
	case 2: // type
		for i := range events {
			dst = append(dst, parquet.ByteArrayValue(eventTypes[events[i].typ]))
		}
	case 3: // product_id, empty for a checkout
		for i := range events {
			var id []byte
			if p := events[i].product; p != noProduct {
				id = productIDs[p]
			}
			dst = append(dst, parquet.ByteArrayValue(id))
		}
	}
	return dst, scratch
}

// profilesGroup is a row group of customers.parquet (truth false) or
// truth.parquet (truth true): the profiles of the customers from index
// first on.
type profilesGroup struct {
	profiles []profileRec
	first    uint32
	width    int
	truth    bool
}

func (g profilesGroup) numRows() int { return len(g.profiles) }

func (g profilesGroup) appendValues(dst []parquet.Value, scratch []byte, j, lo, hi int) ([]parquet.Value, []byte) {
	for i := lo; i < hi; i++ {
		p := &g.profiles[i]
		var v parquet.Value
		switch {
		case j == 0 || j == 1 && !g.truth: // customer_id, email
			start := len(scratch)
			scratch = appendPadded(scratch, "C", uint64(g.first)+uint64(i)+1, g.width)
			if j == 1 {
				scratch = append(scratch, "@example.com"...)
			}
			v = parquet.ByteArrayValue(scratch[start:])
		case g.truth && j == 1:
			v = parquet.ByteArrayValue(personaBytes[p.persona])
		case g.truth:
			v = parquet.BooleanValue(p.traits&(1<<(j-2)) != 0)
		case j == 2:
			v = parquet.ByteArrayValue(cityNames[p.city])
		case j == 3:
			v = parquet.ByteArrayValue(countryNames[p.city])
		case j == 4:
			v = parquet.BooleanValue(p.newsletter)
		case j == 5:
			v = parquet.Int64Value(p.signup)
		case j == 6:
			v = parquet.BooleanValue(p.b2b)
		case j == 7:
			v = parquet.ByteArrayValue(ageBytes[p.age])
		}
		dst = append(dst, v)
	}
	return dst, scratch
}
