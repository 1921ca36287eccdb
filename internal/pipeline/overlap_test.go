package pipeline

import (
	"strconv"
	"testing"

	"github.com/segment-tool/segment/data"
)

// TestOverlap: every batch is consumed once, in order, with the values it
// had when sent, the sender filling only the batches next gives back.
func TestOverlap(t *testing.T) {
	var got []string
	o := newOverlap(func(batch []data.OrderLine) {
		for _, l := range batch {
			got = append(got, l.OrderID)
		}
	})
	buf := make([]data.OrderLine, 0, 3)
	var want []string
	for b := range 50 {
		buf = buf[:1+b%3]
		for i := range buf {
			buf[i].OrderID = strconv.Itoa(b*3 + i)
			want = append(want, buf[i].OrderID)
		}
		if err := o.send(buf); err != nil {
			t.Fatal(err)
		}
		if buf = o.next(); cap(buf) < 3 {
			buf = make([]data.OrderLine, 0, 3)
		}
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

// TestOverlapStopped: a sender that stops taking batches back after a
// send (its reader failed after the callback) still closes: putting the
// consumed batches back never blocks.
func TestOverlapStopped(t *testing.T) {
	n := 0
	o := newOverlap(func(batch []data.OrderLine) { n += len(batch) })
	buf := make([]data.OrderLine, 2)
	for range 5 {
		if err := o.send(buf); err != nil {
			t.Fatal(err)
		}
		if buf = o.next(); buf == nil {
			buf = make([]data.OrderLine, 2)
		}
	}
	if err := o.send(buf); err != nil { // and no next
		t.Fatal(err)
	}
	o.close()
	if n != 12 {
		t.Errorf("consumed %d lines, want 12", n)
	}
}
