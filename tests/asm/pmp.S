/*
 * PMP: the CSRs' legal values, NAPOT/TOR/NA4 matching, priority, accesses that
 * straddle an entry (which fail, in M too, and whichever of their bytes the
 * lowest-numbered entry matches), fetch (X), M-mode passing unlocked entries but
 * bound by locked ones, MPRV, and access faults with their tval.
 */
#include "test_macros.h"
#include "privilege.h"

    .option arch, +zicbom, +zicboz

#define NAPOT 0x18
#define TOR 0x08
#define NA4 0x10
#define LOCK 0x80
#define PR 1
#define PW 2
#define PX 4
#define MPRV_BIT (1 << 17)

/* pmpaddr for a NAPOT region of `bytes` (a power of two >= 8) at `base` */
#define NAPOT_ADDR(reg, base, bytes) la reg, base; srli reg, reg, 2; ori reg, reg, ((bytes) / 8 - 1)

TEST_BEGIN
    la t4, m_handler
    csrw mtvec, t4
    la t4, s_handler
    csrw stvec, t4

    TEST_NUM(1)                     /* the CSRs: legal values */
    RESUME_AT(2f)
    csrr a4, 0x3a1                  /* pmpcfg1 does not exist in RV64 */
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    csrr a4, 0x3c4                  /* pmpaddr20: not implemented, reads 0 */
    CHECK_EQ(a4, 0)
    li a1, 0x62                     /* W without R, reserved bits 6:5 */
    csrw pmpcfg2, a1
    csrr a4, pmpcfg2
    CHECK_EQ(a4, 0)

    /* The grant-all entry moves to 15, the lowest priority; 0..14 are for the tests. */
    li t4, -1
    csrw pmpaddr15, t4
    li t4, (NAPOT | PR | PW | PX) << 56
    csrw pmpcfg2, t4
    NAPOT_ADDR(t4, prot, 64)
    csrw pmpaddr0, t4               /* 0: prot[0..64) read-only */
    la t4, prot + 128
    srli t4, t4, 2
    csrw pmpaddr1, t4               /* 1: TOR [prot+64, prot+128), nothing allowed */
    csrw pmpaddr2, t4               /* 2: NA4 at prot+128, RW */
    NAPOT_ADDR(t4, nox_code, 64)
    csrw pmpaddr3, t4               /* 3: nox_code, R (not X) */
    li t4, ((NAPOT | PR) << 24) | ((NA4 | PR | PW) << 16) | (TOR << 8) | (NAPOT | PR)
    csrw pmpcfg0, t4

    TEST_NUM(2)                     /* S: reads pass entry 0, writes fault with tval */
    CLEAR_RECS
    ENTER(MPP_S, 1f)
1:  la a1, prot
    ld a4, 8(a1)
    RESUME_AT(2f)
3:  sd a4, 8(a1)
2:  CHECK_REC(m_rec, R_CAUSE, 7)
    CHECK_REC_ADDR(m_rec, R_EPC, 3b)
    CHECK_REC_ADDR(m_rec, R_TVAL, prot + 8)
    RESUME_AT(2f)                   /* TOR entry 1: no read either */
    ld a4, 64(a1)
2:  CHECK_REC(m_rec, R_CAUSE, 5)
    lw a4, 128(a1)                  /* NA4 entry 2: its 4 bytes */
    sw a4, 128(a1)
    RESUME_AT(2f)                   /* 8 bytes: only half in entry 2 */
    ld a4, 128(a1)
2:  CHECK_REC(m_rec, R_CAUSE, 5)
    ld a4, 136(a1)                  /* beyond: entry 15 grants */
    RESUME_AT(2f)                   /* straddling entries 0 and 1: fault */
    ld a4, 60(a1)
2:  CHECK_REC(m_rec, R_CAUSE, 5)
    TO_M(4f)
4:  CHECK_REC(m_rec, R_COUNT, 5)    /* four faults and the ebreak */

    TEST_NUM(7)                     /* cache-block operations: zero needs W, the others R or W */
    li t4, 0xc0                     /* menvcfg: CBZE, CBCFE */
    csrw menvcfg, t4
    CLEAR_RECS
    ENTER(MPP_S, 1f)
1:  la a1, prot
    RESUME_AT(2f)
    cbo.zero (a1)                   /* entry 0 is read-only */
2:  CHECK_REC(m_rec, R_CAUSE, 7)
    CHECK_REC_ADDR(m_rec, R_TVAL, prot)
    cbo.clean (a1)                  /* read is enough */
    addi a1, a1, 64
    RESUME_AT(2f)
    cbo.flush (a1)                  /* TOR entry 1: neither */
2:  CHECK_REC(m_rec, R_CAUSE, 7)
    TO_M(4f)
4:  CHECK_REC(m_rec, R_COUNT, 3)
    csrw menvcfg, zero

    TEST_NUM(3)                     /* M passes unlocked entries */
    la a1, prot
    li a2, 0x55
    sd a2, 8(a1)
    ld a4, 8(a1)
    CHECK_EQ(a4, 0x55)

    TEST_NUM(8)                     /* a partial match fails, in M too (unlocked or not) */
    CLEAR_RECS
    RESUME_AT(2f)
    ld a4, 124(a1)                  /* 4 bytes in TOR entry 1, 4 in NA4 entry 2 */
2:  CHECK_REC(m_rec, R_CAUSE, 5)
    RESUME_AT(2f)                   /* the lowest entry matching ANY byte decides: */
3:  ld a4, -4(a1)                   /* the first 4 bytes only in 15, the rest in 0 */
2:  CHECK_REC(m_rec, R_CAUSE, 5)
    CHECK_REC_ADDR(m_rec, R_EPC, 3b)
    CHECK_REC_ADDR(m_rec, R_TVAL, prot - 4)
    CHECK_REC(m_rec, R_COUNT, 2)

    TEST_NUM(4)                     /* fetch needs X */
    ENTER(MPP_S, 1f)
1:  RESUME_AT(2f)
    la t4, nox_code
    jalr t4
2:  CHECK_REC(m_rec, R_CAUSE, 1)
    CHECK_REC_ADDR(m_rec, R_TVAL, nox_code)
    TO_M(4f)
4:  la t4, nox_code                 /* M may run it: entry 3 is not locked */
    jalr t4
    CHECK_EQ(a4, 0x77)

    TEST_NUM(5)                     /* MPRV: M's loads and stores are checked as MPP's */
    li t4, MPP_M
    csrc mstatus, t4
    li t4, MPP_S | MPRV_BIT
    csrs mstatus, t4
    la a1, prot
    ld a4, 8(a1)                    /* read: allowed */
    RESUME_AT(2f)
    sd a4, 16(a1)                   /* write: as S, denied */
2:  li t4, MPRV_BIT
    csrc mstatus, t4
    CHECK_REC(m_rec, R_CAUSE, 7)

    TEST_NUM(6)                     /* a locked entry binds M, and keeps its settings */
    la t4, prot + 192
    srli t4, t4, 2
    csrw pmpaddr4, t4
    li t4, (LOCK | NA4 | PR) << 32  /* entries 0..3 off, 4 locked */
    csrw pmpcfg0, t4
    la a1, prot
    lw a4, 192(a1)
    RESUME_AT(2f)
    sw a4, 192(a1)
2:  CHECK_REC(m_rec, R_CAUSE, 7)
    csrw pmpcfg0, zero              /* ignored for entry 4 */
    csrr a4, pmpcfg0
    li t4, (LOCK | NA4 | PR) << 32
    bne a4, t4, fail
    csrw pmpaddr4, zero             /* ignored too */
    csrr a4, pmpaddr4
    la t4, prot + 192
    srli t4, t4, 2
    bne a4, t4, fail

TEST_END

PRIVILEGE_HANDLERS

    .text
    .balign 64
nox_code:
    li a4, 0x77
    ret

    .data
    .balign 64
prot:
    .fill 32, 8, 0x1111
