#include "textflag.h"
#include "quad_amd64.h"

// cvals[c] = float64(c): the centroid indices blended into the index lanes.
DATA ·cvals+0(SB)/8, $0x0000000000000000
DATA ·cvals+8(SB)/8, $0x3ff0000000000000
DATA ·cvals+16(SB)/8, $0x4000000000000000
DATA ·cvals+24(SB)/8, $0x4008000000000000
DATA ·cvals+32(SB)/8, $0x4010000000000000
DATA ·cvals+40(SB)/8, $0x4014000000000000
DATA ·cvals+48(SB)/8, $0x4018000000000000
DATA ·cvals+56(SB)/8, $0x401c000000000000
DATA ·cvals+64(SB)/8, $0x4020000000000000
DATA ·cvals+72(SB)/8, $0x4022000000000000
DATA ·cvals+80(SB)/8, $0x4024000000000000
DATA ·cvals+88(SB)/8, $0x4026000000000000
DATA ·cvals+96(SB)/8, $0x4028000000000000
DATA ·cvals+104(SB)/8, $0x402a000000000000
DATA ·cvals+112(SB)/8, $0x402c000000000000
DATA ·cvals+120(SB)/8, $0x402e000000000000
DATA ·cvals+128(SB)/8, $0x4030000000000000
DATA ·cvals+136(SB)/8, $0x4031000000000000
DATA ·cvals+144(SB)/8, $0x4032000000000000
DATA ·cvals+152(SB)/8, $0x4033000000000000
DATA ·cvals+160(SB)/8, $0x4034000000000000
DATA ·cvals+168(SB)/8, $0x4035000000000000
DATA ·cvals+176(SB)/8, $0x4036000000000000
DATA ·cvals+184(SB)/8, $0x4037000000000000
DATA ·cvals+192(SB)/8, $0x4038000000000000
DATA ·cvals+200(SB)/8, $0x4039000000000000
DATA ·cvals+208(SB)/8, $0x403a000000000000
DATA ·cvals+216(SB)/8, $0x403b000000000000
DATA ·cvals+224(SB)/8, $0x403c000000000000
DATA ·cvals+232(SB)/8, $0x403d000000000000
DATA ·cvals+240(SB)/8, $0x403e000000000000
DATA ·cvals+248(SB)/8, $0x403f000000000000
DATA ·cvals+256(SB)/8, $0x4040000000000000
DATA ·cvals+264(SB)/8, $0x4040800000000000
DATA ·cvals+272(SB)/8, $0x4041000000000000
DATA ·cvals+280(SB)/8, $0x4041800000000000
DATA ·cvals+288(SB)/8, $0x4042000000000000
DATA ·cvals+296(SB)/8, $0x4042800000000000
DATA ·cvals+304(SB)/8, $0x4043000000000000
DATA ·cvals+312(SB)/8, $0x4043800000000000
DATA ·cvals+320(SB)/8, $0x4044000000000000
DATA ·cvals+328(SB)/8, $0x4044800000000000
DATA ·cvals+336(SB)/8, $0x4045000000000000
DATA ·cvals+344(SB)/8, $0x4045800000000000
DATA ·cvals+352(SB)/8, $0x4046000000000000
DATA ·cvals+360(SB)/8, $0x4046800000000000
DATA ·cvals+368(SB)/8, $0x4047000000000000
DATA ·cvals+376(SB)/8, $0x4047800000000000
DATA ·cvals+384(SB)/8, $0x4048000000000000
DATA ·cvals+392(SB)/8, $0x4048800000000000
DATA ·cvals+400(SB)/8, $0x4049000000000000
DATA ·cvals+408(SB)/8, $0x4049800000000000
DATA ·cvals+416(SB)/8, $0x404a000000000000
DATA ·cvals+424(SB)/8, $0x404a800000000000
DATA ·cvals+432(SB)/8, $0x404b000000000000
DATA ·cvals+440(SB)/8, $0x404b800000000000
DATA ·cvals+448(SB)/8, $0x404c000000000000
DATA ·cvals+456(SB)/8, $0x404c800000000000
DATA ·cvals+464(SB)/8, $0x404d000000000000
DATA ·cvals+472(SB)/8, $0x404d800000000000
DATA ·cvals+480(SB)/8, $0x404e000000000000
DATA ·cvals+488(SB)/8, $0x404e800000000000
DATA ·cvals+496(SB)/8, $0x404f000000000000
DATA ·cvals+504(SB)/8, $0x404f800000000000
GLOBL ·cvals(SB), RODATA|NOPTR, $512

// SCAN folds the values of the centroid whose index is at off(AX) (vector
// V, one lane per row) into the running minimum Y8, second minimum Y9 and
// index Y10, as minsGo does: second = min(second, max(min, v));
// index = c where v < min; min = min(min, v).
#define SCAN(V, off) \
	VCMPPD       $0x11, Y8, V, Y13 \
	VMAXPD       V, Y8, Y14        \
	VMINPD       Y14, Y9, Y9       \
	VMINPD       V, Y8, Y8         \
	VBROADCASTSD off(AX), Y12      \
	VBLENDVPD    Y13, Y12, Y10, Y10

// TRANSPOSE turns the accumulators (Y0 Y1 row A, Y2 Y3 row B, ...) into
// V0..V3 in Y0, Y2, Y4, Y6 and V4..V7 in Y1, Y3, Y5, Y7, where Vc holds the
// block's centroid c for rows A, B, C, D.
#define TRANSPOSE \
	VUNPCKLPD  Y2, Y0, Y8              \
	VUNPCKHPD  Y2, Y0, Y9              \
	VUNPCKLPD  Y6, Y4, Y10             \
	VUNPCKHPD  Y6, Y4, Y11             \
	VPERM2F128 $0x20, Y10, Y8, Y0      \
	VPERM2F128 $0x31, Y10, Y8, Y4      \
	VPERM2F128 $0x20, Y11, Y9, Y2      \
	VPERM2F128 $0x31, Y11, Y9, Y6      \
	VUNPCKLPD  Y3, Y1, Y8              \
	VUNPCKHPD  Y3, Y1, Y9              \
	VUNPCKLPD  Y7, Y5, Y10             \
	VUNPCKHPD  Y7, Y5, Y11             \
	VPERM2F128 $0x20, Y10, Y8, Y1      \
	VPERM2F128 $0x31, Y10, Y8, Y5      \
	VPERM2F128 $0x20, Y11, Y9, Y3      \
	VPERM2F128 $0x31, Y11, Y9, Y7

// func nearAVX(x *float64, d int, idx *int32, quads int, ct *float64, kp int, cn *float64, xnorm *float64, best *int32, d2 *float64, up *float64, lo *float64)
//
// blockDots and nearestD2 fused (kp a multiple of 8, at most 64): for four
// rows at a time, the values ‖c‖² − 2x·c of eight centroids at a time as
// dotsAVX computes them, transposed so that each lane holds one row, folded
// into the first index of the smallest and the second smallest; then the
// bounds: d2 = max(‖x‖² + smallest, 0), up = √d2 and
// lo = √max(‖x‖² + second smallest, 0). Between blocks the running minimum,
// second and index wait in d2, up and lo.
TEXT ·nearAVX(SB), NOSPLIT, $0-96
	MOVQ x+0(FP), SI
	MOVQ d+8(FP), DX
	MOVQ idx+16(FP), BX
	MOVQ quads+24(FP), CX
	MOVQ ct+32(FP), R8
	MOVQ kp+40(FP), R15
	SHLQ $3, R15              // bytes per row of ct
	XORQ DI, DI               // first row of the quad

quad:
	QUAD_ROWS
	XORQ R13, R13             // byte offset of the centroid block

block:
	QUAD_ZERO
	LEAQ (R8)(R13*1), R14

term:
	QUAD_TERM
	ADDQ R15, R14
	INCQ AX
	CMPQ AX, DX
	JLT  term

	MOVQ cn+48(FP), AX
	ADDQ R13, AX
	QUAD_FINISH
	TRANSPOSE

	LEAQ  ·cvals(SB), AX
	ADDQ  R13, AX             // cvals of the block's first centroid
	TESTQ R13, R13
	JNZ   resume
	VMOVAPD Y0, Y8            // minimum so far: centroid 0
	VMOVUPD ·infs(SB), Y9     // second minimum
	VXORPD  Y10, Y10, Y10     // index of the minimum
	JMP     rest

resume:
	MOVQ    d2+72(FP), R14
	VMOVUPD (R14)(DI*8), Y8
	MOVQ    up+80(FP), R14
	VMOVUPD (R14)(DI*8), Y9
	MOVQ    lo+88(FP), R14
	VMOVUPD (R14)(DI*8), Y10
	SCAN(Y0, 0)

rest:
	SCAN(Y2, 8)
	SCAN(Y4, 16)
	SCAN(Y6, 24)
	SCAN(Y1, 32)
	SCAN(Y3, 40)
	SCAN(Y5, 48)
	SCAN(Y7, 56)

	ADDQ    $64, R13
	CMPQ    R13, R15
	JGE     final
	MOVQ    d2+72(FP), R14
	VMOVUPD Y8, (R14)(DI*8)
	MOVQ    up+80(FP), R14
	VMOVUPD Y9, (R14)(DI*8)
	MOVQ    lo+88(FP), R14
	VMOVUPD Y10, (R14)(DI*8)
	JMP     block

final:
	VCVTTPD2DQY Y10, X11
	MOVQ        best+64(FP), AX
	VMOVDQU     X11, (AX)(DI*4)

	MOVQ        xnorm+56(FP), R14
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
	MOVQ        d2+72(FP), AX
	VMOVUPD     Y13, (AX)(DI*8)
	VSQRTPD     Y13, Y13
	MOVQ        up+80(FP), AX
	VMOVUPD     Y13, (AX)(DI*8)
	VADDPD      Y12, Y9, Y14
	VMAXPD      Y15, Y14, Y14
	VSQRTPD     Y14, Y14
	MOVQ        lo+88(FP), AX
	VMOVUPD     Y14, (AX)(DI*8)

	ADDQ $16, BX
	ADDQ $4, DI
	DECQ CX
	JNZ  quad
	VZEROUPPER
	RET
