package outdir

import (
	"fmt"
	"os"
)

// exchangeByRename swaps a and b with two renames through a third name,
// a+".old". If it is stopped between them, the previous outputs survive
// under that name. If the second rename fails the first is undone; if
// undoing fails too, the error names where the previous outputs are. If
// only the last rename fails, b holds the new outputs: the exchange has
// happened, and a *leftOverError says where the previous ones are left.
func exchangeByRename(a, b string) error {
	old := a + ".old"
	if err := rename(b, old); err != nil {
		return err
	}
	if err := rename(a, b); err != nil {
		if rerr := rename(old, b); rerr != nil {
			return fmt.Errorf("%w; putting the previous outputs back failed too (%v): they are in %s", err, rerr, old)
		}
		return err
	}
	if err := rename(old, a); err != nil {
		return &leftOverError{Path: old, Err: err}
	}
	return nil
}

// rename is os.Rename; a variable so that tests can make one fail.
var rename = os.Rename

// leftOverError is an exchange that happened but left the previous
// outputs at Path instead of at the staging directory's name.
type leftOverError struct {
	Path string
	Err  error
}

func (e *leftOverError) Error() string {
	return fmt.Sprintf("the previous outputs are left in %s: %v", e.Path, e.Err)
}

func (e *leftOverError) Unwrap() error { return e.Err }
