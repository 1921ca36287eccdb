package pipeline

import (
	"fmt"
	"os"

	"github.com/segment-tool/segment/internal/outdir"
)

// CheckSpillDir returns an error when dir, a spill folder given by flag,
// is not an existing folder: checked before any line is read, where the
// first spill file would fail only once the reading had started, naming
// the orders.
func CheckSpillDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("-spill-dir: %w: name an existing folder with room for the spill", err)
	case !info.IsDir():
		return fmt.Errorf("-spill-dir %s is a file: name an existing folder with room for the spill", dir)
	}
	return nil
}

// CheckOutside returns an error when path, a file a run writes beside its
// outputs (what names it, as "-cpuprofile"), lies inside the output folder
// out, which a run replaces as a whole; links are followed.
func CheckOutside(what, path, out string) error {
	p, err1 := outdir.Resolve(path)
	o, err2 := outdir.Resolve(out)
	if err1 == nil && err2 == nil && outdir.Within(p, o) {
		return fmt.Errorf("%s %s is inside the output folder %s, which a run replaces as a whole: write it elsewhere", what, path, out)
	}
	return nil
}
