//go:build amd64 && !purego

#include "textflag.h"

// The AVX-512 form of nearAVX (near_amd64.s): eight rows at a time, one
// ZMM register per row holding the eight centroids of a block. Each term
// is one VFMADD231PD with the row's x[j] broadcast from memory, so the
// sums round exactly as nearestGo's math.FMA chain.
//
// A unit is one group of eight rows against one block of eight centroids.
// The kernel is software-pipelined: it computes the dot products of unit u
// and only then finishes unit u − 1 (transpose, fold into the minimum,
// bounds), whose instructions depend on nothing of unit u and so run while
// u's long chains of multiply-adds are still in flight.
//
// Registers: R9 R10 R11 R12 SI DI CX R8 the current group's eight rows, AX
// j, DX d, R13 the current block's byte offset, R14 the current row of ct,
// R15 the bytes per row of ct; Z0..Z7 the accumulators of rows A..H of
// unit u, Z10..Z15 Z28 Z29 those of unit u − 1 (P0..P7). The finish uses
// AX, BX and R14 and the other vector registers.

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

// func nearAVX512(x *float64, d int, idx *int32, octs int, ct *float64, kp int, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64, ahead int, labels *int32, chg *uint8, first int)
//
// nearAVX for groups of eight rows (octs groups; kp a multiple of 8, at
// most 256). Between blocks the running minimum, second and index wait in
// d2, up and lo. Each group first asks the cache for the 768 bytes that
// start ahead bytes past its first row (rows in order are read long before
// the hardware would fetch them; ahead = 0 asks for the group's own first
// row). On the stack: the first row of the current group and of unit
// u − 1, u − 1's block, whether u − 1 exists, whether u is past the end
// (only u − 1 is left to finish), and 8·octs. Unless labels is nil, bit r
// of chg[g] says whether row 8g + r gets a centroid other than labels[8g +
// r] (the labels of the rows in the order of idx). With idx nil the rows
// are first, first + 1, …, first + 8·octs − 1.
TEXT ·nearAVX512(SB), NOSPLIT, $48-128
	MOVQ d+8(FP), DX
	MOVQ kp+40(FP), R15
	SHLQ $3, R15
	MOVQ octs+24(FP), AX
	SHLQ $3, AX
	MOVQ AX, rowsEnd-48(SP)
	MOVQ $0, curRow-8(SP)
	MOVQ $0, hasPrev-32(SP)
	MOVQ $0, drain-40(SP)
	XORQ R13, R13
	XORQ AX, AX

rows:
	// Point the eight row registers at the group's rows (AX its first
	// row's offset), and ask the cache for the 768 bytes ahead bytes past
	// the first.
	MOVQ  idx+16(FP), BX
	TESTQ BX, BX
	JZ    inorder
	LEAQ  (BX)(AX*4), BX
	MOVQ  x+0(FP), R14
	OCT_ROW(0, R9)
	OCT_ROW(4, R10)
	OCT_ROW(8, R11)
	OCT_ROW(12, R12)
	OCT_ROW(16, SI)
	OCT_ROW(20, DI)
	OCT_ROW(24, CX)
	OCT_ROW(28, R8)
	JMP   prefetch

inorder:
	ADDQ  first+120(FP), AX
	IMULQ DX, AX
	MOVQ  x+0(FP), R9
	LEAQ  (R9)(AX*8), R9
	LEAQ  (R9)(DX*8), R10
	LEAQ  (R10)(DX*8), R11
	LEAQ  (R11)(DX*8), R12
	LEAQ  (R12)(DX*8), SI
	LEAQ  (SI)(DX*8), DI
	LEAQ  (DI)(DX*8), CX
	LEAQ  (CX)(DX*8), R8

prefetch:
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

unit:
	CMPQ drain-40(SP), $0
	JNE  finish
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

finish:
	CMPQ hasPrev-32(SP), $0
	JEQ  advance

	// Unit u − 1: ‖c‖² − 2x·c, row by row.
	MOVQ    prevBlock-24(SP), BX
	MOVQ    cn+48(FP), AX
	VMOVUPD (AX)(BX*1), Z9
	VADDPD  Z10, Z10, Z10
	VADDPD  Z11, Z11, Z11
	VADDPD  Z12, Z12, Z12
	VADDPD  Z13, Z13, Z13
	VADDPD  Z14, Z14, Z14
	VADDPD  Z15, Z15, Z15
	VADDPD  Z28, Z28, Z28
	VADDPD  Z29, Z29, Z29
	VSUBPD  Z10, Z9, Z10
	VSUBPD  Z11, Z9, Z11
	VSUBPD  Z12, Z9, Z12
	VSUBPD  Z13, Z9, Z13
	VSUBPD  Z14, Z9, Z14
	VSUBPD  Z15, Z9, Z15
	VSUBPD  Z28, Z9, Z28
	VSUBPD  Z29, Z9, Z29

	// Transpose the 8×8 block: Z16+c gets centroid c of rows A..H.
	VUNPCKLPD  Z11, Z10, Z16
	VUNPCKHPD  Z11, Z10, Z17
	VUNPCKLPD  Z13, Z12, Z18
	VUNPCKHPD  Z13, Z12, Z19
	VUNPCKLPD  Z15, Z14, Z20
	VUNPCKHPD  Z15, Z14, Z21
	VUNPCKLPD  Z29, Z28, Z22
	VUNPCKHPD  Z29, Z28, Z23
	VSHUFF64X2 $0x88, Z18, Z16, Z10 // AB·c0 AB·c4 CD·c0 CD·c4
	VSHUFF64X2 $0xdd, Z18, Z16, Z11 // AB·c2 AB·c6 CD·c2 CD·c6
	VSHUFF64X2 $0x88, Z19, Z17, Z12 // c1 c5
	VSHUFF64X2 $0xdd, Z19, Z17, Z13 // c3 c7
	VSHUFF64X2 $0x88, Z22, Z20, Z14 // EF GH, c0 c4
	VSHUFF64X2 $0xdd, Z22, Z20, Z15 // c2 c6
	VSHUFF64X2 $0x88, Z23, Z21, Z28 // c1 c5
	VSHUFF64X2 $0xdd, Z23, Z21, Z29 // c3 c7
	VSHUFF64X2 $0x88, Z14, Z10, Z16 // c0
	VSHUFF64X2 $0xdd, Z14, Z10, Z20 // c4
	VSHUFF64X2 $0x88, Z15, Z11, Z18 // c2
	VSHUFF64X2 $0xdd, Z15, Z11, Z22 // c6
	VSHUFF64X2 $0x88, Z28, Z12, Z17 // c1
	VSHUFF64X2 $0xdd, Z28, Z12, Z21 // c5
	VSHUFF64X2 $0x88, Z29, Z13, Z19 // c3
	VSHUFF64X2 $0xdd, Z29, Z13, Z23 // c7

	LEAQ  ·cvals(SB), AX
	ADDQ  BX, AX
	MOVQ  prevRow-16(SP), R14
	TESTQ BX, BX
	JNZ   resume
	VMOVAPD      Z16, Z24
	VBROADCASTSD ·infs(SB), Z25
	VXORPD       Z26, Z26, Z26
	JMP          rest

resume:
	MOVQ    d2+72(FP), BX
	VMOVUPD (BX)(R14*8), Z24
	MOVQ    up+80(FP), BX
	VMOVUPD (BX)(R14*8), Z25
	MOVQ    lo+88(FP), BX
	VMOVUPD (BX)(R14*8), Z26
	SCAN16(Z16, 0)

rest:
	SCAN16(Z17, 8)
	SCAN16(Z18, 16)
	SCAN16(Z19, 24)
	SCAN16(Z20, 32)
	SCAN16(Z21, 40)
	SCAN16(Z22, 48)
	SCAN16(Z23, 56)

	MOVQ    prevBlock-24(SP), BX
	ADDQ    $64, BX
	CMPQ    BX, R15
	JGE     final
	MOVQ    d2+72(FP), BX
	VMOVUPD Z24, (BX)(R14*8)
	MOVQ    up+80(FP), BX
	VMOVUPD Z25, (BX)(R14*8)
	MOVQ    lo+88(FP), BX
	VMOVUPD Z26, (BX)(R14*8)
	JMP     finished

final:
	VCVTTPD2DQ   Z26, Y11
	MOVQ         best+64(FP), AX
	VMOVDQU      Y11, (AX)(R14*4)
	MOVQ         labels+104(FP), AX
	TESTQ        AX, AX
	JZ           nolabels
	VMOVDQU      (AX)(R14*4), Y13 // the rows' labels
	VPCMPD       $4, Y13, Y11, K3 // best ≠ label
	KMOVW        K3, AX
	SHRQ         $3, R14
	ADDQ         chg+112(FP), R14
	MOVB         AX, (R14)

nolabels:
	MOVQ         prevRow-16(SP), AX
	MOVQ         xnorm+56(FP), R14
	MOVQ         idx+16(FP), BX
	TESTQ        BX, BX
	JZ           xinorder
	LEAQ         (BX)(AX*4), BX
	XNORM_PAIR(0, X10)
	XNORM_PAIR(8, X11)
	XNORM_PAIR(16, X12)
	XNORM_PAIR(24, X13)
	VINSERTF64X2 $1, X11, Z10, Z10
	VINSERTF64X2 $2, X12, Z10, Z10
	VINSERTF64X2 $3, X13, Z10, Z10 // ‖x‖² of rows A..H
	JMP          xnormed

xinorder:
	ADDQ    first+120(FP), AX
	VMOVUPD (R14)(AX*8), Z10

xnormed:
	VXORPD       Z31, Z31, Z31
	VADDPD       Z10, Z24, Z11
	VMAXPD       Z31, Z11, Z11     // max(·, 0), +0 for −0 as Go's max
	VSQRTPD      Z11, Z12
	VADDPD       Z10, Z25, Z13
	VMAXPD       Z31, Z13, Z13
	VSQRTPD      Z13, Z13
	MOVQ         prevRow-16(SP), R14
	MOVQ         d2+72(FP), AX
	VMOVUPD      Z11, (AX)(R14*8)
	MOVQ         up+80(FP), AX
	VMOVUPD      Z12, (AX)(R14*8)
	MOVQ         lo+88(FP), AX
	VMOVUPD      Z13, (AX)(R14*8)

finished:
	CMPQ drain-40(SP), $0
	JNE  done

advance:
	// Unit u becomes u − 1; step to the next block, or the next group.
	VMOVAPD Z0, Z10
	VMOVAPD Z1, Z11
	VMOVAPD Z2, Z12
	VMOVAPD Z3, Z13
	VMOVAPD Z4, Z14
	VMOVAPD Z5, Z15
	VMOVAPD Z6, Z28
	VMOVAPD Z7, Z29
	MOVQ    R13, prevBlock-24(SP)
	MOVQ    curRow-8(SP), AX
	MOVQ    AX, prevRow-16(SP)
	MOVQ    $1, hasPrev-32(SP)
	ADDQ    $64, R13
	CMPQ    R13, R15
	JLT     unit
	XORQ    R13, R13
	ADDQ    $8, AX
	CMPQ    AX, rowsEnd-48(SP)
	JGE     last
	MOVQ    AX, curRow-8(SP)
	JMP     rows

last:
	MOVQ $1, drain-40(SP)
	JMP  unit

done:
	VZEROUPPER
	RET
