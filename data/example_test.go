package data_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/segment-tool/segment/data"
)

func ExampleReadOrders() {
	dir, err := os.MkdirTemp("", "orders")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "orders.csv")
	csv := "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n" +
		"536365,17850,12/1/2010 8:26,6,2.55\n" +
		"C536379,14527,12/1/2010 9:41,-1,27.50\n" +
		"536414,,12/1/2010 11:52,56,0\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		log.Fatal(err)
	}
	src := data.OrderSource{
		Path: path,
		Columns: data.OrderColumns{
			CustomerID: "CustomerID", OrderID: "InvoiceNo", Time: "InvoiceDate",
			Quantity: "Quantity", UnitPrice: "UnitPrice",
		},
		TimeFormat:   "1/2/2006 15:04",
		CancelPrefix: "C",
		OnReject: func(r data.Reject) {
			fmt.Printf("row %d rejected: %s\n", r.Row, r.Reason)
		},
	}
	stats, err := data.ReadOrders(context.Background(), src, func(batch []data.OrderLine) error {
		for _, l := range batch {
			fmt.Printf("%s %s %s amount=%.2f returned=%t\n", l.CustomerID, l.OrderID, l.Time.Format(time.DateTime), l.Amount, l.Returned)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("read %d, used %d, rejected %d\n", stats.RowsRead, stats.RowsUsed, stats.RowsRejected)
	// Output:
	// row 3 rejected: missing customer_id
	// 17850 536365 2010-12-01 08:26:00 amount=15.30 returned=false
	// 14527 C536379 2010-12-01 09:41:00 amount=-27.50 returned=true
	// read 3, used 2, rejected 1
}

func ExampleWriteCSV() {
	t := &data.Table{Columns: []data.Column{
		{Name: "customer_id", Kind: data.KindString, Strings: []string{"C1", "C2"}},
		{Name: "monetary", Kind: data.KindFloat64, Floats: []float64{0.1, 1.0 / 3}},
		{Name: "frequency", Kind: data.KindInt64, Ints: []int64{3, 1}},
		{Name: "vip_top5", Kind: data.KindBool, Bools: []bool{true, false}},
	}}
	if err := data.WriteCSV(os.Stdout, t); err != nil {
		log.Fatal(err)
	}
	// Output:
	// customer_id,monetary,frequency,vip_top5
	// C1,0.1,3,true
	// C2,0.333333333333,1,false
}
