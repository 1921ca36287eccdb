package pipeline

import "github.com/segment-tool/segment/data"

// overlap runs consume on a goroutine of its own, one batch behind the
// caller of send, so that reading the next batch (decoding, decompressing)
// and consuming the last one use two cores. Batches are consumed one at a
// time and in the order they were sent: the result is exactly that of
// calling consume directly. send hands the batch over (the reader's
// OrderSource.NextBatch then takes a consumed one back: next), so that
// no line is copied: three batches circulate, one being filled, one
// waiting and one being consumed. close waits for the last batch.
type overlap struct {
	free, full chan []data.OrderLine
	done       chan struct{}
}

func newOverlap(consume func([]data.OrderLine)) *overlap {
	// free holds every batch but the reader's: putting one back never
	// blocks, even once the reader has stopped taking them.
	o := &overlap{free: make(chan []data.OrderLine, 3), full: make(chan []data.OrderLine, 2), done: make(chan struct{})}
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

// send hands batch to consume, which owns it from then on; it never
// fails.
func (o *overlap) send(batch []data.OrderLine) error {
	o.full <- batch
	return nil
}

// next returns a batch consume is done with (nil at first), for the reader
// to fill: OrderSource.NextBatch.
func (o *overlap) next() []data.OrderLine { return <-o.free }

// close waits until every batch sent has been consumed; what consume wrote
// is then visible to the caller.
func (o *overlap) close() {
	close(o.full)
	<-o.done
}
