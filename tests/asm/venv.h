/*
 * A "virtual memory" test environment in the manner of riscv-tests' v environment:
 * an M-mode boot, a small S-mode kernel with demand paging, and the test itself
 * running in U-mode under Sv39 at user virtual addresses that start out unmapped.
 *
 * A program looks like:
 *
 *     #include "venv.h"
 *     VENV_CODE_BEGIN
 *         TEST_RR(1, add, 3, 1, 2)        // the macros of test_macros.h
 *         ...
 *     VENV_CODE_END                       // j pass; the user's pass / fail
 *     VENV_DATA_BEGIN
 *     tdat: .dword 1, 2, 3                // the test's data
 *     VENV_DATA_END                       // the user stack; end of the user image
 *
 * Including this header emits the boot and the kernel (.text.init, .text,
 * .bss.venv, tohost / fromhost). The test's code (between VENV_CODE_BEGIN / END)
 * and data (VENV_DATA_BEGIN / END) are the user image: two page-aligned ranges of
 * the ELF that nothing maps at first. Everything else is the kernel's.
 *
 * Addresses: the kernel runs at VA = PA through one 1 GiB leaf at 0x8000_0000
 * (U = 0, G = 1, RWX, A = D = 1), which covers the whole ELF and tohost. A user
 * page at UVA u is the page of the image at PA u + VENV_UOFF (as in riscv-tests'
 * v environment, UVA = PA - DRAM base), so user code must address its code and
 * data PC-relatively only: la / lla (auipc), branches, jal, call; no absolute
 * addresses (no .dword label). The user VAs lie below 2 MiB: the root's entry 0
 * points to one level-1 table whose entry 0 points to the one level-0 table that
 * holds every user leaf (ASID VENV_ASID, G = 0).
 *
 * Boot (M): PMP entry 0 grants S / U everything; no interrupts; medeleg sends
 * misaligned fetch / load / store, illegal instruction, breakpoint, U ecall and
 * the three page faults to S; menvcfg = 0 (no ADUE: Svade A / D faults); builds
 * the tables; satp = Sv39 | ASID | root; mret to the kernel in S.
 *
 * Kernel (S, SUM = 0, stvec = venv_strap): enters the user program in U at its
 * first instruction with all registers zero but sp (the top of the user stack,
 * VENV_USTACK bytes at the end of the user data). On a page fault at user VA v
 * (stval; for an access that spans two pages that is the address of the part
 * that faulted, as the priv. spec has it):
 *   - v's page must be in the user text (mapped R X) or the user data (R W),
 *     and the access must fit those rights; otherwise the test fails;
 *   - not mapped: take the next frame of a pool of VENV_NFRAMES in FIFO order;
 *     if it holds a page, evict that one (PTE = 0, sfence.vma va, asid; if its
 *     PTE has D = 1 copy the frame back to the page's place in the image); copy
 *     v's page from the image into the frame; PTE = frame | V U A | rights, always
 *     with D = 0; sfence.vma v, asid; fence.i; return to retry the access;
 *   - mapped, a store / AMO fault and the PTE writable with D = 0 (Svade): set
 *     D, sfence.vma v, asid, retry. A store to a page not yet mapped therefore
 *     faults twice; with hardware A / D updates (Svadu, QEMU) only once;
 *   - mapped otherwise: a spurious fault, the test fails.
 * The image is the backing store: a dirty page is written back on eviction and
 * read again from there when it faults back in.
 *
 * System calls (ecall from U, a7 = number; x10.. as arguments; sepc += 4):
 *   VENV_SYS_EXIT       a0 = 0: pass, else the failing case (1..255). A pass is
 *                       turned into exit code VENV_EXIT_NO_PAGING unless more page
 *                       faults than frames were taken and some page was evicted.
 *   VENV_SYS_STAT       a0 = a VENV_ST_* index: a0 = that counter.
 *   VENV_SYS_EVICT_ALL  evicts every page (write-back of the dirty ones).
 *
 * Exit (HTIF, the kernel writes tohost through its identity map): tohost = 1 is
 * a pass, (n << 1) | 1 a failure with code n: the number of the failing case, or
 * for a fault the kernel does not accept, an unexpected trap (to S or M) or a bad
 * system call, the case that was running (gp, never touched by the kernel; 255 if
 * none). venv_kstate then holds the reason (VENV_ERR_*), cause, epc and tval; the
 * counters are at venv_stats. Keep test numbers below VENV_EXIT_NO_PAGING.
 *
 * Register conventions of the user program are those of test_macros.h (gp = the
 * case, t5 / t6 scratch of the macros); the test_macros.h start code, M trap
 * handler and EXPECT_TRAP machinery are not used here: every trap the kernel does
 * not handle as above fails the test.
 *
 * Deterministic: no timers, no interrupts, one hart.
 *
 * QEMU 7.2 (qemu-system-riscv64 -machine spike -bios none -kernel X.elf) sets A / D
 * itself, so no D-setting faults happen there: test programs leave out their
 * check of VENV_ST_DSETS with -DQEMU_SVADU_QUIRK.
 */
#ifndef COSIM_VENV_H
#define COSIM_VENV_H

#include "test_macros.h"

/* Frames in the pool (at least 4: an instruction may need 2 fetch + 2 data pages). */
#ifndef VENV_NFRAMES
#define VENV_NFRAMES 8
#endif
/* Bytes of user stack at the end of the user data (a multiple of the page size). */
#ifndef VENV_USTACK
#define VENV_USTACK 4096
#endif
#define VENV_ASID 1

#define VENV_PGSIZE 4096
#define VENV_DRAM_BASE 0x80000000
#define VENV_UOFF VENV_DRAM_BASE        /* PA of a user page = UVA + VENV_UOFF */
#define VENV_USPAN 0x200000             /* user VAs: [0, 2 MiB), one level-0 table */

/* system calls (a7) */
#define VENV_SYS_EXIT 93
#define VENV_SYS_STAT 500
#define VENV_SYS_EVICT_ALL 501

/* counters (VENV_SYS_STAT, venv_stats) */
#define VENV_ST_FAULTS 0                /* page faults taken (causes 12, 13, 15) */
#define VENV_ST_FETCH 1                 /* of which instruction page faults */
#define VENV_ST_LOAD 2                  /* load page faults */
#define VENV_ST_STORE 3                 /* store / AMO page faults */
#define VENV_ST_FILLS 4                 /* pages copied into a frame and mapped */
#define VENV_ST_EVICTS 5                /* pages unmapped to free their frame */
#define VENV_ST_WBACKS 6                /* evicted dirty pages written back */
#define VENV_ST_DSETS 7                 /* store faults that set D (Svade) */
#define VENV_ST_ECALLS 8                /* system calls */
#define VENV_NSTATS 9

/* exit code of a pass without demand paging */
#define VENV_EXIT_NO_PAGING 254

/* why the kernel ended a run (venv_kstate + VENV_KS_REASON) */
#define VENV_ERR_CAUSE 1                /* a trap from U that is no ecall / page fault */
#define VENV_ERR_RANGE 2                /* page fault outside the user image */
#define VENV_ERR_RIGHTS 3               /* fetch from data, store to code */
#define VENV_ERR_SPURIOUS 4             /* page fault on a page mapped for it */
#define VENV_ERR_SYSCALL 5              /* unknown system call or counter */
#define VENV_ERR_BOOKKEEPING 6          /* a frame's page does not map it */
#define VENV_ERR_KTRAP 7                /* a trap in the kernel (S) */
#define VENV_ERR_MTRAP 8                /* a trap to M */
#define VENV_ERR_LAYOUT 9               /* user image not where the tables reach */
#define VENV_ERR_NO_PAGING 10           /* a pass without demand paging */

/* venv_kstate layout */
#define VENV_KS_HAND 0                  /* next frame to use (FIFO) */
#define VENV_KS_ASID 8                  /* the ASID satp kept */
#define VENV_KS_REASON 16
#define VENV_KS_CAUSE 24
#define VENV_KS_EPC 32
#define VENV_KS_TVAL 40
#define VENV_KS_SIZE 48

/* PTE bits */
#define VENV_PTE_V 0x01
#define VENV_PTE_R 0x02
#define VENV_PTE_W 0x04
#define VENV_PTE_X 0x08
#define VENV_PTE_U 0x10
#define VENV_PTE_G 0x20
#define VENV_PTE_A 0x40
#define VENV_PTE_D 0x80

/* causes */
#define VENV_CAUSE_FETCH_MISALIGNED 0
#define VENV_CAUSE_ILLEGAL 2
#define VENV_CAUSE_BREAKPOINT 3
#define VENV_CAUSE_LOAD_MISALIGNED 4
#define VENV_CAUSE_STORE_MISALIGNED 6
#define VENV_CAUSE_USER_ECALL 8
#define VENV_CAUSE_FETCH_PF 12
#define VENV_CAUSE_LOAD_PF 13
#define VENV_CAUSE_STORE_PF 15
#define VENV_MEDELEG ((1 << VENV_CAUSE_FETCH_MISALIGNED) | (1 << VENV_CAUSE_ILLEGAL) | \
    (1 << VENV_CAUSE_BREAKPOINT) | (1 << VENV_CAUSE_LOAD_MISALIGNED) | \
    (1 << VENV_CAUSE_STORE_MISALIGNED) | (1 << VENV_CAUSE_USER_ECALL) | \
    (1 << VENV_CAUSE_FETCH_PF) | (1 << VENV_CAUSE_LOAD_PF) | (1 << VENV_CAUSE_STORE_PF))

/* mstatus / sstatus */
#define VENV_SIE (1 << 1)
#define VENV_MIE (1 << 3)
#define VENV_SPIE (1 << 5)
#define VENV_MPIE (1 << 7)
#define VENV_SPP (1 << 8)
#define VENV_MPP_MASK (3 << 11)
#define VENV_MPP_S (1 << 11)
#define VENV_MPRV (1 << 17)
#define VENV_SUM (1 << 18)
#define VENV_MXR (1 << 19)

#define VENV_SATP_SV39 (8 << 60)
#define VENV_ASID_SHIFT 44

/* trap frame: x[n] at n * 8 */
#define VENV_X(n) ((n) * 8)

/* ------------------------------------------------------------------------ */
/* Kernel helpers (t5 / t6 are scratch here: the user's are saved)          */
/* ------------------------------------------------------------------------ */

#define VENV_STAT_INC(i) \
    la t5, venv_stats; ld t6, (i) * 8(t5); addi t6, t6, 1; sd t6, (i) * 8(t5)
/* rd = the address of the level-0 PTE of user VA va (below VENV_USPAN) */
#define VENV_PTE_ADDR(rd, va) \
    srli rd, va, 12; andi rd, rd, 0x1ff; slli rd, rd, 3; la t5, venv_l0; add rd, rd, t5
/* sfence.vma for user VA va in the user ASID (clobbers t5) */
#define VENV_SFENCE(va) la t5, venv_kstate; ld t5, VENV_KS_ASID(t5); sfence.vma va, t5

/* ------------------------------------------------------------------------ */
/* M-mode boot                                                               */
/* ------------------------------------------------------------------------ */

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    li x\n, 0
    .endr
    la t0, venv_mtrap
    csrw mtvec, t0
    /* PMP entry 0: NAPOT over all of memory, R W X, for S and U. */
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    /* No interrupts; the user's exceptions go to the kernel; Svade. */
    csrw mie, zero
    csrw mideleg, zero
    li t0, VENV_MEDELEG
    csrw medeleg, t0
    csrw menvcfg, zero
    /* The kernel's memory (tables, frames, counters, trap frame) starts zeroed. */
    la t0, venv_kbss_start
    la t1, venv_kbss_end
1:  sd zero, 0(t0)
    addi t0, t0, 8
    bltu t0, t1, 1b
    /* The user image must lie where the one level-0 table reaches. */
    la t0, venv_utext_start
    la t1, venv_utext_end
    bgeu t0, t1, venv_bad_layout
    la t0, venv_udata_start
    la t2, venv_udata_end
    bgeu t0, t2, venv_bad_layout
    li t0, VENV_UOFF + VENV_USPAN
    bgtu t1, t0, venv_bad_layout
    bgtu t2, t0, venv_bad_layout
    /* Sv39 tables: root[0] -> l1, l1[0] -> l0 (the user leaves, all V = 0 now);
       root[2]: the kernel, a 1 GiB global leaf VA 0x8000_0000 -> PA 0x8000_0000. */
    la t0, venv_root
    la t1, venv_l1
    srli t1, t1, 12
    slli t1, t1, 10
    ori t1, t1, VENV_PTE_V
    sd t1, 0(t0)
    li t1, ((VENV_DRAM_BASE >> 12) << 10) | VENV_PTE_V | VENV_PTE_R | VENV_PTE_W | \
        VENV_PTE_X | VENV_PTE_G | VENV_PTE_A | VENV_PTE_D
    sd t1, (VENV_DRAM_BASE >> 30) * 8(t0)
    la t0, venv_l1
    la t1, venv_l0
    srli t1, t1, 12
    slli t1, t1, 10
    ori t1, t1, VENV_PTE_V
    sd t1, 0(t0)
    /* satp: Sv39, the user ASID, the root. */
    la t0, venv_root
    srli t0, t0, 12
    li t1, VENV_SATP_SV39 | (VENV_ASID << VENV_ASID_SHIFT)
    or t0, t0, t1
    csrw satp, t0
    sfence.vma zero, zero
    csrr t0, satp
    srli t1, t0, 60
    li t2, 8
    bne t1, t2, venv_bad_layout         /* no Sv39 */
    srli t0, t0, VENV_ASID_SHIFT
    li t1, 0xffff
    and t0, t0, t1                      /* the ASID bits the hart has (maybe 0) */
    la t1, venv_kstate
    sd t0, VENV_KS_ASID(t1)
    /* Into the kernel, in S, interrupts off, SUM = MXR = MPRV = 0. */
    la t0, venv_strap
    csrw stvec, t0
    csrw sscratch, zero
    li t0, VENV_MPP_MASK | VENV_MPRV | VENV_SUM | VENV_MXR | VENV_MPIE | VENV_SPP | \
        VENV_SPIE | VENV_MIE | VENV_SIE
    csrc mstatus, t0
    li t0, VENV_MPP_S
    csrs mstatus, t0
    la t0, venv_kmain
    csrw mepc, t0
    mret

    .text
venv_bad_layout:
    la t0, venv_kstate
    li t1, VENV_ERR_LAYOUT
    sd t1, VENV_KS_REASON(t0)
    j venv_exit_gp

    /* Any trap to M ends the run (nothing the kernel does should get here). */
    .balign 4
venv_mtrap:
    la t0, venv_kstate
    li t1, VENV_ERR_MTRAP
    sd t1, VENV_KS_REASON(t0)
    csrr t1, mcause
    sd t1, VENV_KS_CAUSE(t0)
    csrr t1, mepc
    sd t1, VENV_KS_EPC(t0)
    csrr t1, mtval
    sd t1, VENV_KS_TVAL(t0)
    j venv_exit_gp

/* ------------------------------------------------------------------------ */
/* S-mode kernel                                                             */
/* ------------------------------------------------------------------------ */

    /* First entry: the user program, in U, at its first instruction. */
venv_kmain:
    la sp, venv_tf
    li t1, VENV_UOFF
    la t0, venv_ustack_top
    sub t0, t0, t1
    sd t0, VENV_X(2)(sp)                /* user sp */
    la s2, venv_user_entry
    sub s2, s2, t1                      /* user pc */
    li t0, VENV_SPP | VENV_SPIE | VENV_SIE | VENV_SUM | VENV_MXR
    csrc sstatus, t0
    j venv_return

    /* Trap entry. In U, sscratch = the trap frame; in the kernel, 0. The kernel
       keeps sp = the trap frame and never writes gp (the user's test number);
       s0 = scause, s1 = stval, s2 = the pc to return to. */
    .balign 4
venv_strap:
    csrrw sp, sscratch, sp
    beqz sp, venv_ktrap
    sd x1, VENV_X(1)(sp)
    .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\n, VENV_X(\n)(sp)
    .endr
    csrr t0, sscratch
    sd t0, VENV_X(2)(sp)
    csrw sscratch, zero
    csrr s0, scause
    csrr s1, stval
    csrr s2, sepc
    li t0, VENV_CAUSE_USER_ECALL
    beq s0, t0, venv_syscall
    li t0, VENV_CAUSE_FETCH_PF
    beq s0, t0, venv_pgfault
    li t0, VENV_CAUSE_LOAD_PF
    beq s0, t0, venv_pgfault
    li t0, VENV_CAUSE_STORE_PF
    beq s0, t0, venv_pgfault
    li a0, VENV_ERR_CAUSE               /* interrupts included */
    j venv_die

    /* Back to U at s2 with the saved registers. */
venv_return:
    csrw sepc, s2
    csrw sscratch, sp
    ld x1, VENV_X(1)(sp)
    .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\n, VENV_X(\n)(sp)
    .endr
    ld sp, VENV_X(2)(sp)
    sret

venv_ktrap:
    li a0, VENV_ERR_KTRAP
    /* fall through */

    /* Ends the run: a0 = reason; exit code = the running case. */
venv_die:
    la t0, venv_kstate
    sd a0, VENV_KS_REASON(t0)
    csrr t1, scause
    sd t1, VENV_KS_CAUSE(t0)
    csrr t1, sepc
    sd t1, VENV_KS_EPC(t0)
    csrr t1, stval
    sd t1, VENV_KS_TVAL(t0)
venv_exit_gp:
    mv t0, gp
    li t1, 255
    bgtu t0, t1, 1f
    bnez t0, venv_halt
1:  li t0, 255
    /* fall through */

    /* tohost = (t0 << 1) | 1, through the identity map (or physically, in M). */
venv_halt:
    slli t0, t0, 1
    ori t0, t0, 1
    fence
    la t1, tohost
    sd t0, 0(t1)
1:  j 1b

    /* --- system calls -------------------------------------------------- */
venv_syscall:
    addi s2, s2, 4
    VENV_STAT_INC(VENV_ST_ECALLS)
    ld t0, VENV_X(17)(sp)
    li t1, VENV_SYS_EXIT
    beq t0, t1, venv_sys_exit
    li t1, VENV_SYS_STAT
    beq t0, t1, venv_sys_stat
    li t1, VENV_SYS_EVICT_ALL
    beq t0, t1, venv_sys_evict_all
venv_bad_syscall:
    li a0, VENV_ERR_SYSCALL
    j venv_die

venv_sys_exit:
    ld t0, VENV_X(10)(sp)
    bnez t0, 2f
    /* A pass counts only if demand paging really happened. */
    la t1, venv_stats
    ld t2, VENV_ST_FAULTS * 8(t1)
    li t3, VENV_NFRAMES
    bleu t2, t3, 1f
    ld t2, VENV_ST_EVICTS * 8(t1)
    beqz t2, 1f
    j venv_halt
1:  la t1, venv_kstate
    li t2, VENV_ERR_NO_PAGING
    sd t2, VENV_KS_REASON(t1)
    li t0, VENV_EXIT_NO_PAGING
    j venv_halt
2:  li t1, 255
    bleu t0, t1, venv_halt
    li t0, 255
    j venv_halt

venv_sys_stat:
    ld t0, VENV_X(10)(sp)
    li t1, VENV_NSTATS
    bgeu t0, t1, venv_bad_syscall
    la t1, venv_stats
    slli t0, t0, 3
    add t1, t1, t0
    ld t0, 0(t1)
    sd t0, VENV_X(10)(sp)
    j venv_return

venv_sys_evict_all:
    li s0, 0
1:  la t0, venv_owner
    slli t1, s0, 3
    add t0, t0, t1
    ld t1, 0(t0)
    beqz t1, 2f
    mv a0, s0
    jal ra, venv_evict
2:  addi s0, s0, 1
    li t0, VENV_NFRAMES
    bltu s0, t0, 1b
    la t0, venv_kstate
    sd zero, VENV_KS_HAND(t0)
    j venv_return

    /* --- page faults: s0 = cause, s1 = stval, s2 = epc ------------------ */
venv_pgfault:
    VENV_STAT_INC(VENV_ST_FAULTS)
    li t0, VENV_CAUSE_FETCH_PF
    bne s0, t0, 1f
    VENV_STAT_INC(VENV_ST_FETCH)
    li s4, VENV_PTE_X                   /* s4 = the right the access needs */
    j 3f
1:  li t0, VENV_CAUSE_LOAD_PF
    bne s0, t0, 2f
    VENV_STAT_INC(VENV_ST_LOAD)
    li s4, VENV_PTE_R
    j 3f
2:  VENV_STAT_INC(VENV_ST_STORE)
    li s4, VENV_PTE_W
3:  srli s3, s1, 12
    slli s3, s3, 12                     /* s3 = the page (user VA) */
    /* s11 = the rights of the page: R X in the user text, R W in the user data */
    li t2, VENV_UOFF
    li s11, VENV_PTE_R | VENV_PTE_X
    la t0, venv_utext_start
    sub t0, t0, t2
    la t1, venv_utext_end
    sub t1, t1, t2
    bltu s3, t0, 4f
    bltu s3, t1, 5f
4:  li s11, VENV_PTE_R | VENV_PTE_W
    la t0, venv_udata_start
    sub t0, t0, t2
    la t1, venv_udata_end
    sub t1, t1, t2
    bltu s3, t0, 9f
    bltu s3, t1, 5f
9:  li a0, VENV_ERR_RANGE
    j venv_die
5:  and t0, s11, s4
    bnez t0, 6f
    li a0, VENV_ERR_RIGHTS
    j venv_die
6:  VENV_PTE_ADDR(s6, s3)
    ld t3, 0(s6)
    andi t0, t3, VENV_PTE_V
    beqz t0, 7f
    /* Mapped: only a store to a clean writable page is expected (Svade). */
    li t0, VENV_CAUSE_STORE_PF
    bne s0, t0, 8f
    andi t0, t3, VENV_PTE_D
    bnez t0, 8f
    ori t3, t3, VENV_PTE_D
    sd t3, 0(s6)
    VENV_SFENCE(s3)
    VENV_STAT_INC(VENV_ST_DSETS)
    j venv_return
8:  li a0, VENV_ERR_SPURIOUS
    j venv_die
    /* Not mapped: a frame, the page's contents from the image, the mapping. */
7:  jal ra, venv_alloc
    mv s4, a0                           /* s4 = the frame */
    li t0, VENV_UOFF
    add a0, s3, t0
    mv a1, s4
    jal ra, venv_copy_page
    srli t0, s4, 12
    slli t0, t0, 10
    ori t0, t0, VENV_PTE_V | VENV_PTE_U | VENV_PTE_A
    or t0, t0, s11                      /* D = 0, also for data */
    VENV_PTE_ADDR(s6, s3)
    sd t0, 0(s6)
    VENV_SFENCE(s3)
    fence.i                             /* the frame may hold new code */
    VENV_STAT_INC(VENV_ST_FILLS)
    j venv_return

    /* a0 = a free frame for user page s3, evicting the oldest page if the pool
       is full (FIFO). Uses s5, s10 and what venv_evict uses. */
venv_alloc:
    mv s10, ra
    la t0, venv_kstate
    ld s5, VENV_KS_HAND(t0)
    addi t1, s5, 1
    li t2, VENV_NFRAMES
    bltu t1, t2, 1f
    li t1, 0
1:  sd t1, VENV_KS_HAND(t0)
    la t0, venv_owner
    slli t1, s5, 3
    add t0, t0, t1
    ld t1, 0(t0)
    beqz t1, 2f
    mv a0, s5
    jal ra, venv_evict
2:  la t0, venv_owner
    slli t1, s5, 3
    add t0, t0, t1
    ori t1, s3, 1                       /* owner: user VA | 1 */
    sd t1, 0(t0)
    la a0, venv_frames
    slli t1, s5, 12
    add a0, a0, t1
    mv ra, s10
    ret

    /* Evicts the page in frame a0 (in use): unmap, sfence.vma, write back if
       dirty, frame free. Uses s6-s9. */
venv_evict:
    mv s9, ra
    la t0, venv_owner
    slli t1, a0, 3
    add s6, t0, t1                      /* s6 = &owner[a0] */
    la s8, venv_frames
    slli t1, a0, 12
    add s8, s8, t1                      /* s8 = the frame */
    ld s7, 0(s6)
    andi t0, s7, 1
    beqz t0, 9f
    andi s7, s7, -2                     /* s7 = the page (user VA) */
    VENV_PTE_ADDR(t2, s7)
    ld t3, 0(t2)
    andi t0, t3, VENV_PTE_V
    beqz t0, 9f
    srli t0, t3, 10
    slli t0, t0, 12
    bne t0, s8, 9f                      /* the PTE must map this frame */
    sd zero, 0(t2)
    VENV_SFENCE(s7)
    sd zero, 0(s6)
    VENV_STAT_INC(VENV_ST_EVICTS)
    andi t0, t3, VENV_PTE_D
    beqz t0, 1f
    mv a0, s8
    li t0, VENV_UOFF
    add a1, s7, t0
    jal ra, venv_copy_page
    VENV_STAT_INC(VENV_ST_WBACKS)
1:  mv ra, s9
    ret
9:  li a0, VENV_ERR_BOOKKEEPING
    j venv_die

    /* Copies the page at a0 to a1 (clobbers a0, a1, t0-t2). */
venv_copy_page:
    li t2, VENV_PGSIZE
    add t2, a0, t2
1:  ld t0, 0(a0)
    ld t1, 8(a0)
    sd t0, 0(a1)
    sd t1, 8(a1)
    addi a0, a0, 16
    addi a1, a1, 16
    bltu a0, t2, 1b
    ret

/* ------------------------------------------------------------------------ */
/* Kernel data                                                               */
/* ------------------------------------------------------------------------ */

    .pushsection .tohost, "aw", @progbits
    .balign 64
    .globl tohost
    .type tohost, @object
    .size tohost, 8
tohost:
    .dword 0
    .globl fromhost
    .type fromhost, @object
    .size fromhost, 8
fromhost:
    .dword 0
    .popsection

    .pushsection .bss.venv, "aw", @nobits
    .balign VENV_PGSIZE
venv_kbss_start:
venv_root:
    .skip VENV_PGSIZE
venv_l1:
    .skip VENV_PGSIZE
venv_l0:
    .skip VENV_PGSIZE
venv_frames:
    .skip VENV_NFRAMES * VENV_PGSIZE
    .globl venv_owner, venv_stats, venv_kstate
venv_owner:                             /* per frame: user VA | 1, or 0 if free */
    .skip VENV_NFRAMES * 8
venv_stats:
    .skip VENV_NSTATS * 8
venv_kstate:
    .skip VENV_KS_SIZE
venv_tf:                                /* the user's registers while in the kernel */
    .skip 32 * 8
venv_kbss_end:
    .popsection

/* ------------------------------------------------------------------------ */
/* The user image                                                            */
/* ------------------------------------------------------------------------ */

#define VENV_CODE_BEGIN \
    .section .text.venv_user, "ax", @progbits; \
    .balign VENV_PGSIZE; \
venv_utext_start: ; \
venv_user_entry:

.macro venv_code_end
    j pass
    .globl pass
pass:
    li a0, 0
    li a7, VENV_SYS_EXIT
    ecall
1:  j 1b
    .globl fail
fail:
    mv a0, TESTNUM
    bnez a0, 2f
    li a0, 255                          /* before the first case */
2:  li a7, VENV_SYS_EXIT
    ecall
3:  j 3b
    .balign VENV_PGSIZE
venv_utext_end:
.endm
#define VENV_CODE_END venv_code_end

#define VENV_DATA_BEGIN \
    .section .data.venv_user, "aw", @progbits; \
    .balign VENV_PGSIZE; \
venv_udata_start:

#define VENV_DATA_END \
    .balign VENV_PGSIZE; \
venv_ustack: ; \
    .skip VENV_USTACK; \
venv_ustack_top: ; \
venv_udata_end: ; \
    .text

/* User-side helpers. */
/* a0 = kernel counter i (clobbers a0, a7) */
#define VENV_GET_STAT(i) li a0, i; li a7, VENV_SYS_STAT; ecall
/* evict every page (clobbers a7) */
#define VENV_EVICT_ALL li a7, VENV_SYS_EVICT_ALL; ecall
/* Continue on the next user page (the rest of this one is not run). */
#define VENV_NEXT_PAGE j 79f; .balign VENV_PGSIZE; 79:

#endif
