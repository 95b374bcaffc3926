/*
 * The page-table walker's reads are checked by PMP as S-mode accesses (priv. spec
 * 1.12 §3.7.1, §4.3.2 step 2): a PMP entry that denies R on a page-table page (root,
 * middle or leaf table) turns a load, store or fetch into an ACCESS fault of the
 * original type (5 / 7 / 1, tval = the VA), not a page fault; X alone does not let
 * the walker read, R alone is enough (Svade: no PTE writes); with Svadu the A / D
 * write is checked for W. Also: PMP on the translated frame (access fault, tval =
 * VA), a page fault winning over that access fault, a page-crossing access whose
 * second frame is denied, and a non-leaf PTE pointing at no memory.
 * PMP entry 15 grants everything (pmp.S's layout); 0..2 are the tests'.
 * Page tables and helpers: vm.h. All traps go to M.
 *
 * QEMU 7.2 has no Svade / ADUE: -DQEMU_SVADU_QUIRK leaves out the A / D case; it
 * reports the access's own address as tval when the second frame of a crossing access
 * fails PMP: -DQEMU_PMP_TVAL_QUIRK expects that; it raises a page fault when a PTE
 * read finds no memory: -DQEMU_PTE_BUS_ERROR_QUIRK leaves that case out.
 */
#include "vm.h"

#define NAPOT 0x18
#define PR 1
#define PW 2
#define PX 4
/* pmpcfg0: entry 0 (the tests' table page) with perms, entries 1 and 2 deny all */
#define CFG0(perms) ((NAPOT << 16) | (NAPOT << 8) | (NAPOT | (perms)))
/* Entry 0 = the 4 KiB page at the address in reg, with perms; then sfence.vma
 * (translations cached under the old PMP setting are dropped). Clobbers t0. */
#define PMP0(reg, perms) \
    srli t0, reg, 2; ori t0, t0, 0x1ff; csrw pmpaddr0, t0; \
    li t0, CFG0(perms); csrw pmpcfg0, t0; sfence.vma
#define PMP0_OFF li t0, CFG0(0) & ~0xff; csrw pmpcfg0, t0; sfence.vma

#define VA_D 0x40000000                 /* -> page 0 */
#define VA_C 0x40001000                 /* -> vm_code_page, X only */
#define VA_A 0x40002000                 /* -> page 1, A = 0 */
#define VA_P 0x40003000                 /* -> page 2, whose frame PMP entry 1 denies */
#define VA_PF 0x40004000                /* -> page 2, read-only */
#define VA_X 0x40005000                 /* -> page 3, then page 4 (PMP entry 2 denies) */
#define VA_NN 0x40400000                /* level-1 PTE -> a table at PA 0 (no memory) */

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
    mv s0, a0                           /* root */
    VM_MAP_L(VA_D, VM_PAGE(0), LVL_4K, FL_DATA)
    srli s1, a0, 12                     /* the level-0 table */
    slli s1, s1, 12
    VM_MAP_L(VA_C, vm_code_page, LVL_4K, FL_XO)
    VM_MAP_L(VA_A, VM_PAGE(1), LVL_4K, FL_DATA & ~PTE_A)
    mv s3, a0
    VM_MAP_L(VA_P, VM_PAGE(2), LVL_4K, FL_DATA)
    VM_MAP_L(VA_PF, VM_PAGE(2), LVL_4K, FL_RO)
    VM_MAP_L(VA_X, VM_PAGE(3), LVL_4K, FL_DATA)
    VM_MAP_L(VA_X + PGSIZE, VM_PAGE(4), LVL_4K, FL_DATA)
    VM_PTE(VA_D, 1)
    srli s2, a0, 12                     /* the level-1 table */
    slli s2, s2, 12
    VM_MAP_L(VA_NN, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_PTE(VA_NN, 1)
    PTE_WRITE(a0, 0, PTE_V)
    sfence.vma
    /* PMP: 15 grants all, 1 and 2 deny pages 2 and 4, 0 off for now */
    li t0, -1
    csrw pmpaddr15, t0
    li t0, (NAPOT | PR | PW | PX) << 56
    csrw pmpcfg2, t0
    la t0, VM_PAGE(2)
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    csrw pmpaddr1, t0
    la t0, VM_PAGE(4)
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    csrw pmpaddr2, t0
    PMP0_OFF
    VM_SATP(SATP_SV39, 1)

    TEST_NUM(1)                         /* walks pass PMP entry 15: load, store, fetch work */
    RUN_S
    LD_OK(VA_D + 0x8, PAT(0, 0x8))
    SD_OK(VA_D + 0x10, 0x0101010101010101)
    FETCH_OK(VA_C)
    RUN_M

    TEST_NUM(2)                         /* level-0 table not readable: access faults 5 / 7 / 1, tval = VA */
    PMP0(s1, 0)
    RUN_S
    LD_FAULT(VA_D + 0x18, CAUSE_LOAD_ACCESS)
    SD_FAULT(VA_D + 0x20, CAUSE_STORE_ACCESS)
    li a1, VA_C
    FAULT_EPC(CAUSE_FETCH_ACCESS, a1, a1, jalr ra, 0(a1))
    RUN_M

    TEST_NUM(3)                         /* level-1 table not readable: load access fault */
    PMP0(s2, 0)
    RUN_S
    LD_FAULT(VA_D + 0x28, CAUSE_LOAD_ACCESS)
    SD_FAULT(VA_D + 0x30, CAUSE_STORE_ACCESS)
    RUN_M

    TEST_NUM(4)                         /* root not readable: M with MPRV = 1, MPP = S gets the access fault */
    PMP0(s0, 0)
    li a1, VA_D + 0x38
    MPRV_FAULT(MPP_S, CAUSE_LOAD_ACCESS, a1, ld a4, 0(a1))
    li a1, VA_D + 0x40
    MPRV_FAULT(MPP_S, CAUSE_STORE_ACCESS, a1, sd a4, 0(a1))
    PMP0_OFF

    TEST_NUM(5)                         /* X alone on the table does not let the walker read */
    PMP0(s1, PX)
    RUN_S
    LD_FAULT(VA_D + 0x48, CAUSE_LOAD_ACCESS)
    RUN_M

    TEST_NUM(6)                         /* R alone on the table is enough (Svade walks only read) */
    PMP0(s1, PR)
    RUN_S
    LD_OK(VA_D + 0x50, PAT(0, 0x50))
    SD_OK(VA_D + 0x58, 0x0606060606060606)
    FETCH_OK(VA_C)
    RUN_M
    PMP0_OFF

#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(7)                         /* Svadu: the A update needs W on the PTE: else access fault of the access */
    li t0, ADUE_BIT
    csrs menvcfg, t0
    PMP0(s1, PR)
    RUN_S
    LD_FAULT(VA_A + 0x60, CAUSE_LOAD_ACCESS)
    PTE_CHECK(s3, PTE_A, 0)             /* not updated */
    RUN_M
    PMP0(s1, PR | PW)
    RUN_S
    LD_OK(VA_A + 0x60, PAT(1, 0x60))
    PTE_CHECK(s3, PTE_A, PTE_A)
    RUN_M
    PMP0_OFF
    li t0, ADUE_BIT
    csrc menvcfg, t0
#endif

    TEST_NUM(8)                         /* the translated frame denied: access faults, tval = VA */
    RUN_S
    LD_FAULT(VA_P + 0x68, CAUSE_LOAD_ACCESS)
    SD_FAULT(VA_P + 0x70, CAUSE_STORE_ACCESS)

    TEST_NUM(9)                         /* a page fault comes before the access fault of the frame */
    SD_FAULT(VA_PF + 0x78, CAUSE_STORE_PF)
    LD_FAULT(VA_PF + 0x78, CAUSE_LOAD_ACCESS)

    TEST_NUM(10)                        /* crossing into a denied frame: access fault, tval = second page */
    li a1, VA_X + 0xffc
#ifndef QEMU_PMP_TVAL_QUIRK
    li a3, VA_X + PGSIZE
#else
    mv a3, a1
#endif
    FAULT(CAUSE_LOAD_ACCESS, a3, ld a4, 0(a1))
    li a2, -1
    FAULT(CAUSE_STORE_ACCESS, a3, sd a2, 0(a1))
    la t0, VM_PAGE(3) + 0xff8           /* the first frame not written */
    ld a4, 0(t0)
    VCHECK(a4, PAT(3, 0xff8))

#ifndef QEMU_PTE_BUS_ERROR_QUIRK
    TEST_NUM(11)                        /* a non-leaf PTE pointing at no memory: access fault, not page fault */
    LD_FAULT(VA_NN + 0x80, CAUSE_LOAD_ACCESS)
    SD_FAULT(VA_NN + 0x88, CAUSE_STORE_ACCESS)
#endif
    RUN_M

TEST_END

VM_SUPPORT
