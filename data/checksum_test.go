package data

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileSHA256(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		want    string // from sha256sum(1)
	}{
		{"empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := FileSHA256(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("FileSHA256 = %s, want %s", got, tt.want)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		path := filepath.Join(dir, "missing")
		_, err := FileSHA256(path)
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
			t.Errorf("FileSHA256 of a missing file: error %v, want one naming it and wrapping fs.ErrNotExist", err)
		}
		if _, err := fileSHA256(context.Background(), path); err == nil || !strings.HasPrefix(err.Error(), "data: ") {
			t.Errorf("fileSHA256 of a missing file: error %v, want the data: prefix", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		if _, err := FileSHA256(dir); err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("FileSHA256 of a directory: error %v, want one naming it", err)
		}
	})
}
