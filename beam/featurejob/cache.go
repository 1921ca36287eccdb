package featurejob

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
)

// DefaultCacheBytes is Config.CacheBytes when it is 0: how many bytes of
// copies that no bundle holds a worker process keeps for later bundles.
const DefaultCacheBytes = 4 << 30

// copies is the worker process's cache of remote input files, shared by
// every DoFn instance of the process.
var copies = &copyCache{files: map[string]*cachedCopy{}}

// copyCache holds local copies of remote files, by URL, in a temporary
// folder of its own (a folder per file keeps its name, whose ending tells
// its format, whatever other files of that name are held).
type copyCache struct {
	mu    sync.Mutex
	limit int64 // bytes of idle copies kept (setLimit); 0 means DefaultCacheBytes
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
	dropped   bool  // out of the cache (discard): removed at its last release
}

// acquire returns the copy of url, held until release: the cached one, or
// one fetched now. A concurrent acquire of the same URL waits for this
// download rather than starting another; a failed download is not kept,
// and one that failed because its own caller's context ended is tried
// again by a waiter whose context has not.
func (c *copyCache) acquire(ctx context.Context, url string) (*cachedCopy, error) {
	for {
		c.mu.Lock()
		cp, ok := c.files[url]
		if !ok {
			return c.fetch(ctx, url) // unlocks c.mu
		}
		cp.refs++
		c.mu.Unlock()
		select {
		case <-cp.done:
		case <-ctx.Done():
			c.release(cp)
			return nil, ctx.Err()
		}
		if cp.err == nil {
			return cp, nil
		}
		c.release(cp)
		canceled := errors.Is(cp.err, context.Canceled) || errors.Is(cp.err, context.DeadlineExceeded)
		if !canceled || ctx.Err() != nil {
			return nil, cp.err
		}
	}
}

// fetch downloads url into a new copy, held by the caller, with c.mu held
// on entry; it unlocks it.
func (c *copyCache) fetch(ctx context.Context, url string) (*cachedCopy, error) {
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
	if err == nil {
		close(cp.done)
		return cp, nil
	}
	os.RemoveAll(dir)
	cp.err = err
	c.mu.Lock()
	if c.files[url] == cp {
		delete(c.files, url) // the next acquire tries again
	}
	cp.refs--
	c.removeDir()
	c.mu.Unlock()
	close(cp.done)
	return nil, err
}

// setLimit sets how many bytes of copies no bundle holds the cache keeps
// (beyond the last one released, which is kept whatever its size); 0 or
// less means DefaultCacheBytes. Every DoFn that reads inputs sets it from
// its Config in Setup: the cache is the process's, the budget the job's.
func (c *copyCache) setLimit(n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limit = n
}

// release hands back a copy from acquire and removes the copies no one
// holds beyond the limit (setLimit), the least recently used first. A copy that
// cannot be removed is logged: it is not the caller's failure.
func (c *copyCache) release(cp *cachedCopy) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp.refs--
	c.clock++
	cp.used = c.clock
	if cp.dropped && cp.refs == 0 && cp.path != "" {
		c.removeFiles(cp)
	}
	var idle []*cachedCopy
	for _, f := range c.files {
		if f.refs == 0 {
			idle = append(idle, f)
		}
	}
	slices.SortFunc(idle, func(a, b *cachedCopy) int { return cmp.Compare(b.used, a.used) }) // newest first
	limit := c.limit
	if limit <= 0 {
		limit = DefaultCacheBytes
	}
	var kept int64
	for i, f := range idle {
		if i == 0 || kept+f.size <= limit {
			kept += f.size
			continue
		}
		c.remove(f)
	}
	c.removeDir()
}

// discard takes copy cp, held by the caller, out of the cache, so that the
// next acquire of its URL downloads the file again; its files go at its
// last release.
func (c *copyCache) discard(cp *cachedCopy) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files[cp.url] == cp {
		delete(c.files, cp.url)
	}
	cp.dropped = true
}

// remove deletes copy cp, which no one holds, from the cache and the
// disk. The caller holds c.mu.
func (c *copyCache) remove(cp *cachedCopy) {
	delete(c.files, cp.url)
	c.removeFiles(cp)
}

// removeFiles deletes the folder of copy cp. The caller holds c.mu.
func (c *copyCache) removeFiles(cp *cachedCopy) {
	if err := os.RemoveAll(filepath.Dir(cp.path)); err != nil {
		slog.Warn("segment-beam: removing a copy of an input file", "url", cp.url, "error", err)
	}
}

// removeDir removes the cache's folder once it holds no copy and no copy
// is being made or held out of the cache. The caller holds c.mu.
func (c *copyCache) removeDir() {
	if len(c.files) > 0 || c.dir == "" {
		return
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil || len(entries) > 0 { // a discarded copy still held
		return
	}
	if err := os.Remove(c.dir); err != nil {
		slog.Warn("segment-beam: removing the copies' folder", "dir", c.dir, "error", err)
	}
	c.dir = ""
}

// ReleaseInputCopies removes every copy of a remote input file that no
// bundle holds from this process's cache and its disk. A driver calls it
// when a job is done: the workers of Prism (and of a loopback
// environment) run in its process.
func ReleaseInputCopies() {
	c := copies
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cp := range c.files {
		if cp.refs == 0 {
			c.remove(cp)
		}
	}
	c.removeDir()
}
