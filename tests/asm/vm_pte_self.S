/*
 * A store to its own leaf PTE: virtual page VA_WIN shows the level-0 table that
 * holds VA_WIN's own leaf PTE, and an S-mode store through VA_WIN rewrites that PTE
 * (VA_WIN moves to data page 1). The store is translated before it runs, so its
 * bytes land in the table; after sfence.vma, VA_WIN shows page 1. Under lockstep the
 * stored bytes are checked where the old mapping put them, not read back through
 * the new one. Page tables and helpers: vm.h. All traps go to M.
 */
#include "vm.h"

#define VA_DATA 0x40000000              /* -> page 0; its level-0 table is the window's */
#define VA_WIN 0x40001000               /* -> that level-0 table itself */

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
    VM_MAP_L(VA_DATA, VM_PAGE(0), LVL_4K, FL_DATA)
    mv s0, a0                           /* VA_DATA's leaf PTE (physical) */
    srli s1, s0, 12
    slli s1, s1, 12                     /* the level-0 table */
    li a0, VA_WIN; mv a1, s1; li a2, LVL_4K; li a3, FL_DATA; jal ra, vm_map
    mv s2, a0                           /* VA_WIN's leaf PTE: entry 1 of the table */
    ld s3, 0(s0)
    ld s4, 0(s2)
    la t0, VM_PAGE(1)
    srli t0, t0, 12
    slli t0, t0, 10
    ori s5, t0, FL_DATA                 /* the new PTE: VA_WIN -> page 1 */
    VM_SATP(SATP_SV39, 0)

    TEST_NUM(1)                         /* the window shows the table */
    RUN_S
    li a1, VA_WIN
    ld a4, 0(a1)
    bne a4, s3, fail
    ld a4, 8(a1)
    bne a4, s4, fail

    TEST_NUM(2)                         /* the store rewrites its own mapping */
    li a1, VA_WIN
    sd s5, 8(a1)
    sfence.vma
    ld a4, 0(a1)
    VCHECK(a4, PAT(1, 0))
    RUN_M
    ld a4, 0(s2)                        /* it landed in the table */
    bne a4, s5, fail
    ld a4, 0(s0)                        /* and nowhere else in it */
    bne a4, s3, fail

TEST_END

VM_SUPPORT
