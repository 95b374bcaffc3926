/*
 * M, S and U privilege: transitions with MRET/SRET, ECALL from each mode,
 * delegation to S, CSR privilege and read-only checks, TSR/TW/TVM, the S-mode
 * views of M-mode CSRs, counter enables, and the WARL legal values of the trap CSRs.
 * The handlers and mode-change macros are in privilege.h.
 */
#include "test_macros.h"
#include "privilege.h"

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
    /* WFI waits for a pending interrupt: make one pending that S has disabled
       (delegated SSIP, SIE = 0), so it wakes WFI without being taken. */
    li t4, 2
    csrw mideleg, t4
    csrs mie, t4
    csrs mip, t4
    csrc mstatus, t4
    CLEAR_RECS
    ENTER(MPP_S, 1f)
1:  csrr a4, satp                   /* now all allowed */
    wfi
    sfence.vma
    TO_M(4f)
4:  CHECK_REC(m_rec, R_COUNT, 1)    /* only the ebreak trapped */
    li t4, 2
    csrc mip, t4
    csrc mie, t4
    csrw mideleg, zero

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

PRIVILEGE_HANDLERS
