/*
 * PTE checks under Sv39 (priv. spec 1.12 §4.3.2 steps 2-7, §4.4.1): invalid and
 * reserved encodings (V = 0, W without R, bits 54..63 without Svnapot / Svpbmt,
 * non-leaf A / D / U and reserved bits, a level-0 pointer, misaligned superpages),
 * R / W / X with MXR, the U bit with SUM from S and from U, Svade A / D faults
 * (no hardware update, menvcfg.ADUE = 0), and a change of MXR or SUM taking effect
 * at once for a translation already cached (no sfence.vma).
 * Page tables and helpers: vm.h. All traps go to M.
 *
 * QEMU 7.2 sets A and D itself (neither Svade nor menvcfg.ADUE):
 * -DQEMU_SVADU_QUIRK leaves out the A / D cases for cross-checking there.
 */
#include "vm.h"

#define VA(n) (0x40000000 + (n) * PGSIZE)   /* 4 KiB leaves, one level-0 table */
#define NL(k) (0x48000000 + (k) * 0x200000) /* one 2 MiB region (own level-1 PTE) each */
#define VA_NLROOT 0x140000000               /* own root PTE */
#define VA_MIS2M 0x44000000                 /* 2 MiB leaf at VM_FREE_PA + 4 KiB */
#define VA_MIS1G 0x200000000                /* 1 GiB leaf at DRAM_BASE + 2 MiB */
#define VA_MIS1GB 0x240000000               /* 1 GiB leaf at DRAM_BASE + 4 KiB */
/* under the U root (identity map U = 1) */
#define U_K 0x50000000                      /* U = 0 data -> page 3 */
#define U_KC 0x50001000                     /* U = 0 code */
#define U_U 0x50002000                      /* U = 1 data -> page 3 */
#define U_UC 0x50003000                     /* U = 1 code, X only */
#define U_UX 0x50004000                     /* U = 1, X only -> page 4 */
#define U_UA 0x50005000                     /* U = 1, A = 0 -> page 4 */

TEST_BEGIN
    VM_SETUP
    VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)
    mv s0, a0                           /* root for S */
    VM_MAP_L(VA(1), VM_PAGE(0), LVL_4K, FL_ALL & ~PTE_V)
    VM_MAP_L(VA(2), VM_PAGE(0), LVL_4K, PTE_V | PTE_W | PTE_A | PTE_D)
    VM_MAP_L(VA(3), vm_code_page, LVL_4K, PTE_V | PTE_W | PTE_X | PTE_A | PTE_D)
    VM_MAP_L(VA(4), VM_PAGE(0), LVL_4K, FL_DATA | PTE_BIT(54))
    VM_MAP_L(VA(5), VM_PAGE(0), LVL_4K, FL_DATA | PTE_BIT(60))
    VM_MAP_L(VA(6), VM_PAGE(0), LVL_4K, FL_DATA | PTE_BIT(57))
    VM_MAP_L(VA(7), VM_PAGE(0), LVL_4K, FL_DATA | PTE_N)
    VM_MAP_L(VA(8), VM_PAGE(0), LVL_4K, FL_DATA | PTE_PBMT_NC)
    VM_MAP_L(VA(9), VM_PAGE(0), LVL_4K, FL_DATA | PTE_PBMT_IO)
    VM_MAP_L(VA(10), vm_code_page, LVL_4K, FL_CODE | PTE_PBMT_NC | PTE_PBMT_IO)
    VM_MAP_L(VA(11), VM_PAGE(0), LVL_4K, FL_DATA | PTE_RSW)
    VM_MAP_L(VA(12), VM_PAGE(0), LVL_4K, PTE_V)
    VM_MAP_L(VA(13), VM_PAGE(1), LVL_4K, FL_RO)
    VM_MAP_L(VA(14), VM_PAGE(1), LVL_4K, FL_XO)
    VM_MAP_L(VA(15), vm_code_page, LVL_4K, FL_DATA)
    VM_MAP_L(VA(16), vm_code_page, LVL_4K, FL_RO)
    VM_MAP_L(VA(17), VM_PAGE(2), LVL_4K, FL_DATA | PTE_U)
    VM_MAP_L(VA(18), vm_code_page, LVL_4K, FL_CODE | PTE_U)
    VM_MAP_L(VA(19), VM_PAGE(2), LVL_4K, FL_DATA & ~PTE_A)
    mv s3, a0
    VM_MAP_L(VA(20), vm_code_page, LVL_4K, FL_XO & ~PTE_A)
    VM_MAP_L(VA(21), VM_PAGE(2), LVL_4K, FL_DATA & ~PTE_D)
    mv s4, a0
    /* non-leaf PTEs with reserved bits set: each its own region */
#define NONLEAF(va, level, bits) \
    VM_MAP_L(va, VM_PAGE(5), LVL_4K, FL_DATA); VM_PTE(va, level); PTE_SET(a0, bits); sfence.vma
    NONLEAF(NL(0), 1, PTE_A)
    NONLEAF(NL(1), 1, PTE_D)
    NONLEAF(VA_NLROOT, 2, PTE_U)
    NONLEAF(NL(2), 1, PTE_BIT(54))
    NONLEAF(NL(3), 1, PTE_N)
    NONLEAF(NL(4), 1, PTE_PBMT_NC)
    NONLEAF(NL(5), 1, PTE_G)
    VM_MAP(VA_MIS2M, VM_FREE_PA + PGSIZE, LVL_2M, FL_DATA)
    VM_MAP(VA_MIS1G, DRAM_BASE + 0x200000, LVL_1G, FL_ALL)
    VM_MAP(VA_MIS1GB, DRAM_BASE + PGSIZE, LVL_1G, FL_ALL)
    /* the root for U: identity map with U = 1 */
    VM_NEW_ROOT(FL_ALL | PTE_U)
    mv s1, a0
    VM_MAP_L(U_K, VM_PAGE(3), LVL_4K, FL_DATA)
    VM_MAP_L(U_KC, vm_code_page, LVL_4K, FL_CODE)
    VM_MAP_L(U_U, VM_PAGE(3), LVL_4K, FL_DATA | PTE_U)
    VM_MAP_L(U_UC, vm_code_page, LVL_4K, FL_XO | PTE_U)
    VM_MAP_L(U_UX, VM_PAGE(4), LVL_4K, FL_XO | PTE_U)
    VM_MAP_L(U_UA, VM_PAGE(4), LVL_4K, (FL_DATA | PTE_U) & ~PTE_A)
    VM_USE_ROOT(s0)
    VM_SATP(SATP_SV39, 1)
    RUN_S

    TEST_NUM(1)                         /* V = 0: page fault for load, store, fetch */
    LD_FAULT(VA(1) + 0x8, CAUSE_LOAD_PF)
    SD_FAULT(VA(1), CAUSE_STORE_PF)
    FETCH_FAULT(VA(1))

    TEST_NUM(2)                         /* R = 0, W = 1 is reserved: page fault */
    LD_FAULT(VA(2) + 0x10, CAUSE_LOAD_PF)
    SD_FAULT(VA(2) + 0x18, CAUSE_STORE_PF)

    TEST_NUM(3)                         /* R = 0, W = 1, X = 1 is reserved: fetch page fault */
    FETCH_FAULT(VA(3))
    LD_FAULT(VA(3), CAUSE_LOAD_PF)

    TEST_NUM(4)                         /* leaf reserved bits 54..60 set: page fault */
    LD_FAULT(VA(4) + 0x20, CAUSE_LOAD_PF)
    SD_FAULT(VA(5) + 0x28, CAUSE_STORE_PF)
    LD_FAULT(VA(6), CAUSE_LOAD_PF)

    TEST_NUM(5)                         /* leaf N (bit 63) without Svnapot: page fault */
    LD_FAULT(VA(7) + 0x30, CAUSE_LOAD_PF)

    TEST_NUM(6)                         /* leaf PBMT (bits 62:61) without Svpbmt: page fault */
    LD_FAULT(VA(8), CAUSE_LOAD_PF)
    SD_FAULT(VA(9) + 0x38, CAUSE_STORE_PF)
    FETCH_FAULT(VA(10))

    TEST_NUM(7)                         /* RSW (bits 9:8) are ignored */
    LD_OK(VA(11) + 0x40, PAT(0, 0x40))

    TEST_NUM(8)                         /* non-leaf with A set (reserved): page fault */
    LD_FAULT(NL(0) + 0x48, CAUSE_LOAD_PF)

    TEST_NUM(9)                         /* non-leaf with D set (reserved): page fault */
    SD_FAULT(NL(1) + 0x50, CAUSE_STORE_PF)

    TEST_NUM(10)                        /* root non-leaf with U set (reserved): page fault */
    LD_FAULT(VA_NLROOT + 0x58, CAUSE_LOAD_PF)

    TEST_NUM(11)                        /* non-leaf with bit 54, N or PBMT set (reserved): page fault */
    LD_FAULT(NL(2), CAUSE_LOAD_PF)
    LD_FAULT(NL(3) + 0x60, CAUSE_LOAD_PF)
    SD_FAULT(NL(4) + 0x68, CAUSE_STORE_PF)

    TEST_NUM(12)                        /* non-leaf with G set is legal */
    LD_OK(NL(5) + 0x70, PAT(5, 0x70))

    TEST_NUM(13)                        /* a pointer (V = 1, R = W = X = 0) at level 0: page fault */
    LD_FAULT(VA(12) + 0x78, CAUSE_LOAD_PF)
    FETCH_FAULT(VA(12))

    TEST_NUM(14)                        /* misaligned superpages (PPN[i-1:0] != 0): page fault */
    LD_FAULT(VA_MIS2M + 0x80, CAUSE_LOAD_PF)
    SD_FAULT(VA_MIS2M + 0x1f000, CAUSE_STORE_PF)
    LD_FAULT(VA_MIS1G + 0x88, CAUSE_LOAD_PF)
    li a1, VA_MIS1GB                    /* PPN[0] != 0 only */
    la t0, vm_code_page
    add a1, a1, t0
    li t0, DRAM_BASE
    sub a1, a1, t0
    FAULT_EPC(CAUSE_FETCH_PF, a1, a1, jalr ra, 0(a1))

    TEST_NUM(15)                        /* W = 0: store and AMO page fault 15; load fine */
    LD_OK(VA(13) + 0x90, PAT(1, 0x90))
    SD_FAULT(VA(13) + 0x98, CAUSE_STORE_PF)
    li a1, VA(13) + 0xa0
    FAULT(CAUSE_STORE_PF, a1, amoadd.d a4, a1, (a1))
    li a1, VA(13) + 0xa8
    lr.d a4, (a1)                       /* LR is a load */
    VCHECK(a4, PAT(1, 0xa8))
    la t0, VM_PAGE(1)
    ld a4, 0xa0(t0)                     /* the AMO wrote nothing */
    VCHECK(a4, PAT(1, 0xa0))

    TEST_NUM(16)                        /* X only, MXR = 0: load page fault (store too) */
    LD_FAULT(VA(14) + 0xb0, CAUSE_LOAD_PF)
    SD_FAULT(VA(14) + 0xb8, CAUSE_STORE_PF)

    TEST_NUM(17)                        /* X only, MXR = 1: loads succeed, stores still fault */
    li t0, MXR_BIT
    csrs sstatus, t0
    LD_OK(VA(14) + 0xb0, PAT(1, 0xb0))
    SD_FAULT(VA(14) + 0xb8, CAUSE_STORE_PF)
    LD_OK(VA(13) + 0xc0, PAT(1, 0xc0))  /* R pages stay readable */

    TEST_NUM(18)                        /* MXR cleared, no sfence: the cached X-only entry faults at once */
    li t0, MXR_BIT
    csrc sstatus, t0
    LD_FAULT(VA(14) + 0xb0, CAUSE_LOAD_PF)
    csrs sstatus, t0                    /* and set again: readable at once */
    LD_OK(VA(14) + 0xc8, PAT(1, 0xc8))
    csrc sstatus, t0

    TEST_NUM(19)                        /* X = 0: fetch page fault (from RW and from R pages) */
    FETCH_FAULT(VA(15))
    FETCH_FAULT(VA(16) + 0x4)

    TEST_NUM(20)                        /* S, SUM = 0: U = 1 page load / store page faults */
    LD_FAULT(VA(17) + 0xd0, CAUSE_LOAD_PF)
    SD_FAULT(VA(17) + 0xd8, CAUSE_STORE_PF)

    TEST_NUM(21)                        /* S, SUM = 1: U = 1 page readable and writable */
    li t0, SUM_BIT
    csrs sstatus, t0
    LD_OK(VA(17) + 0xd0, PAT(2, 0xd0))
    SD_OK(VA(17) + 0xd8, 0x2121212121212121)

    TEST_NUM(22)                        /* SUM cleared, no sfence: the cached U = 1 entry faults at once */
    li t0, SUM_BIT
    csrc sstatus, t0
    LD_FAULT(VA(17) + 0xd0, CAUSE_LOAD_PF)
    SD_FAULT(VA(17) + 0xd8, CAUSE_STORE_PF)
    csrs sstatus, t0
    LD_OK(VA(17) + 0xd8, 0x2121212121212121)

    TEST_NUM(23)                        /* S never executes a U = 1 page, even with SUM = 1 */
    FETCH_FAULT(VA(18))
    li t0, SUM_BIT
    csrc sstatus, t0
    FETCH_FAULT(VA(18))

#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(24)                        /* Svade: A = 0 faults load, store and fetch; A stays 0 */
    LD_FAULT(VA(19) + 0xe0, CAUSE_LOAD_PF)
    SD_FAULT(VA(19) + 0xe8, CAUSE_STORE_PF)
    FETCH_FAULT(VA(20))
    PTE_CHECK(s3, PTE_A | PTE_D, PTE_D)

    TEST_NUM(25)                        /* Svade: D = 0 faults store and AMO, not load; D stays 0 */
    LD_OK(VA(21) + 0xf0, PAT(2, 0xf0))
    SD_FAULT(VA(21) + 0xf8, CAUSE_STORE_PF)
    li a1, VA(21) + 0x100
    FAULT(CAUSE_STORE_PF, a1, amoor.w a4, a1, (a1))
    PTE_CHECK(s4, PTE_A | PTE_D, PTE_A)
    la t0, VM_PAGE(2)
    ld a4, 0xf8(t0)
    VCHECK(a4, PAT(2, 0xf8))
#endif
    RUN_M

    /* U-mode, under the root whose identity map is U = 1 */
    VM_USE_ROOT(s1)
    VM_SATP(SATP_SV39, 2)

    TEST_NUM(26)                        /* U: U = 0 page faults load, store, fetch */
    RUN_U
    LD_FAULT(U_K + 0x8, CAUSE_LOAD_PF)
    SD_FAULT(U_K + 0x10, CAUSE_STORE_PF)
    FETCH_FAULT(U_KC)

    TEST_NUM(27)                        /* U: U = 1 pages load, store, fetch */
    LD_OK(U_U + 0x18, PAT(3, 0x18))
    SD_OK(U_U + 0x20, 0x2727272727272727)
    FETCH_OK(U_UC)

#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(28)                        /* U: A = 0 faults (Svade) */
    LD_FAULT(U_UA + 0x28, CAUSE_LOAD_PF)
#endif
    RUN_M

    TEST_NUM(29)                        /* U: SUM does not open U = 0 pages to U */
    li t0, SUM_BIT
    csrs mstatus, t0
    RUN_U
    LD_FAULT(U_K + 0x30, CAUSE_LOAD_PF)
    RUN_M
    li t0, SUM_BIT
    csrc mstatus, t0

    TEST_NUM(30)                        /* U: X-only U page, readable with MXR = 1 only */
    RUN_U
    LD_FAULT(U_UX + 0x38, CAUSE_LOAD_PF)
    RUN_M
    li t0, MXR_BIT
    csrs mstatus, t0
    RUN_U
    LD_OK(U_UX + 0x38, PAT(4, 0x38))
    SD_FAULT(U_UX + 0x40, CAUSE_STORE_PF)
    RUN_M
    li t0, MXR_BIT
    csrc mstatus, t0

TEST_END

VM_SUPPORT
