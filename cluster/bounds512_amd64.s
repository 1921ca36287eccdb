//go:build amd64 && !purego

#include "textflag.h"

// iota8[i] = i: the lanes' offsets from a group's first row.
DATA ·iota8+0(SB)/4, $0
DATA ·iota8+4(SB)/4, $1
DATA ·iota8+8(SB)/4, $2
DATA ·iota8+12(SB)/4, $3
DATA ·iota8+16(SB)/4, $4
DATA ·iota8+20(SB)/4, $5
DATA ·iota8+24(SB)/4, $6
DATA ·iota8+28(SB)/4, $7
GLOBL ·iota8(SB), RODATA|NOPTR, $32

// func testBoundsAVX512(labels *int32, upper *float64, lower *float64, groups int, moved *float64, half *float64, maxMoved float64, margin2 float64, margin float64, rows *int32, first int, room int) (done int, found int)
//
// Hamerly's test of testAndSearch (hamerly) on groups of eight rows, in the same
// operations (u = upper + moved[a], l = lower − maxMoved, pass when
// u < max(half[a], l) − margin·u − margin2), so it decides exactly as the
// Go loop: a row that passes gets u and l stored, the index (first + its
// offset) of a row that fails is appended at rows. It stops after groups
// groups, or after the group that takes the failures to room or more, and
// returns the groups done and the failures found.
TEXT ·testBoundsAVX512(SB), NOSPLIT, $0-112
	MOVQ         labels+0(FP), SI
	MOVQ         upper+8(FP), DI
	MOVQ         lower+16(FP), R8
	MOVQ         groups+24(FP), CX
	MOVQ         moved+32(FP), R9
	MOVQ         half+40(FP), R10
	VBROADCASTSD maxMoved+48(FP), Z20
	VBROADCASTSD margin2+56(FP), Z21
	VBROADCASTSD margin+64(FP), Z22
	MOVQ         rows+72(FP), R11
	VPBROADCASTD first+80(FP), Y23
	VPADDD       ·iota8(SB), Y23, Y23
	MOVL         $8, AX
	VPBROADCASTD AX, Y24
	MOVQ         room+88(FP), R12
	XORQ         AX, AX
	XORQ         DX, DX

group:
	VMOVDQU     (SI), Y0
	KXNORW      K1, K1, K1
	VGATHERDPD  (R9)(Y0*8), K1, Z1  // moved[a]
	KXNORW      K1, K1, K1
	VGATHERDPD  (R10)(Y0*8), K1, Z2 // half[a]
	VADDPD      (DI), Z1, Z3        // u
	VMOVUPD     (R8), Z4
	VSUBPD      Z20, Z4, Z4         // l
	VMAXPD      Z4, Z2, Z5          // max(half[a], l)
	VMULPD      Z22, Z3, Z6
	VSUBPD      Z6, Z5, Z5
	VSUBPD      Z21, Z5, Z5
	VCMPPD      $0x11, Z5, Z3, K2   // pass: u < threshold
	VMOVUPD     Z3, K2, (DI)
	VMOVUPD     Z4, K2, (R8)
	KNOTW       K2, K3
	VPCOMPRESSD Y23, K3, (R11)
	KMOVW       K3, BX
	ANDL        $0xff, BX
	POPCNTL     BX, BX
	LEAQ        (R11)(BX*4), R11
	ADDQ        BX, DX
	VPADDD      Y24, Y23, Y23
	ADDQ        $32, SI
	ADDQ        $64, DI
	ADDQ        $64, R8
	INCQ        AX
	CMPQ        DX, R12
	JGE         out
	CMPQ        AX, CX
	JLT         group

out:
	MOVQ AX, done+96(FP)
	MOVQ DX, found+104(FP)
	VZEROUPPER
	RET
