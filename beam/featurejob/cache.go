package featurejob

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
)

// cacheBytes is how many bytes of copies that no bundle holds a worker
// process keeps for later bundles (beyond the last one released, which is
// kept whatever its size). A variable for the tests.
var cacheBytes int64 = 4 << 30

// copies is the worker process's cache of remote input files, shared by
// every DoFn instance of the process.
var copies = &copyCache{files: map[string]*cachedCopy{}}

// copyCache holds local copies of remote files, by URL, in a temporary
// folder of its own (a folder per file keeps its name, whose ending tells
// its format, whatever other files of that name are held).
type copyCache struct {
	mu    sync.Mutex
	dir   string
	next  int   // the next copy's folder number
	clock int64 // counts releases: a copy's last use
	files map[string]*cachedCopy
}

// cachedCopy is a local copy of a remote file. done is closed once the
// download has ended, with err or with path, sha and size set.
type cachedCopy struct {
	url       string
	path, sha string
	size      int64
	err       error
	done      chan struct{}
	refs      int   // holders: bundles using it and downloads waited for
	used      int64 // the clock at its last release
}

// acquire returns the copy of url, held until release: the cached one, or
// one fetched now. A concurrent acquire of the same URL waits for this
// download rather than starting another; a failed download is not kept.
func (c *copyCache) acquire(ctx context.Context, url string) (*cachedCopy, error) {
	c.mu.Lock()
	if cp, ok := c.files[url]; ok {
		cp.refs++
		c.mu.Unlock()
		select {
		case <-cp.done:
		case <-ctx.Done():
			c.release(cp)
			return nil, ctx.Err()
		}
		if cp.err != nil {
			c.release(cp)
			return nil, cp.err
		}
		return cp, nil
	}
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "segment-beam-inputs-")
		if err != nil {
			c.mu.Unlock()
			return nil, fmt.Errorf("featurejob: %w", err)
		}
		c.dir = dir
	}
	dir := filepath.Join(c.dir, strconv.Itoa(c.next))
	c.next++
	cp := &cachedCopy{url: url, done: make(chan struct{}), refs: 1}
	c.files[url] = cp
	c.mu.Unlock()

	err := os.Mkdir(dir, 0o755)
	if err == nil {
		cp.path = filepath.Join(dir, path.Base(url))
		cp.sha, cp.size, err = fetch(ctx, url, cp.path)
	} else {
		err = fmt.Errorf("featurejob: %w", err)
	}
	if err != nil {
		os.RemoveAll(dir)
		c.mu.Lock()
		cp.err = err
		if c.files[url] == cp {
			delete(c.files, url) // the next acquire tries again
		}
		c.mu.Unlock()
	}
	close(cp.done)
	if err != nil {
		c.release(cp)
		return nil, err
	}
	return cp, nil
}

// release hands back a copy from acquire and removes the copies no one
// holds beyond cacheBytes, the least recently used first.
func (c *copyCache) release(cp *cachedCopy) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp.refs--
	c.clock++
	cp.used = c.clock
	var idle []*cachedCopy
	for _, f := range c.files {
		if f.refs == 0 {
			idle = append(idle, f)
		}
	}
	slices.SortFunc(idle, func(a, b *cachedCopy) int { return cmp.Compare(b.used, a.used) }) // newest first
	var kept int64
	var err error
	for i, f := range idle {
		if i == 0 || kept+f.size <= cacheBytes {
			kept += f.size
			continue
		}
		if rerr := c.remove(f); err == nil {
			err = rerr
		}
	}
	return err
}

// remove deletes copy cp, which no one holds, from the cache and the disk;
// the cache's folder goes with its last copy. The caller holds c.mu.
func (c *copyCache) remove(cp *cachedCopy) error {
	delete(c.files, cp.url)
	err := os.RemoveAll(filepath.Dir(cp.path))
	if len(c.files) == 0 && c.dir != "" {
		if rerr := os.RemoveAll(c.dir); err == nil {
			err = rerr
		}
		c.dir = ""
	}
	if err != nil {
		return fmt.Errorf("featurejob: %w", err)
	}
	return nil
}

// ReleaseInputCopies removes every copy of a remote input file that no
// bundle holds from this process's cache and its disk. A driver calls it
// when a job is done: the workers of Prism (and of a loopback
// environment) run in its process.
func ReleaseInputCopies() error {
	c := copies
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, cp := range c.files {
		if cp.refs > 0 {
			continue
		}
		if rerr := c.remove(cp); err == nil {
			err = rerr
		}
	}
	return err
}
