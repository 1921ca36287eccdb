package pipeline

import (
	"strconv"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestOverlap: every batch is consumed once, in order, with the values it
// had when sent, although the sender reuses its buffer at once.
func TestOverlap(t *testing.T) {
	var got []string
	o := newOverlap(func(batch []data.OrderLine) {
		for _, l := range batch {
			got = append(got, l.OrderID)
		}
	})
	buf := make([]data.OrderLine, 3)
	var want []string
	for b := range 50 {
		for i := range buf {
			buf[i].OrderID = strconv.Itoa(b*len(buf) + i)
			want = append(want, buf[i].OrderID)
		}
		if err := o.send(buf[:1+b%3]); err != nil {
			t.Fatal(err)
		}
		want = want[:len(want)-(len(buf)-(1+b%3))]
	}
	o.close()
	if len(got) != len(want) {
		t.Fatalf("consumed %d lines, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d: %s, want %s", i, got[i], want[i])
		}
	}
}
