#include "textflag.h"
#include "quad_amd64.h"

DATA ·cvals+0(SB)/8, $0x0000000000000000
DATA ·cvals+8(SB)/8, $0x3ff0000000000000
DATA ·cvals+16(SB)/8, $0x4000000000000000
DATA ·cvals+24(SB)/8, $0x4008000000000000
DATA ·cvals+32(SB)/8, $0x4010000000000000
DATA ·cvals+40(SB)/8, $0x4014000000000000
DATA ·cvals+48(SB)/8, $0x4018000000000000
DATA ·cvals+56(SB)/8, $0x401c000000000000
GLOBL ·cvals(SB), RODATA|NOPTR, $64

// SCAN folds centroid c's values (vector V, one lane per row) into the
// running minimum Y8, second minimum Y9 and index Y10, as minsGo does:
// second = min(second, max(min, v)); index = c where v < min; min = min(min, v).
#define SCAN(V, c) \
	VCMPPD       $0x11, Y8, V, Y13 \
	VMAXPD       V, Y8, Y14        \
	VMINPD       Y14, Y9, Y9       \
	VMINPD       V, Y8, Y8         \
	VBROADCASTSD ·cvals+(8*c)(SB), Y12 \
	VBLENDVPD    Y13, Y12, Y10, Y10

// func near8AVX(x *float64, d int, idx *int32, quads int, ct *float64, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64)
//
// blockDots and nearestD2 fused for eight centroids (kp = 8): for four rows
// at a time, the eight values ‖c‖² − 2x·c as dotsAVX computes them, then,
// transposed so that each lane holds one row, the first index of the
// smallest, and the bounds: d2 = max(‖x‖² + smallest, 0), up = √d2 and
// lo = √max(‖x‖² + second smallest, 0).
TEXT ·near8AVX(SB), NOSPLIT, $0-88
	MOVQ x+0(FP), SI
	MOVQ d+8(FP), DX
	MOVQ idx+16(FP), BX
	MOVQ quads+24(FP), CX
	MOVQ ct+32(FP), R8
	XORQ DI, DI               // first row of the quad

quad:
	QUAD_ROWS
	QUAD_ZERO
	MOVQ    R8, R14
	XORQ    AX, AX

term:
	QUAD_TERM
	ADDQ         $64, R14
	INCQ         AX
	CMPQ         AX, DX
	JLT          term

	MOVQ cn+40(FP), AX
	QUAD_FINISH

	// Transpose: V0..V3 into Y0, Y2, Y4, Y6 and V4..V7 into Y1, Y3, Y5,
	// Y7, where Vc holds centroid c's value for rows A, B, C, D.
	VUNPCKLPD  Y2, Y0, Y8     // A0 B0 A2 B2
	VUNPCKHPD  Y2, Y0, Y9     // A1 B1 A3 B3
	VUNPCKLPD  Y6, Y4, Y10    // C0 D0 C2 D2
	VUNPCKHPD  Y6, Y4, Y11    // C1 D1 C3 D3
	VPERM2F128 $0x20, Y10, Y8, Y0
	VPERM2F128 $0x31, Y10, Y8, Y4
	VPERM2F128 $0x20, Y11, Y9, Y2
	VPERM2F128 $0x31, Y11, Y9, Y6
	VUNPCKLPD  Y3, Y1, Y8
	VUNPCKHPD  Y3, Y1, Y9
	VUNPCKLPD  Y7, Y5, Y10
	VUNPCKHPD  Y7, Y5, Y11
	VPERM2F128 $0x20, Y10, Y8, Y1
	VPERM2F128 $0x31, Y10, Y8, Y5
	VPERM2F128 $0x20, Y11, Y9, Y3
	VPERM2F128 $0x31, Y11, Y9, Y7

	VMOVAPD Y0, Y8            // minimum so far: centroid 0
	VMOVUPD ·infs(SB), Y9     // second minimum
	VXORPD  Y10, Y10, Y10     // index of the minimum
	SCAN(Y2, 1)
	SCAN(Y4, 2)
	SCAN(Y6, 3)
	SCAN(Y1, 4)
	SCAN(Y3, 5)
	SCAN(Y5, 6)
	SCAN(Y7, 7)

	VCVTTPD2DQY Y10, X11
	MOVQ        best+56(FP), AX
	VMOVDQU     X11, (AX)(DI*4)

	MOVQ        xnorm+48(FP), R14
	MOVLQSX     (BX), AX
	VMOVSD      (R14)(AX*8), X12
	MOVLQSX     4(BX), AX
	VMOVHPD     (R14)(AX*8), X12, X12
	MOVLQSX     8(BX), AX
	VMOVSD      (R14)(AX*8), X13
	MOVLQSX     12(BX), AX
	VMOVHPD     (R14)(AX*8), X13, X13
	VINSERTF128 $1, X13, Y12, Y12 // ‖x‖² of rows A, B, C, D
	VXORPD      Y15, Y15, Y15
	VADDPD      Y12, Y8, Y13
	VMAXPD      Y15, Y13, Y13     // max(·, 0), +0 for −0 as Go's max
	MOVQ        d2+64(FP), AX
	VMOVUPD     Y13, (AX)(DI*8)
	VSQRTPD     Y13, Y13
	MOVQ        up+72(FP), AX
	VMOVUPD     Y13, (AX)(DI*8)
	VADDPD      Y12, Y9, Y14
	VMAXPD      Y15, Y14, Y14
	VSQRTPD     Y14, Y14
	MOVQ        lo+80(FP), AX
	VMOVUPD     Y14, (AX)(DI*8)

	ADDQ $16, BX
	ADDQ $4, DI
	DECQ CX
	JNZ  quad
	VZEROUPPER
	RET
