package featurejob

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/segment-tool/segment/data"
)

// The lines are grouped once, by line shard: a fixed hash of the customer
// id (shardOf, as the feature shards) into Config.LineShards groups. The
// reader sends a part's lines as blocks, one per line shard (lineBlocks), each holding
// runs of adjacent lines of one order (eachRun) with the customer and
// order ids written once per run (encodeOrder). The steps after the
// grouping take a shard's blocks and fold them into a features.Piece a
// chunk of lines at a time (eachLines): its state is per order, not per
// line, so a shard holds any number of customers and a customer any number
// of orders; the lines of an order may come in any number of runs, in any
// order, from any part. Grouping by shard, not by order and then by
// customer, keeps the shuffle to about parts × line shards elements and as
// many keys as line shards: a runner's cost per element and per key (Prism
// keeps every key's state in memory) does not grow with the customers.

// orderLines are lines of one order of one customer: a run of them as
// read (eachRun), encoded by encodeOrder.
type orderLines struct{ Lines []data.OrderLine }

// lineBlock is a block of one line shard's runs: each run's encodeOrder,
// length-prefixed.
type lineBlock struct{ Runs []byte }

// chunkLines is about how many lines the steps after the grouping give a
// features.Piece at a time.
const chunkLines = 8192

// maxRunLines is the most lines of an order the reader puts in one run:
// an order of more lines is sent as several.
const maxRunLines = 4096

// blockBytes is about the most bytes of one line shard the reader keeps
// before sending them as a block: with DefaultLineShards shards, a reader
// holds at most about 64 MB of blocks.
const blockBytes = 256 << 10

// DefaultLineShards is the number of line shards when Config.LineShards
// is 0.
const DefaultLineShards = 256

// eachRun calls fn with each run of batch: the most adjacent lines, up to
// maxRunLines, of one customer's order. The runs are views of batch.
func eachRun(batch []data.OrderLine, fn func(run []data.OrderLine)) {
	for i := 0; i < len(batch); {
		j := i + 1
		for j < len(batch) && j-i < maxRunLines && batch[j].OrderID == batch[i].OrderID && batch[j].CustomerID == batch[i].CustomerID {
			j++
		}
		fn(batch[i:j])
		i = j
	}
}

// lineBlocks gathers a reader's runs into a block per line shard.
type lineBlocks struct {
	bufs [][]byte
	emit func(int, lineBlock)
}

// newLineBlocks returns the blocks of shards line shards, sent to emit.
func newLineBlocks(shards int, emit func(int, lineBlock)) *lineBlocks {
	return &lineBlocks{bufs: make([][]byte, shards), emit: emit}
}

// add appends the runs of batch to their shards' blocks, sending a block
// once it holds blockBytes. Nothing of batch is kept.
func (b *lineBlocks) add(batch []data.OrderLine) {
	eachRun(batch, func(run []data.OrderLine) {
		k := shardOf(run[0].CustomerID, len(b.bufs))
		enc := encodeOrder(orderLines{Lines: run})
		b.bufs[k] = append(binary.AppendUvarint(b.bufs[k], uint64(len(enc))), enc...)
		if len(b.bufs[k]) >= blockBytes {
			b.send(k)
		}
	})
}

// flush sends every block not sent yet, in shard order.
func (b *lineBlocks) flush() {
	for k := range b.bufs {
		if len(b.bufs[k]) > 0 {
			b.send(k)
		}
	}
}

// send emits shard k's block and starts a new one.
func (b *lineBlocks) send(k int) {
	b.emit(k, lineBlock{Runs: b.bufs[k]})
	b.bufs[k] = nil // the emitted block is the runner's now
}

// eachLines calls fn with the lines of blocks, about chunkLines at a time,
// reusing buf (fn must not keep them); it returns buf. A block that does
// not decode is an error.
func eachLines(buf []data.OrderLine, blocks func(*lineBlock) bool, fn func([]data.OrderLine)) ([]data.OrderLine, error) {
	buf = buf[:0]
	var blk lineBlock
	for blocks(&blk) {
		for b := blk.Runs; len(b) > 0; {
			n, k := binary.Uvarint(b)
			if k <= 0 || n > uint64(len(b)-k) {
				return buf, fmt.Errorf("featurejob: a damaged block of lines (%d bytes)", len(blk.Runs))
			}
			run, err := decodeOrder(b[k : k+int(n)])
			if err != nil {
				return buf, err
			}
			buf = append(buf, run.Lines...)
			b = b[k+int(n):]
			if len(buf) >= chunkLines {
				fn(buf)
				buf = buf[:0]
			}
		}
		blk = lineBlock{}
	}
	if len(buf) > 0 {
		fn(buf)
	}
	return buf, nil
}

// The forms of an order's encoding (encodeOrder).
const (
	orderEachIDs   = 0 // every line with its customer and order ids
	orderSharedIDs = 1 // the ids once: every line has them
)

// encodeOrder is the Beam coder of an order's lines: their count, then
// (when there is a line) the form: the customer and order ids once when
// every line has the same (as the lines of an order do), then each line
// (appendLine) length-prefixed.
func encodeOrder(o orderLines) []byte {
	b := binary.AppendUvarint(nil, uint64(len(o.Lines)))
	if len(o.Lines) == 0 {
		return b
	}
	first := &o.Lines[0]
	shared := true
	for i := range o.Lines {
		shared = shared && o.Lines[i].CustomerID == first.CustomerID && o.Lines[i].OrderID == first.OrderID
	}
	if shared {
		b = append(b, orderSharedIDs)
		for _, s := range [...]string{first.CustomerID, first.OrderID} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	} else {
		b = append(b, orderEachIDs)
	}
	var e []byte
	for i := range o.Lines {
		e = appendLine(e[:0], &o.Lines[i], !shared)
		b = binary.AppendUvarint(b, uint64(len(e)))
		b = append(b, e...)
	}
	return b
}

// decodeOrder decodes what encodeOrder encoded.
func decodeOrder(b []byte) (orderLines, error) {
	bad := fmt.Errorf("featurejob: a damaged order (%d bytes)", len(b))
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return orderLines{}, bad
	}
	b = b[k:]
	if n == 0 {
		if len(b) != 0 {
			return orderLines{}, bad
		}
		return orderLines{}, nil
	}
	if len(b) == 0 || b[0] > orderSharedIDs {
		return orderLines{}, bad
	}
	shared := b[0] == orderSharedIDs
	b = b[1:]
	var ids [2]string
	if shared {
		for i := range ids {
			m, k := binary.Uvarint(b)
			if k <= 0 || m > uint64(len(b)-k) {
				return orderLines{}, bad
			}
			ids[i], b = string(b[k:k+int(m)]), b[k+int(m):]
		}
	}
	o := orderLines{Lines: make([]data.OrderLine, n)}
	for i := range o.Lines {
		m, k := binary.Uvarint(b)
		if k <= 0 || m > uint64(len(b)-k) {
			return orderLines{}, bad
		}
		l := &o.Lines[i]
		l.CustomerID, l.OrderID = ids[0], ids[1]
		if err := readLine(b[k:k+int(m)], l, !shared); err != nil {
			return orderLines{}, fmt.Errorf("%w (%d bytes)", err, m)
		}
		b = b[k+int(m):]
	}
	if len(b) != 0 {
		return orderLines{}, bad
	}
	return o, nil
}

// encodeBlock is the Beam coder of a block: its bytes.
func encodeBlock(b lineBlock) []byte { return b.Runs }

// decodeBlock decodes what encodeBlock encoded, into bytes of its own.
func decodeBlock(b []byte) (lineBlock, error) { return lineBlock{Runs: slices.Clone(b)}, nil }
