package cluster

import "golang.org/x/sys/cpu"

// useAVX selects the AVX kernels (the search kernels use FMA too).
var useAVX = cpu.X86.HasAVX && cpu.X86.HasFMA && cpu.X86.HasPOPCNT

// dotsAVX is blockDots's kernel for quads groups of four rows (dots_amd64.s).
//
//go:noescape
func dotsAVX(x *float64, d int, idx *int32, quads int, ct *float64, kp int, cn *float64, out *float64)

// minsAVX is mins's kernel (dots_amd64.s).
//
//go:noescape
func minsAVX(dists *float64, kp int, m int, best *int32, bestv *float64, second *float64, rows *int32, xnorm *float64, up *float64, lo *float64)

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
