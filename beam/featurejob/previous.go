package featurejob

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/segment-tool/segment/internal/pipeline"
)

// A previous run (segment run's -previous, or -out holding a run): its
// model.json is read on the submitting machine (pipeline.LoadPrevious,
// which counts its customers by RFM segment from its assignments.parquet),
// where the fit matches the clusters with the previous run's
// (pipeline.FitSample: matched clusters keep their keys). Job 2 fills each
// shard's history columns (previous_segment, previous_cluster_key,
// segment_changed_at): the fit step streams the previous customers' keys,
// segments and dates into the PreviousName file of their shard (shardOf)
// in FeaturesDir, holding a bounded number of them, and the worker that
// labels a shard reads its file only. The finishing step compares
// the keys on every customer from job 2's shards and reads the previous
// run's tags (the exports of removed tags) from its assignments.parquet,
// with the local run's code.

// PreviousName is the name, in FeaturesDir, of the previous run's
// customers of shard k of n.
func PreviousName(k, n int) string { return fmt.Sprintf("previous-%05d-of-%05d.bin", k, n) }

// loadPrevious reads the previous run in dir ("" or "none": no previous
// run).
func loadPrevious(ctx context.Context, dir string) (*pipeline.Previous, error) {
	if dir == "" || dir == "none" {
		return nil, nil
	}
	return pipeline.LoadPrevious(ctx, dir)
}

// previousFlushRows is the number of the previous run's customers held
// before they are appended to their shards' files.
const previousFlushRows = 1 << 16

// writePreviousShards splits the customers of the previous run p into the
// n shards' files in out's FeaturesDir (previousShards, every
// previousFlushRows customers).
func writePreviousShards(ctx context.Context, out string, p *pipeline.Previous, n int) error {
	return previousShards(ctx, out, p, n, previousFlushRows)
}

// previousShards splits the customers of the previous run p into the n
// shards' files in out's FeaturesDir, reading them from its
// assignments.parquet a piece at a time (pipeline.ScanPrevious) and
// appending them to their shard's file every flush customers: memory
// holds that many customers, not the previous run's. A file is the
// previous model's as_of, then each customer's id, cluster key, RFM
// segment and segment date, in id order, then an empty text and the
// number of its customers (so that a file cut short is an error, not
// fewer customers), each text a uvarint length and its bytes. The files
// are written under temporary names and renamed once all are complete; on
// an error none of them is left.
func previousShards(ctx context.Context, out string, p *pipeline.Previous, n, flush int) (err error) {
	paths := make([]string, n)
	for k := range paths {
		paths[k] = filepath.Join(out, FeaturesDir, PreviousName(k, n))
	}
	defer func() {
		if err != nil {
			for _, path := range paths {
				os.Remove(path + ".tmp")
				os.Remove(path)
			}
			err = fmt.Errorf("featurejob: %w", err)
		}
	}()
	for _, path := range paths {
		if err := os.WriteFile(path+".tmp", appendText(nil, p.Model.AsOf), 0o644); err != nil {
			return err
		}
	}
	bufs, counts, held := make([][]byte, n), make([]uint64, n), 0
	write := func() error {
		for k, b := range bufs {
			if len(b) == 0 {
				continue
			}
			f, err := os.OpenFile(paths[k]+".tmp", os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return err
			}
			_, err = f.Write(b)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			bufs[k] = b[:0]
		}
		held = 0
		return nil
	}
	err = pipeline.ScanPrevious(ctx, p.Dir, func(id string, c pipeline.PreviousCustomer) error {
		k := shardOf(id, n)
		for _, s := range []string{id, c.Key, c.Segment, c.ChangedAt} {
			bufs[k] = appendText(bufs[k], s)
		}
		counts[k]++
		if held++; held == flush {
			return write()
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k := range bufs { // the end: an empty id (ids are never empty) and the count
		bufs[k] = binary.AppendUvarint(appendText(bufs[k], ""), counts[k])
	}
	if err := write(); err != nil {
		return err
	}
	for _, path := range paths {
		if err := os.Rename(path+".tmp", path); err != nil {
			return err
		}
	}
	return nil
}

// appendText appends s to b as a uvarint length and its bytes.
func appendText(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// readText reads a string appendText wrote.
func readText(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > 1<<20 {
		return "", fmt.Errorf("a text of %d bytes", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return string(b), nil
}

// readPreviousShard reads the previous run's customers of shard k of n
// beside job 1's files, as a pipeline.Previous for AssignRows.
func readPreviousShard(ctx context.Context, files jobFiles, k, n int) (*pipeline.Previous, error) {
	path, err := files.path(PreviousName(k, n))
	if err != nil {
		return nil, fmt.Errorf("featurejob: the previous run: %w", err)
	}
	f, err := openFile(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("featurejob: the previous run: %w", err)
	}
	defer f.Close()
	p, err := decodePreviousShard(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", path, err)
	}
	return p, nil
}

// decodePreviousShard reads a file previousShards wrote.
func decodePreviousShard(r *bufio.Reader) (*pipeline.Previous, error) {
	asOf, err := readText(r)
	if err != nil {
		return nil, cutShort(err)
	}
	p := &pipeline.Previous{Model: &pipeline.Model{AsOf: asOf}, Customers: map[string]pipeline.PreviousCustomer{}}
	for {
		id, err := readText(r)
		if err != nil {
			return nil, cutShort(err)
		}
		if id == "" { // the end
			count, err := binary.ReadUvarint(r)
			switch {
			case err != nil:
				return nil, cutShort(err)
			case count != uint64(len(p.Customers)):
				return nil, fmt.Errorf("%d customers, the file says %d", len(p.Customers), count)
			}
			if _, err := r.ReadByte(); err != io.EOF {
				return nil, fmt.Errorf("bytes after the end")
			}
			return p, nil
		}
		var v [3]string
		for i := range v {
			if v[i], err = readText(r); err != nil {
				return nil, cutShort(err)
			}
		}
		p.Customers[id] = pipeline.PreviousCustomer{Key: v[0], Segment: v[1], ChangedAt: v[2]}
	}
}

// cutShort turns the end of a file before its end record into an error
// that says so.
func cutShort(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("the file ends before its end record (cut short?)")
	}
	return err
}
