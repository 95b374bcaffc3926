/*
 * RV64C: every RV64 compressed instruction except the FP ones, each written
 * with its c. mnemonic so the assembler cannot pick another encoding:
 * c.addi4spn, c.lw, c.ld, c.sw, c.sd, c.nop, c.addi, c.addiw, c.li,
 * c.addi16sp, c.lui, c.srli, c.srai, c.andi, c.sub, c.xor, c.or, c.and,
 * c.subw, c.addw, c.j, c.beqz, c.bnez, c.slli, c.lwsp, c.ldsp, c.jr, c.mv,
 * c.ebreak (an expected trap), c.jalr, c.add, c.swsp, c.sdsp;
 * immediates at the ends of their ranges and sign extension.
 * Operands use x8..x15 (s0, s1, a0..a5) where the CL/CS/CA/CB forms need them.
 */
#include "test_macros.h"

/* Fails unless registers r1 and r2 are equal. */
#define CHECK_REGS_EQ(r1, r2) bne r1, r2, fail;

TEST_BEGIN
    .option rvc

    /* c.li / c.nop: 6-bit signed immediate */
    TEST_CASE(1, a4, 0, li a4, 99; c.li a4, 0)
    TEST_CASE(2, a4, 31, c.li a4, 31)
    TEST_CASE(3, a4, 0xffffffffffffffe0, c.li a4, -32)
    TEST_CASE(4, t0, 0xffffffffffffffff, c.li t0, -1)   /* a full-width rd */
    TEST_CASE(5, a4, 7, c.li a4, 7; c.nop; c.nop)

    /* c.lui: rd = sext(imm << 12) */
    TEST_CASE(6, a4, 0x1000, c.lui a4, 1)
    TEST_CASE(7, a4, 0x1f000, c.lui a4, 31)
    TEST_CASE(8, a4, 0xfffffffffffe0000, c.lui a4, 0xfffe0)
    TEST_CASE(9, s1, 0xfffffffffffff000, c.lui s1, 0xfffff)

    /* c.addi / c.addiw */
    TEST_CASE(10, a4, 0x7f, li a4, 0x60; c.addi a4, 31)
    TEST_CASE(11, a4, 0xffffffffffffffe0, li a4, 0; c.addi a4, -32)
    TEST_CASE(12, a4, 0x8000000000000000, li a4, 0x7fffffffffffffff; c.addi a4, 1)
    TEST_CASE(13, t2, 0x1, li t2, 2; c.addi t2, -1)
    TEST_CASE(14, a4, 0xffffffff80000000, li a4, 0x7fffffff; c.addiw a4, 1)
    TEST_CASE(15, a4, 0xffffffff80000000, li a4, 0x180000000; c.addiw a4, 0)   /* sext.w */
    TEST_CASE(16, a4, 0x000000007fffffe0, li a4, 0xffffffff80000000; c.addiw a4, -32)
    TEST_CASE(17, a4, 0x1f, li a4, 0xfff0000000000000; c.addiw a4, 31)

    /* c.slli / c.srli / c.srai / c.andi */
    TEST_CASE(18, a4, 0x8000000000000000, li a4, 1; c.slli a4, 63)
    TEST_CASE(19, a4, 0x0000000100000000, li a4, 1; c.slli a4, 32)
    TEST_CASE(20, t3, 0x2468, li t3, 0x1234; c.slli t3, 1)
    TEST_CASE(21, a4, 0x1, li a4, 0x8000000000000000; c.srli a4, 63)
    TEST_CASE(22, a4, 0x80000000, li a4, 0x8000000000000000; c.srli a4, 32)
    TEST_CASE(23, a4, 0x7fffffffffffffff, li a4, 0xffffffffffffffff; c.srli a4, 1)
    TEST_CASE(24, a4, 0xffffffffffffffff, li a4, 0x8000000000000000; c.srai a4, 63)
    TEST_CASE(25, a4, 0xffffffff80000000, li a4, 0x8000000000000000; c.srai a4, 32)
    TEST_CASE(26, a4, 0x3fffffffffffffff, li a4, 0x7fffffffffffffff; c.srai a4, 1)
    TEST_CASE(27, a4, 0x10, li a4, 0x1234567890abcdf0; c.andi a4, 31)
    TEST_CASE(28, a4, 0x1234567890abcde0, li a4, 0x1234567890abcdf0; c.andi a4, -32)
    TEST_CASE(29, a4, 0, li a4, 0xffffffffffffffff; c.andi a4, 0)

    /* c.mv / c.add */
    TEST_CASE(30, a4, 0x123456789, li a5, 0x123456789; c.mv a4, a5)
    TEST_CASE(31, t4, 0xfedcba9876543210, li s11, 0xfedcba9876543210; c.mv t4, s11)
    TEST_CASE(32, a4, 0x0000000200000000, li a4, 0xffffffff00000000; li a5, 0x300000000; c.add a4, a5)
    TEST_CASE(33, s10, 0x30, li s10, 0x10; li t1, 0x20; c.add s10, t1)
    TEST_CASE(34, a4, 0x10, li a4, 0x8; c.add a4, a4)

    /* c.sub / c.xor / c.or / c.and / c.subw / c.addw */
    TEST_CASE(35, a4, 0xffffffffffffffff, li a4, 0; li a5, 1; c.sub a4, a5)
    TEST_CASE(36, s0, 0x8000000000000001, li s0, 0x8000000000000000; li s1, 0xffffffffffffffff; c.sub s0, s1)
    TEST_CASE(37, a4, 0xf0f0f0f0f0f0f0f0, li a4, 0xff00ff00ff00ff00; li a5, 0x0ff00ff00ff00ff0; c.xor a4, a5)
    TEST_CASE(38, a4, 0xfff0fff0fff0fff0, li a4, 0xff00ff00ff00ff00; li a5, 0x0ff00ff00ff00ff0; c.or a4, a5)
    TEST_CASE(39, a4, 0x0f000f000f000f00, li a4, 0xff00ff00ff00ff00; li a5, 0x0ff00ff00ff00ff0; c.and a4, a5)
    TEST_CASE(40, a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 0xffffffffffffffff; c.subw a0, a1)
    TEST_CASE(41, a4, 0x000000007fffffff, li a4, 0x80000000; li a5, 1; c.subw a4, a5)
    TEST_CASE(42, a4, 0xffffffff80000000, li a4, 0x7fffffff; li a5, 1; c.addw a4, a5)
    TEST_CASE(43, a3, 0x0000000000000001, li a3, 0x1ffffffff; li a2, 0x100000002; c.addw a3, a2)

    /* c.addi4spn / c.addi16sp (sp is restored afterwards) */
    TEST_NUM(44)
    mv s1, sp
    c.addi4spn a4, sp, 4
    addi t6, sp, 4
    CHECK_REGS_EQ(a4, t6)
    c.addi4spn a5, sp, 1020
    addi t6, sp, 1020
    CHECK_REGS_EQ(a5, t6)
    TEST_NUM(45)
    c.addi16sp sp, -512
    addi t6, s1, -512
    CHECK_REGS_EQ(sp, t6)
    c.addi16sp sp, 496
    addi t6, s1, -16
    CHECK_REGS_EQ(sp, t6)
    c.addi16sp sp, 16
    CHECK_REGS_EQ(sp, s1)

    /* c.lw / c.ld / c.sw / c.sd: offsets at both ends of their range */
    TEST_CASE(46, a4, 0xffffffff89abcdef, la a1, c_data; c.lw a4, 0(a1))
    TEST_CASE(47, a4, 0x0000000076543210, la a1, c_data; c.lw a4, 4(a1))
    TEST_CASE(48, a4, 0x7654321089abcdef, la a1, c_data; c.ld a4, 0(a1))
    TEST_CASE(49, a4, 0xfffffffff00dcafe, la a1, c_data; c.lw a4, 124(a1))
    TEST_CASE(50, a4, 0x8000000000000001, la a1, c_data; c.ld a4, 248(a1))
    TEST_CASE(51, a4, 0xffffffff87654321, \
        la a1, c_buf; li a2, 0x1234567887654321; c.sw a2, 4(a1); c.lw a4, 4(a1))
    TEST_CASE(52, a4, 0x1234567887654321, \
        la a1, c_buf; li a2, 0x1234567887654321; c.sd a2, 8(a1); c.ld a4, 8(a1))
    TEST_CASE(53, a4, 0x5555aaaa, \
        la a1, c_buf; li a2, 0x5555aaaa; c.sw a2, 124(a1); lwu a4, 124(a1))
    TEST_CASE(54, a4, 0xa5a5a5a55a5a5a5a, \
        la a1, c_buf; li a2, 0xa5a5a5a55a5a5a5a; c.sd a2, 248(a1); ld a4, 248(a1))

    /* c.lwsp / c.ldsp / c.swsp / c.sdsp: sp-relative, ends of range */
    TEST_NUM(55)
    mv s1, sp
    la sp, c_buf
    li a2, 0x0badc0de
    c.swsp a2, 0(sp)
    li a3, 0xfffffffff0000001
    c.swsp a3, 252(sp)
    li a5, 0x0123456789abcdef
    c.sdsp a5, 8(sp)
    li t0, 0xfedcba9876543210
    c.sdsp t0, 504(sp)
    c.lwsp a4, 0(sp)
    c.lwsp t1, 252(sp)
    c.ldsp t2, 8(sp)
    c.ldsp s11, 504(sp)
    c.lwsp t3, 8(sp)
    mv sp, s1
    CHECK_EQ(a4, 0x0badc0de)
    TEST_NUM(56)
    CHECK_EQ(t1, 0xfffffffff0000001)
    TEST_NUM(57)
    CHECK_EQ(t2, 0x0123456789abcdef)
    TEST_NUM(58)
    CHECK_EQ(s11, 0xfedcba9876543210)
    TEST_NUM(59)
    CHECK_EQ(t3, 0xffffffff89abcdef)

    /* c.j forward and backward */
    TEST_NUM(60)
    li a4, 0
    c.j 72f
71: c.j 73f
    c.addi a4, 1
72: c.j 71b
    c.addi a4, 1
73: CHECK_EQ(a4, 0)

    /* c.beqz / c.bnez taken and not taken, both directions */
    TEST_NUM(61)
    li a4, 0
    c.beqz a4, 72f
    j fail
71: c.j 73f
72: c.beqz a4, 71b
    j fail
73:
    TEST_NUM(62)
    li a4, 0x8000000000000000       /* nonzero only in bit 63 */
    c.beqz a4, 71f
    c.j 72f
71: j fail
72: c.beqz a4, 71b
    TEST_NUM(63)
    li a5, 0x100000000
    c.bnez a5, 72f
    j fail
71: c.j 73f
72: c.bnez a5, 71b
    j fail
73:
    TEST_NUM(64)
    li a5, 0
    c.bnez a5, 71f
    c.j 72f
71: j fail
72: c.bnez a5, 71b

    /* c.jr / c.jalr: link = pc + 2 */
    TEST_NUM(65)
    la t0, 72f
    c.jr t0
    j fail
72:
    TEST_NUM(66)
    la a2, 72f
71: c.jalr a2
    j fail
72: la t5, 71b
    addi t5, t5, 2
    CHECK_REGS_EQ(ra, t5)
    TEST_NUM(67)                    /* a compressed call / return pair */
    li a0, 20
    la t1, 80f
    c.jalr t1
    CHECK_EQ(a0, 21)
    c.j 81f
80: c.addi a0, 1
    c.jr ra
81:
    TEST_NUM(68)                    /* c.jalr with ra as the target register */
    la ra, 72f
71: c.jalr ra
    j fail
72: la t5, 71b
    addi t5, t5, 2
    CHECK_REGS_EQ(ra, t5)

    /* c.ebreak: breakpoint trap, mepc at the 2-byte instruction */
    TEST_TRAP(69, CAUSE_BREAKPOINT, c.ebreak)
    TEST_NUM(70)                    /* twice in a row */
    .balign 4
    c.nop
    EXPECT_TRAP(CAUSE_BREAKPOINT, 71f, 72f)
71: c.ebreak
72: CHECK_TRAP_TAKEN
    EXPECT_TRAP(CAUSE_BREAKPOINT, 71f, 72f)
71: c.ebreak
72: CHECK_TRAP_TAKEN

    /* A dependent chain of compressed instructions (forwarding) */
    TEST_CASE(71, a4, 0x1e, c.li a4, 3; c.slli a4, 2; c.addi a4, 3; c.mv a5, a4; c.add a4, a5; c.addiw a4, 0)
    TEST_CASE(72, a4, 0x26, la a1, c_buf; c.li a2, 0x13; c.sw a2, 0(a1); c.lw a4, 0(a1); c.add a4, a4)

TEST_END

    .data
    .balign 16
c_data:
    .word 0x89abcdef, 0x76543210
    .skip 116
    .word 0xf00dcafe                 /* offset 124 */
    .skip 120
    .dword 0x8000000000000001        /* offset 248 */
    .balign 16
c_buf:
    .skip 512
