/*
 * Accesses that cross a page boundary under Sv39: misaligned loads and stores are
 * done in hardware, translated once per page (the two pages map to frames that are
 * not neighbours), and when the second page faults, mtval is the virtual address of
 * the faulting portion (the second page's start, priv. spec 1.12 §3.1.16) and a
 * faulting store writes nothing; a 32-bit instruction straddling two pages runs
 * with its halves from two frames, and when the second page cannot be fetched the
 * instruction page fault has mepc = the instruction, mtval = the second page.
 * Page tables and helpers: vm.h. All traps go to M.
 *
 * QEMU 7.2 aborts on instructions straddling pages and sets D itself:
 * -DQEMU_PAGE_STRADDLE_QUIRK and -DQEMU_SVADU_QUIRK leave those cases out.
 */
#include "vm.h"

#define VA_X 0x40000000                 /* page 0, then page 2 (page 1 is the decoy between) */
#define VA_Y 0x40010000                 /* page 3, then page 5 */
#define VA_Z 0x40020000                 /* page 6, then nothing */
#define VA_W 0x40030000                 /* nothing, then page 6 */
#define VA_R 0x40040000                 /* page 6, then page 7 read-only */
#define VA_D 0x40050000                 /* page 6, then page 7 with D = 0 */
#define VA_U 0x40060000                 /* page 6, then page 7 with U = 1 */
#define VA_2M 0x40200000                /* 2 MiB -> VM_FREE_PA, then 4 KiB -> page 4 */
#define VA_CA 0x40800000                /* code: cp_a, then cp_b */
#define VA_CU 0x40810000                /* code: cp_a, then nothing */
#define VA_CN 0x40820000                /* code: cp_a, then cp_b without X */
#define VA_CUU 0x40830000               /* code: cp_a, then cp_b with U = 1 */
#define VA_CC 0x40840000                /* code: cp_c (16-bit at the end), then nothing */
#define BYTES_A 0x0706050403020100      /* page 0's last doubleword */
#define BYTES_B 0x0f0e0d0c0b0a0908      /* page 2's first */
#define BYTES_C 0x1716151413121110      /* the 2 MiB page's last */
#define BYTES_D 0x1f1e1d1c1b1a1918      /* page 4's first */
#define DECOY 0xdeaddeaddeaddead

/* The 32-bit addi a4, a4, imm in two halves (rd = rs1 = x14). */
#define ADDI_A4_LO 0x0713
#define ADDI_A4_HI(imm) (((imm) << 4) | 0x7)
#define IMM_B 0x5a5                     /* cp_b's upper half */
#define IMM_DECOY 0x0bd                 /* the page that follows cp_a physically */

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
#define PUT(label, off, value) la t0, label + (off); li t1, value; sd t1, 0(t0)
    PUT(vm_pages, 0xff8, BYTES_A)
    PUT(vm_pages, 0x1000, DECOY)
    PUT(vm_pages, 0x2000, BYTES_B)
    PUT(vm_pages, 0x4000, BYTES_D)
    li t0, VM_FREE_PA + 0x1ffff8
    li t1, BYTES_C
    sd t1, 0(t0)
    li t1, DECOY
    sd t1, 8(t0)                        /* the frame that follows physically */
    VM_MAP_L(VA_X, VM_PAGE(0), LVL_4K, FL_DATA)
    VM_MAP_L(VA_X + PGSIZE, VM_PAGE(2), LVL_4K, FL_DATA)
    VM_MAP_L(VA_Y, VM_PAGE(3), LVL_4K, FL_DATA)
    VM_MAP_L(VA_Y + PGSIZE, VM_PAGE(5), LVL_4K, FL_DATA)
    VM_MAP_L(VA_Z, VM_PAGE(6), LVL_4K, FL_DATA)
    VM_MAP_L(VA_W + PGSIZE, VM_PAGE(6), LVL_4K, FL_DATA)
    VM_MAP_L(VA_R, VM_PAGE(6), LVL_4K, FL_DATA)
    VM_MAP_L(VA_R + PGSIZE, VM_PAGE(7), LVL_4K, FL_RO)
    VM_MAP_L(VA_D, VM_PAGE(6), LVL_4K, FL_DATA)
    VM_MAP_L(VA_D + PGSIZE, VM_PAGE(7), LVL_4K, FL_DATA & ~PTE_D)
    VM_MAP_L(VA_U, VM_PAGE(6), LVL_4K, FL_DATA)
    VM_MAP_L(VA_U + PGSIZE, VM_PAGE(7), LVL_4K, FL_DATA | PTE_U)
    VM_MAP(VA_2M, VM_FREE_PA, LVL_2M, FL_DATA)
    VM_MAP_L(VA_2M + 0x200000, VM_PAGE(4), LVL_4K, FL_DATA)
    VM_MAP_L(VA_CA, cp_a, LVL_4K, FL_XO)
    VM_MAP_L(VA_CA + PGSIZE, cp_b, LVL_4K, FL_XO)
    VM_MAP_L(VA_CU, cp_a, LVL_4K, FL_XO)
    VM_MAP_L(VA_CN, cp_a, LVL_4K, FL_XO)
    VM_MAP_L(VA_CN + PGSIZE, cp_b, LVL_4K, FL_RO)
    VM_MAP_L(VA_CUU, cp_a, LVL_4K, FL_XO)
    VM_MAP_L(VA_CUU + PGSIZE, cp_b, LVL_4K, FL_XO | PTE_U)
    VM_MAP_L(VA_CC, cp_c, LVL_4K, FL_XO)
    VM_SATP(SATP_SV39, 1)
    RUN_S

    TEST_NUM(1)                         /* misaligned loads across a page boundary: bytes from two frames */
    li a1, VA_X + 0xffc
    ld a4, 0(a1)
    VCHECK(a4, 0x0b0a090807060504)
    li a1, VA_X + 0xff9
    ld a4, 0(a1)
    VCHECK(a4, 0x0807060504030201)
    li a1, VA_X + 0xffe
    lw a4, 0(a1)
    VCHECK(a4, 0x09080706)
    li a1, VA_X + 0xfff
    lhu a4, 0(a1)
    VCHECK(a4, 0x0807)
    lh a4, 0(a1)
    VCHECK(a4, 0x0807)

    TEST_NUM(2)                         /* misaligned loads inside one translated page */
    li a1, VA_X + 0xff3
    ld a4, 0(a1)
    VCHECK(a4, 0x0201005a00000000)
    li a1, VA_X + PGSIZE + 3            /* second page, offset 3 */
    lw a4, 0(a1)
    VCHECK(a4, 0x0e0d0c0b)

    TEST_NUM(3)                         /* misaligned stores across a page boundary: bytes to two frames */
    li a1, VA_Y + 0xffa
    li a2, 0x8877665544332211
    sd a2, 0(a1)
    ld a4, 0(a1)
    VCHECK(a4, 0x8877665544332211)
    la t0, VM_PAGE(3) + 0xff8
    ld a4, 0(t0)
    VCHECK(a4, 0x6655443322110ff8)
    la t0, VM_PAGE(5)
    ld a4, 0(t0)
    VCHECK(a4, 0x5a00050000008877)
    la t0, VM_PAGE(4)                   /* the frame after page 3 is untouched */
    ld a4, 0(t0)
    VCHECK(a4, BYTES_D)
    li a1, VA_Y + 0xfff
    li a2, 0xbbaa
    sh a2, 0(a1)
    la t0, VM_PAGE(3) + 0xfff
    lbu a4, 0(t0)
    VCHECK(a4, 0xaa)
    la t0, VM_PAGE(5)
    lbu a4, 0(t0)
    VCHECK(a4, 0xbb)

    TEST_NUM(4)                         /* a 2 MiB superpage's end and the next 4 KiB page */
    li a1, VA_2M + 0x1ffffc
    ld a4, 0(a1)
    VCHECK(a4, 0x1b1a191817161514)

    TEST_NUM(5)                         /* second page unmapped: load page fault, tval = second page */
    li a1, VA_Z + 0xffc
    li a3, VA_Z + PGSIZE
    FAULT(CAUSE_LOAD_PF, a3, ld a4, 0(a1))
    li a1, VA_Z + 0xfff
    FAULT(CAUSE_LOAD_PF, a3, lh a4, 0(a1))

    TEST_NUM(6)                         /* second page unmapped: store page fault, first page not written */
    li a1, VA_Z + 0xffc
    li a2, -1
    li a3, VA_Z + PGSIZE
    FAULT(CAUSE_STORE_PF, a3, sd a2, 0(a1))
    li a1, VA_Z + 0xffe
    FAULT(CAUSE_STORE_PF, a3, sw a2, 0(a1))
    la t0, VM_PAGE(6) + 0xff8
    ld a4, 0(t0)
    VCHECK(a4, PAT(6, 0xff8))

    TEST_NUM(7)                         /* first page unmapped: tval = the access's own address */
    li a1, VA_W + 0xffc
    FAULT(CAUSE_LOAD_PF, a1, ld a4, 0(a1))
    FAULT(CAUSE_STORE_PF, a1, sd a4, 0(a1))

    TEST_NUM(8)                         /* second page read-only: store page fault at it, first page not written */
    li a1, VA_R + 0xffc
    li a2, -1
    li a3, VA_R + PGSIZE
    FAULT(CAUSE_STORE_PF, a3, sd a2, 0(a1))
    la t0, VM_PAGE(6) + 0xff8
    ld a4, 0(t0)
    VCHECK(a4, PAT(6, 0xff8))
    ld a4, 0(a1)                        /* loads are fine */
    VCHECK(a4, (PAT(6, 0xff8) >> 32) | (PAT(7, 0) << 32))

    TEST_NUM(9)                         /* second page U = 1 from S (SUM = 0): load page fault at it */
    li a1, VA_U + 0xffa
    li a3, VA_U + PGSIZE
    FAULT(CAUSE_LOAD_PF, a3, ld a4, 0(a1))

#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(10)                        /* second page D = 0 (Svade): store page fault at it, first page not written */
    li a1, VA_D + 0xffd
    li a2, -1
    li a3, VA_D + PGSIZE
    FAULT(CAUSE_STORE_PF, a3, sd a2, 0(a1))
    la t0, VM_PAGE(6) + 0xff8
    ld a4, 0(t0)
    VCHECK(a4, PAT(6, 0xff8))
#endif

#ifndef QEMU_PAGE_STRADDLE_QUIRK
    TEST_NUM(11)                        /* a 32-bit instruction straddling two pages, halves from two frames */
    li a1, VA_CA + 0xff8                /* falling into it */
    li a4, -1
    jalr ra, 0(a1)
    VCHECK(a4, IMM_B + 1)
    li a1, VA_CA + 0xffe                /* jumping to it */
    li a4, 0x100
    jalr ra, 0(a1)
    VCHECK(a4, 0x100 + IMM_B + 1)

    TEST_NUM(12)                        /* straddling into an unmapped page: fetch page fault, epc = insn, tval = page */
    li a1, VA_CU + 0xff8
    li a2, VA_CU + 0xffe
    li a3, VA_CU + PGSIZE
    FAULT_EPC(CAUSE_FETCH_PF, a2, a3, jalr ra, 0(a1))
    VCHECK(a4, 0)                       /* the instructions before it ran */
    li a1, VA_CU + 0xffe
    FAULT_EPC(CAUSE_FETCH_PF, a1, a3, jalr ra, 0(a1))

    TEST_NUM(13)                        /* straddling into a page without X */
    li a1, VA_CN + 0xffe
    li a3, VA_CN + PGSIZE
    FAULT_EPC(CAUSE_FETCH_PF, a1, a3, jalr ra, 0(a1))

    TEST_NUM(14)                        /* straddling into a U = 1 page from S */
    li a1, VA_CUU + 0xffe
    li a3, VA_CUU + PGSIZE
    FAULT_EPC(CAUSE_FETCH_PF, a1, a3, jalr ra, 0(a1))
#endif

    TEST_NUM(15)                        /* a 16-bit instruction ending a page runs; the next page faults */
    li a1, VA_CC + 0xffa
    li a3, VA_CC + PGSIZE
    FAULT_EPC(CAUSE_FETCH_PF, a3, a3, jalr ra, 0(a1))
    VCHECK(a4, 8)
    RUN_M

TEST_END

VM_SUPPORT

    /* Code pages for the fetch cases (mapped, never run at their own addresses). */
    .text
    .balign PGSIZE
cp_a:
    .option push
    .skip 0xff8
    .option norvc
    addi a4, zero, 0                    /* 0xff8 */
    .option rvc
    c.nop                               /* 0xffc */
    .2byte ADDI_A4_LO                   /* 0xffe: addi a4, a4, IMM_B with cp_b */
cp_decoy:                               /* cp_a + 4 KiB: not the page mapped after it */
    .2byte ADDI_A4_HI(IMM_DECOY)
    .option norvc
    addi a4, a4, 1
    ret
    .balign PGSIZE
cp_b:
    .2byte ADDI_A4_HI(IMM_B)
    addi a4, a4, 1
    ret
    .balign PGSIZE
cp_c:
    .skip 0xffa
    addi a4, zero, 7                    /* 0xffa */
    .option rvc
    c.addi a4, 1                        /* 0xffe: ends the page */
    .option pop
    .balign PGSIZE
