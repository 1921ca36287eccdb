//go:build amd64 && !purego

#include "textflag.h"

DATA ·one64+0(SB)/8, $0x3ff0000000000000
GLOBL ·one64(SB), RODATA|NOPTR, $8

// func moveRowsAVX(x *float64, d int, moves *rowMove, n int, sums *float64, w *float64)
//
// For each of the n moves in order, row moves[t].row of the n×d matrix x,
// weighted by w[row] (1 when w is nil), joins the sums of cluster
// moves[t].to and leaves those of moves[t].from unless that is negative:
// t = w·row[j] (a VMULPD, rounded), to[j] += t, from[j] −= t, four lanes at
// a time, then one; the bits of moveRow's Go code.
TEXT ·moveRowsAVX(SB), NOSPLIT, $0-48
	MOVQ  x+0(FP), R8
	MOVQ  d+8(FP), R9
	MOVQ  moves+16(FP), BX
	MOVQ  n+24(FP), CX
	MOVQ  sums+32(FP), R10
	MOVQ  w+40(FP), R11
	TESTQ CX, CX
	JZ    done

next:
	MOVLQSX      0(BX), AX
	VBROADCASTSD ·one64(SB), Y0
	TESTQ        R11, R11
	JZ           weighted
	VBROADCASTSD (R11)(AX*8), Y0

weighted:
	IMULQ   R9, AX
	LEAQ    (R8)(AX*8), SI // the row
	MOVLQSX 8(BX), AX
	IMULQ   R9, AX
	LEAQ    (R10)(AX*8), DI // to
	XORQ    DX, DX          // from, or nil
	MOVLQSX 4(BX), AX
	TESTQ   AX, AX
	JS      start
	IMULQ   R9, AX
	LEAQ    (R10)(AX*8), DX

start:
	XORQ AX, AX

quad:
	LEAQ    4(AX), R12
	CMPQ    R12, R9
	JGT     tail
	VMULPD  (SI)(AX*8), Y0, Y1
	VADDPD  (DI)(AX*8), Y1, Y2
	VMOVUPD Y2, (DI)(AX*8)
	TESTQ   DX, DX
	JZ      qnext
	VMOVUPD (DX)(AX*8), Y3
	VSUBPD  Y1, Y3, Y3
	VMOVUPD Y3, (DX)(AX*8)

qnext:
	MOVQ R12, AX
	JMP  quad

tail:
	CMPQ   AX, R9
	JGE    moved
	VMULSD (SI)(AX*8), X0, X1
	VADDSD (DI)(AX*8), X1, X2
	VMOVSD X2, (DI)(AX*8)
	TESTQ  DX, DX
	JZ     tnext
	VMOVSD (DX)(AX*8), X3
	VSUBSD X1, X3, X3
	VMOVSD X3, (DX)(AX*8)

tnext:
	INCQ AX
	JMP  tail

moved:
	ADDQ $12, BX
	DECQ CX
	JNZ  next

done:
	VZEROUPPER
	RET
