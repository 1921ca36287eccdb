//go:build !amd64 || purego

// Without the amd64 assembly (other architectures, or -tags purego as in
// golang.org/x/crypto) every kernel is off and the Go code runs; the
// stubs only satisfy the compiler.

package cluster

var cpuAVX, cpuAVX512, useAVX, useAVX512 = false, false, false, false

func seedAVX(x *float64, d int, rows int, cand *float64, closest *float64, w *float64, pot *float64, update int) {
	panic("cluster: no AVX kernel on this platform")
}

func nearAVX(x *float64, d int, idx *int32, quads int, ct *float64, kp int, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64) {
	panic("cluster: no AVX kernel on this platform")
}

func nearAVX512(x *float64, d int, idx *int32, octs int, ct *float64, kp int, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64, ahead int, labels *int32, chg *uint8, first int) {
	panic("cluster: no AVX kernel on this platform")
}

func testBoundsAVX512(labels *int32, upper *float64, lower *float64, groups int, moved *float64, half *float64, maxMoved float64, margin2 float64, margin float64, rows *int32, first int, room int) (done int, found int) {
	panic("cluster: no AVX kernel on this platform")
}

func moveRowsAVX(x *float64, d int, moves *rowMove, n int, sums *float64, w *float64) {
	panic("cluster: no AVX kernel on this platform")
}
