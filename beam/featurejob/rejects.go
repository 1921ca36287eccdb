package featurejob

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/data"
)

// The rejected order lines travel from job 1 to the finishing step in
// files, one a part with rejects: the worker that reads a part writes its
// rejects (data.Reject, in row order, each with what it adds to the
// revenue excluded) as it reads them, under a temporary name in the
// staging folder; the commit renames the files the runner kept to
// RejectsName(seq), seq being the part's place in the local run's read
// order (data.OrderParts), and lists them in that order in the summary
// (Summary.RejectFiles). Reading them in that order (ReadRejects) gives
// the local reader's rejects in its order, so the finishing step writes
// rejects.csv and sums revenue_excluded as a local run does. Their memory
// is a buffer: neither a worker nor the finishing step holds a part's
// rejects.

// orderPart is a part of the order files with its place in the order a
// local run reads them.
type orderPart struct {
	Seq  int // the part's index in data.OrderParts' list
	Part data.OrderPart
	// SHA256 is a remote file's checksum, found by the lister
	// (listParts): its copies must have it. Empty for a local file.
	SHA256 string
}

// RejectsName is the name, in FeaturesDir, of the rejects file of the
// part at place seq of the read order.
func RejectsName(seq int) string { return fmt.Sprintf("rejects-%06d.gob", seq) }

// rejectsWriter writes a part's rejects to a temporary file in the
// staging folder, made at the first reject.
type rejectsWriter struct {
	ctx       context.Context
	dir, name string
	f         io.WriteCloser
	bw        *bufio.Writer
	enc       *gob.Encoder
	path      string
	err       error
}

// add writes r; the first error is kept for close.
func (w *rejectsWriter) add(r data.Reject) {
	if w.err != nil {
		return
	}
	if w.f == nil {
		if w.err = makeDir(w.dir); w.err != nil {
			return
		}
		w.path = joinPath(w.dir, tempName(w.name))
		if w.f, w.err = createFile(w.ctx, w.path); w.err != nil {
			return
		}
		w.bw = bufio.NewWriter(w.f)
		w.enc = gob.NewEncoder(w.bw)
	}
	w.err = w.enc.Encode(&r)
}

// close finishes the file and returns its path ("" when no line was
// rejected).
func (w *rejectsWriter) close() (string, error) {
	if w.f != nil {
		if err := w.bw.Flush(); w.err == nil {
			w.err = err
		}
		if err := w.f.Close(); w.err == nil {
			w.err = err
		}
		w.f = nil
	}
	if w.err != nil {
		return "", fmt.Errorf("featurejob: the rejected lines: %w", w.err)
	}
	return w.path, nil
}

// ReadRejects returns every rejected row in a local run's order, one at a
// time, from job 1's files (sum's RejectFiles in out): the rejected order
// lines, then the customers table's rows without an id, then the events
// table's rejected rows.
func ReadRejects(out string, sum *Summary) iter.Seq2[data.Reject, error] {
	return func(yield func(data.Reject, error) bool) {
		for _, name := range sum.RejectFiles {
			if !readRejectsFile(filepath.Join(out, FeaturesDir, name), yield) {
				return
			}
		}
	}
}

// readRejectsFile yields the rejects of one file; false once yield has
// returned false.
func readRejectsFile(path string, yield func(data.Reject, error) bool) bool {
	f, err := os.Open(path)
	if err != nil {
		return yield(data.Reject{}, fmt.Errorf("featurejob: %w", err))
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReader(f))
	for {
		var r data.Reject
		err := dec.Decode(&r)
		switch {
		case errors.Is(err, io.EOF):
			return true
		case err != nil:
			return yield(data.Reject{}, fmt.Errorf("featurejob: %s: %w", path, err))
		}
		if !yield(r, nil) {
			return false
		}
	}
}
