// Package features turns order lines into one row of features per customer
// and prepares the numeric matrix that package cluster partitions.
//
// An Aggregator folds batches of data.OrderLine (Add) into per-customer
// state and builds a Table (Table): customer ids sorted ascending, float64
// columns in a fixed order, and each customer's top category. FromColumns
// builds a Table from a feature file instead. FitTransform and
// Transform.Apply turn chosen columns of a Table into an n×d row-major
// matrix: signed log1p on heavy-tailed features, z-scores, and the category
// mix as one block of total variance 1.
//
// # Definitions
//
// Only lines strictly before as_of count (Options.AsOf; by default midnight
// in the store's time zone, Options.Location, after the store-time date of
// the newest line); the lines at or after it are counted apart
// (Table.LinesAfterAsOf). Calendar days are days in the store's time zone.
// An order is a (customer_id, order_id) pair; its net is the Σ Amount of its
// lines (returned lines carry negative amounts; a purchase line its status
// marks returned, data.OrderLine.ReturnedInPlace, adds nothing: bought, then
// returned), less what was refunded on its purchase lines
// (data.OrderLine.Refunded), and its time the earliest line's time. An order with a positive
// net is a purchase. Gross = Amount + Discount, summed over the lines that
// are not returned and those returned in place, which are bought lines too.
//
//	recency_days         ⌊(as_of − last purchase) / 24h⌋ on the store's wall clock
//	tenure_days          ⌊(as_of − first purchase) / 24h⌋ on the store's wall clock
//	frequency            number of purchases
//	monetary             Σ Amount − Refunded over all lines (net after returns)
//	aov                  monetary / frequency
//	discount_ratio       Σ Discount / Σ gross
//	coupon_order_share   purchases with a coupon on any line / frequency
//	first_order_coupon   1 if the first purchase had a coupon, else 0
//	return_rate          (Σ |Amount| of returned lines + Σ Refunded) / Σ gross
//	items_per_order      Σ Quantity of the purchases' lines (bought: a line
//	                     returned by status in place counts, as in gross) / frequency
//	mean_interorder_days (last − first purchase, in days) / (frequency − 1)
//	peak_season_share    purchases in the peak season / frequency
//	first_order_in_peak  1 if the first purchase was in the peak season
//	distinct_categories  distinct non-empty categories of non-returned lines
//	max_order_value      the largest purchase's net value
//	sale_day_share       purchases on a sale day / frequency (Options.SaleDays;
//	                     default Black Friday and Cyber Monday)
//	returned_after_last_purchase
//	                     1 if the latest order with a returned line (or a
//	                     refund) is at or
//	                     after the last purchase (or there is no purchase)
//	premium_share        Σ gross of premium-tier products / Σ gross (only with
//	                     Options.Products giving tiers)
//	new_product_share    Σ Quantity bought within TrendDays after the
//	                     product's launch / Σ Quantity (only with launches)
//	mix_<category>       share of gross in each of the top-N categories
//	mix_other            share of gross in every other category, and none
//
// The top-N categories are those with the highest store-wide gross (ties
// broken by name; the empty category and categories without positive gross
// are never ranked), named by Slug. top_category is the customer's
// non-empty category with the highest gross (ties by name), "" if none.
// city, country and channel (Table.City, Country, Channel; strings, not
// clustered) are the value of most of the customer's orders over all
// history, ties to the alphabetically first value, "" if none.
//
// Rules where a definition is undefined, so that no value is NaN or Inf:
// a ratio whose denominator is 0 is 0 (aov, the per-purchase ratios and
// return_rate for a customer with no purchase; discount_ratio and the mix
// for a customer with no gross). A customer with no purchase (only
// cancellations, returns or zero-value orders) is kept with frequency 0,
// and recency_days and tenure_days are measured from their last and first
// line instead. mean_interorder_days for frequency ≤ 1 is tenure_days: "no
// second order within this many days".
//
// With Options.WindowDays > 0, frequency, monetary and every per-order
// ratio (aov through peak_season_share, the mix, distinct_categories and
// top_category) count only orders whose time is in
// [as_of − WindowDays days, as_of), days of the store's calendar (24h each
// in UTC); recency_days, tenure_days,
// first_order_coupon and first_order_in_peak use all history.
//
// # Determinism
//
// Amounts, discounts and quantities are summed exactly in fixed point (10⁻⁶
// of a unit), times are compared as integers and ties are broken by id or
// name, so a Table does not depend on how its lines were split into batches
// or in which order the lines or batches arrived.
//
// # Memory
//
// Memory grows with the number of customers, orders and categories, never
// with the number of lines: a batch is folded and forgotten, and Add keeps
// no reference to it (it copies the ids and category names it keeps). The
// state is
//
//   - per customer: its id, first and last line time and its gross per
//     category bought (16 bytes per distinct category), with a map entry
//     from id to record;
//   - per (customer, order) pair: a 88-byte record (id, time, flags and
//     seven sums) plus the order id's bytes, and 16 to 32 bytes in the
//     index that finds an order by customer and id (an open-addressing
//     table at most half full), and 4 bytes more (and 4 per customer)
//     once Table lists each customer's orders. With WindowDays > 0 the gross
//     per category is kept per order instead of per customer (16 bytes per
//     distinct category in the order), so that the window can be applied
//     once as_of is known;
//   - the store's category names.
//
// Order records are needed because an order is a purchase only once all of
// its lines, which may arrive in any batch, are summed. Records live in
// chunks of 4096 that never move, so growth copies nothing.
//
// # Optional tables
//
// ReadCustomerTable, ReadProductTable and ReadEventTable read the optional
// tables whole, with their columns mapped to logical names
// (data.CustomerColumns, data.ProductColumns, data.EventColumns). The
// customers table gives prospects (customers without orders), the Profile
// of the seed groups and columns for the assignments; MergeAttributes
// combines its city and country with the order lines'. The products table
// gives categories (ProductTable.Join) and Options.Products; the events
// table is folded by an EventAggregator.
//
// # Error policy
//
// Data problems are returned as errors prefixed "features: ", wrapping a
// sentinel for errors.Is: ErrNoCustomers (nothing to build a table from),
// ErrInvalidLine (a line Add could not use: empty id, a NaN, infinite or
// out-of-range number or time; Add has no error result, so Table reports
// the first one), ErrUnknownFeature (a name in a Spec or Transform that the
// table lacks). Invalid Options are reported by Table. The readers of the
// optional tables prefix their errors with the table and the file instead
// ("customers <path>: ..."), and name the column and row where there is
// one; rows of the events table without a customer id or a readable time
// are handed to a callback as data.Reject, not returned as errors. Nothing
// panics on bad data, and no function modifies its inputs except
// ProductTable.Join, which fills in the categories of the lines it is
// given, and Attributes.AssignmentColumns, which replaces elements of the
// slice it is given.
package features
