#include "textflag.h"
#include "quad_amd64.h"

// func dotsAVX(x *float64, d int, idx *int32, quads int, ct *float64, kp int, cn *float64, out *float64)
//
// For four rows at a time and eight centroids at a time (eight
// accumulators of four lanes, enough independent additions to hide their
// latency), acc += x[j]·ct[j][c] over j in order by one VFMADD231PD per term
// (math.FMA in the Go code, which rounds the same),
// then out = cn − (acc + acc).
TEXT ·dotsAVX(SB), NOSPLIT, $0-64
	MOVQ x+0(FP), SI
	MOVQ d+8(FP), DX
	MOVQ idx+16(FP), BX
	MOVQ quads+24(FP), CX
	MOVQ ct+32(FP), R8
	MOVQ kp+40(FP), R15
	SHLQ $3, R15              // R15 = kp·8, bytes per row of ct and of out
	MOVQ out+56(FP), DI

quad:
	QUAD_ROWS
	XORQ    R13, R13          // byte offset of the centroid block

block:
	QUAD_ZERO
	LEAQ (R8)(R13*1), R14

term:
	QUAD_TERM
	ADDQ         R15, R14
	INCQ         AX
	CMPQ         AX, DX
	JLT          term

	MOVQ cn+48(FP), AX
	ADDQ R13, AX
	QUAD_FINISH
	VMOVUPD Y0, (DI)(R13*1)
	VMOVUPD Y1, 32(DI)(R13*1)
	LEAQ    (DI)(R15*1), AX
	VMOVUPD Y2, (AX)(R13*1)
	VMOVUPD Y3, 32(AX)(R13*1)
	ADDQ    R15, AX
	VMOVUPD Y4, (AX)(R13*1)
	VMOVUPD Y5, 32(AX)(R13*1)
	ADDQ    R15, AX
	VMOVUPD Y6, (AX)(R13*1)
	VMOVUPD Y7, 32(AX)(R13*1)
	ADDQ    $64, R13
	CMPQ    R13, R15
	JLT     block

	ADDQ $16, BX
	LEAQ (DI)(R15*4), DI
	DECQ CX
	JNZ  quad
	VZEROUPPER
	RET

DATA ·infs+0(SB)/8, $0x7ff0000000000000
DATA ·infs+8(SB)/8, $0x7ff0000000000000
DATA ·infs+16(SB)/8, $0x7ff0000000000000
DATA ·infs+24(SB)/8, $0x7ff0000000000000
GLOBL ·infs(SB), RODATA|NOPTR, $32

// func minsAVX(dists *float64, kp int, m int, best *int32, bestv *float64, second *float64, rows *int32, xnorm *float64, up *float64, lo *float64)
//
// With xnorm not nil, row r stands for data row rows[r] and, as the bounds
// need, bestv[r] = max(xnorm + smallest, 0) (the squared distance), up[r] =
// its square root and lo[r] = √max(xnorm + second, 0); second[r] stays the
// second smallest value.
//
// For each of m rows of kp values (kp a multiple of 4, at most 64): the
// smallest value, the index of its first occurrence, and the second
// smallest (the smallest again when it occurs twice). No branch depends on
// the data: the equality masks of the blocks are packed into one bit mask,
// last block first, whose lowest set bit is the first occurrence and whose
// population count says whether the minimum repeats.
TEXT ·minsAVX(SB), NOSPLIT, $0-80
	MOVQ    dists+0(FP), SI
	MOVQ    kp+8(FP), R8
	SHLQ    $3, R8              // bytes per row
	MOVQ    m+16(FP), CX
	MOVQ    best+24(FP), DI
	MOVQ    bestv+32(FP), R9
	MOVQ    second+40(FP), R10
	VMOVUPD ·infs(SB), Y15
	XORQ    R13, R13
	XORQ    R14, R14            // row number

row:
	// Pass 1: lane-wise minimum over the blocks, then across lanes.
	VMOVUPD (SI), Y0
	MOVQ    $32, AX

min1:
	CMPQ   AX, R8
	JGE    hmin
	VMINPD (SI)(AX*1), Y0, Y0
	ADDQ   $32, AX
	JMP    min1

hmin:
	VPERM2F128 $1, Y0, Y0, Y1
	VMINPD     Y1, Y0, Y0
	VPERMILPD  $5, Y0, Y1
	VMINPD     Y1, Y0, Y0      // every lane holds the minimum

	// Pass 2, last block first: the packed equality mask and the minimum
	// of the values above the minimum.
	XORQ    R12, R12
	VMOVAPD Y15, Y3
	MOVQ    R8, AX

scan:
	SUBQ      $32, AX
	VMOVUPD   (SI)(AX*1), Y4
	VCMPPD    $0, Y0, Y4, Y5    // Y4 == min
	VMOVMSKPD Y5, DX
	SHLQ      $4, R12
	ORQ       DX, R12
	VCMPPD    $0x1e, Y0, Y4, Y6 // Y4 > min
	VBLENDVPD Y6, Y4, Y15, Y7   // Y4 where above, else +Inf
	VMINPD    Y7, Y3, Y3
	TESTQ     AX, AX
	JNZ       scan

	VPERM2F128 $1, Y3, Y3, Y1
	VMINPD     Y1, Y3, Y3
	VPERMILPD  $5, Y3, Y1
	VMINPD     Y1, Y3, Y3
	POPCNTQ    R12, BX
	CMPQ       BX, $2
	JLT        single
	VMOVAPD    Y0, Y3           // the minimum occurs twice

single:
	MOVQ    $0, R11
	BSFQ    R12, R11
	CMOVQEQ R13, R11            // no equal value (NaN): index 0
	MOVL    R11, (DI)
	VMOVSD  X3, (R10)
	MOVQ    xnorm+56(FP), DX
	TESTQ   DX, DX
	JNZ     bounds
	VMOVSD  X0, (R9)
	JMP     next

bounds:
	MOVQ      rows+48(FP), BX
	MOVLQSX   (BX)(R14*4), AX
	VMOVDDUP  (DX)(AX*8), X2      // [‖x‖², ‖x‖²]
	VUNPCKLPD X3, X0, X1          // [smallest, second]
	VADDPD    X2, X1, X1
	VXORPD    X4, X4, X4
	VMAXPD    X4, X1, X1          // max(·, 0), +0 for −0 as Go's max
	VMOVSD    X1, (R9)
	VSQRTPD   X1, X5
	MOVQ      up+64(FP), AX
	VMOVSD    X5, (AX)(R14*8)
	MOVQ      lo+72(FP), AX
	VMOVHPD   X5, (AX)(R14*8)

next:
	INCQ    R14
	ADDQ    $4, DI
	ADDQ    $8, R9
	ADDQ    $8, R10
	ADDQ    R8, SI
	DECQ    CX
	JNZ     row
	VZEROUPPER
	RET
