/*
 * A page-table walk racing an sfence.vma (a bug class reported against open cores):
 * the code below changes the PTE of the next code page, fences, and falls through
 * into that page. The fetch unit runs ahead, so it asks for the next page's
 * translation while the store and the fence are still in the pipeline: that walk can
 * read the old PTE. Whatever it read must not survive the fence: the instructions
 * after it must come from the new page. Each case is run with the TLBs cold (the walk
 * races the fence) and warm (the fence must flush the entry).
 */
#include "vm.h"

#define VA_RACE 0x40000000              /* race_page; VA_RACE + 4 KiB: page A, then B */
#define MAGIC_A 0x111
#define MAGIC_B 0x222
#define TAIL 24                         /* bytes of race_tail .. race_end */

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
    VM_MAP_L(VA_RACE, race_page, LVL_4K, FL_CODE)
    VM_MAP_L(VA_RACE + PGSIZE, page_a, LVL_4K, FL_CODE)
    mv s2, a0                           /* the next page's PTE */
    VM_SATP(SATP_SV39, 3)
    li s4, 0                            /* s4 = 0: sfence.vma x0, x0; 1: sfence.vma va, x0 */
    RUN_S

    TEST_NUM(1)                         /* cold TLBs: the walk of the next page races the fence */
    call race_once
    VCHECK(a4, MAGIC_B)

    TEST_NUM(2)                         /* warm: run page A first, so its entry is cached */
    call reset_to_a
    li a1, VA_RACE + PGSIZE
    jalr ra, 0(a1)
    VCHECK(a4, MAGIC_A)
    call race_after_warm
    VCHECK(a4, MAGIC_B)

    TEST_NUM(3)                         /* the address form of the fence, cold */
    call reset_to_a
    li s4, 1
    call race_once
    VCHECK(a4, MAGIC_B)
    RUN_M
TEST_END

    .text
/* PTE at s2 -> page A, all TLBs empty. */
reset_to_a:
    la t0, page_a
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, FL_CODE
    sd t0, 0(s2)
    sfence.vma
    ret

/* s3 = the new PTE (page B); jump to the end of the race page, which stores it,
 * fences and falls into the next page (page B's code returns to ra with a4 set). */
race_once:
    sfence.vma                          /* cold: nothing cached for the next page */
race_after_warm:
    la s3, page_b
    srli s3, s3, 12
    slli s3, s3, 10
    ori s3, s3, FL_CODE
    li a1, VA_RACE + PGSIZE - TAIL
    jr a1                               /* returns through page B's ret */

    .balign PGSIZE
race_page:
    .skip PGSIZE - TAIL
race_tail:
    .option push
    .option norvc
    .option norelax
    sd s3, 0(s2)
    bnez s4, 1f
    sfence.vma
    j race_fell_through
1:  lui a0, (VA_RACE + PGSIZE) >> 12
    sfence.vma a0, zero
race_fell_through:
    .option pop
race_end:                               /* = the page boundary: page A or B follows */
    .balign PGSIZE                      /* no padding when TAIL is right (else the test fails) */
page_a:
    .option push
    .option norvc
    li a4, MAGIC_A
    ret
    .option pop
    .balign PGSIZE
page_b:
    .option push
    .option norvc
    li a4, MAGIC_B
    ret
    .option pop
    .balign PGSIZE

VM_SUPPORT
