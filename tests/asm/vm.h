/*
 * Page tables built at run time, and helpers for the MMU tests (vm_*.S).
 *
 * A program looks like:
 *
 *     #include "vm.h"
 *     TEST_BEGIN
 *         VM_SETUP
 *         VM_INIT(SV39_LEVELS, FL_ALL | PTE_G)   // root + 1 GiB identity map of DRAM
 *         VM_MAP_L(0x40000000, VM_PAGE(0), LVL_4K, FL_DATA)  // VM_MAP: pa a number
 *         VM_SATP(SATP_SV39, 0)
 *         TEST_NUM(1)
 *         RUN_S
 *         LD_OK(0x40000000, PAT(0, 0))
 *         RUN_M
 *     TEST_END
 *     VM_SUPPORT
 *
 * The identity map is one 1 GiB leaf VA 0x8000_0000 -> PA 0x8000_0000 covering the
 * whole program, so the code, the handlers of privilege.h, trap_ctl, tohost and the
 * page tables themselves work unchanged in S-mode (U = 0) or in U-mode (a second root
 * whose identity map has U = 1). Test mappings live at other virtual addresses.
 *
 * Page-table functions (called with jal ra; usable in M, and in S through the
 * identity map). They clobber t0-t3, a0-a3 and ra, use the stack, and fence every
 * change they make (sfence.vma x0, x0):
 *   vm_init      a0 = levels (3 Sv39, 4 Sv48), a1 = identity-map flags (0: none).
 *                Empties the pool, then as vm_new_root.
 *   vm_new_root  a1 = identity-map flags: a new, current root; a0 = its address.
 *   vm_use_root  a0 = a root: the one vm_map / vm_pte / vm_satp_val work on.
 *   vm_map       a0 = va, a1 = pa, a2 = level (0 4K, 1 2M, 2 1G, 3 512G), a3 = the
 *                PTE's flag bits (any of bits 0-9 and 54-63); allocates the missing
 *                tables (non-leaf PTEs: V only) and writes the leaf; a0 = its address.
 *                A leaf in the way, or a PTE already there, is a failure.
 *   vm_pte       a0 = va, a1 = level: a0 = the address of the PTE of that level
 *                (the tables above it must exist).
 *   vm_satp_val  a0 = mode, a1 = asid: a0 = the satp value for the current root.
 *
 * Traps: every trap goes to the recording M handler of privilege.h (nothing is
 * delegated unless a case says so). Between cases t6 = vm_fail and a7 = GO_M
 * (TRAPS_FAIL), so an unexpected trap, from any mode, ends the test in M with the
 * current case number. The FAULT macros arm the handler for one expected trap and
 * re-arm TRAPS_FAIL afterwards. Do not use t4-t6, a7 in test code; CHECK_EQ
 * clobbers t6, so use VCHECK here. Registers s0-s11 are the tests' own.
 *
 * Data: VM_DATA_PAGES 4 KiB pages at vm_pages (VM_PAGE(i)) whose doubleword at
 * offset off is PAT(i, off); vm_code_page, a page of code that sets a4 = CODE_MAGIC
 * and returns; the physical range [VM_FREE_PA, +4 MiB) for 2 MiB pages.
 *
 * QEMU 7.2 cross-checks (qemu-system-riscv64 -machine spike -bios none -kernel X.elf)
 * need -D flags for its differences, listed at the top of each program.
 */
#ifndef COSIM_VM_H
#define COSIM_VM_H

#include "test_macros.h"
#include "privilege.h"

/* PTE bits */
#define PTE_V 0x001
#define PTE_R 0x002
#define PTE_W 0x004
#define PTE_X 0x008
#define PTE_U 0x010
#define PTE_G 0x020
#define PTE_A 0x040
#define PTE_D 0x080
#define PTE_RSW 0x300
#define PTE_BIT(n) (1 << (n))           /* 54..60 reserved, 61..62 PBMT, 63 N */
#define PTE_PBMT_NC (1 << 61)
#define PTE_PBMT_IO (2 << 61)
#define PTE_N (1 << 63)

/* flag sets */
#define FL_DATA (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define FL_RO (PTE_V | PTE_R | PTE_A | PTE_D)
#define FL_XO (PTE_V | PTE_X | PTE_A | PTE_D)
#define FL_CODE (PTE_V | PTE_R | PTE_X | PTE_A | PTE_D)
#define FL_ALL (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

/* levels and geometry */
#define LVL_4K 0
#define LVL_2M 1
#define LVL_1G 2
#define LVL_512G 3
#define SV39_LEVELS 3
#define SV48_LEVELS 4
#define PGSIZE 0x1000
#define DRAM_BASE 0x80000000
/* Physical DRAM the tests may use for superpage data: [VM_FREE_PA, +4 MiB), two
 * 2 MiB-aligned pages; vm_init checks that the program ends below it. */
#define VM_FREE_PA 0x80200000

/* satp */
#define SATP_BARE 0
#define SATP_SV39 8
#define SATP_SV48 9
#define SATP_SV57 10
#define SATP_SV64 11
#define SATP_ASID_SHIFT 44
#define SATP_MODE_SHIFT 60

/* mstatus / menvcfg */
#define SUM_BIT (1 << 18)
#define MXR_BIT (1 << 19)
#define ADUE_BIT (1 << 61)

/* causes */
#define CAUSE_FETCH_PF 12
#define CAUSE_LOAD_PF 13
#define CAUSE_STORE_PF 15

/* hpm event numbers of the RTL (rtl/pkg/cosim_pkg.sv) */
#define HPM_EV_WALKS 15

/* The data pages (VM_DATA_PAGES): doubleword at byte offset off of page i. */
#define PAT(i, off) (0x5a00000000000000 | ((i) << 40) | (off))
#define VM_PAGE(i) (vm_pages + (i) * PGSIZE)
/* What vm_code_page's function leaves in a4. */
#define CODE_MAGIC 0x5c3

/* ------------------------------------------------------------------------ */
/* Set-up, modes, traps                                                      */
/* ------------------------------------------------------------------------ */

/* Unexpected traps go to fail, in M (vm_fail clears MPRV first). */
#define TRAPS_FAIL la t6, vm_fail; li a7, GO_M

/* Handlers installed, nothing delegated, counters running, traps fail. */
#define VM_SETUP \
    la t4, m_handler; csrw mtvec, t4; la t4, s_handler; csrw stvec, t4; \
    csrw medeleg, zero; csrw mideleg, zero; csrw mcountinhibit, zero; \
    csrw menvcfg, zero; TRAPS_FAIL

/* Run the code that follows in S / U (from M), or back in M (from S / U). */
#define RUN_S ENTER(MPP_S, 77f); 77:
#define RUN_U ENTER(MPP_U, 77f); 77:
#define RUN_M TO_M(77f); 77: TRAPS_FAIL

/* Fails unless reg == expected (clobbers t5). */
#define VCHECK(reg, expected) li t5, expected; bne reg, t5, fail
#define CHECK_REC_REG(rec, off, reg) la t4, rec; ld t4, off(t4); bne t4, reg, fail

/* `insn` must trap to M once, with this cause, mepc = insn, mtval = tvalreg. */
#define FAULT(cause, tvalreg, insn...) \
    CLEAR_RECS; RESUME_AT(72f); \
71: insn; j fail; \
72: CHECK_REC(m_rec, R_COUNT, 1); CHECK_REC(m_rec, R_CAUSE, cause); \
    CHECK_REC_ADDR(m_rec, R_EPC, 71b); CHECK_REC_REG(m_rec, R_TVAL, tvalreg); \
    TRAPS_FAIL
/* The same with mepc = epcreg (a fetch fault is reported at the fetched address). */
#define FAULT_EPC(cause, epcreg, tvalreg, insn...) \
    CLEAR_RECS; RESUME_AT(72f); \
    insn; j fail; \
72: CHECK_REC(m_rec, R_COUNT, 1); CHECK_REC(m_rec, R_CAUSE, cause); \
    CHECK_REC_REG(m_rec, R_EPC, epcreg); CHECK_REC_REG(m_rec, R_TVAL, tvalreg); \
    TRAPS_FAIL
/* The same to the S handler (delegated), nothing to M. */
#define FAULT_S(cause, tvalreg, insn...) \
    CLEAR_RECS; RESUME_AT(72f); \
71: insn; j fail; \
72: CHECK_REC(m_rec, R_COUNT, 0); CHECK_REC(s_rec, R_COUNT, 1); \
    CHECK_REC(s_rec, R_CAUSE, cause); CHECK_REC_ADDR(s_rec, R_EPC, 71b); \
    CHECK_REC_REG(s_rec, R_TVAL, tvalreg); TRAPS_FAIL

/* From M: MPRV = 1 with MPP = mpp around `insn`, which must trap to M once
 * (mepc = insn, mtval = tvalreg); MPRV is cleared before anything else. */
#define MPRV_ON(mpp) li t4, MPP_M; csrc mstatus, t4; li t4, (mpp) | MPRV_BIT; csrs mstatus, t4
#define MPRV_OFF li t4, MPRV_BIT; csrc mstatus, t4
#define MPRV_FAULT(mpp, cause, tvalreg, insn...) \
    CLEAR_RECS; MPRV_ON(mpp); RESUME_AT(72f); \
71: insn; j vm_fail; \
72: MPRV_OFF; CHECK_REC(m_rec, R_COUNT, 1); CHECK_REC(m_rec, R_CAUSE, cause); \
    CHECK_REC_ADDR(m_rec, R_EPC, 71b); CHECK_REC_REG(m_rec, R_TVAL, tvalreg); \
    TRAPS_FAIL

/* Accesses at virtual address va (a1 = va; a4 = the value loaded). */
#define LD_OK(va, expected) li a1, va; ld a4, 0(a1); VCHECK(a4, expected)
#define SD_OK(va, value) \
    li a1, va; li a2, value; sd a2, 0(a1); ld a4, 0(a1); VCHECK(a4, value)
#define LD_FAULT(va, cause) li a1, va; FAULT(cause, a1, ld a4, 0(a1))
#define SD_FAULT(va, cause) li a1, va; FAULT(cause, a1, sd a1, 0(a1))
/* Calls the code page through its alias at vm_code_page + offset; checks it ran. */
#define RUN_CODE_PAGE_AT(offset) \
    la a1, vm_code_page; li t0, offset; add a1, a1, t0; li a4, 0; \
    jalr ra, 0(a1); VCHECK(a4, CODE_MAGIC)

/* Call the function at va (vm_code_page's): it must run, or fault at va. */
#define FETCH_OK(va) li a1, va; li a4, 0; jalr ra, 0(a1); VCHECK(a4, CODE_MAGIC)
#define FETCH_FAULT(va) \
    li a1, va; FAULT_EPC(CAUSE_FETCH_PF, a1, a1, jalr ra, 0(a1))

/* ------------------------------------------------------------------------ */
/* Page tables                                                               */
/* ------------------------------------------------------------------------ */

#define VM_INIT(levels, idflags) li a0, levels; li a1, idflags; jal ra, vm_init
#define VM_NEW_ROOT(idflags) li a1, idflags; jal ra, vm_new_root
#define VM_USE_ROOT(reg) mv a0, reg; jal ra, vm_use_root
/* a0 = the address of the leaf PTE written */
#define VM_MAP(va, pa, level, flags) \
    li a0, va; li a1, pa; li a2, level; li a3, flags; jal ra, vm_map
#define VM_MAP_L(va, label, level, flags) \
    li a0, va; la a1, label; li a2, level; li a3, flags; jal ra, vm_map
#define VM_PTE(va, level) li a0, va; li a1, level; jal ra, vm_pte
/* satp = mode / asid / current root, then sfence.vma x0, x0 */
#define VM_SATP(mode, asid) li a0, mode; li a1, asid; jal ra, vm_satp_val; csrw satp, a0; sfence.vma
/* reg = the satp value, not written */
#define VM_SATP_VAL(reg, mode, asid) li a0, mode; li a1, asid; jal ra, vm_satp_val; mv reg, a0

/* A PTE at the address in ptereg: set / clear flag bits, or rewrite it whole.
 * No fence: the caller chooses (clobbers t0, t1). */
#define PTE_SET(ptereg, bits) ld t0, 0(ptereg); li t1, bits; or t0, t0, t1; sd t0, 0(ptereg)
#define PTE_CLR(ptereg, bits) ld t0, 0(ptereg); li t1, bits; not t1, t1; and t0, t0, t1; sd t0, 0(ptereg)
#define PTE_WRITE(ptereg, pa, flags) \
    li t0, pa; srli t0, t0, 12; slli t0, t0, 10; li t1, flags; or t0, t0, t1; sd t0, 0(ptereg)
#define PTE_WRITE_L(ptereg, label, flags) \
    la t0, label; srli t0, t0, 12; slli t0, t0, 10; li t1, flags; or t0, t0, t1; sd t0, 0(ptereg)
/* Fails unless (PTE at ptereg) & mask == expected (clobbers t0, t5). */
#define PTE_CHECK(ptereg, mask, expected) \
    ld t0, 0(ptereg); li t5, mask; and t0, t0, t5; VCHECK(t0, expected)

#ifndef VM_POOL_PAGES
#define VM_POOL_PAGES 40
#endif
#ifndef VM_DATA_PAGES
#define VM_DATA_PAGES 8
#endif

/* state */
#define VS_ROOT 0
#define VS_LEVELS 8
#define VS_NEXT 16

.macro vm_support
    privilege_handlers

    .text
    .balign 4
vm_init:
    la t0, vm_state
    sd a0, VS_LEVELS(t0)
    la t1, vm_pool
    sd t1, VS_NEXT(t0)
    la t1, _end                     /* the fixed superpage area lies beyond the program */
    li t2, VM_FREE_PA
    bgeu t1, t2, fail
    /* fall through */
vm_new_root:
    addi sp, sp, -16
    sd ra, 0(sp)
    sd a1, 8(sp)
    jal t3, vm_alloc
    la t1, vm_state
    sd t0, VS_ROOT(t1)
    ld a3, 8(sp)
    beqz a3, 1f
    li a0, DRAM_BASE
    li a1, DRAM_BASE
    li a2, LVL_1G
    jal ra, vm_map
1:  la t1, vm_state
    ld a0, VS_ROOT(t1)
    ld ra, 0(sp)
    addi sp, sp, 16
    ret

    /* Where unexpected traps end (in M): MPRV off, so that fail can store. */
vm_fail:
    li t0, MPRV_BIT
    csrc mstatus, t0
    j fail

vm_use_root:
    la t0, vm_state
    sd a0, VS_ROOT(t0)
    ret

    /* t0 = a zeroed page from the pool; clobbers t1, t2; returns through t3 */
vm_alloc:
    la t1, vm_state
    ld t0, VS_NEXT(t1)
    li t2, PGSIZE
    add t2, t0, t2
    sd t2, VS_NEXT(t1)
    la t1, vm_pool_end
    bgtu t2, t1, fail               /* pool exhausted */
    mv t1, t0
1:  sd zero, 0(t1)
    addi t1, t1, 8
    bltu t1, t2, 1b
    jr t3

    /* t2 = the address of the PTE of level t1 for va a0 in table t0 */
#define VM_PTE_ADDR \
    slli t2, t1, 3; add t2, t2, t1; addi t2, t2, 12; \
    srl t2, a0, t2; andi t2, t2, 0x1ff; slli t2, t2, 3; add t2, t0, t2
    /* t0 = the table a non-leaf PTE t3 points to (bits 53..10 only) */
#define VM_NEXT_TABLE slli t0, t3, 10; srli t0, t0, 20; slli t0, t0, 12

vm_map:
    addi sp, sp, -32
    sd ra, 0(sp)
    sd a1, 8(sp)
    la t0, vm_state
    ld t1, VS_LEVELS(t0)
    bgeu a2, t1, fail               /* no such level in this mode */
    ld t0, VS_ROOT(t0)
    addi t1, t1, -1
1:  VM_PTE_ADDR
    beq t1, a2, 3f
    ld t3, 0(t2)
    andi a1, t3, PTE_V
    bnez a1, 2f
    mv a1, t2                       /* no table yet: allocate one */
    sd t1, 16(sp)
    jal t3, vm_alloc
    ld t1, 16(sp)
    srli t3, t0, 12
    slli t3, t3, 10
    ori t3, t3, PTE_V
    sd t3, 0(a1)
2:  andi a1, t3, PTE_R | PTE_W | PTE_X
    bnez a1, fail                   /* a leaf in the way */
    VM_NEXT_TABLE
    addi t1, t1, -1
    j 1b
3:  ld t3, 0(t2)
    bnez t3, fail                   /* never overwrite: remaps are the tests' own */
    ld t3, 8(sp)
    srli t3, t3, 12
    slli t3, t3, 10
    or t3, t3, a3
    sd t3, 0(t2)
    sfence.vma
    mv a0, t2
    ld ra, 0(sp)
    addi sp, sp, 32
    ret

vm_pte:
    la t0, vm_state
    ld t1, VS_LEVELS(t0)
    bgeu a1, t1, fail
    ld t0, VS_ROOT(t0)
    addi t1, t1, -1
1:  VM_PTE_ADDR
    beq t1, a1, 2f
    ld t3, 0(t2)
    andi a2, t3, PTE_V
    beqz a2, fail                   /* no table there */
    andi a2, t3, PTE_R | PTE_W | PTE_X
    bnez a2, fail                   /* a leaf above the level asked for */
    VM_NEXT_TABLE
    addi t1, t1, -1
    j 1b
2:  mv a0, t2
    ret

vm_satp_val:
    slli a0, a0, SATP_MODE_SHIFT
    slli a1, a1, SATP_ASID_SHIFT
    or a0, a0, a1
    la t0, vm_state
    ld t0, VS_ROOT(t0)
    srli t0, t0, 12
    or a0, a0, t0
    ret

    /* A page of code for fetch tests: a4 = CODE_MAGIC, return. */
    .balign PGSIZE
vm_code_page:
    .option push
    .option norvc
    li a4, CODE_MAGIC
    ret
    .option pop
    .balign PGSIZE

    .data
    .balign 8
vm_state:
    .dword 0, 0, 0

    /* Data pages: doubleword at offset off of page i = PAT(i, off). */
    .pushsection .data.vm_pages, "aw", @progbits
    .balign PGSIZE
vm_pages:
    .set vm_pi, 0
    .rept VM_DATA_PAGES
    .set vm_po, 0
    .rept PGSIZE / 8
    .dword PAT(vm_pi, vm_po)
    .set vm_po, vm_po + 8
    .endr
    .set vm_pi, vm_pi + 1
    .endr
    .popsection

    .pushsection .bss.vm_pool, "aw", @nobits
    .balign PGSIZE
vm_pool:
    .skip VM_POOL_PAGES * PGSIZE
vm_pool_end:
    .popsection
.endm
#define VM_SUPPORT vm_support

#endif
