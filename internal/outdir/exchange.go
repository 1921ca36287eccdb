package outdir

import "os"

// exchangeByRename swaps a and b with two renames through a third name. If it
// is stopped between them, the previous outputs survive under a+".old".
func exchangeByRename(a, b string) error {
	old := a + ".old"
	if err := os.Rename(b, old); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(old, b)
		return err
	}
	return os.Rename(old, a)
}
