// Macros shared by the search kernels (dots_amd64.s, near8_amd64.s): four
// rows at a time against eight centroids, acc += x[j]·ct[j][c] over j in
// order by one VFMADD231PD per term (math.FMA in the Go code rounds the
// same). Registers: SI x, DX d, BX the rows' indices, R11 R12 R9 R10 the
// four rows, R14 the current row of ct, AX j, Y0..Y7 the accumulators
// (Y0 row A centroids 0-3, Y1 row A centroids 4-7, Y2 Y3 row B, ...).

// QUAD_ROWS points R11, R12, R9 and R10 at the rows idx[0..3] (BX).
#define QUAD_ROWS \
	MOVLQSX (BX), AX        \
	IMULQ   DX, AX          \
	LEAQ    (SI)(AX*8), R11 \
	MOVLQSX 4(BX), AX       \
	IMULQ   DX, AX          \
	LEAQ    (SI)(AX*8), R12 \
	MOVLQSX 8(BX), AX       \
	IMULQ   DX, AX          \
	LEAQ    (SI)(AX*8), R9  \
	MOVLQSX 12(BX), AX      \
	IMULQ   DX, AX          \
	LEAQ    (SI)(AX*8), R10

// QUAD_ZERO clears the accumulators and j.
#define QUAD_ZERO \
	VXORPD Y0, Y0, Y0 \
	VXORPD Y1, Y1, Y1 \
	VXORPD Y2, Y2, Y2 \
	VXORPD Y3, Y3, Y3 \
	VXORPD Y4, Y4, Y4 \
	VXORPD Y5, Y5, Y5 \
	VXORPD Y6, Y6, Y6 \
	VXORPD Y7, Y7, Y7 \
	XORQ   AX, AX

// QUAD_TERM adds term j of the eight dot products of the four rows, with
// centroid values ct[j][0..7] at R14.
#define QUAD_TERM \
	VMOVUPD      (R14), Y12        \
	VMOVUPD      32(R14), Y13      \
	VBROADCASTSD (R11)(AX*8), Y8   \
	VBROADCASTSD (R12)(AX*8), Y9   \
	VBROADCASTSD (R9)(AX*8), Y10   \
	VBROADCASTSD (R10)(AX*8), Y11  \
	VFMADD231PD  Y12, Y8, Y0       \
	VFMADD231PD  Y13, Y8, Y1       \
	VFMADD231PD  Y12, Y9, Y2       \
	VFMADD231PD  Y13, Y9, Y3       \
	VFMADD231PD  Y12, Y10, Y4      \
	VFMADD231PD  Y13, Y10, Y5      \
	VFMADD231PD  Y12, Y11, Y6      \
	VFMADD231PD  Y13, Y11, Y7

// QUAD_FINISH turns the accumulators into ‖c‖² − 2x·c with the norms
// cn[0..7] at the address in AX.
#define QUAD_FINISH \
	VMOVUPD (AX), Y12     \
	VMOVUPD 32(AX), Y13   \
	VADDPD  Y0, Y0, Y0    \
	VADDPD  Y1, Y1, Y1    \
	VADDPD  Y2, Y2, Y2    \
	VADDPD  Y3, Y3, Y3    \
	VADDPD  Y4, Y4, Y4    \
	VADDPD  Y5, Y5, Y5    \
	VADDPD  Y6, Y6, Y6    \
	VADDPD  Y7, Y7, Y7    \
	VSUBPD  Y0, Y12, Y0   \
	VSUBPD  Y1, Y13, Y1   \
	VSUBPD  Y2, Y12, Y2   \
	VSUBPD  Y3, Y13, Y3   \
	VSUBPD  Y4, Y12, Y4   \
	VSUBPD  Y5, Y13, Y5   \
	VSUBPD  Y6, Y12, Y6   \
	VSUBPD  Y7, Y13, Y7
