/*
 * SFENCE.VMA (priv. spec 1.12 §4.2.1) under Sv39: after a PTE change each of the
 * four rs1 / rs2 forms makes the new translation visible for what it covers (a 4 KiB
 * page, a 2 MiB superpage through any address in it, one ASID, leaf and non-leaf
 * changes), a PTE that faulted (V = 0) and was then fixed, permission changes both
 * ways, and ASID isolation: two address spaces map one VA to different pages and a
 * satp write switches between them with no fence. Every access is made after the
 * fence that orders it, so the results are architectural (a reference model without
 * a TLB agrees).
 * Cases 11-12 check, with the page-walk counter, that the narrow forms keep what they
 * need not flush (global entries, other ASIDs, other pages): not required by the
 * spec, which lets an implementation flush more, but what this MMU promises.
 * QEMU has no such counter: -DQEMU_HPM_QUIRK leaves those two cases out.
 * Page tables and helpers: vm.h. All traps go to M.
 */
#include "vm.h"

#define ASID 5
#define VA_S1 0x40000000                /* -> page 0, then page 1; (x0, x0) */
#define VA_S2 0x40001000                /* (va, x0) */
#define VA_G 0x40002000                 /* global -> page 2 */
#define VA_S4 0x40003000                /* (x0, asid) */
#define VA_S5 0x40004000                /* (va, asid) */
#define VA_S6 0x40005000                /* V = 0 first */
#define VA_RW 0x40006000                /* -> page 3, read-write, then read-only */
#define VA_RO 0x40007000                /* -> page 3, read-only, then read-write */
#define VA_ISO 0x40009000               /* page 0 in root A (ASID 1), page 1 in root B (ASID 2) */
#define VA_2M 0x40200000                /* 2 MiB -> VM_FREE_PA, then VM_FREE_PA + 2 MiB */
#define VA_NLA 0x40400000               /* own level-0 table -> page 0; (x0, x0) */
#define VA_NLB 0x40800000               /* own level-0 table -> page 0; (x0, asid) */
#define VA_NLC 0x40c00000               /* own level-0 table -> page 1 */
#define OFF_2M 0x12340

/* a4 = the doubleword at va */
#define LD(va) li a1, va; ld a4, 0(a1)

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
    mv s0, a0                           /* root A */
    VM_MAP_L(VA_S1, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_S2, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_G, VM_PAGE(2), LVL_4K, FL_DATA | PTE_G)
    VM_MAP_L(VA_S4, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_S5, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_S6, VM_PAGE(0), LVL_4K, FL_DATA & ~PTE_V)
    VM_MAP_L(VA_RW, VM_PAGE(3), LVL_4K, FL_DATA)
    VM_MAP_L(VA_RO, VM_PAGE(3), LVL_4K, FL_RO)
    VM_MAP_L(VA_ISO, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP(VA_2M, VM_FREE_PA, LVL_2M, FL_DATA)
    VM_MAP_L(VA_NLA, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_NLB, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_NLC, VM_PAGE(1), LVL_4K, FL_DATA)
    VM_PTE(VA_NLC, 1)
    ld s9, 0(a0)                        /* a level-1 PTE pointing at VA_NLC's table */
    VM_SATP_VAL(s10, SATP_SV39, 1)      /* ASID 1, root A */
    VM_NEW_ROOT(FL_ALL | PTE_G)         /* root B: the same global identity map */
    VM_MAP_L(VA_ISO, VM_PAGE(1), LVL_4K, FL_DATA)
    VM_MAP_L(VA_G, VM_PAGE(2), LVL_4K, FL_DATA | PTE_G)    /* global: in every address space */
    VM_SATP_VAL(s11, SATP_SV39, 2)      /* ASID 2, root B */
    VM_USE_ROOT(s0)
    /* the two 2 MiB pages: a value at OFF_2M in each */
    li t0, VM_FREE_PA + OFF_2M
    li t1, 0x2000000000000001
    sd t1, 0(t0)
    li t0, VM_FREE_PA + 0x200000 + OFF_2M
    li t1, 0x2000000000000002
    sd t1, 0(t0)
    li t0, HPM_EV_WALKS
    csrw mhpmevent3, t0
    VM_SATP(SATP_SV39, ASID)
    RUN_S

    TEST_NUM(1)                         /* sfence.vma x0, x0: a remapped page shows its new frame */
    LD(VA_S1 + 0x10)
    VCHECK(a4, PAT(0, 0x10))
    VM_PTE(VA_S1, 0)
    PTE_WRITE_L(a0, VM_PAGE(1), FL_DATA)
    sfence.vma
    LD(VA_S1 + 0x10)
    VCHECK(a4, PAT(1, 0x10))

    TEST_NUM(2)                         /* sfence.vma va, x0 (va anywhere in the page) */
    LD(VA_S2 + 0x18)
    VCHECK(a4, PAT(0, 0x18))
    VM_PTE(VA_S2, 0)
    PTE_WRITE_L(a0, VM_PAGE(1), FL_DATA)
    li a1, VA_S2 + 0x7f8
    sfence.vma a1, x0
    LD(VA_S2 + 0x18)
    VCHECK(a4, PAT(1, 0x18))

    TEST_NUM(3)                         /* sfence.vma va, x0 covers the superpage holding va */
    LD(VA_2M + OFF_2M)
    VCHECK(a4, 0x2000000000000001)
    VM_PTE(VA_2M, 1)
    PTE_WRITE(a0, VM_FREE_PA + 0x200000, FL_DATA)
    li a1, VA_2M + 0x155000             /* another 4 KiB page of the superpage */
    sfence.vma a1, x0
    LD(VA_2M + OFF_2M)
    VCHECK(a4, 0x2000000000000002)

    TEST_NUM(4)                         /* sfence.vma x0, asid: that ASID's pages; global ones still right */
    LD(VA_S4 + 0x20)
    VCHECK(a4, PAT(0, 0x20))
    LD(VA_G + 0x28)
    VCHECK(a4, PAT(2, 0x28))
    VM_PTE(VA_S4, 0)
    PTE_WRITE_L(a0, VM_PAGE(1), FL_DATA)
    li t2, ASID
    sfence.vma x0, t2
    LD(VA_S4 + 0x20)
    VCHECK(a4, PAT(1, 0x20))
    LD(VA_G + 0x28)
    VCHECK(a4, PAT(2, 0x28))

    TEST_NUM(5)                         /* sfence.vma va, asid */
    LD(VA_S5 + 0x30)
    VCHECK(a4, PAT(0, 0x30))
    VM_PTE(VA_S5, 0)
    PTE_WRITE_L(a0, VM_PAGE(1), FL_DATA)
    li a1, VA_S5
    li t2, ASID
    sfence.vma a1, t2
    LD(VA_S5 + 0x30)
    VCHECK(a4, PAT(1, 0x30))

    TEST_NUM(6)                         /* a faulting PTE (V = 0) fixed, sfence.vma va: the access succeeds */
    LD_FAULT(VA_S6 + 0x38, CAUSE_LOAD_PF)
    VM_PTE(VA_S6, 0)
    PTE_SET(a0, PTE_V)
    li a1, VA_S6
    sfence.vma a1, x0
    LD_OK(VA_S6 + 0x38, PAT(0, 0x38))

    TEST_NUM(7)                         /* permissions taken away (W) and given (W), each with sfence.vma va */
    SD_OK(VA_RW + 0x40, 0x0707070707070707)
    VM_PTE(VA_RW, 0)
    PTE_CLR(a0, PTE_W)
    li a1, VA_RW
    sfence.vma a1, x0
    SD_FAULT(VA_RW + 0x48, CAUSE_STORE_PF)
    LD_OK(VA_RW + 0x40, 0x0707070707070707)
    SD_FAULT(VA_RO + 0x50, CAUSE_STORE_PF)
    VM_PTE(VA_RO, 0)
    PTE_SET(a0, PTE_W)
    li a1, VA_RO
    sfence.vma a1, x0
    SD_OK(VA_RO + 0x50, 0x7070707070707070)

    TEST_NUM(8)                         /* ASIDs: one VA, two address spaces, satp switches with no fence */
    csrw satp, s10
    LD(VA_ISO + 0x58)
    VCHECK(a4, PAT(0, 0x58))
    csrw satp, s11
    LD(VA_ISO + 0x58)
    VCHECK(a4, PAT(1, 0x58))
    csrw satp, s10
    LD(VA_ISO + 0x60)
    VCHECK(a4, PAT(0, 0x60))
    csrw satp, s11
    li a1, VA_ISO + 0x68
    li a2, 0x0808080808080808
    sd a2, 0(a1)                        /* lands in page 1 */
    csrw satp, s10
    LD(VA_ISO + 0x68)
    VCHECK(a4, PAT(0, 0x68))
    la t0, VM_PAGE(1)
    ld a4, 0x68(t0)
    VCHECK(a4, 0x0808080808080808)
    VM_SATP_VAL(a5, SATP_SV39, ASID)
    csrw satp, a5                       /* back to ASID 5, root A */

    TEST_NUM(9)                         /* a non-leaf PTE changed, sfence.vma x0, x0 (page-walk caches) */
    LD(VA_NLA + 0x70)
    VCHECK(a4, PAT(0, 0x70))
    VM_PTE(VA_NLA, 1)
    sd s9, 0(a0)                        /* now VA_NLC's table: page 1 */
    sfence.vma
    LD(VA_NLA + 0x70)
    VCHECK(a4, PAT(1, 0x70))

    TEST_NUM(10)                        /* a non-leaf PTE changed, sfence.vma x0, asid (all levels of that ASID) */
    LD(VA_NLB + 0x78)
    VCHECK(a4, PAT(0, 0x78))
    VM_PTE(VA_NLB, 1)
    sd s9, 0(a0)
    li t2, ASID
    sfence.vma x0, t2
    LD(VA_NLB + 0x78)
    VCHECK(a4, PAT(1, 0x78))
    RUN_M

#ifndef QEMU_HPM_QUIRK
    /* Counted in M with MPRV = 1, MPP = S: data walks only, no fetch through the TLB.
     * a5 = page walks so far */
#define WALKS(reg) csrr reg, mhpmcounter3

    TEST_NUM(11)                        /* sfence.vma x0, asid keeps global entries (no walk after it) */
    MPRV_ON(MPP_S)
    LD(VA_G)                            /* cached */
    li t2, ASID
    sfence.vma x0, t2
    WALKS(a5)
    LD(VA_G + 0x8)
    WALKS(a6)
    sfence.vma                          /* and x0, x0 drops it: one walk (the counter counts) */
    WALKS(a2)
    LD(VA_G + 0x10)
    WALKS(a3)
    MPRV_OFF
    VCHECK(a4, PAT(2, 0x10))
    bne a5, a6, fail
    addi a2, a2, 1
    bne a2, a3, fail

    TEST_NUM(12)                        /* narrow forms keep other ASIDs' and other pages' entries */
    MPRV_ON(MPP_S)
    LD(VA_S1)                           /* cached (ASID 5) */
    LD(VA_S2)
    li t2, ASID + 1
    sfence.vma x0, t2                   /* another ASID */
    li a1, VA_S1
    sfence.vma a1, t2                   /* this page, another ASID */
    li a1, VA_S4
    sfence.vma a1, x0                   /* another page */
    WALKS(a5)
    LD(VA_S1 + 0x8)
    LD(VA_S2 + 0x8)
    WALKS(a6)
    MPRV_OFF
    bne a5, a6, fail
    VCHECK(a4, PAT(1, 0x8))
#endif

TEST_END

VM_SUPPORT
