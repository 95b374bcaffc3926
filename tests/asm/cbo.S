/*
 * Zicbom and Zicboz: cbo.zero zeroes exactly the 64-byte block holding its address;
 * cbo.clean/flush/inval leave memory as it is (no caches yet); below M each needs its
 * menvcfg enable (CBZE, CBCFE, CBIE), and in U its senvcfg enable too; CBIE = 2 is
 * reserved and not stored.
 */
#include "test_macros.h"
#include "privilege.h"

    .option arch, +zicbom, +zicboz

#define CBIE_FLUSH 0x10
#define CBCFE 0x40
#define CBZE 0x80

/* a4 = OR of the eight doublewords of the block at label, a5 = the guard words */
#define SUM_BLOCK(label) \
    la t4, label; li a4, 0; \
    ld t5, 0(t4); or a4, a4, t5; ld t5, 8(t4); or a4, a4, t5; \
    ld t5, 16(t4); or a4, a4, t5; ld t5, 24(t4); or a4, a4, t5; \
    ld t5, 32(t4); or a4, a4, t5; ld t5, 40(t4); or a4, a4, t5; \
    ld t5, 48(t4); or a4, a4, t5; ld t5, 56(t4); or a4, a4, t5; \
    ld a5, -8(t4); ld t5, 64(t4); and a5, a5, t5

TEST_BEGIN
    la t4, m_handler
    csrw mtvec, t4
    la t4, s_handler
    csrw stvec, t4

    TEST_NUM(1)                     /* clean, flush, inval in M change nothing */
    la a1, block
    cbo.clean (a1)
    cbo.flush (a1)
    cbo.inval (a1)
    SUM_BLOCK(block)
    beqz a4, fail

    TEST_NUM(2)                     /* cbo.zero from an address inside the block */
    la a1, block
    addi a1, a1, 13
    cbo.zero (a1)
    SUM_BLOCK(block)
    bnez a4, fail
    li t4, -1
    bne a5, t4, fail                /* the words around the block are untouched */

    TEST_NUM(3)                     /* below M, all need menvcfg's enables */
    csrw menvcfg, zero
    csrw senvcfg, zero
    ENTER(MPP_S, 1f)
1:  la a1, block2
    RESUME_AT(2f)
    cbo.zero (a1)
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    CHECK_REC(m_rec, R_TVAL, 0x0045a00f)
    RESUME_AT(2f)
    cbo.clean (a1)
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    RESUME_AT(2f)
    cbo.inval (a1)
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    TO_M(4f)
4:  SUM_BLOCK(block2)
    beqz a4, fail                   /* the trapped cbo.zero wrote nothing */

    TEST_NUM(4)                     /* with the enables, S may; U needs senvcfg too */
    li t4, CBZE | CBCFE | CBIE_FLUSH
    csrw menvcfg, t4
    CLEAR_RECS
    ENTER(MPP_S, 1f)
1:  la a1, block2
    cbo.clean (a1)
    cbo.inval (a1)
    cbo.zero (a1)
    TO_M(4f)
4:  CHECK_REC(m_rec, R_COUNT, 1)    /* only the ebreak */
    SUM_BLOCK(block2)
    bnez a4, fail
    ENTER(MPP_U, 1f)
1:  la a1, block3
    RESUME_AT(2f)
    cbo.zero (a1)
2:  CHECK_REC(m_rec, R_CAUSE, 2)
    TO_M(4f)
4:  li t4, CBZE
    csrw senvcfg, t4
    ENTER(MPP_U, 1f)
1:  la a1, block3
    cbo.zero (a1)
    TO_M(4f)
4:  SUM_BLOCK(block3)
    bnez a4, fail

    TEST_NUM(5)                     /* CBIE = 2 is reserved: the write keeps CBIE */
    li t4, 0x30
    csrw menvcfg, t4
    li t4, 0x20
    csrw menvcfg, t4
    csrr a4, menvcfg
    CHECK_EQ(a4, 0x30)
    csrw menvcfg, zero
    csrw senvcfg, zero

TEST_END

PRIVILEGE_HANDLERS

    .data
    .balign 64
    .skip 56
    .dword -1                       /* guard words around each block */
block:  .dword 1, 2, 3, 4, 5, 6, 7, 8
    .dword -1
    .balign 64
    .skip 56
    .dword -1
block2: .dword 9, 9, 9, 9, 9, 9, 9, 9
    .dword -1
    .balign 64
    .skip 56
    .dword -1
block3: .dword 7, 7, 7, 7, 7, 7, 7, 7
    .dword -1
