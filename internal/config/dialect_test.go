package config

import (
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestDialectConfig: orders.delimiter, orders.decimal, orders.encoding, a strftime
// time_format and output.excel are read; bad values name the key.
func TestDialectConfig(t *testing.T) {
	path := writeFile(t, t.TempDir(), "segment.yaml", `orders:
  path: orders.csv
  delimiter: ";"
  decimal: ","
  encoding: latin-1
  time_format: "%d/%m/%Y %H:%M"
output:
  excel: true
`)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Orders.CSVDialect(); d != (data.CSVDialect{Delimiter: ';', Decimal: ',', Encoding: data.EncodingWindows1252}) {
		t.Errorf("dialect %+v", d)
	}
	if !c.Output.Excel {
		t.Error("output.excel not read")
	}
	for _, bad := range []struct{ yaml, want string }{
		{"orders:\n  delimiter: \":\"\n", "orders.delimiter"},
		{"orders:\n  decimal: \";\"\n", "orders.decimal"},
		{"orders:\n  encoding: utf-16\n", "orders.encoding"},
		{"orders:\n  time_format: \"%Y-%m-%d %H:%Q\"\n", "orders.time_format"},
		{"orders:\n  time_format: \"%Y-%m-%d %H:%Q\"\n", "unknown directive %Q"},
		{"output:\n  excel: maybe\n", "excel"},
	} {
		t.Run(bad.want, func(t *testing.T) { loadErr(t, bad.yaml, bad.want) })
	}
}
