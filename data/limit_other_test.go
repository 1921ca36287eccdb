//go:build !linux

package data

import "errors"

// limitAddressSpace is not implemented here.
func limitAddressSpace(uint64) error { return errors.ErrUnsupported }
