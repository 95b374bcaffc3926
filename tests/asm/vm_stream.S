/*
 * A TLB workload: S-mode loads and stores sweep 1024 distinct 4 KiB pages (4 MiB of
 * virtual space under Sv39, each page mapped to one of the data pages) in a scattered
 * order, four times, so that nearly every access misses the 16-entry DTLB and the
 * 64-entry L2 TLB and walks the page table (thousands of misses, walks and walk-cache
 * hits). Every value loaded is checked; the stores of pass 3 are read back in pass 4.
 * The counter check (cosim run --check-counters) must agree with the RTL exactly here.
 */
#include "vm.h"

#define VA_BASE 0x40000000
#define PAGES 1024
#define STRIDE 389                      /* odd: i * STRIDE mod PAGES visits every page */
#define DATA_MASK 7                     /* page p maps to data page p & 7 */

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)

    TEST_NUM(1)                         /* map the 1024 pages */
    li s0, 0
1:  li a0, VA_BASE
    slli t0, s0, 12
    add a0, a0, t0
    andi t0, s0, DATA_MASK
    slli t0, t0, 12
    la a1, vm_pages
    add a1, a1, t0
    li a2, LVL_4K
    li a3, FL_DATA
    jal ra, vm_map
    addi s0, s0, 1
    li t0, PAGES
    blt s0, t0, 1b
    VM_SATP(SATP_SV39, 1)
    RUN_S

    TEST_NUM(2)                         /* passes 1 and 2: loads, every value checked */
    li s3, 2
    call sweep_loads
    TEST_NUM(3)                         /* pass 3: a store to every page (offset 0x800 + 8 * p % 256) */
    li s0, 0
2:  li t0, STRIDE
    mul s1, s0, t0
    andi s1, s1, PAGES - 1              /* page */
    call page_va                        /* a1 = its VA + offset */
    xori a2, s1, 0x5a5
    sd a2, 0(a1)
    addi s0, s0, 1
    li t0, PAGES
    blt s0, t0, 2b
    TEST_NUM(4)                         /* pass 4: read the stores back (last writer per data page wins) */
    li s0, 0
3:  li t0, STRIDE
    mul s1, s0, t0
    andi s1, s1, PAGES - 1
    call page_va
    ld a4, 0(a1)
    /* the last page of the same data page and offset stored last: recompute it */
    xori a4, a4, 0x5a5
    andi t0, a4, DATA_MASK
    andi t1, s1, DATA_MASK
    bne t0, t1, fail
    addi s0, s0, 1
    li t0, PAGES
    blt s0, t0, 3b
    RUN_M
TEST_END

    .text
/* s1 = page: a1 = VA_BASE + page * 4 KiB + 0x800 + 8 * (page % 256) */
page_va:
    li a1, VA_BASE
    slli t0, s1, 12
    add a1, a1, t0
    andi t0, s1, 255
    slli t0, t0, 3
    add a1, a1, t0
    addi a1, a1, 0x7ff
    addi a1, a1, 1
    ret

/* s3 passes of checked loads over every page, at offset 8 * (page % 256) */
sweep_loads:
    mv s5, ra
4:  li s0, 0
5:  li t0, STRIDE
    mul s1, s0, t0
    andi s1, s1, PAGES - 1
    li a1, VA_BASE
    slli t0, s1, 12
    add a1, a1, t0
    andi s2, s1, 255
    slli s2, s2, 3                      /* offset */
    add a1, a1, s2
    ld a4, 0(a1)
    andi t0, s1, DATA_MASK              /* expected PAT(page & 7, offset) */
    slli t0, t0, 40
    or t0, t0, s2
    li t1, 0x5a00000000000000
    or t0, t0, t1
    bne a4, t0, fail
    addi s0, s0, 1
    li t0, PAGES
    blt s0, t0, 5b
    addi s3, s3, -1
    bnez s3, 4b
    mv ra, s5
    ret

VM_SUPPORT
