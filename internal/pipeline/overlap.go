package pipeline

import "github.com/segment-tool/segment/data"

// overlap runs consume on a goroutine of its own, one batch behind the
// caller of send, so that reading the next batch (decoding, decompressing)
// and consuming the last one use two cores. Batches are consumed one at a
// time and in the order they were sent: the result is exactly that of
// calling consume directly. send copies the batch into one of two buffers
// (the reader reuses its own) and waits while both are in use; close waits
// for the last batch. The copies cost two batches of memory.
type overlap struct {
	free, full chan []data.OrderLine
	done       chan struct{}
}

func newOverlap(consume func([]data.OrderLine)) *overlap {
	o := &overlap{free: make(chan []data.OrderLine, 2), full: make(chan []data.OrderLine, 2), done: make(chan struct{})}
	o.free <- nil
	o.free <- nil
	go func() {
		defer close(o.done)
		for batch := range o.full {
			consume(batch)
			o.free <- batch
		}
	}()
	return o
}

// send hands a copy of batch to consume; it never fails.
func (o *overlap) send(batch []data.OrderLine) error {
	buf := append((<-o.free)[:0], batch...)
	o.full <- buf
	return nil
}

// close waits until every batch sent has been consumed; what consume wrote
// is then visible to the caller.
func (o *overlap) close() {
	close(o.full)
	<-o.done
}
