package cluster

import "golang.org/x/sys/cpu"

// useAVX selects the AVX kernels (the search kernel uses FMA too).
var useAVX = cpu.X86.HasAVX && cpu.X86.HasFMA

// seedAVX is the kernel of seedPots and seedUpdate (seeddist_amd64.s).
//
//go:noescape
func seedAVX(x *float64, d int, rows int, cand *float64, closest *float64, w *float64, pot *float64, update int)

// nearAVX is nearest's kernel (near_amd64.s).
//
//go:noescape
func nearAVX(x *float64, d int, idx *int32, quads int, ct *float64, kp int, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64)

// moveRowAVX is moveRow's kernel (moverow_amd64.s).
//
//go:noescape
func moveRowAVX(from *float64, to *float64, row *float64, d int, w float64)
