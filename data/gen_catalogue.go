package data

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// The synthetic catalogue: productsPerCategory products per category,
// "<category>-NNN". Even-numbered products are the standing catalogue,
// launched long before the store's history; odd-numbered ones launch one
// every launchEvery days through the history, so that on any day each
// category has products launched in the previous 30 days. About 10 % of
// either kind are premium-tier.
//
// Simplifications, so that the planted groups are exact: only premium
// buyers buy premium products, and only trend followers buy products within
// 30 days of their launch (everyone else buys from the standing catalogue).
const (
	productsPerCategory = 200
	launchEvery         = 9 // days between launches in a category
	trendWindow         = 30
)

// historyStart is the first day of the synthetic history (the oldest
// purchases are about 850 days before StoreEnd).
var historyStart = StoreEnd.AddDate(0, 0, -900)

// catalogueCategories are every category a persona buys from, in a fixed
// order.
func catalogueCategories() []string {
	var cats []string
	for _, p := range personas {
		for _, m := range p.Mix {
			if !slices.Contains(cats, m.Category) {
				cats = append(cats, m.Category)
			}
		}
	}
	slices.Sort(cats)
	return cats
}

// catalogue is catalogueCategories. A product is known by its catalogue
// index: category index × productsPerCategory + j.
var catalogue = catalogueCategories()

// homeCategory is the catalogue index of "home", where prospects browse
// and carts are abandoned.
var homeCategory = slices.Index(catalogue, "home")

// mixCategories[p][k] is the catalogue index of personas[p].Mix[k].
var mixCategories = func() [][]int {
	idx := make([][]int, len(personas))
	for p := range personas {
		for _, m := range personas[p].Mix {
			idx[p] = append(idx[p], slices.Index(catalogue, m.Category))
		}
	}
	return idx
}()

func productID(category string, j int) string { return fmt.Sprintf("%s-%03d", category, j) }

// premiumProduct reports whether product j is premium-tier.
func premiumProduct(j int) bool { return j%20 == 8 || j%20 == 9 }

// productTier is the price tier of product j.
func productTier(j int) string {
	switch {
	case premiumProduct(j):
		return "premium"
	case j%10 < 4:
		return "budget"
	}
	return "standard"
}

// productLaunch is the launch day of product j.
func productLaunch(j int) time.Time {
	if j%2 == 0 {
		return historyStart.AddDate(-2, 0, -j)
	}
	return historyStart.AddDate(0, 0, (j/2)*launchEvery)
}

// pickProduct returns the catalogue index of the product a customer buys
// in category (a catalogue index) on day: premium-tier only for premium
// buyers (standard or budget otherwise), and one launched within the 30
// days before day for trend followers (from the standing catalogue
// otherwise).
func pickProduct(rng *rand.Rand, category int, day time.Time, premium, trend bool) uint16 {
	base := category * productsPerCategory
	if trend {
		// Odd products launched in (day − 30 d, day]: j = 2i + 1 with
		// launch historyStart + 9i days.
		since := int(day.Sub(historyStart).Hours() / 24)
		hi := since / launchEvery
		lo := max(0, (since-trendWindow)/launchEvery+1)
		var buf [productsPerCategory / 2]int
		cands := buf[:0]
		for i := lo; i <= hi && 2*i+1 < productsPerCategory; i++ {
			if j := 2*i + 1; !premiumProduct(j) {
				cands = append(cands, j)
			}
		}
		if len(cands) > 0 {
			return uint16(base + cands[rng.IntN(len(cands))])
		}
	}
	for {
		j := 2 * rng.IntN(productsPerCategory/2)
		if premiumProduct(j) == premium {
			return uint16(base + j)
		}
	}
}

// productIDs[i] is the product_id of catalogue index i.
var productIDs = func() [][]byte {
	ids := make([][]byte, 0, len(catalogue)*productsPerCategory)
	for _, c := range catalogue {
		for j := range productsPerCategory {
			ids = append(ids, []byte(productID(c, j)))
		}
	}
	return ids
}()

// productsTable is the products.parquet table of the catalogue.
func productsTable() *Table {
	var ids, cats, tiers []string
	var launches []time.Time
	for _, c := range catalogue {
		for j := range productsPerCategory {
			ids, cats = append(ids, productID(c, j)), append(cats, c)
			tiers, launches = append(tiers, productTier(j)), append(launches, productLaunch(j))
		}
	}
	return &Table{Columns: []Column{
		{Name: "product_id", Kind: KindString, Strings: ids},
		{Name: "category", Kind: KindString, Strings: cats},
		{Name: "price_tier", Kind: KindString, Strings: tiers},
		{Name: "launch_time", Kind: KindTime, Times: launches},
	}}
}
