/*
 * M, S and U privilege: transitions with MRET/SRET, ECALL from each mode,
 * delegation to S, CSR privilege and read-only checks, TSR/TW/TVM, the S-mode
 * views of M-mode CSRs, counter enables, the programmable counters, and the WARL
 * legal values of the trap CSRs.
 *
 * This program installs its own handlers. Both record what they saw and resume at
 * the address in t6: the M handler in M-mode when a7 = GO_M (and ebreak was the
 * cause), otherwise in the mode that trapped. t4/t5 belong to the handlers.
 */
#include "test_macros.h"

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

TEST_BEGIN
    la t4, m_handler
    csrw mtvec, t4
    la t4, s_handler
    csrw stvec, t4

    TEST_NUM(1)                     /* misa: RV64 with A C I M S U */
    csrr a4, misa
    li t4, 0x8000000000141105
    bne a4, t4, fail

    TEST_NUM(2)                     /* MRET to S; ECALL from S is cause 9 */
    CLEAR_RECS
    ENTER(MPP_S, 1f)
1:  csrr a4, sscratch               /* S reads its own CSRs */
    RESUME_AT(2f)
3:  ecall
2:  CHECK_REC(m_rec, R_CAUSE, 9)
    CHECK_REC_ADDR(m_rec, R_EPC, 3b)
    CHECK_REC_FIELD(m_rec, R_STATUS, 11, 3, 1)   /* MPP = S */
    TO_M(4f)
4:  csrr a4, mstatus                /* back in M: this would trap elsewhere */

    TEST_NUM(3)                     /* MRET to U; ECALL from U is cause 8 */
    ENTER(MPP_U, 1f)
1:  RESUME_AT(2f)
3:  ecall
2:  CHECK_REC(m_rec, R_CAUSE, 8)
    CHECK_REC_ADDR(m_rec, R_EPC, 3b)
    CHECK_REC_FIELD(m_rec, R_STATUS, 11, 3, 0)   /* MPP = U */
    TO_M(4f)
4:  CHECK_REC(m_rec, R_CAUSE, 3)    /* the ebreak that brought us back */

    TEST_NUM(4)                     /* U may not touch M or S CSRs */
    ENTER(MPP_U, 1f)
1:  RESUME_AT(2f)
3:  csrr a4, mstatus
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    CHECK_REC_ADDR(m_rec, R_EPC, 3b)
    CHECK_REC(m_rec, R_TVAL, 0x30002773)
    RESUME_AT(2f)
    csrr a4, sstatus
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    TO_M(4f)
4:

    TEST_NUM(5)                     /* S may not touch M CSRs */
    ENTER(MPP_S, 1f)
1:  RESUME_AT(2f)
    csrr a4, mscratch
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    RESUME_AT(2f)
    csrw mepc, zero
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    TO_M(4f)
4:

    TEST_NUM(6)                     /* MRET only in M, SRET not in U, WFI and SFENCE.VMA not in U */
    ENTER(MPP_S, 1f)
1:  RESUME_AT(2f)
    mret
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    CHECK_REC(m_rec, R_TVAL, 0x30200073)
    TO_M(4f)
4:  ENTER(MPP_U, 1f)
1:  RESUME_AT(2f)
    sret
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    RESUME_AT(2f)
    wfi
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    CHECK_REC(m_rec, R_TVAL, 0x10500073)
    RESUME_AT(2f)
    sfence.vma
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    TO_M(4f)
4:

    TEST_NUM(7)                     /* TSR, TW, TVM trap SRET, WFI, satp and SFENCE.VMA in S */
    li t4, TSR_BIT | TW_BIT | TVM_BIT
    csrs mstatus, t4
    ENTER(MPP_S, 1f)
1:  RESUME_AT(2f)
    sret
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    RESUME_AT(2f)
    wfi
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    RESUME_AT(2f)
    csrr a4, satp
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    RESUME_AT(2f)
    sfence.vma
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    TO_M(4f)
4:  li t4, TSR_BIT | TW_BIT | TVM_BIT
    csrc mstatus, t4
    CLEAR_RECS
    ENTER(MPP_S, 1f)
1:  csrr a4, satp                   /* now all allowed */
    wfi
    sfence.vma
    TO_M(4f)
4:  CHECK_REC(m_rec, R_COUNT, 1)    /* only the ebreak trapped */

    TEST_NUM(8)                     /* ECALL from U delegated to S */
    li t4, (1 << 8) | (1 << 2)
    csrw medeleg, t4
    CLEAR_RECS
    ENTER(MPP_U, 1f)
1:  RESUME_AT(2f)
3:  ecall
2:  CHECK_REC(s_rec, R_CAUSE, 8)
    CHECK_REC_ADDR(s_rec, R_EPC, 3b)
    CHECK_REC_FIELD(s_rec, R_STATUS, 8, 1, 0)    /* SPP = U */
    RESUME_AT(2f)
3:  csrr a4, mscratch               /* an illegal instruction, delegated too */
2:  CHECK_REC(s_rec, R_CAUSE, 2)
    CHECK_REC(s_rec, R_TVAL, 0x34002773)
    CHECK_REC(m_rec, R_COUNT, 0)    /* M saw none of them */
    TO_M(4f)                        /* ebreak is not delegated */
4:  CHECK_REC(m_rec, R_CAUSE, 3)
    RESUME_AT(2f)                   /* in M, delegation does not apply */
    csrr a4, 0x7c0                  /* a custom CSR that does not exist */
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    CHECK_REC(s_rec, R_COUNT, 2)
    csrw medeleg, zero

    TEST_NUM(9)                     /* SRET from M: to SPP, SIE = SPIE, SPIE = 1, SPP = U */
    li t4, SPP_BIT | SPIE_BIT
    csrs mstatus, t4
    li t4, SIE_BIT
    csrc mstatus, t4
    la t4, 1f
    csrw sepc, t4
    sret
1:  csrr a4, sstatus                /* in S now */
    andi t4, a4, SIE_BIT | SPIE_BIT | SPP_BIT
    li t5, SIE_BIT | SPIE_BIT
    bne t4, t5, fail
    TO_M(4f)
4:  CHECK_REC_FIELD(m_rec, R_STATUS, 11, 3, 1)   /* it was S that trapped */
    li t4, SIE_BIT | SPIE_BIT
    csrc mstatus, t4

    TEST_NUM(10)                    /* MRET to U clears MPRV */
    li t4, MPRV_BIT
    csrs mstatus, t4
    ENTER(MPP_U, 1f)
1:  TO_M(4f)
4:  csrr a4, mstatus
    li t4, MPRV_BIT
    and a4, a4, t4
    bnez a4, fail

    TEST_NUM(11)                    /* WARL: delegable causes and interrupts */
    li a1, -1
    csrw medeleg, a1
    csrr a4, medeleg
    CHECK_EQ(a4, 0xb3ff)
    csrw mideleg, a1
    csrr a4, mideleg
    CHECK_EQ(a4, 0x222)
    csrw mie, a1
    csrr a4, mie
    CHECK_EQ(a4, 0xaaa)
    csrw medeleg, zero
    csrw mideleg, zero
    csrw mie, zero

    TEST_NUM(12)                    /* WARL: MPP = 2 is reserved and ignored */
    li t4, MPP_M
    csrc mstatus, t4
    li t4, MPP_S
    csrs mstatus, t4                /* MPP = S */
    csrr a1, mstatus
    li t4, ~MPP_M
    and a1, a1, t4
    li t4, 0x1000
    or a1, a1, t4
    csrw mstatus, a1                /* one write of MPP = 2 */
    csrr a4, mstatus
    srli a4, a4, 11
    andi a4, a4, 3
    CHECK_EQ(a4, 1)

    TEST_NUM(13)                    /* WARL: xepc bit 0, xtvec modes */
    li a1, 0x80001235
    csrw sepc, a1
    csrr a4, sepc
    CHECK_EQ(a4, 0x80001234)
    li a1, 0x80000101               /* vectored */
    csrw stvec, a1
    csrr a4, stvec
    CHECK_EQ(a4, 0x80000101)
    la t4, s_handler
    csrw stvec, t4

    TEST_NUM(14)                    /* sstatus is a window on mstatus */
    csrr a3, mstatus
    li a1, -1
    csrw sstatus, a1
    csrr a4, mstatus
    xor a5, a4, a3                  /* bits that changed */
    li t4, ~(SIE_BIT | SPIE_BIT | SPP_BIT | (1 << 18) | (1 << 19))
    and a5, a5, t4
    bnez a5, fail                   /* nothing outside the sstatus fields */
    csrw sstatus, zero
    csrr a4, sstatus
    li t4, 0x200000000              /* only UXL = 2 remains */
    bne a4, t4, fail

    TEST_NUM(15)                    /* sie and sip show only what mideleg delegates */
    li a1, -1
    csrw sie, a1
    csrr a4, mie
    CHECK_EQ(a4, 0)
    li t4, 0x222
    csrw mideleg, t4
    csrw sie, a1
    csrr a4, mie
    CHECK_EQ(a4, 0x222)
    csrr a4, sie
    CHECK_EQ(a4, 0x222)
    csrw mie, zero
    csrw mideleg, zero

    TEST_NUM(16)                    /* counter enables */
    csrw mcounteren, zero
    csrw scounteren, zero
    ENTER(MPP_S, 1f)
1:  RESUME_AT(2f)
    csrr a4, cycle
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    TO_M(4f)
4:  li t4, 5                        /* CY and IR */
    csrw mcounteren, t4
    CLEAR_RECS
    ENTER(MPP_S, 1f)
1:  csrr a4, cycle
    csrr a4, instret
    TO_M(4f)
4:  CHECK_REC(m_rec, R_COUNT, 1)
    ENTER(MPP_U, 1f)
1:  RESUME_AT(2f)
    csrr a4, instret                /* U also needs scounteren */
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    TO_M(4f)
4:  li t4, 4
    csrw scounteren, t4
    CLEAR_RECS
    ENTER(MPP_U, 1f)
1:  csrr a4, instret
    TO_M(4f)
4:  CHECK_REC(m_rec, R_COUNT, 1)
    csrw mcounteren, zero
    csrw scounteren, zero

TEST_END

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
