/*
 * Instruction fetch with mixed 16- and 32-bit instructions: 32-bit
 * instructions at addresses = 2 mod 4, a 32-bit instruction straddling a
 * 32-byte and a 64-byte line boundary and a 4 KiB page boundary (reached by
 * falling through and by a jump to it), branch / jump targets at 2 mod 4,
 * loops whose bodies straddle lines, jalr into the middle of a line, and
 * back-to-back taken compressed branches.
 */
#include "test_macros.h"

TEST_BEGIN
    .option rvc

    /* 32-bit instructions at 2 mod 4, interleaved with 16-bit ones */
    TEST_NUM(1)
    li a4, 0
    .balign 4
    c.addi a4, 1
    addi a4, a4, 0x100      /* 2 mod 4 */
    c.addi a4, 2
    c.addi a4, 4
    addi a4, a4, 0x200      /* 2 mod 4 */
    xori a5, a4, 0x7ff      /* 2 mod 4 */
    c.addi a4, 8
    CHECK_EQ(a4, 0x30f)
    CHECK_EQ(a5, 0x4f8)     /* 0x307 ^ 0x7ff */

    /* A 32-bit instruction straddling a 32-byte boundary, reached by
     * falling through 15 compressed instructions from the line start. */
    TEST_NUM(2)
    li a4, 0
    li a5, 0
    .balign 32
    .rept 15
    c.addi a4, 1
    .endr
    addi a5, a4, 0x123      /* bytes 30..33 of the line */
    c.addi a5, 1
    CHECK_EQ(a4, 15)
    CHECK_EQ(a5, 0x133)

    /* The same at a 64-byte boundary, reached by a jump straight to it. */
    TEST_NUM(3)
    li a4, 0
    j 72f
    .balign 64
    .skip 62
72: addi a4, a4, 0x3c5      /* bytes 62..65 */
    c.addi a4, 1
    CHECK_EQ(a4, 0x3c6)

    /* A 32-bit instruction straddling a 4 KiB page boundary, reached by a
     * jump (test 4) and by falling through (test 5). QEMU 7.2 (Debian 12)
     * aborts on these (translator_access assertion); -DQEMU_PAGE_STRADDLE_QUIRK
     * leaves them out for cross-checking there. */
#ifndef QEMU_PAGE_STRADDLE_QUIRK
    TEST_NUM(4)
    li a4, 0
    j 72f
    .balign 4096
    .skip 4090
    c.li a4, 5              /* 4090 */
    c.addi a4, 2            /* 4092 */
72: lui a5, 0x12345         /* 4094..4097 */
    c.addi a4, 1
    addi a5, a5, 0x678
    CHECK_EQ(a4, 1)
    CHECK_EQ(a5, 0x12345678)

    TEST_NUM(5)
    li a4, 0
    li a5, 0
    j 71f
    .balign 4096
    .skip 4088
71: c.addi a5, 3            /* 4088 */
    c.nop                   /* 4090 */
    c.nop                   /* 4092 */
    addi a4, a5, 0x40       /* 4094..4097 */
    c.addi a4, 1
    CHECK_EQ(a4, 0x44)
#endif

    /* A loop whose body straddles a 32-byte line, entered at 2 mod 4. */
    TEST_NUM(6)
    li a4, 0
    li a5, 10
    j 71f
    .balign 32
    .skip 26
71: c.addi a4, 3            /* 26 */
    addi a4, a4, 100        /* 28..31 */
    addi a5, a5, -1         /* 32..35 */
    c.addi a4, -1           /* 36 */
    bnez a5, 71b            /* 38..41, branch at 2 mod 4 */
    li t6, 1020
    bne a4, t6, fail

    /* Back-to-back taken compressed branches and jumps at 2 mod 4 targets */
    TEST_NUM(7)
    li a4, 0
    li a5, 1
    .balign 4
    c.nop
    c.bnez a5, 71f
    c.addi a4, 1
71: c.bnez a5, 72f
    c.addi a4, 1
72: c.j 73f
    c.addi a4, 1
73: c.beqz a4, 74f
    c.addi a4, 1
74: beqz a4, 75f
    c.addi a4, 1
75: CHECK_EQ(a4, 0)

    /* jalr to targets at 2 mod 4 and to a straddling 32-bit instruction */
    TEST_NUM(8)
    la a1, 72f
    jalr ra, 0(a1)
    j fail
    .balign 4
    c.nop
72: c.li a4, 9              /* 2 mod 4 */
    CHECK_EQ(a4, 9)

    TEST_NUM(9)
    la a1, 72f
    c.jalr a1
    j fail
    .balign 32
    .skip 30
72: addi a4, x0, 0x2aa      /* straddles 32 bytes, jumped to */
    CHECK_EQ(a4, 0x2aa)

    /* A conditional 32-bit branch straddling a line, taken to a straddling target */
    TEST_NUM(10)
    li a4, 0
    li a1, 5
    li a2, 5
    j 71f
    .balign 32
    .skip 30
71: beq a1, a2, 72f         /* straddles */
    j fail
    .balign 32
    .skip 30
72: addi a4, a4, 77         /* straddles */
    CHECK_EQ(a4, 77)

    /* A compressed call chain across lines */
    TEST_NUM(11)
    li a0, 0
    call 81f
    call 82f
    CHECK_EQ(a0, 0x101)
    j 83f
    .balign 32
    .skip 30
81: addi a0, a0, 1          /* straddles */
    c.jr ra
    .skip 24
82: c.addi a0, 0            /* at 30 mod 32 */
    addi a0, a0, 0x100      /* straddles */
    ret
83:

TEST_END
