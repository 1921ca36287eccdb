package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// FileSHA256 returns the hex SHA-256 digest of a file's bytes. Its errors
// are those of os.Open, or a read error prefixed with the path.
func FileSHA256(path string) (string, error) {
	return hashFile(context.Background(), path)
}

// fileSHA256 is FileSHA256 with this package's error prefix, for the order
// files ReadOrders lists in its stats. It stops with ctx.Err() once ctx is
// done (a large file takes seconds to hash).
func fileSHA256(ctx context.Context, path string) (string, error) {
	sum, err := hashFile(ctx, path)
	if err != nil {
		return "", fmt.Errorf("data: %w", err)
	}
	return sum, nil
}

// hashFile is FileSHA256, checking ctx before every read.
func hashFile(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader is r failing with ctx.Err() once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
