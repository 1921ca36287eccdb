//go:build amd64 && !purego

package cluster

import "golang.org/x/sys/cpu"

// cpuAVX and cpuAVX512 say which kernels the machine can run: the AVX ones
// (the search kernel uses FMA too) and the AVX-512 ones, the search and the
// bounds test (AVX-512 F, VL and DQ).
var (
	cpuAVX    = cpu.X86.HasAVX && cpu.X86.HasFMA
	cpuAVX512 = cpuAVX && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasAVX512DQ
)

// useAVX and useAVX512 select the kernels; tests switch them off to compare
// with the Go code.
var useAVX, useAVX512 = cpuAVX, cpuAVX512

// seedAVX is the kernel of seedPots and seedUpdate (seeddist_amd64.s).
//
//go:noescape
func seedAVX(x *float64, d int, rows int, cand *float64, closest *float64, w *float64, pot *float64, update int)

// nearAVX is nearest's kernel (near_amd64.s).
//
//go:noescape
func nearAVX(x *float64, d int, idx *int32, quads int, ct *float64, kp int, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64)

// nearAVX512 is nearest's kernel on AVX-512 machines (near512_amd64.s).
//
//go:noescape
func nearAVX512(x *float64, d int, idx *int32, octs int, ct *float64, kp int, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64, ahead int, labels *int32, chg *uint8, first int)

// testBoundsAVX512 is testAndSearch's bounds test on AVX-512 machines
// (bounds512_amd64.s).
//
//go:noescape
func testBoundsAVX512(labels *int32, upper *float64, lower *float64, groups int, moved *float64, half *float64, maxMoved float64, margin2 float64, margin float64, rows *int32, first int, room int) (done int, found int)

// moveRowsAVX is moveRows' kernel (moverows_amd64.s).
//
//go:noescape
func moveRowsAVX(x *float64, d int, moves *rowMove, n int, sums *float64, w *float64)
