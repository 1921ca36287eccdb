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
// n shards' files in out's FeaturesDir, reading them from its
// assignments.parquet a piece at a time (pipeline.ScanPrevious) and
// appending them to their shard's file every previousFlushRows customers:
// memory holds that many customers, not the previous run's. A file is
// the previous model's as_of, then each customer's id, cluster key, RFM
// segment and segment date, in id order, each a uvarint length and its
// bytes; the files are written under temporary names and renamed into
// place once all are complete.
func writePreviousShards(ctx context.Context, out string, p *pipeline.Previous, n int) (err error) {
	paths := make([]string, n)
	for k := range paths {
		paths[k] = filepath.Join(out, FeaturesDir, PreviousName(k, n))
	}
	defer func() {
		if err != nil {
			for _, path := range paths {
				os.Remove(path + ".tmp")
			}
			err = fmt.Errorf("featurejob: the previous run: %w", err)
		}
	}()
	for _, path := range paths {
		if err := os.WriteFile(path+".tmp", appendText(nil, p.Model.AsOf), 0o644); err != nil {
			return err
		}
	}
	bufs, held := make([][]byte, n), 0
	flush := func() error {
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
		if held++; held == previousFlushRows {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	for _, path := range paths {
		if err != nil {
			break
		}
		err = os.Rename(path+".tmp", path)
	}
	return err
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
	r := bufio.NewReader(f)
	asOf, err := readText(r)
	if err != nil {
		return nil, fmt.Errorf("featurejob: %s: %w", path, err)
	}
	p := &pipeline.Previous{Model: &pipeline.Model{AsOf: asOf}, Customers: map[string]pipeline.PreviousCustomer{}}
	for {
		var v [4]string
		for i := range v {
			if v[i], err = readText(r); err != nil {
				break
			}
		}
		switch {
		case errors.Is(err, io.EOF) && v[0] == "":
			return p, nil
		case err != nil:
			return nil, fmt.Errorf("featurejob: %s: %w", path, err)
		}
		p.Customers[v[0]] = pipeline.PreviousCustomer{Key: v[1], Segment: v[2], ChangedAt: v[3]}
	}
}
