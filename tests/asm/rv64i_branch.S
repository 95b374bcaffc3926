/*
 * RV64I control transfer: every conditional branch taken and not taken
 * (forward and backward) on signed / unsigned edge values, far branches and
 * jumps, jal / jalr link values, jalr immediate offsets and the clearing of
 * bit 0 of its target, rd = rs1, rd = x0, and no effect from the instructions
 * after a taken branch. Uncompressed encodings only.
 */
#include "test_macros.h"

TEST_BEGIN
    .option norvc

    /* beq */
    TEST_BR_TAKEN(1, beq, 0x0, 0x0)
    TEST_BR_TAKEN(2, beq, 0x1, 0x1)
    TEST_BR_TAKEN(3, beq, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_NOT_TAKEN(4, beq, 0x0, 0x1)
    TEST_BR_NOT_TAKEN(5, beq, 0x1, 0x0)
    TEST_BR_NOT_TAKEN(6, beq, 0xffffffffffffffff, 0x1)
    TEST_BR_NOT_TAKEN(7, beq, 0x1, 0xffffffffffffffff)
    TEST_BR_NOT_TAKEN(8, beq, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_NOT_TAKEN(9, beq, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(10, beq, 0x8000000000000000, 0x0)
    TEST_BR_NOT_TAKEN(11, beq, 0x0, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(12, beq, 0xffffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(13, beq, 0x100000000, 0x0)
    TEST_BR_NOT_TAKEN(14, beq, 0xffffffff, 0xffffffff00000000)

    /* bne */
    TEST_BR_NOT_TAKEN(15, bne, 0x0, 0x0)
    TEST_BR_NOT_TAKEN(16, bne, 0x1, 0x1)
    TEST_BR_NOT_TAKEN(17, bne, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_TAKEN(18, bne, 0x0, 0x1)
    TEST_BR_TAKEN(19, bne, 0x1, 0x0)
    TEST_BR_TAKEN(20, bne, 0xffffffffffffffff, 0x1)
    TEST_BR_TAKEN(21, bne, 0x1, 0xffffffffffffffff)
    TEST_BR_TAKEN(22, bne, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_TAKEN(23, bne, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(24, bne, 0x8000000000000000, 0x0)
    TEST_BR_TAKEN(25, bne, 0x0, 0x8000000000000000)
    TEST_BR_TAKEN(26, bne, 0xffffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(27, bne, 0x100000000, 0x0)
    TEST_BR_TAKEN(28, bne, 0xffffffff, 0xffffffff00000000)

    /* blt */
    TEST_BR_NOT_TAKEN(29, blt, 0x0, 0x0)
    TEST_BR_NOT_TAKEN(30, blt, 0x1, 0x1)
    TEST_BR_NOT_TAKEN(31, blt, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_TAKEN(32, blt, 0x0, 0x1)
    TEST_BR_NOT_TAKEN(33, blt, 0x1, 0x0)
    TEST_BR_TAKEN(34, blt, 0xffffffffffffffff, 0x1)
    TEST_BR_NOT_TAKEN(35, blt, 0x1, 0xffffffffffffffff)
    TEST_BR_TAKEN(36, blt, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_NOT_TAKEN(37, blt, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(38, blt, 0x8000000000000000, 0x0)
    TEST_BR_NOT_TAKEN(39, blt, 0x0, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(40, blt, 0xffffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(41, blt, 0x100000000, 0x0)
    TEST_BR_NOT_TAKEN(42, blt, 0xffffffff, 0xffffffff00000000)

    /* bge */
    TEST_BR_TAKEN(43, bge, 0x0, 0x0)
    TEST_BR_TAKEN(44, bge, 0x1, 0x1)
    TEST_BR_TAKEN(45, bge, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_NOT_TAKEN(46, bge, 0x0, 0x1)
    TEST_BR_TAKEN(47, bge, 0x1, 0x0)
    TEST_BR_NOT_TAKEN(48, bge, 0xffffffffffffffff, 0x1)
    TEST_BR_TAKEN(49, bge, 0x1, 0xffffffffffffffff)
    TEST_BR_NOT_TAKEN(50, bge, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_TAKEN(51, bge, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(52, bge, 0x8000000000000000, 0x0)
    TEST_BR_TAKEN(53, bge, 0x0, 0x8000000000000000)
    TEST_BR_TAKEN(54, bge, 0xffffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(55, bge, 0x100000000, 0x0)
    TEST_BR_TAKEN(56, bge, 0xffffffff, 0xffffffff00000000)

    /* bltu */
    TEST_BR_NOT_TAKEN(57, bltu, 0x0, 0x0)
    TEST_BR_NOT_TAKEN(58, bltu, 0x1, 0x1)
    TEST_BR_NOT_TAKEN(59, bltu, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_TAKEN(60, bltu, 0x0, 0x1)
    TEST_BR_NOT_TAKEN(61, bltu, 0x1, 0x0)
    TEST_BR_NOT_TAKEN(62, bltu, 0xffffffffffffffff, 0x1)
    TEST_BR_TAKEN(63, bltu, 0x1, 0xffffffffffffffff)
    TEST_BR_NOT_TAKEN(64, bltu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_TAKEN(65, bltu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(66, bltu, 0x8000000000000000, 0x0)
    TEST_BR_TAKEN(67, bltu, 0x0, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(68, bltu, 0xffffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(69, bltu, 0x100000000, 0x0)
    TEST_BR_TAKEN(70, bltu, 0xffffffff, 0xffffffff00000000)

    /* bgeu */
    TEST_BR_TAKEN(71, bgeu, 0x0, 0x0)
    TEST_BR_TAKEN(72, bgeu, 0x1, 0x1)
    TEST_BR_TAKEN(73, bgeu, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_BR_NOT_TAKEN(74, bgeu, 0x0, 0x1)
    TEST_BR_TAKEN(75, bgeu, 0x1, 0x0)
    TEST_BR_TAKEN(76, bgeu, 0xffffffffffffffff, 0x1)
    TEST_BR_NOT_TAKEN(77, bgeu, 0x1, 0xffffffffffffffff)
    TEST_BR_TAKEN(78, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_NOT_TAKEN(79, bgeu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(80, bgeu, 0x8000000000000000, 0x0)
    TEST_BR_NOT_TAKEN(81, bgeu, 0x0, 0x8000000000000000)
    TEST_BR_TAKEN(82, bgeu, 0xffffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(83, bgeu, 0x100000000, 0x0)
    TEST_BR_NOT_TAKEN(84, bgeu, 0xffffffff, 0xffffffff00000000)

    /* The instructions after a taken branch / jump never take effect. */
    TEST_CASE(85, a4, 0, li a4, 0; beq x0, x0, 71f; addi a4, a4, 1; addi a4, a4, 1; 71: nop)
    TEST_CASE(86, a4, 0, li a4, 0; jal x0, 71f; addi a4, a4, 1; addi a4, a4, 1; 71: nop)
    TEST_CASE(87, a4, 0, li a4, 0; la a1, 71f; jalr x0, 0(a1); addi a4, a4, 1; addi a4, a4, 1; 71: nop)

    /* jal: link = pc + 4, forward and backward, rd other than ra, rd = x0 */
    TEST_NUM(88)
    li ra, 0
71: jal ra, 72f
    j fail
72: la t5, 71b
    addi t5, t5, 4
    bne ra, t5, fail

    TEST_NUM(89)
    j 72f
71: j 73f           /* backward target */
    j fail
72: jal a4, 71b
    j fail
73: la t5, 72b
    addi t5, t5, 4
    bne a4, t5, fail

    TEST_NUM(90)
    li t4, 0
71: jal x0, 72f
    j fail
72: bnez t4, fail   /* x0 stays zero, nothing else written */
    CHECK_EQ(x0, 0)

    /* Far jal (more than 4 KiB each way) and branches near their +-4 KiB reach. */
    TEST_NUM(91)
    jal a4, 72f
71: j 73f
    .skip 8192
72: jal x0, 71b
73: la t5, 71b
    bne a4, t5, fail

    TEST_NUM(92)
    li a1, 3
    li a2, 3
    beq a1, a2, 72f
71: j 73f
    .skip 4084
72: bge a1, a2, 71b
    j fail
73:

    /* jalr: link = pc + 4, immediate offset, bit 0 of the target cleared */
    TEST_NUM(93)
    la a1, 72f
71: jalr ra, 0(a1)
    j fail
72: la t5, 71b
    addi t5, t5, 4
    bne ra, t5, fail

    TEST_NUM(94)
    la a1, 72f
    addi a1, a1, -16
    jalr a4, 16(a1)
    j fail
72: nop

    TEST_NUM(95)
    la a1, 72f
    addi a1, a1, 2047
    jalr a4, -2047(a1)
    j fail
72: nop

    TEST_NUM(96)        /* odd register value */
    la a1, 72f
    addi a1, a1, 1
    jalr a4, 0(a1)
    j fail
    j fail
72: nop

    TEST_NUM(97)        /* odd sum of even register and odd offset */
    la a1, 72f
    jalr a4, 1(a1)
    j fail
    j fail
72: nop

    TEST_NUM(98)        /* rd = rs1: the target uses the old value */
    la a1, 72f
71: jalr a1, 0(a1)
    j fail
72: la t5, 71b
    addi t5, t5, 4
    bne a1, t5, fail

    TEST_NUM(99)        /* rd = x0 (ret) */
    la ra, 72f
    jalr x0, 0(ra)
    j fail
72: la t5, 72b
    bne ra, t5, fail
    CHECK_EQ(x0, 0)

    TEST_NUM(100)       /* call and return through a subroutine */
    li a0, 5
    call 80f
    CHECK_EQ(a0, 10)
    j 81f
80: add a0, a0, a0
    ret
81:

    TEST_NUM(101)       /* link register used right after the jump */
    jal t0, 72f
71: j fail
72: la t5, 71b
    sub t5, t0, t5
    bnez t5, fail

    .option rvc
TEST_END
