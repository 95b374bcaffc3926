/*
 * Sv39 basics: satp (legal modes, ASID bits), Bare, 4 KiB / 2 MiB / 1 GiB leaves for
 * loads, stores and fetches, the sign-extended high half, non-canonical and unmapped
 * addresses, a translation to a physical address with nothing behind it, M-mode not
 * translating, MPRV with MPP = S / U / M, and page faults delegated to S.
 * Page tables and helpers: vm.h.
 *
 * QEMU 7.2 implements Sv57, so -DQEMU_SV57_QUIRK leaves out the satp mode-10 check.
 */
#include "vm.h"

#define VA_P0 0x40000000                /* 4 KiB -> data page 0 */
#define VA_P1 0x40001000                /* 4 KiB -> data page 1 */
#define VA_CODE 0x40002000              /* 4 KiB, X only -> vm_code_page */
#define VA_NOMEM 0x40003000             /* 4 KiB -> PA 0: nothing there */
#define VA_HOLE 0x40004000              /* level-0 PTE = 0 */
#define VA_2M 0x40200000                /* 2 MiB -> VM_FREE_PA */
#define VA_2MC 0x40600000               /* 2 MiB -> DRAM_BASE (the program): VA = PA - DRAM_BASE + VA_2MC */
#define VA_1G 0x100000000               /* 1 GiB -> DRAM_BASE: VA = PA + 0x8000_0000 */
#define ALIAS_1G (VA_1G - DRAM_BASE)
#define VA_UNMAPPED 0x200000000         /* root PTE = 0 */
#define VA_HI 0xffffffc000002000        /* lowest high-half gigabyte -> page 2 */
#define VA_HI_CODE 0xffffffc000003000   /* -> vm_code_page */
#define VA_TOP 0xfffffffffffff000       /* the last page -> page 3 */
/* bits 63..39 not copies of bit 38 (the low 39 bits map VA_P0 / VA_P1 / VA_CODE) */
#define NC_1 0x0000008040000000
#define NC_2 0xffffff8040001000
#define NC_3 0x0000004000000000
#define NC_4 0x0000008040002000

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
    mv s0, a0                           /* the root */
    VM_MAP_L(VA_P0, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_P1, VM_PAGE(1), LVL_4K, FL_DATA)
    VM_MAP_L(VA_CODE, vm_code_page, LVL_4K, FL_XO)
    VM_MAP(VA_NOMEM, 0, LVL_4K, FL_ALL)
    VM_MAP(VA_2M, VM_FREE_PA, LVL_2M, FL_DATA)
    VM_MAP(VA_2MC, DRAM_BASE, LVL_2M, FL_CODE)
    VM_MAP(VA_1G, DRAM_BASE, LVL_1G, FL_ALL)
    VM_MAP_L(VA_HI, VM_PAGE(2), LVL_4K, FL_DATA)
    VM_MAP_L(VA_HI_CODE, vm_code_page, LVL_4K, FL_CODE)
    VM_MAP_L(VA_TOP, VM_PAGE(3), LVL_4K, FL_DATA)
    /* values in the 2 MiB page, written physically */
    li t0, VM_FREE_PA
    li t1, 0x2222000000000000
    sd t1, 0(t0)
    li t2, 0x12340
    add t2, t0, t2
    li t1, 0x2222000000012340
    sd t1, 0(t2)

    TEST_NUM(1)                         /* satp: MODE, the 16 ASID bits and PPN read back */
    VM_SATP_VAL(s1, SATP_SV39, 0xffff)
    csrw satp, s1
    csrr a4, satp
    bne a4, s1, fail
    VM_SATP_VAL(s1, SATP_SV39, 0x1234)
    csrw satp, s1
    csrr a4, satp
    bne a4, s1, fail

    TEST_NUM(2)                         /* satp: a write of an unsupported MODE changes nothing */
    li a1, (1 << SATP_MODE_SHIFT) | 0x5555
    csrw satp, a1
    csrr a4, satp
    bne a4, s1, fail
    li a1, (7 << SATP_MODE_SHIFT) | (0x4321 << SATP_ASID_SHIFT)
    csrw satp, a1
    csrr a4, satp
    bne a4, s1, fail
#ifndef QEMU_SV57_QUIRK
    li t0, SATP_SV57 << SATP_MODE_SHIFT
    or a1, s1, t0                       /* Sv57: 0b1010, not 0b1000 | 0b1001 */
    csrw satp, a1
    csrr a4, satp
    bne a4, s1, fail
#endif
    li t0, SATP_SV64 << SATP_MODE_SHIFT
    or a1, s1, t0
    csrw satp, a1
    csrr a4, satp
    bne a4, s1, fail
    li a1, 15 << SATP_MODE_SHIFT
    csrw satp, a1
    csrr a4, satp
    bne a4, s1, fail

    TEST_NUM(3)                         /* Bare: S addresses are physical (0x4000_0000: access fault) */
    csrw satp, zero
    sfence.vma
    csrr a4, satp
    bnez a4, fail
    RUN_S
    la a1, VM_PAGE(0)
    ld a4, 8(a1)
    VCHECK(a4, PAT(0, 8))
    LD_FAULT(VA_P0, CAUSE_LOAD_ACCESS)
    RUN_M
    VM_SATP(SATP_SV39, 0x1234)

    TEST_NUM(4)                         /* 4 KiB leaf: loads of each size, with the page offset */
    RUN_S
    LD_OK(VA_P0 + 0x18, PAT(0, 0x18))
    LD_OK(VA_P1 + 0xff8, PAT(1, 0xff8))
    li a1, VA_P1 + 0x100
    lwu a4, 4(a1)
    VCHECK(a4, PAT(1, 0x100) >> 32)
    lbu a4, 5(a1)
    VCHECK(a4, 0x01)                    /* byte 5 of PAT(1, .): the page number */
    lh a4, 0(a1)
    VCHECK(a4, 0x100)

    TEST_NUM(5)                         /* 4 KiB leaf: a store lands in the physical page */
    SD_OK(VA_P1 + 0x20, 0x0505050505050505)
    la t0, VM_PAGE(1)
    ld a4, 0x20(t0)
    VCHECK(a4, 0x0505050505050505)
    ld a4, 0x18(t0)                     /* its neighbours are untouched */
    VCHECK(a4, PAT(1, 0x18))
    ld a4, 0x28(t0)
    VCHECK(a4, PAT(1, 0x28))

    TEST_NUM(6)                         /* 2 MiB leaf: VA[20:0] passes through */
    LD_OK(VA_2M, 0x2222000000000000)
    LD_OK(VA_2M + 0x12340, 0x2222000000012340)
    SD_OK(VA_2M + 0x1ffff8, 0x0606060606060606)
    li t0, VM_FREE_PA + 0x1ffff8
    ld a4, 0(t0)
    VCHECK(a4, 0x0606060606060606)

    TEST_NUM(7)                         /* 1 GiB leaf: VA[29:0] passes through */
    la a1, VM_PAGE(2)
    li t0, ALIAS_1G
    add a1, a1, t0
    ld a4, 0x7f0(a1)
    VCHECK(a4, PAT(2, 0x7f0))
    li a2, 0x0707070707070707
    sd a2, 0x7f8(a1)
    la t0, VM_PAGE(2)
    ld a4, 0x7f8(t0)
    VCHECK(a4, 0x0707070707070707)

    TEST_NUM(8)                         /* fetch through a 4 KiB X-only leaf, the 1 GiB and a 2 MiB leaf */
    FETCH_OK(VA_CODE)
    RUN_CODE_PAGE_AT(ALIAS_1G)
    RUN_CODE_PAGE_AT(VA_2MC - DRAM_BASE)  /* fetch through the 2 MiB leaf */

    TEST_NUM(9)                         /* high half: VA[63:39] copies of VA[38] */
    LD_OK(VA_HI + 0x30, PAT(2, 0x30))
    SD_OK(VA_HI + 0x38, 0x0909090909090909)
    la t0, VM_PAGE(2)
    ld a4, 0x38(t0)
    VCHECK(a4, 0x0909090909090909)
    LD_OK(VA_TOP + 0xff8, PAT(3, 0xff8))
    FETCH_OK(VA_HI_CODE)

    TEST_NUM(10)                        /* non-canonical load: page fault 13, tval = VA */
    LD_FAULT(NC_1, CAUSE_LOAD_PF)
    LD_FAULT(NC_2, CAUSE_LOAD_PF)
    LD_FAULT(NC_3, CAUSE_LOAD_PF)
    LD_FAULT(NC_1 + 0x10, CAUSE_LOAD_PF)

    TEST_NUM(11)                        /* non-canonical store: page fault 15 */
    SD_FAULT(NC_2 + 0x8, CAUSE_STORE_PF)
    SD_FAULT(NC_3, CAUSE_STORE_PF)
    LD_OK(VA_P1 + 0x8, PAT(1, 0x8))     /* nothing written through the alias */

    TEST_NUM(12)                        /* non-canonical fetch: page fault 12 at the target */
    FETCH_FAULT(NC_4)

    TEST_NUM(13)                        /* V = 0 at level 0 and at the root: 13 / 15 / 12 */
    LD_FAULT(VA_HOLE + 0x40, CAUSE_LOAD_PF)
    SD_FAULT(VA_HOLE, CAUSE_STORE_PF)
    FETCH_FAULT(VA_HOLE)
    LD_FAULT(VA_UNMAPPED + 0x123458, CAUSE_LOAD_PF)
    FETCH_FAULT(VA_UNMAPPED)

    TEST_NUM(14)                        /* a leaf to a PA with nothing there: access faults 5 / 7 / 1, tval = VA */
    LD_FAULT(VA_NOMEM + 0x10, CAUSE_LOAD_ACCESS)
    SD_FAULT(VA_NOMEM + 0x18, CAUSE_STORE_ACCESS)
    li a1, VA_NOMEM
    FAULT_EPC(CAUSE_FETCH_ACCESS, a1, a1, jalr ra, 0(a1))
    RUN_M

    TEST_NUM(15)                        /* M does not translate, even with S's entry for the VA cached */
    li a1, VA_P0
    FAULT(CAUSE_LOAD_ACCESS, a1, ld a4, 0(a1))
    la a1, VM_PAGE(0)                   /* physical */
    ld a4, 0x10(a1)
    VCHECK(a4, PAT(0, 0x10))

    TEST_NUM(16)                        /* MPRV = 1, MPP = S: M's loads and stores translate */
    li a1, VA_P0
    li a2, 0x1616161616161616
    MPRV_ON(MPP_S)
    ld a4, 0x48(a1)
    sd a2, 0x50(a1)
    ld a5, 0x50(a1)
    MPRV_OFF
    VCHECK(a4, PAT(0, 0x48))
    VCHECK(a5, 0x1616161616161616)
    la t0, VM_PAGE(0)
    ld a4, 0x50(t0)
    VCHECK(a4, 0x1616161616161616)

    TEST_NUM(17)                        /* MPRV = 1, MPP = M: no translation (access fault at PA = VA) */
    li a1, VA_P0 + 0x48
    MPRV_FAULT(MPP_M, CAUSE_LOAD_ACCESS, a1, ld a4, 0(a1))

    TEST_NUM(18)                        /* MPRV = 1, MPP = U: as U (U = 0 page faults); fetch untranslated */
    li a1, VA_P0 + 0x8
    MPRV_FAULT(MPP_U, CAUSE_LOAD_PF, a1, ld a4, 0(a1))
    li a1, VA_P1
    MPRV_FAULT(MPP_U, CAUSE_STORE_PF, a1, sd a4, 0(a1))
    la a1, VM_PAGE(0)                   /* the identity map is U = 0 too */
    MPRV_FAULT(MPP_U, CAUSE_LOAD_PF, a1, ld a4, 0(a1))

    TEST_NUM(19)                        /* MPRV = 1, MPP = S: a page fault has tval = VA */
    li a1, VA_HOLE + 0x8
    MPRV_FAULT(MPP_S, CAUSE_LOAD_PF, a1, ld a4, 0(a1))

    TEST_NUM(20)                        /* page faults delegated by medeleg go to S: scause, sepc, stval */
    li t0, (1 << CAUSE_FETCH_PF) | (1 << CAUSE_LOAD_PF) | (1 << CAUSE_STORE_PF)
    csrw medeleg, t0
    RUN_S
    li a1, VA_HOLE + 0x28
    FAULT_S(CAUSE_LOAD_PF, a1, ld a4, 0(a1))
    li a1, NC_2
    FAULT_S(CAUSE_STORE_PF, a1, sd a4, 0(a1))
    CLEAR_RECS                          /* fetch: sepc = stval = the target */
    li a1, VA_HOLE
    RESUME_AT(72f)
    jalr ra, 0(a1)
    j fail
72: CHECK_REC(m_rec, R_COUNT, 0)
    CHECK_REC(s_rec, R_CAUSE, CAUSE_FETCH_PF)
    CHECK_REC_REG(s_rec, R_EPC, a1)
    CHECK_REC_REG(s_rec, R_TVAL, a1)
    TRAPS_FAIL
    RUN_M
    csrw medeleg, zero

    TEST_NUM(21)                        /* an S write of satp switches the ASID; reads back in S */
    VM_SATP_VAL(s1, SATP_SV39, 0x00ab)
    RUN_S
    csrw satp, s1
    csrr a4, satp
    bne a4, s1, fail
    LD_OK(VA_P0 + 0x20, PAT(0, 0x20))   /* the same tables, another ASID */
    RUN_M

TEST_END

VM_SUPPORT
