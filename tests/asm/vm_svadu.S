/*
 * Svadu (menvcfg.ADUE, bit 61) under Sv39: with ADUE = 1 an access to a leaf with
 * A = 0, or a store / AMO to one with D = 0, succeeds and the walker sets A (and D
 * for stores) in the PTE in memory, also through a TLB entry cached with D = 0,
 * for fetches, superpages, both pages of a crossing store and M with MPRV; an
 * access that faults for another reason sets nothing; with ADUE = 0 again the same
 * accesses fault (Svade).
 * Page tables and helpers: vm.h. All traps go to M.
 *
 * QEMU 7.2 always sets A / D itself and has no ADUE bit: -DQEMU_SVADU_QUIRK leaves
 * out the cases about ADUE itself and about ADUE = 0.
 */
#include "vm.h"

#define VA_L 0x40000000                 /* load:  page 0, A = D = 0 */
#define VA_S 0x40001000                 /* store: page 1, A = D = 0 */
#define VA_LS 0x40002000                /* load then store: page 2, D = 0 */
#define VA_C 0x40003000                 /* fetch: vm_code_page, X only, A = 0 */
#define VA_AMO 0x40004000               /* AMO: page 3, A = D = 0 */
#define VA_RO 0x40005000                /* read-only page 4, A = 0 */
#define VA_U 0x40006000                 /* U = 1 page 4, A = D = 0 */
#define VA_X 0x40007000                 /* page 5, then page 6, both D = 0 */
#define VA_M 0x40009000                 /* MPRV: page 7, A = D = 0 */
#define VA_E 0x4000a000                 /* ADUE = 0: page 7, A = D = 0 */
#define VA_E2 0x4000b000                /* ADUE = 0: page 7, D = 0 */
#define VA_2M 0x40200000                /* 2 MiB -> VM_FREE_PA, A = D = 0 */
#define AD (PTE_A | PTE_D)
#define NO_AD (FL_DATA & ~AD)

/* reg = the address of the leaf PTE of va (level) */
#define PTE_OF(reg, va, level) VM_PTE(va, level); mv reg, a0

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
    VM_MAP_L(VA_L, VM_PAGE(0), LVL_4K, NO_AD)
    VM_MAP_L(VA_S, VM_PAGE(1), LVL_4K, NO_AD)
    VM_MAP_L(VA_LS, VM_PAGE(2), LVL_4K, FL_DATA & ~PTE_D)
    VM_MAP_L(VA_C, vm_code_page, LVL_4K, FL_XO & ~AD)
    VM_MAP_L(VA_AMO, VM_PAGE(3), LVL_4K, NO_AD)
    VM_MAP_L(VA_RO, VM_PAGE(4), LVL_4K, FL_RO & ~AD)
    VM_MAP_L(VA_U, VM_PAGE(4), LVL_4K, NO_AD | PTE_U)
    VM_MAP_L(VA_X, VM_PAGE(5), LVL_4K, FL_DATA & ~PTE_D)
    VM_MAP_L(VA_X + PGSIZE, VM_PAGE(6), LVL_4K, FL_DATA & ~PTE_D)
    VM_MAP_L(VA_M, VM_PAGE(7), LVL_4K, NO_AD)
    VM_MAP_L(VA_E, VM_PAGE(7), LVL_4K, NO_AD)
    VM_MAP_L(VA_E2, VM_PAGE(7), LVL_4K, FL_DATA & ~PTE_D)
    VM_MAP(VA_2M, VM_FREE_PA, LVL_2M, NO_AD)
    li t0, VM_FREE_PA + 0x54320
    li t1, 0x2222222222222222
    sd t1, 0(t0)
    VM_SATP(SATP_SV39, 1)

#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(1)                         /* menvcfg.ADUE (bit 61) is writable */
    li t0, ADUE_BIT
    csrs menvcfg, t0
    csrr a4, menvcfg
    and a4, a4, t0
    beqz a4, fail
    csrc menvcfg, t0
    csrr a4, menvcfg
    and a4, a4, t0
    bnez a4, fail
#endif
    li t0, ADUE_BIT
    csrs menvcfg, t0
    RUN_S

    TEST_NUM(2)                         /* load from A = 0: succeeds, sets A only */
    PTE_OF(s1, VA_L, 0)
    LD_OK(VA_L + 0x8, PAT(0, 0x8))
    PTE_CHECK(s1, AD, PTE_A)

    TEST_NUM(3)                         /* store to A = D = 0: succeeds, sets A and D */
    PTE_OF(s1, VA_S, 0)
    SD_OK(VA_S + 0x10, 0x0303030303030303)
    PTE_CHECK(s1, AD, AD)
    la t0, VM_PAGE(1)
    ld a4, 0x10(t0)
    VCHECK(a4, 0x0303030303030303)

    TEST_NUM(4)                         /* store through an entry cached with D = 0: sets D */
    PTE_OF(s1, VA_LS, 0)
    LD_OK(VA_LS + 0x18, PAT(2, 0x18))
    PTE_CHECK(s1, AD, PTE_A)
    li a1, VA_LS + 0x20
    li a2, 0x0404040404040404
    sd a2, 0(a1)
    PTE_CHECK(s1, AD, AD)
    la t0, VM_PAGE(2)
    ld a4, 0x20(t0)
    VCHECK(a4, 0x0404040404040404)

    TEST_NUM(5)                         /* fetch from A = 0: runs, sets A only */
    PTE_OF(s1, VA_C, 0)
    FETCH_OK(VA_C)
    PTE_CHECK(s1, AD, PTE_A)

    TEST_NUM(6)                         /* AMO to A = D = 0: sets A and D */
    PTE_OF(s1, VA_AMO, 0)
    li a1, VA_AMO + 0x28
    li a2, 1
    amoadd.d a4, a2, (a1)
    VCHECK(a4, PAT(3, 0x28))
    PTE_CHECK(s1, AD, AD)
    la t0, VM_PAGE(3)
    ld a4, 0x28(t0)
    VCHECK(a4, PAT(3, 0x28) + 1)

    TEST_NUM(7)                         /* 2 MiB leaf: A on a load, D on a store, in the level-1 PTE */
    PTE_OF(s1, VA_2M, 1)
    LD_OK(VA_2M + 0x54320, 0x2222222222222222)
    PTE_CHECK(s1, AD, PTE_A)
    SD_OK(VA_2M + 0x54328, 0x0707070707070707)
    PTE_CHECK(s1, AD, AD)

    TEST_NUM(8)                         /* a store that faults on W = 0 sets neither A nor D */
    PTE_OF(s1, VA_RO, 0)
    SD_FAULT(VA_RO + 0x30, CAUSE_STORE_PF)
    PTE_CHECK(s1, AD, 0)

    TEST_NUM(9)                         /* an S load of a U = 1 page (SUM = 0) faults and sets nothing */
    PTE_OF(s1, VA_U, 0)
    LD_FAULT(VA_U + 0x38, CAUSE_LOAD_PF)
    PTE_CHECK(s1, AD, 0)

    TEST_NUM(10)                        /* a store crossing two D = 0 pages sets D in both */
    PTE_OF(s1, VA_X, 0)
    PTE_OF(s2, VA_X + PGSIZE, 0)
    li a1, VA_X + 0xffc
    li a2, 0x1111111122222222
    sd a2, 0(a1)
    PTE_CHECK(s1, AD, AD)
    PTE_CHECK(s2, AD, AD)
    la t0, VM_PAGE(5) + 0xff8
    lwu a4, 4(t0)
    VCHECK(a4, 0x22222222)
    la t0, VM_PAGE(6)
    lwu a4, 0(t0)
    VCHECK(a4, 0x11111111)
    PTE_OF(s3, VA_M, 0)                 /* for case 11 */
    PTE_OF(s4, VA_E, 0)                 /* for case 12 */
    PTE_OF(s5, VA_E2, 0)
    RUN_M

    TEST_NUM(11)                        /* M with MPRV = 1, MPP = S: the store sets A and D */
    li a1, VA_M + 0x40
    li a2, 0x0b0b0b0b0b0b0b0b
    MPRV_ON(MPP_S)
    sd a2, 0(a1)
    MPRV_OFF
    PTE_CHECK(s3, AD, AD)
    la t0, VM_PAGE(7)
    ld a4, 0x40(t0)
    VCHECK(a4, 0x0b0b0b0b0b0b0b0b)

#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(12)                        /* ADUE = 0 again: A = 0 and D = 0 fault (Svade), PTEs unchanged */
    li t0, ADUE_BIT
    csrc menvcfg, t0
    RUN_S
    LD_FAULT(VA_E + 0x48, CAUSE_LOAD_PF)
    SD_FAULT(VA_E + 0x50, CAUSE_STORE_PF)
    PTE_CHECK(s4, AD, 0)
    LD_OK(VA_E2 + 0x58, PAT(7, 0x58))
    SD_FAULT(VA_E2 + 0x60, CAUSE_STORE_PF)
    PTE_CHECK(s5, AD, PTE_A)
    RUN_M
#endif

TEST_END

VM_SUPPORT
