package config

import (
	"fmt"

	"github.com/segment-tool/segment/data"
)

// validateDialect checks how order files are read as text: orders.delimiter,
// orders.decimal (data.ParseCSVDialect), orders.encoding
// (data.ParseEncoding) and orders.time_format, a Go layout
// or a strftime format (data.TimeLayout).
func (c *File) validateDialect() error {
	if _, err := data.ParseCSVDialect(c.Orders.Delimiter, c.Orders.Decimal); err != nil {
		return fmt.Errorf("orders.%w", err)
	}
	if _, err := data.ParseEncoding(c.Orders.Encoding); err != nil {
		return fmt.Errorf("orders.%w", err)
	}
	if _, err := data.TimeLayout(c.Orders.TimeFormat); err != nil {
		return fmt.Errorf("orders.time_format: %w", err)
	}
	return nil
}

// CSVDialect returns the orders' CSV dialect; Validate has checked it.
func (o Orders) CSVDialect() data.CSVDialect {
	d, _ := data.ParseCSVDialect(o.Delimiter, o.Decimal)
	d.Encoding, _ = data.ParseEncoding(o.Encoding)
	return d
}
