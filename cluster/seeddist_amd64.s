//go:build amd64 && !purego

#include "textflag.h"

// func seedAVX(x *float64, d int, rows int, cand *float64, closest *float64, w *float64, pot *float64, update int)
//
// For each row i (two at a time, then one): dist_t = Σ_j (x[i,j] − cand[j,t])²
// over j in order for the four candidates t (a VSUBPD, a VMULPD and a
// VADDPD per term, as sqdist4 rounds), m_t = min(closest[i], dist_t). With
// update set, closest[i] = m_0; otherwise pot_t += w[i]·m_t in row order
// (m_t alone when w is nil) and the four sums are stored in pot.
TEXT ·seedAVX(SB), NOSPLIT, $0-64
	MOVQ   x+0(FP), SI
	MOVQ   d+8(FP), DX
	MOVQ   rows+16(FP), CX
	MOVQ   cand+24(FP), R8
	MOVQ   closest+32(FP), R9
	MOVQ   w+40(FP), R10
	MOVQ   pot+48(FP), R11
	MOVQ   update+56(FP), R12
	MOVQ   DX, R13
	SHLQ   $3, R13            // bytes per row
	VXORPD Y10, Y10, Y10

pair:
	CMPQ CX, $2
	JLT  single
	LEAQ (SI)(R13*1), BX      // row B
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	MOVQ   R8, R14
	XORQ   AX, AX

pterm:
	VMOVUPD      (R14), Y6
	VBROADCASTSD (SI)(AX*8), Y2
	VBROADCASTSD (BX)(AX*8), Y3
	VSUBPD       Y6, Y2, Y2
	VSUBPD       Y6, Y3, Y3
	VMULPD       Y2, Y2, Y2
	VMULPD       Y3, Y3, Y3
	VADDPD       Y2, Y0, Y0
	VADDPD       Y3, Y1, Y1
	ADDQ         $32, R14
	INCQ         AX
	CMPQ         AX, DX
	JLT          pterm

	VBROADCASTSD (R9), Y4
	VBROADCASTSD 8(R9), Y5
	VMINPD       Y0, Y4, Y0   // min(closest, dist)
	VMINPD       Y1, Y5, Y1
	TESTQ        R12, R12
	JZ           ppot
	VMOVSD       X0, (R9)
	VMOVSD       X1, 8(R9)
	JMP          pnext

ppot:
	TESTQ        R10, R10
	JZ           padd
	VBROADCASTSD (R10), Y4
	VBROADCASTSD 8(R10), Y5
	VMULPD       Y0, Y4, Y0
	VMULPD       Y1, Y5, Y1
	ADDQ         $16, R10

padd:
	VADDPD Y0, Y10, Y10
	VADDPD Y1, Y10, Y10

pnext:
	LEAQ (SI)(R13*2), SI
	ADDQ $16, R9
	SUBQ $2, CX
	JMP  pair

single:
	TESTQ  CX, CX
	JZ     done
	VXORPD Y0, Y0, Y0
	MOVQ   R8, R14
	XORQ   AX, AX

sterm:
	VMOVUPD      (R14), Y6
	VBROADCASTSD (SI)(AX*8), Y2
	VSUBPD       Y6, Y2, Y2
	VMULPD       Y2, Y2, Y2
	VADDPD       Y2, Y0, Y0
	ADDQ         $32, R14
	INCQ         AX
	CMPQ         AX, DX
	JLT          sterm

	VBROADCASTSD (R9), Y4
	VMINPD       Y0, Y4, Y0
	TESTQ        R12, R12
	JZ           spot
	VMOVSD       X0, (R9)
	JMP          done

spot:
	TESTQ        R10, R10
	JZ           sadd
	VBROADCASTSD (R10), Y4
	VMULPD       Y0, Y4, Y0

sadd:
	VADDPD Y0, Y10, Y10

done:
	TESTQ   R12, R12
	JNZ     out
	VMOVUPD Y10, (R11)

out:
	VZEROUPPER
	RET
