package data

import (
	"context"
	"math"
)

// Dropping duplicate lines (DropDuplicates) one part at a time: a line is
// a duplicate when its LineHash is that of a line read before it, in
// ReadOrders' order. A distributed run first reads every part keeping
// duplicates and gathers, for each part, the hashes of its lines that a
// part read before it also has (the earlier parts in OrderParts' order);
// reading each part with ReadOrderPartAfter and those hashes then gives the
// lines and rejects ReadOrders gives with DropDuplicates, part by part.

// LineHash returns the 64-bit hash by which DropDuplicates compares a
// line with the lines read before it: FNV-1a of its strings (each ended
// by a zero byte), its time in unix nanoseconds and its numbers' bits, and
// the hash of the rest of a CSV row (Rest).
// Two lines with one hash are duplicates, as for ReadOrders. Lines are
// hashed as ReadOrderPart hands them over (after every other check).
func LineHash(l *OrderLine) uint64 {
	// FNV-1a written out (hash/fnv's, byte for byte): no allocation.
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for _, s := range [...]string{l.CustomerID, l.OrderID, l.ProductID, l.Category, l.Coupon, l.Status, l.City, l.Country, l.Channel} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h *= prime // the zero byte that ends it
	}
	word := func(v uint64) {
		for range 8 { // little-endian
			h = (h ^ v&0xff) * prime
			v >>= 8
		}
	}
	for _, v := range [...]uint64{uint64(l.Time.UnixNano()), math.Float64bits(l.Quantity), math.Float64bits(l.UnitPrice),
		math.Float64bits(l.Amount), math.Float64bits(l.Discount)} {
		word(v)
	}
	if l.Refunded != 0 { // only then, so that a store without refunds hashes as before
		word(math.Float64bits(l.Refunded))
	}
	if l.Rest != 0 { // the same for a Parquet file
		word(l.Rest)
	}
	return h
}

// restHash returns Rest of a CSV row: FNV-1a of its fields at the indexes
// rest (each ended by a zero byte), or 0 when rest is empty.
func restHash(rec []string, rest []int) uint64 {
	if len(rest) == 0 {
		return 0
	}
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for _, j := range rest {
		s := rec[j]
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h *= prime
	}
	return h | 1 // never 0, which is no rest
}

// ReadOrderPartAfter reads the order lines of one part as ReadOrderPart
// does, but with DropDuplicates (src.Duplicates is ignored): a line is
// rejected as "duplicate line" when its LineHash is in earlier, the
// hashes of the lines of the parts read before this one that this part
// also has, or is that of a line read before it in the part. Reading every
// part with the hashes its earlier parts share with it gives the lines,
// rejects (rows, raw values, revenue excluded) and counts ReadOrders
// gives with DropDuplicates. earlier is not modified.
func ReadOrderPartAfter(ctx context.Context, src OrderSource, part OrderPart, earlier []uint64, fn func(batch []OrderLine) error) (ReadStats, error) {
	src.Duplicates = DropDuplicates
	r, err := newPartReader(ctx, src, fn)
	if err != nil {
		return r.stats, err
	}
	r.lines = make(map[uint64]struct{}, len(earlier))
	for _, h := range earlier {
		r.lines[h] = struct{}{}
	}
	if part.RowGroup >= 0 {
		err = r.readParquetRowGroup(part)
	} else {
		var files []inputFile
		if files, err = expandPath(part.File); err == nil {
			for _, f := range files {
				if err = r.readCSV(ctx, f.path, f.format == formatCSVGzip); err != nil {
					break
				}
			}
		}
	}
	if err != nil {
		return r.stats, err
	}
	r.stats.Absent, r.stats.PartlyAbsent = r.absent(), r.partlyAbsent()
	return r.stats, r.flush()
}
