/*
 * RV64A: every AMO (swap, add, and, or, xor, min, max, minu, maxu) in .w and
 * .d forms with the aq / rl bits in all combinations, checking the old value
 * returned (sign-extended for .w), the value left in memory and that a .w
 * leaves the other half of the doubleword alone; rd = x0 and rd = rs2;
 * lr / sc success and failure (sc with no reservation, a second sc, sc to
 * another address), lr.w sign extension, an lr / sc retry loop, and the
 * address-misaligned traps of misaligned lr / sc / amo.
 */
#include "test_macros.h"

/* Memory holds mem_init in its low word (upper word a fixed pattern); run
 * insn with rs2 = operand; rd must be old, the word new, the upper word kept. */
#define TEST_AMO_W(testnum, insn, old, new, mem_init, operand) \
    TEST_NUM(testnum) \
    la a1, amo_data; \
    li a2, 0xa5a5a5a5a5a5a5a5; sd a2, 0(a1); \
    li a2, mem_init; sw a2, 0(a1); \
    li a3, operand; \
    insn a4, a3, (a1); \
    CHECK_EQ(a4, old) \
    lwu a5, 0(a1); CHECK_EQ(a5, new) \
    lwu a5, 4(a1); CHECK_EQ(a5, 0xa5a5a5a5)

#define TEST_AMO_D(testnum, insn, old, new, mem_init, operand) \
    TEST_NUM(testnum) \
    la a1, amo_data; \
    li a2, mem_init; sd a2, 0(a1); \
    li a3, operand; \
    insn a4, a3, (a1); \
    CHECK_EQ(a4, old) \
    ld a5, 0(a1); CHECK_EQ(a5, new)

TEST_BEGIN

    /* amoswap.w / amoswap.d */
    TEST_AMO_W(1, amoswap.w, 0xffffffff89abcdef, 0x76543210, 0x89abcdef, 0x76543210)
    TEST_AMO_W(2, amoswap.w.aq, 0xffffffffffffffff, 0x1, 0xffffffff, 0x1)
    TEST_AMO_W(3, amoswap.w.rl, 0xffffffff80000000, 0x7fffffff, 0x80000000, 0x7fffffff)
    TEST_AMO_W(4, amoswap.w.aqrl, 0x5, 0xffffffff, 0x5, 0xffffffff)
    TEST_AMO_W(5, amoswap.w, 0x7fffffff, 0x1, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(6, amoswap.d.aq, 0x123456789abcdef, 0xfedcba9876543210, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(7, amoswap.d.rl, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(8, amoswap.d.aqrl, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(9, amoswap.d, 0x5, 0xffffffffffffffff, 0x5, 0xffffffffffffffff)

    /* amoadd.w / amoadd.d */
    TEST_AMO_W(10, amoadd.w.aq, 0xffffffff89abcdef, 0xffffffff, 0x89abcdef, 0x76543210)
    TEST_AMO_W(11, amoadd.w.rl, 0xffffffffffffffff, 0x0, 0xffffffff, 0x1)
    TEST_AMO_W(12, amoadd.w.aqrl, 0xffffffff80000000, 0xffffffff, 0x80000000, 0x7fffffff)
    TEST_AMO_W(13, amoadd.w, 0x5, 0x4, 0x5, 0xffffffff)
    TEST_AMO_W(14, amoadd.w.aq, 0x7fffffff, 0x80000000, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(15, amoadd.d.rl, 0x123456789abcdef, 0xffffffffffffffff, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(16, amoadd.d.aqrl, 0xffffffffffffffff, 0x0, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(17, amoadd.d, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(18, amoadd.d.aq, 0x5, 0x4, 0x5, 0xffffffffffffffff)

    /* amoand.w / amoand.d */
    TEST_AMO_W(19, amoand.w.rl, 0xffffffff89abcdef, 0x0, 0x89abcdef, 0x76543210)
    TEST_AMO_W(20, amoand.w.aqrl, 0xffffffffffffffff, 0x1, 0xffffffff, 0x1)
    TEST_AMO_W(21, amoand.w, 0xffffffff80000000, 0x0, 0x80000000, 0x7fffffff)
    TEST_AMO_W(22, amoand.w.aq, 0x5, 0x5, 0x5, 0xffffffff)
    TEST_AMO_W(23, amoand.w.rl, 0x7fffffff, 0x1, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(24, amoand.d.aqrl, 0x123456789abcdef, 0x0, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(25, amoand.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(26, amoand.d.aq, 0x8000000000000000, 0x0, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(27, amoand.d.rl, 0x5, 0x5, 0x5, 0xffffffffffffffff)

    /* amoor.w / amoor.d */
    TEST_AMO_W(28, amoor.w.aqrl, 0xffffffff89abcdef, 0xffffffff, 0x89abcdef, 0x76543210)
    TEST_AMO_W(29, amoor.w, 0xffffffffffffffff, 0xffffffff, 0xffffffff, 0x1)
    TEST_AMO_W(30, amoor.w.aq, 0xffffffff80000000, 0xffffffff, 0x80000000, 0x7fffffff)
    TEST_AMO_W(31, amoor.w.rl, 0x5, 0xffffffff, 0x5, 0xffffffff)
    TEST_AMO_W(32, amoor.w.aqrl, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(33, amoor.d, 0x123456789abcdef, 0xffffffffffffffff, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(34, amoor.d.aq, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(35, amoor.d.rl, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(36, amoor.d.aqrl, 0x5, 0xffffffffffffffff, 0x5, 0xffffffffffffffff)

    /* amoxor.w / amoxor.d */
    TEST_AMO_W(37, amoxor.w, 0xffffffff89abcdef, 0xffffffff, 0x89abcdef, 0x76543210)
    TEST_AMO_W(38, amoxor.w.aq, 0xffffffffffffffff, 0xfffffffe, 0xffffffff, 0x1)
    TEST_AMO_W(39, amoxor.w.rl, 0xffffffff80000000, 0xffffffff, 0x80000000, 0x7fffffff)
    TEST_AMO_W(40, amoxor.w.aqrl, 0x5, 0xfffffffa, 0x5, 0xffffffff)
    TEST_AMO_W(41, amoxor.w, 0x7fffffff, 0x7ffffffe, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(42, amoxor.d.aq, 0x123456789abcdef, 0xffffffffffffffff, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(43, amoxor.d.rl, 0xffffffffffffffff, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(44, amoxor.d.aqrl, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(45, amoxor.d, 0x5, 0xfffffffffffffffa, 0x5, 0xffffffffffffffff)

    /* amomin.w / amomin.d */
    TEST_AMO_W(46, amomin.w.aq, 0xffffffff89abcdef, 0x89abcdef, 0x89abcdef, 0x76543210)
    TEST_AMO_W(47, amomin.w.rl, 0xffffffffffffffff, 0xffffffff, 0xffffffff, 0x1)
    TEST_AMO_W(48, amomin.w.aqrl, 0xffffffff80000000, 0x80000000, 0x80000000, 0x7fffffff)
    TEST_AMO_W(49, amomin.w, 0x5, 0xffffffff, 0x5, 0xffffffff)
    TEST_AMO_W(50, amomin.w.aq, 0x7fffffff, 0x1, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(51, amomin.d.rl, 0x123456789abcdef, 0xfedcba9876543210, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(52, amomin.d.aqrl, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(53, amomin.d, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(54, amomin.d.aq, 0x5, 0xffffffffffffffff, 0x5, 0xffffffffffffffff)

    /* amomax.w / amomax.d */
    TEST_AMO_W(55, amomax.w.rl, 0xffffffff89abcdef, 0x76543210, 0x89abcdef, 0x76543210)
    TEST_AMO_W(56, amomax.w.aqrl, 0xffffffffffffffff, 0x1, 0xffffffff, 0x1)
    TEST_AMO_W(57, amomax.w, 0xffffffff80000000, 0x7fffffff, 0x80000000, 0x7fffffff)
    TEST_AMO_W(58, amomax.w.aq, 0x5, 0x5, 0x5, 0xffffffff)
    TEST_AMO_W(59, amomax.w.rl, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(60, amomax.d.aqrl, 0x123456789abcdef, 0x123456789abcdef, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(61, amomax.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(62, amomax.d.aq, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(63, amomax.d.rl, 0x5, 0x5, 0x5, 0xffffffffffffffff)

    /* amominu.w / amominu.d */
    TEST_AMO_W(64, amominu.w.aqrl, 0xffffffff89abcdef, 0x76543210, 0x89abcdef, 0x76543210)
    TEST_AMO_W(65, amominu.w, 0xffffffffffffffff, 0x1, 0xffffffff, 0x1)
    TEST_AMO_W(66, amominu.w.aq, 0xffffffff80000000, 0x7fffffff, 0x80000000, 0x7fffffff)
    TEST_AMO_W(67, amominu.w.rl, 0x5, 0x5, 0x5, 0xffffffff)
    TEST_AMO_W(68, amominu.w.aqrl, 0x7fffffff, 0x1, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(69, amominu.d, 0x123456789abcdef, 0x123456789abcdef, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(70, amominu.d.aq, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(71, amominu.d.rl, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(72, amominu.d.aqrl, 0x5, 0x5, 0x5, 0xffffffffffffffff)

    /* amomaxu.w / amomaxu.d */
    TEST_AMO_W(73, amomaxu.w, 0xffffffff89abcdef, 0x89abcdef, 0x89abcdef, 0x76543210)
    TEST_AMO_W(74, amomaxu.w.aq, 0xffffffffffffffff, 0xffffffff, 0xffffffff, 0x1)
    TEST_AMO_W(75, amomaxu.w.rl, 0xffffffff80000000, 0x80000000, 0x80000000, 0x7fffffff)
    TEST_AMO_W(76, amomaxu.w.aqrl, 0x5, 0xffffffff, 0x5, 0xffffffff)
    TEST_AMO_W(77, amomaxu.w, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x123400000001)
    TEST_AMO_D(78, amomaxu.d.aq, 0x123456789abcdef, 0xfedcba9876543210, 0x123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(79, amomaxu.d.rl, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    TEST_AMO_D(80, amomaxu.d.aqrl, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(81, amomaxu.d, 0x5, 0xffffffffffffffff, 0x5, 0xffffffffffffffff)

    /* .w on the upper word of a doubleword; rd = x0; rd = rs2 */
    TEST_NUM(82)
    la a1, amo_data
    li a2, 0x7fffffff00000001
    sd a2, 0(a1)
    li a3, 1
    addi a1, a1, 4
    amoadd.w a4, a3, (a1)
    CHECK_EQ(a4, 0x7fffffff)
    ld a5, -4(a1)
    CHECK_EQ(a5, 0x8000000000000001)

    TEST_NUM(83)
    la a1, amo_data
    li a2, 40
    sd a2, 0(a1)
    li a3, 2
    amoadd.d x0, a3, (a1)
    ld a5, 0(a1)
    CHECK_EQ(a5, 42)
    CHECK_EQ(x0, 0)

    TEST_NUM(84)
    la a1, amo_data
    li a2, 0x1111
    sd a2, 0(a1)
    li a3, 0x2222
    amoswap.d a3, a3, (a1)
    CHECK_EQ(a3, 0x1111)
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x2222)

    TEST_NUM(85)        /* back-to-back dependent AMOs */
    la a1, amo_data
    sd zero, 0(a1)
    li a3, 3
    amoadd.d a4, a3, (a1)
    amoadd.d a4, a3, (a1)
    amoadd.d a4, a4, (a1)
    CHECK_EQ(a4, 6)
    ld a5, 0(a1)
    CHECK_EQ(a5, 9)

    /* lr / sc */
    TEST_NUM(86)        /* sc with no reservation at all fails and writes nothing */
    la a1, lr_data
    li a2, 0x77
    sd a2, 0(a1)
    li a3, 0x99
    sc.d a4, a3, (a1)
    beqz a4, fail
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x77)

    TEST_NUM(87)        /* lr.d / sc.d succeed */
    la a1, lr_data
    lr.d a4, (a1)
    CHECK_EQ(a4, 0x77)
    li a3, 0x1234567890
    sc.d a5, a3, (a1)
    bnez a5, fail
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x1234567890)

    TEST_NUM(88)        /* a second sc after a successful one fails */
    la a1, lr_data
    li a3, 0x55
    sc.d a4, a3, (a1)
    beqz a4, fail
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x1234567890)

    TEST_NUM(89)        /* lr.w sign-extends; sc.w writes only its word */
    la a1, lr_data
    li a2, 0x0123456780000000
    sd a2, 0(a1)
    lr.w a4, (a1)
    CHECK_EQ(a4, 0xffffffff80000000)
    li a3, 0xffffffffcafef00d
    sc.w a5, a3, (a1)
    bnez a5, fail
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x01234567cafef00d)

    TEST_NUM(90)        /* sc to another address than the lr fails */
    la a1, lr_data
    li a2, 0x10
    sd a2, 8(a1)
    lr.d a4, (a1)
    addi a2, a1, 8
    li a3, 0x20
    sc.d a4, a3, (a2)
    beqz a4, fail
    ld a5, 8(a1)
    CHECK_EQ(a5, 0x10)

    TEST_NUM(91)        /* sc.w with no reservation fails */
    la a1, lr_data
    li a3, 0
    sc.w a4, a3, (a1)
    beqz a4, fail
    lw a5, 0(a1)
    CHECK_EQ(a5, 0xffffffffcafef00d)

    TEST_NUM(92)        /* aq / rl forms */
    la a1, lr_data
    lr.d.aq a4, (a1)
    sc.d.rl a5, a4, (a1)
    bnez a5, fail
    lr.w.aqrl a4, (a1)
    sc.w.aqrl a5, a4, (a1)
    bnez a5, fail
    lr.d.aqrl a4, (a1)
    sc.d.aq a5, a4, (a1)
    bnez a5, fail
    lr.w.aq a4, (a1)
    sc.w.rl a5, a4, (a1)
    bnez a5, fail

    TEST_NUM(93)        /* an lr / sc retry loop: atomic increment, 10 times */
    la a1, lr_data
    sd zero, 0(a1)
    li a2, 10
71: lr.d a4, (a1)
    addi a4, a4, 1
    sc.d a5, a4, (a1)
    bnez a5, 71b
    addi a2, a2, -1
    bnez a2, 71b
    ld a5, 0(a1)
    CHECK_EQ(a5, 10)

    /* misaligned lr / sc / amo always trap; memory is unchanged */
    TEST_NUM(94)
    la a1, amo_data
    li a2, 0x1122334455667788
    sd a2, 0(a1)
    sd a2, 8(a1)
    addi a1, a1, 4
    mv t4, a1
    EXPECT_TRAP_TVAL(CAUSE_LOAD_MISALIGNED, 71f, 72f, t4)
71: lr.d a4, (a1)
72: CHECK_TRAP_TAKEN
    TEST_NUM(95)
    addi a1, a1, -2
    mv t4, a1
    EXPECT_TRAP_TVAL(CAUSE_LOAD_MISALIGNED, 71f, 72f, t4)
71: lr.w a4, (a1)
72: CHECK_TRAP_TAKEN
    TEST_NUM(96)        /* a misaligned sc (with no reservation) traps, or at */
    li a4, 0            /* least fails: QEMU checks the reservation first */
    EXPECT_TRAP_TVAL(CAUSE_STORE_MISALIGNED, 71f, 72f, t4)
71: sc.w a4, a2, (a1)
72: DISARM_TRAP         /* t5 = 1 if no trap was taken: then sc must have failed */
    beqz t5, 73f
    beqz a4, fail
73:
    TEST_NUM(97)
    EXPECT_TRAP_TVAL(CAUSE_AMO_MISALIGNED, 71f, 72f, t4)
71: amoadd.w a4, a2, (a1)
72: CHECK_TRAP_TAKEN
    TEST_NUM(98)
    addi a1, a1, 3
    mv t4, a1
    EXPECT_TRAP_TVAL(CAUSE_AMO_MISALIGNED, 71f, 72f, t4)
71: amoswap.d a4, a2, (a1)
72: CHECK_TRAP_TAKEN
    TEST_NUM(99)
    EXPECT_TRAP_TVAL(CAUSE_AMO_MISALIGNED, 71f, 72f, t4)
71: amomaxu.d a4, a2, (a1)
72: CHECK_TRAP_TAKEN
    TEST_NUM(100)
    la a1, amo_data
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x1122334455667788)
    ld a5, 8(a1)
    CHECK_EQ(a5, 0x1122334455667788)

    /* Implementation-defined SC outcomes, as this core defines them (lockstep's
       sc-reservation rule): the reservation covers exactly the LR's bytes, and any
       trap drops it. */
    TEST_NUM(101)                   /* LR.W then SC.D at the same address: fails */
    la a1, lr_data
    li a2, 0x5151
    lr.w a3, (a1)
    sc.d a4, a2, (a1)
    CHECK_EQ(a4, 1)
    ld a5, 0(a1)
    li t4, 0x5151
    beq a5, t4, fail
    TEST_NUM(102)                   /* a trap between LR and SC: fails */
    lr.d a3, (a1)
    EXPECT_TRAP(CAUSE_ECALL_M, 71f, 72f)
71: ecall
72: CHECK_TRAP_TAKEN
    sc.d a4, a2, (a1)
    CHECK_EQ(a4, 1)
    ld a5, 0(a1)
    li t4, 0x5151
    beq a5, t4, fail
    TEST_NUM(103)                   /* and with neither, it succeeds */
    lr.d a3, (a1)
    sc.d a4, a2, (a1)
    CHECK_EQ(a4, 0)
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x5151)

TEST_END

    .data
    .balign 16
amo_data:
    .dword 0, 0
lr_data:
    .dword 0, 0
