#include "textflag.h"

// func moveRowAVX(from *float64, to *float64, row *float64, d int, w float64)
//
// t = w·row[j] (a VMULPD, rounded), from[j] −= t unless from is nil, and
// to[j] += t, for j < d: four lanes at a time, then one.
TEXT ·moveRowAVX(SB), NOSPLIT, $0-40
	MOVQ         from+0(FP), DI
	MOVQ         to+8(FP), SI
	MOVQ         row+16(FP), BX
	MOVQ         d+24(FP), CX
	VBROADCASTSD w+32(FP), Y0
	XORQ         AX, AX

quad:
	LEAQ    4(AX), DX
	CMPQ    DX, CX
	JGT     tail
	VMULPD  (BX)(AX*8), Y0, Y1
	VADDPD  (SI)(AX*8), Y1, Y2
	VMOVUPD Y2, (SI)(AX*8)
	TESTQ   DI, DI
	JZ      qnext
	VMOVUPD (DI)(AX*8), Y3
	VSUBPD  Y1, Y3, Y3
	VMOVUPD Y3, (DI)(AX*8)

qnext:
	MOVQ DX, AX
	JMP  quad

tail:
	CMPQ   AX, CX
	JGE    done
	VMULSD (BX)(AX*8), X0, X1
	VADDSD (SI)(AX*8), X1, X2
	VMOVSD X2, (SI)(AX*8)
	TESTQ  DI, DI
	JZ     tnext
	VMOVSD (DI)(AX*8), X3
	VSUBSD X1, X3, X3
	VMOVSD X3, (DI)(AX*8)

tnext:
	INCQ AX
	JMP  tail

done:
	VZEROUPPER
	RET
