/*
 * Zicsr: csrrw / csrrs / csrrc and the immediate forms csrrwi / csrrsi /
 * csrrci on mscratch (old value returned, new value written, rd = x0 and
 * rs1 = x0 / uimm = 0 forms that do not write), mhartid = 0, misa = RV64 with
 * I, M, A, C (other letters not checked), mvendorid / marchid / mimpid
 * readable, WARL fields of mtvec / mepc / mcause / mtval / mie, counters
 * mcycle / minstret / cycle / instret counting up, writes to read-only CSRs
 * trapping as illegal instructions with the instruction bits in mtval.
 */
#include "test_macros.h"

/* reg = the 32-bit instruction at label, the mtval of its illegal-instruction
 * trap. QEMU 7.2 (Debian 12) leaves mtval = 0 for CSR permission faults;
 * -DQEMU_CSR_TVAL_QUIRK expects that for cross-checking there. */
#ifdef QEMU_CSR_TVAL_QUIRK
#define LOAD_INSN_BITS(reg, label) li reg, 0;
#else
/* Two halfword loads: the instruction may be only 2-byte aligned, and misaligned
   loads trap on the core for now. */
#define LOAD_INSN_BITS(reg, label) la reg, label; lhu t5, 2(reg); lhu reg, 0(reg); \
    slli t5, t5, 16; or reg, reg, t5;
#endif

TEST_BEGIN

    /* csrrw: returns the old value, writes the new one */
    TEST_CASE(1, a4, 0, li a1, 0; csrw mscratch, a1; csrr a4, mscratch)
    TEST_CASE(2, a4, 0, li a1, 0x123456789abcdef0; csrrw a4, mscratch, a1)
    TEST_CASE(3, a4, 0x123456789abcdef0, csrr a4, mscratch)
    TEST_CASE(4, a4, 0x123456789abcdef0, li a1, -1; csrrw a4, mscratch, a1)
    TEST_CASE(5, a4, 0xffffffffffffffff, csrrw a4, mscratch, x0)
    TEST_CASE(6, a4, 0, csrr a4, mscratch)
    /* csrrs / csrrc: set / clear bits; rs1 = x0 reads without writing */
    TEST_CASE(7, a4, 0, li a1, 0xf0f0; csrrs a4, mscratch, a1)
    TEST_CASE(8, a4, 0xf0f0, li a1, 0x8000000000000001; csrrs a4, mscratch, a1)
    TEST_CASE(9, a4, 0x800000000000f0f1, csrrs a4, mscratch, x0)
    TEST_CASE(10, a4, 0x800000000000f0f1, li a1, 0x80000000000000f0; csrrc a4, mscratch, a1)
    TEST_CASE(11, a4, 0xf001, csrrc a4, mscratch, x0)
    TEST_CASE(12, a4, 0xf001, csrr a4, mscratch)
    /* immediate forms: 5-bit zero-extended uimm */
    TEST_CASE(13, a4, 0xf001, csrrwi a4, mscratch, 31)
    TEST_CASE(14, a4, 31, csrrci a4, mscratch, 0x15)
    TEST_CASE(15, a4, 0x0a, csrrsi a4, mscratch, 0x10)
    TEST_CASE(16, a4, 0x1a, csrrsi a4, mscratch, 0)
    TEST_CASE(17, a4, 0x1a, csrrci a4, mscratch, 0)
    TEST_CASE(18, a4, 0x1a, csrrwi a4, mscratch, 0)
    TEST_CASE(19, a4, 0, csrr a4, mscratch)
    /* rd = x0 still writes; the pseudo-instructions */
    TEST_CASE(20, a4, 0x55, li a1, 0x55; csrrw x0, mscratch, a1; csrr a4, mscratch)
    TEST_CASE(21, a4, 0x57, csrsi mscratch, 2; csrr a4, mscratch)
    TEST_CASE(22, a4, 0x53, csrci mscratch, 4; csrr a4, mscratch)
    TEST_CASE(23, a4, 0x1, li a1, 0x52; csrc mscratch, a1; csrr a4, mscratch)
    TEST_CASE(24, a4, 0x3, li a1, 0x2; csrs mscratch, a1; csrr a4, mscratch)
    TEST_CASE(25, a4, 0x9, csrwi mscratch, 9; csrr a4, mscratch)
    /* read-after-write forwarding through a CSR, and rd = rs1 */
    TEST_CASE(26, a1, 0x9, li a1, 0x77; csrrw a1, mscratch, a1)
    TEST_CASE(27, a4, 0x78, csrr a4, mscratch; addi a4, a4, 1)

    /* identification */
    TEST_CASE(28, a4, 0, csrr a4, mhartid)
    TEST_NUM(29)
    csrr a4, misa
    srli a5, a4, 62
    CHECK_EQ(a5, 2)                       /* MXL = 2: RV64 */
    li t4, (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12)   /* A, C, I, M */
    and a5, a4, t4
    bne a5, t4, fail
    TEST_NUM(30)
    csrr a4, mvendorid
    csrr a4, marchid
    csrr a4, mimpid

    /* trap CSRs: WARL behaviour that holds on any implementation */
    TEST_NUM(31)
    csrr s0, mtvec                        /* keep the handler */
    la a1, 72f
    csrw mtvec, a1
    csrr a4, mtvec
    csrw mtvec, s0
    bne a4, a1, fail                      /* 4-byte aligned, direct mode */
    j 73f
    .balign 4
72: nop
73:
    TEST_NUM(32)
    li a1, 0x80001232
    csrw mepc, a1
    csrr a4, mepc
    CHECK_EQ(a4, 0x80001232)              /* bit 0 stays 0 */
#ifndef QEMU_MEPC_BIT0_QUIRK              /* QEMU 7.2 keeps bit 0 of a write */
    li a1, 0x80001233
    csrw mepc, a1
    csrr a4, mepc
    CHECK_EQ(a4, 0x80001232)
#endif
    TEST_NUM(33)
    li a1, 0xb
    csrw mcause, a1
    csrr a4, mcause
    CHECK_EQ(a4, 0xb)
    TEST_NUM(34)
    li a1, 0xdeadbeef00
    csrw mtval, a1
    csrr a4, mtval
    CHECK_EQ(a4, 0xdeadbeef00)
    TEST_NUM(35)                          /* mie: MSIE, MTIE, MEIE are writable */
    li a1, (1 << 3) | (1 << 7) | (1 << 11)
    csrw mie, a1
    csrr a4, mie
    and a4, a4, a1
    csrw mie, x0
    bne a4, a1, fail
    TEST_NUM(36)
    csrr a4, mip                          /* readable */
    TEST_NUM(37)                          /* mstatus: MIE and MPIE writable */
    csrsi mstatus, 0                      /* read-only use of csrrsi */
    li a1, (1 << 7)
    csrs mstatus, a1
    csrr a4, mstatus
    and a4, a4, a1
    bne a4, a1, fail
    csrc mstatus, a1
    csrr a4, mstatus
    and a4, a4, a1
    bnez a4, fail
    csrr a4, mstatus
    andi a4, a4, (1 << 3)                 /* interrupts were off all along */
    bnez a4, fail

    /* counters: they count */
    TEST_NUM(38)
    csrr a1, mcycle
    csrr a2, minstret
    li a5, 100
71: addi a5, a5, -1
    bnez a5, 71b
    csrr a3, mcycle
    csrr a4, minstret
    bgeu a1, a3, fail
    bgeu a2, a4, fail
    sub t4, a4, a2
    li t6, 200
    bltu t4, t6, fail                     /* at least the 200 loop instructions */
    TEST_NUM(39)
    rdcycle a1
    rdinstret a2
    li a5, 100
71: addi a5, a5, -1
    bnez a5, 71b
    rdcycle a3
    rdinstret a4
    bgeu a1, a3, fail
    bgeu a2, a4, fail
    TEST_NUM(40)                          /* mcycle is writable */
    li a1, 0x40000000
    csrw mcycle, a1
    csrr a2, mcycle
    csrw mcycle, x0
    csrr a3, mcycle
    bltu a2, a1, fail
    bgeu a3, a1, fail
    TEST_NUM(41)                          /* minstret is writable */
    li a1, 0x10000000
    csrw minstret, a1
    csrr a2, minstret
    bltu a2, a1, fail
    li t6, 0x10100000                     /* loose: QEMU counts host ticks */
    bgeu a2, t6, fail

    /* read-only CSRs: a write is an illegal instruction, mtval = its bits */
    TEST_NUM(42)
    LOAD_INSN_BITS(t4, 71f)
    EXPECT_TRAP_TVAL(CAUSE_ILLEGAL_INSN, 71f, 72f, t4)
    .option push
    .option norvc
71: csrw mhartid, a1
72: CHECK_TRAP_TAKEN
    TEST_NUM(43)
    LOAD_INSN_BITS(t4, 71f)
    EXPECT_TRAP_TVAL(CAUSE_ILLEGAL_INSN, 71f, 72f, t4)
71: csrrs a4, cycle, a1                   /* a1 != x0: a write */
72: CHECK_TRAP_TAKEN
    TEST_NUM(44)
    LOAD_INSN_BITS(t4, 71f)
    EXPECT_TRAP_TVAL(CAUSE_ILLEGAL_INSN, 71f, 72f, t4)
71: csrrwi x0, mvendorid, 1
72: CHECK_TRAP_TAKEN
    TEST_NUM(45)
    LOAD_INSN_BITS(t4, 71f)
    EXPECT_TRAP_TVAL(CAUSE_ILLEGAL_INSN, 71f, 72f, t4)
71: csrrci a4, instret, 1
72: CHECK_TRAP_TAKEN
    .option pop
    TEST_NUM(46)                          /* but reading them with csrrs x0 is fine */
    csrrs a4, cycle, x0
    csrrsi a4, instret, 0
    csrrc a4, mhartid, x0
    CHECK_EQ(a4, 0)

TEST_END
