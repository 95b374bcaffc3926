/*
 * Sv48 basics: satp, 4 KiB / 2 MiB / 1 GiB / 512 GiB leaves for loads, stores and
 * fetches, addresses that only Sv48 has (VA[47:39] in use), the sign-extended high
 * half, non-canonical addresses, misaligned 512 GiB and 1 GiB superpages, MPRV,
 * and an Sv48 address that is non-canonical once satp selects Sv39.
 * Page tables and helpers: vm.h.
 *
 * QEMU 7.2 implements Sv57, so -DQEMU_SV57_QUIRK leaves out the satp mode-10 check.
 */
#include "vm.h"

#define VA_P0 0x40000000                /* 4 KiB -> page 0 */
#define VA_CODE 0x40002000              /* 4 KiB X only -> vm_code_page */
#define VA_2M 0x40200000                /* 2 MiB -> VM_FREE_PA */
#define VA_2MC 0x40600000               /* 2 MiB -> DRAM_BASE (the program): VA = PA - DRAM_BASE + VA_2MC */
#define VA_1G 0x100000000               /* 1 GiB -> DRAM_BASE: VA = PA + 0x8000_0000 */
#define ALIAS_1G (VA_1G - DRAM_BASE)
#define VA_512G 0x10000000000           /* 512 GiB (root index 2) -> PA 0: VA = PA + VA_512G */
#define VA_SV48 0x8000000000            /* VA[39] set: root index 1 -> page 1 */
#define VA_LOWTOP 0x7ffffffff000        /* the last page below the hole -> page 2 */
#define VA_HI 0xffff800000000000        /* the first high-half page -> page 3 */
#define VA_HI_CODE 0xffff800000001000   /* -> vm_code_page */
#define VA_TOP 0xfffffffffffff000       /* the last page -> page 4 */
#define VA_MIS512 0x18000000000         /* 512 GiB leaf, PA 0x8000_0000: misaligned */
#define VA_MIS512B 0x20000000000        /* 512 GiB leaf, PA 0x1000: misaligned (PPN[0]) */
#define VA_MIS1G 0x140000000            /* 1 GiB leaf, PA VM_FREE_PA: misaligned (PPN[1]) */
#define VA_UNMAPPED 0x30000000000       /* root PTE = 0 */
/* bits 63..48 not copies of bit 47 (the low 48 bits map VA_P0 / VA_CODE) */
#define NC_1 0x0000800040000000
#define NC_2 0xffff000040000000
#define NC_3 0x8000000040000000
#define NC_4 0x0001000040002000

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV48_LEVELS, FL_ALL | PTE_G)
    VM_MAP_L(VA_P0, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_CODE, vm_code_page, LVL_4K, FL_XO)
    VM_MAP(VA_2M, VM_FREE_PA, LVL_2M, FL_DATA)
    VM_MAP(VA_2MC, DRAM_BASE, LVL_2M, FL_CODE)
    VM_MAP(VA_1G, DRAM_BASE, LVL_1G, FL_ALL)
    VM_MAP(VA_512G, 0, LVL_512G, FL_ALL)
    VM_MAP_L(VA_SV48, VM_PAGE(1), LVL_4K, FL_DATA)
    VM_MAP_L(VA_LOWTOP, VM_PAGE(2), LVL_4K, FL_DATA)
    VM_MAP_L(VA_HI, VM_PAGE(3), LVL_4K, FL_DATA)
    VM_MAP_L(VA_HI_CODE, vm_code_page, LVL_4K, FL_CODE)
    VM_MAP_L(VA_TOP, VM_PAGE(4), LVL_4K, FL_DATA)
    VM_MAP(VA_MIS512, DRAM_BASE, LVL_512G, FL_ALL)
    VM_MAP(VA_MIS512B, 0x1000, LVL_512G, FL_ALL)
    VM_MAP(VA_MIS1G, VM_FREE_PA, LVL_1G, FL_ALL)
    li t0, VM_FREE_PA + 0x1a548
    li t1, 0x4848000000000000
    sd t1, 0(t0)

    TEST_NUM(1)                         /* satp: Sv48 with all 16 ASID bits reads back */
    VM_SATP_VAL(s1, SATP_SV48, 0xffff)
    csrw satp, s1
    csrr a4, satp
    bne a4, s1, fail
    VM_SATP_VAL(s1, SATP_SV48, 0x0048)
    csrw satp, s1
    sfence.vma
    csrr a4, satp
    bne a4, s1, fail

    TEST_NUM(2)                         /* satp: unsupported modes are not written */
#ifndef QEMU_SV57_QUIRK
    li t0, SATP_SV57 << SATP_MODE_SHIFT
    li t1, ~(0xf << SATP_MODE_SHIFT)
    and a1, s1, t1
    or a1, a1, t0
    csrw satp, a1
    csrr a4, satp
    bne a4, s1, fail
#endif
    li a1, 1 << SATP_MODE_SHIFT
    csrw satp, a1
    csrr a4, satp
    bne a4, s1, fail

    TEST_NUM(3)                         /* 4 KiB leaf under a 4-level walk */
    RUN_S
    LD_OK(VA_P0 + 0x88, PAT(0, 0x88))
    SD_OK(VA_P0 + 0x90, 0x0303030303030303)
    la t0, VM_PAGE(0)
    ld a4, 0x90(t0)
    VCHECK(a4, 0x0303030303030303)
    FETCH_OK(VA_CODE)

    TEST_NUM(4)                         /* 2 MiB (level 1) and 1 GiB (level 2) leaves: load, store, fetch */
    LD_OK(VA_2M + 0x1a548, 0x4848000000000000)
    la a1, VM_PAGE(5)
    li t0, ALIAS_1G
    add a1, a1, t0
    ld a4, 0x3c8(a1)
    VCHECK(a4, PAT(5, 0x3c8))
    li a2, 0x0404040404040404
    sd a2, 0x3d0(a1)
    la t0, VM_PAGE(5)
    ld a4, 0x3d0(t0)
    VCHECK(a4, 0x0404040404040404)
    RUN_CODE_PAGE_AT(ALIAS_1G)  /* fetch through the 1 GiB leaf */
    RUN_CODE_PAGE_AT(VA_2MC - DRAM_BASE)  /* fetch through the 2 MiB leaf */

    TEST_NUM(5)                         /* 512 GiB leaf (level 3): load, store, fetch */
    la a1, VM_PAGE(6)
    li t0, VA_512G
    add a1, a1, t0
    ld a4, 0x5f8(a1)
    VCHECK(a4, PAT(6, 0x5f8))
    li a2, 0x0505050505050505
    sd a2, 0x600(a1)
    la t0, VM_PAGE(6)
    ld a4, 0x600(t0)
    VCHECK(a4, 0x0505050505050505)
    RUN_CODE_PAGE_AT(VA_512G)

    TEST_NUM(6)                         /* VA[47:39] in use: addresses only Sv48 has */
    LD_OK(VA_SV48 + 0x10, PAT(1, 0x10))
    SD_OK(VA_SV48 + 0x18, 0x0606060606060606)
    la t0, VM_PAGE(1)
    ld a4, 0x18(t0)
    VCHECK(a4, 0x0606060606060606)
    LD_OK(VA_LOWTOP + 0xff8, PAT(2, 0xff8))

    TEST_NUM(7)                         /* high half: VA[63:48] copies of VA[47] */
    LD_OK(VA_HI, PAT(3, 0))
    SD_OK(VA_HI + 0x8, 0x0707070707070707)
    la t0, VM_PAGE(3)
    ld a4, 0x8(t0)
    VCHECK(a4, 0x0707070707070707)
    LD_OK(VA_TOP + 0x800, PAT(4, 0x800))
    FETCH_OK(VA_HI_CODE)

    TEST_NUM(8)                         /* non-canonical in Sv48: 13 / 15 / 12, tval = VA */
    LD_FAULT(NC_1, CAUSE_LOAD_PF)
    LD_FAULT(NC_3 + 0x20, CAUSE_LOAD_PF)
    SD_FAULT(NC_2, CAUSE_STORE_PF)
    FETCH_FAULT(NC_4)

    TEST_NUM(9)                         /* misaligned 512 GiB superpage: page fault */
    LD_FAULT(VA_MIS512 + 0x80000008, CAUSE_LOAD_PF)
    SD_FAULT(VA_MIS512 + 0x80000010, CAUSE_STORE_PF)
    LD_FAULT(VA_MIS512B + 0x80000008, CAUSE_LOAD_PF)
    li a1, VA_MIS512
    la t0, vm_code_page
    add a1, a1, t0
    FAULT_EPC(CAUSE_FETCH_PF, a1, a1, jalr ra, 0(a1))

    TEST_NUM(10)                        /* misaligned 1 GiB superpage under Sv48: page fault */
    LD_FAULT(VA_MIS1G + 0x1a548, CAUSE_LOAD_PF)

    TEST_NUM(11)                        /* root PTE with V = 0: page fault */
    LD_FAULT(VA_UNMAPPED, CAUSE_LOAD_PF)
    SD_FAULT(VA_UNMAPPED + 0x7ffff8, CAUSE_STORE_PF)
    RUN_M

    TEST_NUM(12)                        /* MPRV = 1, MPP = S: M's load translates through the 512 GiB leaf */
    la a1, VM_PAGE(6)
    li t0, VA_512G
    add a1, a1, t0
    MPRV_ON(MPP_S)
    ld a4, 0x700(a1)
    MPRV_OFF
    VCHECK(a4, PAT(6, 0x700))
    li a1, NC_2 + 0x8                   /* and a non-canonical address faults */
    MPRV_FAULT(MPP_S, CAUSE_LOAD_PF, a1, ld a4, 0(a1))

    TEST_NUM(13)                        /* an address Sv48 maps is non-canonical under Sv39 */
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
    VM_MAP_L(VA_P0, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_SATP(SATP_SV39, 0x0039)
    RUN_S
    LD_OK(VA_P0 + 0x98, PAT(0, 0x98))
    LD_FAULT(VA_SV48 + 0x10, CAUSE_LOAD_PF)
    LD_FAULT(VA_HI, CAUSE_LOAD_PF)
    RUN_M

TEST_END

VM_SUPPORT
