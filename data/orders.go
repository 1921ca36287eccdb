package data

import "time"

// OrderLine is one line of an order as the pipeline sees it, after column
// mapping and type conversion. Amount is always the net paid for the line:
// the mapped amount column, or Quantity×UnitPrice − Discount when amount is
// not mapped. Discount is positive (a negative discount in a file is read
// as its magnitude, ReadStats.NegativeDiscounts).
//
// A returned line has Returned set. It is either a return of its own (a
// negative quantity or amount, or an order id of a cancellation), whose
// Amount is then negative whatever sign the file wrote it with (a refund
// export writes -1 × 9.99 as 9.99), or a purchase that its status marks
// returned or cancelled, with neither a negative quantity nor amount:
// bought and then returned in the same line (ReturnedInPlace). Its Amount
// stays positive; package features counts it in the purchases' gross and
// in the returns, and not in net spend.
type OrderLine struct {
	CustomerID string
	OrderID    string
	Time       time.Time
	ProductID  string
	Category   string
	Coupon     string
	Status     string
	City       string // where the order was placed or shipped; "" when unknown
	Country    string
	Channel    string // sales channel (web, app, store, marketplace, …)
	// Currency is the code of the line's currency when a column gives it
	// (Shopify's Currency): the reader checks that the lines read share
	// one (ReadStats.Currency); the aggregation does not use it.
	Currency  string
	Quantity  float64
	UnitPrice float64
	Amount    float64
	Discount  float64
	// Refunded is money paid back on a purchase that is not returned as
	// a line (a partial refund: Shopify's Refunded Amount, Stripe's Amount
	// Refunded), read only when mapped (OrderColumns.Refunded); the
	// aggregation takes it off the order's net and counts it returned.
	Refunded float64
	Returned bool
	// ReturnedInPlace, with Returned, marks a purchase line that its
	// status says was returned or cancelled.
	ReturnedInPlace bool
	// Rest is a hash of a CSV row's fields that no logical column maps
	// (a line number, an item name), so that lines equal in every mapped
	// column but not in the rest of their row are not duplicates
	// (LineHash); 0 for a Parquet file, whose other columns are not read.
	Rest uint64
}

// OrderColumns maps the logical order columns to the columns of a file.
// An empty string means "not mapped". Discount may list several columns,
// which are summed. City, Country and Channel are read as strings into the
// line's fields of the same name.
type OrderColumns struct {
	CustomerID string
	OrderID    string
	Time       string
	Amount     string
	Quantity   string
	UnitPrice  string
	Discount   []string
	Coupon     string
	Category   string
	ProductID  string
	Status     string
	City       string
	Country    string
	Channel    string
	Currency   string
	Refunded   string
}

// DefaultOrderColumns returns the mapping used when no config is given:
// every logical column is expected under its logical name.
func DefaultOrderColumns() OrderColumns {
	return OrderColumns{
		CustomerID: "customer_id",
		OrderID:    "order_id",
		Time:       "time",
		Amount:     "amount",
		Quantity:   "quantity",
		UnitPrice:  "unit_price",
		Discount:   []string{"discount"},
		Coupon:     "coupon",
		Category:   "category",
		ProductID:  "product_id",
		Status:     "status",
		City:       "city",
		Country:    "country",
		Channel:    "channel",
		// Currency is read only when mapped (inspect's starter config
		// maps it): a column of the buyers' own currencies beside amounts
		// in the store's would stop every run. Refunded too: a
		// column of that name may be a flag, not an amount.
	}
}
