package data

// The logical columns of the optional tables, in the order their values
// are appended to the assignments. A config maps each to a file column
// (unmapped: the logical name itself).
var (
	// CustomerColumns are the customers table's; only customer_id is
	// required.
	CustomerColumns = []string{"customer_id", "email", "newsletter", "city", "country", "signup_time", "b2b", "age_band"}
	// ProductColumns are the products table's: product_id and at least one
	// of the others.
	ProductColumns = []string{"product_id", "category", "price_tier", "launch_time"}
	// EventColumns are the events table's, all required.
	EventColumns = []string{"customer_id", "time", "type"}
)
