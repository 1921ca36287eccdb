package data

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// FileSHA256 returns the hex SHA-256 digest of a file's bytes. Its errors
// are those of os.Open, or a read error prefixed with the path.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileSHA256 is FileSHA256 with this package's error prefix, for the order
// files ReadOrders lists in its stats.
func fileSHA256(path string) (string, error) {
	sum, err := FileSHA256(path)
	if err != nil {
		return "", fmt.Errorf("data: %w", err)
	}
	return sum, nil
}
