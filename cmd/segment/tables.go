package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/segment-tool/segment/data"
)

// fileSHA256 returns the hex SHA-256 of a file's bytes.
func fileSHA256(path string) (string, error) {
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

// idStrings returns a table column as customer ids.
func idStrings(path string, c data.Column) ([]string, error) {
	switch c.Kind {
	case data.KindString:
		return c.Strings, nil
	case data.KindInt64:
		ids := make([]string, len(c.Ints))
		for i, v := range c.Ints {
			ids[i] = strconv.FormatInt(v, 10)
		}
		return ids, nil
	}
	return nil, fmt.Errorf("%s: column %q: customer ids must be strings or integers", path, c.Name)
}

// numericValues returns a numeric column as float64s.
func numericValues(c data.Column) ([]float64, bool) {
	switch c.Kind {
	case data.KindFloat64:
		return c.Floats, true
	case data.KindInt64:
		v := make([]float64, len(c.Ints))
		for i, x := range c.Ints {
			v[i] = float64(x)
		}
		return v, true
	}
	return nil, false
}
