package pipeline

import (
	"github.com/segment-tool/segment/data"
)

// scanRequest is a pass asked for within together: its columns, what it
// does with each piece of them, and where its result goes.
type scanRequest struct {
	cols []string
	fn   func(t *data.Table) error
	done chan error
}

// together runs fns at once, each making its passes over the shards
// through p: a pass waits until every fn still running has asked for one
// (or returned), and the passes asked for are then made in one read of the
// union of their columns, each piece handed to each pass in turn (as
// ShardSearches does for job 2). Every pass sees the pieces it would see
// alone, in the same order, so the figures do not change; the shards are
// read as many times as the fn making the most passes makes, not as many
// as all of them make. fns must not wait on one another. A pass whose fn
// fails stops being handed pieces and gets its error; a read that fails
// gives its error to every pass it served. together returns the first
// error of a fn, in the order of fns.
func (p *shardPasses) together(fns ...func() error) error {
	if p.requests != nil || p.record != nil {
		panic("pipeline: shardPasses.together within together or a recording")
	}
	requests := make(chan scanRequest)
	exits := make(chan struct{})
	errs := make([]error, len(fns))
	p.requests = requests
	defer func() { p.requests = nil }()
	for i, fn := range fns {
		go func() {
			defer func() { exits <- struct{}{} }()
			errs[i] = fn()
		}()
	}
	var pending []scanRequest
	for running := len(fns); running > 0; {
		select {
		case r := <-requests:
			pending = append(pending, r)
		case <-exits:
			running--
		}
		if len(pending) > 0 && len(pending) == running {
			p.readFor(pending)
			pending = nil
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// readFor makes the passes reqs in one read of the union of their
// columns and answers each (on its done, which must have room for the
// answer); no pass, no read.
func (p *shardPasses) readFor(reqs []scanRequest) {
	if len(reqs) == 0 {
		return
	}
	var union []string
	at := map[string]int{}
	for _, r := range reqs {
		for _, c := range r.cols {
			if _, ok := at[c]; !ok {
				at[c], union = len(union), append(union, c)
			}
		}
	}
	failed := make([]error, len(reqs))
	err := p.read(union, func(t *data.Table) error {
		for i, r := range reqs {
			if failed[i] != nil {
				continue
			}
			view := &data.Table{Columns: make([]data.Column, len(r.cols))}
			for j, c := range r.cols {
				view.Columns[j] = t.Columns[at[c]]
			}
			failed[i] = r.fn(view)
		}
		return nil
	})
	for i, r := range reqs {
		if failed[i] == nil {
			failed[i] = err
		}
		r.done <- failed[i]
	}
}
