package outdir

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// syncTree flushes every regular file and directory under dir to disk,
// dir included.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			return syncDir(path)
		case d.Type().IsRegular():
			return syncFile(path)
		}
		return nil
	})
}

// syncFile and syncDir are variables so that tests can see what is
// flushed.
var syncFile, syncDir = syncFileOS, syncDirOS

// syncFileOS flushes the file at path to disk.
func syncFileOS(path string) error {
	flag := os.O_RDONLY
	if runtime.GOOS == "windows" { // FlushFileBuffers needs write access
		flag = os.O_RDWR
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDirOS flushes a directory's entries to disk. Windows cannot sync a
// directory; its renames are journalled by NTFS.
func syncDirOS(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
