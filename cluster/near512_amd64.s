#include "textflag.h"

// The AVX-512 form of nearAVX (near_amd64.s): eight rows at a time, one
// ZMM register per row holding the eight centroids of a block. Each term
// is one VFMADD231PD with the row's x[j] broadcast from memory, so the
// sums round exactly as nearestGo's math.FMA chain. Registers in the term
// loop: R9 R10 R11 R12 SI DI CX R8 the eight rows, BX the rows' indices,
// AX j, DX d, R13 the block's byte offset, R14 the current row of ct, R15
// the bytes per row of ct; Z0..Z7 the accumulators of rows A..H. The
// number of groups left and the first row of the group wait on the stack.

// OCT_TERM adds term j of the block's dot products of the eight rows.
#define OCT_TERM \
	VMOVUPD          (R14), Z8            \
	VFMADD231PD.BCST (R9)(AX*8), Z8, Z0   \
	VFMADD231PD.BCST (R10)(AX*8), Z8, Z1  \
	VFMADD231PD.BCST (R11)(AX*8), Z8, Z2  \
	VFMADD231PD.BCST (R12)(AX*8), Z8, Z3  \
	VFMADD231PD.BCST (SI)(AX*8), Z8, Z4   \
	VFMADD231PD.BCST (DI)(AX*8), Z8, Z5   \
	VFMADD231PD.BCST (CX)(AX*8), Z8, Z6   \
	VFMADD231PD.BCST (R8)(AX*8), Z8, Z7

// OCT_ROW points reg at row idx[off/4] (BX) of x (R14).
#define OCT_ROW(off, reg) \
	MOVLQSX off(BX), AX   \
	IMULQ   DX, AX        \
	LEAQ    (R14)(AX*8), reg

// OCT_PREFETCH asks for the cache lines of row idx[off/4] (BX) of x (R14).
#define OCT_PREFETCH(off) \
	MOVLQSX    off(BX), AX    \
	IMULQ      DX, AX         \
	PREFETCHT0 (R14)(AX*8)    \
	PREFETCHT0 64(R14)(AX*8)

// XNORM_PAIR loads ‖x‖² (R14) of rows idx[off/4] and idx[off/4+1] (BX)
// into X.
#define XNORM_PAIR(off, X) \
	MOVLQSX off(BX), AX            \
	VMOVSD  (R14)(AX*8), X         \
	MOVLQSX off+4(BX), AX          \
	VMOVHPD (R14)(AX*8), X, X

// SCAN16 folds the values of the centroid whose index is at off(AX) (V,
// one lane per row) into the running minimum Z24, second minimum Z25 and
// index Z26 exactly as SCAN in near_amd64.s does.
#define SCAN16(V, off) \
	VCMPPD       $0x11, Z24, V, K2 \
	VMAXPD       V, Z24, Z27       \
	VMINPD       Z27, Z25, Z25     \
	VMINPD       V, Z24, Z24       \
	VBROADCASTSD off(AX), K2, Z26

// func nearAVX512(x *float64, d int, idx *int32, octs int, ct *float64, kp int, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64, ahead int)
//
// nearAVX for groups of eight rows (octs groups; kp a multiple of 8, at
// most 256). Between blocks the running minimum, second and index wait in
// d2, up and lo. Each group first asks the cache for the 768 bytes that
// start ahead bytes past its first row (rows in order are read long before
// the hardware would fetch them; ahead = 0 asks for the group's own first
// row).
TEXT ·nearAVX512(SB), NOSPLIT, $16-104
	MOVQ idx+16(FP), BX
	MOVQ octs+24(FP), AX
	MOVQ AX, left-8(SP)
	MOVQ $0, AX
	MOVQ AX, first-16(SP)
	MOVQ d+8(FP), DX
	MOVQ kp+40(FP), R15
	SHLQ $3, R15

oct:
	MOVQ x+0(FP), R14
	OCT_ROW(0, R9)
	OCT_ROW(4, R10)
	OCT_ROW(8, R11)
	OCT_ROW(12, R12)
	OCT_ROW(16, SI)
	OCT_ROW(20, DI)
	OCT_ROW(24, CX)
	OCT_ROW(28, R8)
	MOVQ       ahead+96(FP), AX
	ADDQ       R9, AX
	PREFETCHT0 (AX)
	PREFETCHT0 64(AX)
	PREFETCHT0 128(AX)
	PREFETCHT0 192(AX)
	PREFETCHT0 256(AX)
	PREFETCHT0 320(AX)
	PREFETCHT0 384(AX)
	PREFETCHT0 448(AX)
	PREFETCHT0 512(AX)
	PREFETCHT0 576(AX)
	PREFETCHT0 640(AX)
	PREFETCHT0 704(AX)
	XORQ R13, R13

block:
	VXORPD Z0, Z0, Z0
	VXORPD Z1, Z1, Z1
	VXORPD Z2, Z2, Z2
	VXORPD Z3, Z3, Z3
	VXORPD Z4, Z4, Z4
	VXORPD Z5, Z5, Z5
	VXORPD Z6, Z6, Z6
	VXORPD Z7, Z7, Z7
	MOVQ   ct+32(FP), R14
	ADDQ   R13, R14
	XORQ   AX, AX

term:
	OCT_TERM
	ADDQ R15, R14
	INCQ AX
	CMPQ AX, DX
	JLT  term

	// ‖c‖² − 2x·c, row by row.
	MOVQ    cn+48(FP), AX
	VMOVUPD (AX)(R13*1), Z9
	VADDPD  Z0, Z0, Z0
	VADDPD  Z1, Z1, Z1
	VADDPD  Z2, Z2, Z2
	VADDPD  Z3, Z3, Z3
	VADDPD  Z4, Z4, Z4
	VADDPD  Z5, Z5, Z5
	VADDPD  Z6, Z6, Z6
	VADDPD  Z7, Z7, Z7
	VSUBPD  Z0, Z9, Z0
	VSUBPD  Z1, Z9, Z1
	VSUBPD  Z2, Z9, Z2
	VSUBPD  Z3, Z9, Z3
	VSUBPD  Z4, Z9, Z4
	VSUBPD  Z5, Z9, Z5
	VSUBPD  Z6, Z9, Z6
	VSUBPD  Z7, Z9, Z7

	// Transpose the 8×8 block: Z16+c gets centroid c of rows A..H.
	VUNPCKLPD  Z1, Z0, Z16
	VUNPCKHPD  Z1, Z0, Z17
	VUNPCKLPD  Z3, Z2, Z18
	VUNPCKHPD  Z3, Z2, Z19
	VUNPCKLPD  Z5, Z4, Z20
	VUNPCKHPD  Z5, Z4, Z21
	VUNPCKLPD  Z7, Z6, Z22
	VUNPCKHPD  Z7, Z6, Z23
	VSHUFF64X2 $0x88, Z18, Z16, Z0 // AB·c0 AB·c4 CD·c0 CD·c4
	VSHUFF64X2 $0xdd, Z18, Z16, Z1 // AB·c2 AB·c6 CD·c2 CD·c6
	VSHUFF64X2 $0x88, Z19, Z17, Z2 // c1 c5
	VSHUFF64X2 $0xdd, Z19, Z17, Z3 // c3 c7
	VSHUFF64X2 $0x88, Z22, Z20, Z4 // EF GH, c0 c4
	VSHUFF64X2 $0xdd, Z22, Z20, Z5 // c2 c6
	VSHUFF64X2 $0x88, Z23, Z21, Z6 // c1 c5
	VSHUFF64X2 $0xdd, Z23, Z21, Z7 // c3 c7
	VSHUFF64X2 $0x88, Z4, Z0, Z16  // c0
	VSHUFF64X2 $0xdd, Z4, Z0, Z20  // c4
	VSHUFF64X2 $0x88, Z5, Z1, Z18  // c2
	VSHUFF64X2 $0xdd, Z5, Z1, Z22  // c6
	VSHUFF64X2 $0x88, Z6, Z2, Z17  // c1
	VSHUFF64X2 $0xdd, Z6, Z2, Z21  // c5
	VSHUFF64X2 $0x88, Z7, Z3, Z19  // c3
	VSHUFF64X2 $0xdd, Z7, Z3, Z23  // c7

	LEAQ  ·cvals(SB), AX
	ADDQ  R13, AX
	TESTQ R13, R13
	JNZ   resume
	VMOVAPD      Z16, Z24
	VBROADCASTSD ·infs(SB), Z25
	VXORPD       Z26, Z26, Z26
	JMP          rest

resume:
	MOVQ    d2+72(FP), R14
	MOVQ    first-16(SP), AX
	VMOVUPD (R14)(AX*8), Z24
	MOVQ    up+80(FP), R14
	VMOVUPD (R14)(AX*8), Z25
	MOVQ    lo+88(FP), R14
	VMOVUPD (R14)(AX*8), Z26
	LEAQ    ·cvals(SB), AX
	ADDQ    R13, AX
	SCAN16(Z16, 0)

rest:
	SCAN16(Z17, 8)
	SCAN16(Z18, 16)
	SCAN16(Z19, 24)
	SCAN16(Z20, 32)
	SCAN16(Z21, 40)
	SCAN16(Z22, 48)
	SCAN16(Z23, 56)

	ADDQ    $64, R13
	CMPQ    R13, R15
	JGE     final
	MOVQ    first-16(SP), AX
	MOVQ    d2+72(FP), R14
	VMOVUPD Z24, (R14)(AX*8)
	MOVQ    up+80(FP), R14
	VMOVUPD Z25, (R14)(AX*8)
	MOVQ    lo+88(FP), R14
	VMOVUPD Z26, (R14)(AX*8)
	JMP     block

final:
	MOVQ       first-16(SP), R13
	VCVTTPD2DQ Z26, Y11
	MOVQ       best+64(FP), AX
	VMOVDQU    Y11, (AX)(R13*4)

	MOVQ       xnorm+56(FP), R14
	XNORM_PAIR(0, X12)
	XNORM_PAIR(8, X13)
	XNORM_PAIR(16, X14)
	XNORM_PAIR(24, X15)
	VINSERTF64X2 $1, X13, Z12, Z12
	VINSERTF64X2 $2, X14, Z12, Z12
	VINSERTF64X2 $3, X15, Z12, Z12 // ‖x‖² of rows A..H
	VXORPD     Z15, Z15, Z15
	VADDPD     Z12, Z24, Z13
	VMAXPD     Z15, Z13, Z13         // max(·, 0), +0 for −0 as Go's max
	MOVQ       d2+72(FP), AX
	VMOVUPD    Z13, (AX)(R13*8)
	VSQRTPD    Z13, Z13
	MOVQ       up+80(FP), AX
	VMOVUPD    Z13, (AX)(R13*8)
	VADDPD     Z12, Z25, Z14
	VMAXPD     Z15, Z14, Z14
	VSQRTPD    Z14, Z14
	MOVQ       lo+88(FP), AX
	VMOVUPD    Z14, (AX)(R13*8)

	ADDQ $32, BX
	ADDQ $8, R13
	MOVQ R13, first-16(SP)
	DECQ left-8(SP)
	JNZ  oct
	VZEROUPPER
	RET
