package data

import "syscall"

// limitAddressSpace caps this process's virtual memory at n bytes (0: only
// report whether it can).
func limitAddressSpace(n uint64) error {
	if n == 0 {
		return nil
	}
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: n, Max: n})
}
