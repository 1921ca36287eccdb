package data

// use appends a finished line to the batch, handing the batch to fn when
// it is full.
func (r *orderReader) use(l *OrderLine) error {
	r.stats.RowsRead++
	r.stats.RowsUsed++
	r.batch = append(r.batch, *l)
	if len(r.batch) == r.batchSize {
		return r.flush()
	}
	return nil
}

// reject counts a rejected row, which finish has just checked, and
// reports it.
func (r *orderReader) reject(file string, row int64, reason string, raw map[string]string) {
	r.stats.RowsRead++
	r.stats.RowsRejected++
	r.stats.RejectsByReason[reason]++
	if r.src.OnReject != nil {
		r.src.OnReject(Reject{File: file, Row: row, Reason: reason, Raw: raw, Excluded: r.excluded})
	}
}

// flush hands the batch to fn, unless the context is done.
func (r *orderReader) flush() error {
	if len(r.batch) == 0 {
		return nil
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	err := r.fn(r.batch)
	switch {
	case err != nil || r.src.NextBatch == nil:
		r.batch = r.batch[:0]
	default: // the batch is the callback's now
		r.batch = r.src.NextBatch()[:0]
		if cap(r.batch) < r.batchSize {
			r.batch = make([]OrderLine, 0, r.batchSize)
		}
	}
	return err
}
