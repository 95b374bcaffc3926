/*
 * Mode changes and recording trap handlers for the programs that test privilege
 * (privilege.S, cbo.S). Both handlers record what they saw (m_rec / s_rec: cause,
 * epc, tval, status, count) and resume at the address in t6: the M handler in M-mode
 * when a7 = GO_M, otherwise in the mode that trapped. t4/t5 belong to the handlers.
 * Include after test_macros.h; put PRIVILEGE_HANDLERS after TEST_END.
 */
#ifndef COSIM_PRIVILEGE_H
#define COSIM_PRIVILEGE_H

#define MPP_U 0x0000
#define MPP_S 0x0800
#define MPP_M 0x1800
#define GO_M 0x4d
#define SIE_BIT (1 << 1)
#define SPIE_BIT (1 << 5)
#define SPP_BIT (1 << 8)
#define MPRV_BIT (1 << 17)
#define TVM_BIT (1 << 20)
#define TW_BIT (1 << 21)
#define TSR_BIT (1 << 22)

/* record layout */
#define R_CAUSE 0
#define R_EPC 8
#define R_TVAL 16
#define R_STATUS 24
#define R_COUNT 32

/* From M: run `label` in the mode MPP selects. */
#define ENTER(mpp, label) \
    li t4, MPP_M; csrc mstatus, t4; li t4, mpp; csrs mstatus, t4; \
    la t4, label; csrw mepc, t4; mret
/* From any mode: back to M, at label (an ebreak the M handler turns around). */
#define TO_M(label) la t6, label; li a7, GO_M; ebreak
/* The next trap resumes at label, in the mode that trapped. */
#define RESUME_AT(label) la t6, label; li a7, 0
#define CHECK_REC(rec, off, expected) \
    la t4, rec; ld t4, off(t4); li t5, expected; bne t4, t5, fail
#define CHECK_REC_ADDR(rec, off, label) \
    la t4, rec; ld t4, off(t4); la t5, label; bne t4, t5, fail
/* (rec.off >> shift) & mask == expected */
#define CHECK_REC_FIELD(rec, off, shift, mask, expected) \
    la t4, rec; ld t4, off(t4); srli t4, t4, shift; andi t4, t4, mask; \
    li t5, expected; bne t4, t5, fail
#define CLEAR_RECS \
    la t4, m_rec; sd zero, R_CAUSE(t4); sd zero, R_COUNT(t4); \
    la t4, s_rec; sd zero, R_CAUSE(t4); sd zero, R_COUNT(t4)

.macro privilege_handlers
    .balign 4
m_handler:
    la t5, m_rec
    csrr t4, mcause
    sd t4, R_CAUSE(t5)
    csrr t4, mepc
    sd t4, R_EPC(t5)
    csrr t4, mtval
    sd t4, R_TVAL(t5)
    csrr t4, mstatus
    sd t4, R_STATUS(t5)
    ld t4, R_COUNT(t5)
    addi t4, t4, 1
    sd t4, R_COUNT(t5)
    csrw mepc, t6
    li t4, GO_M
    bne a7, t4, 1f
    li t4, MPP_M
    csrs mstatus, t4
    li a7, 0
1:  mret

    .balign 4
s_handler:
    la t5, s_rec
    csrr t4, scause
    sd t4, R_CAUSE(t5)
    csrr t4, sepc
    sd t4, R_EPC(t5)
    csrr t4, stval
    sd t4, R_TVAL(t5)
    csrr t4, sstatus
    sd t4, R_STATUS(t5)
    ld t4, R_COUNT(t5)
    addi t4, t4, 1
    sd t4, R_COUNT(t5)
    csrw sepc, t6
    sret

    .data
    .balign 8
m_rec: .skip 40
s_rec: .skip 40
.endm
#define PRIVILEGE_HANDLERS privilege_handlers

#endif
