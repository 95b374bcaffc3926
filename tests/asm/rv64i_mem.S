/*
 * RV64I loads and stores: every size with sign / zero extension, positive and
 * negative offsets, narrow stores that keep their neighbours, store-then-load
 * of other widths, load-use distances, loads into x0, fence variants, and
 * fence.i over self-modifying code (code run once, patched by word and by
 * halfword stores, the instruction right after fence.i, a compressed one).
 * Uncompressed encodings except the patched compressed function.
 */
#include "test_macros.h"

TEST_BEGIN
    .option norvc

    /* loads: every size, sign / zero extension, positive and negative offsets */
    TEST_LOAD(1, lb, 0xffffffffffffff81, 0, ld_data)
    TEST_LOAD(2, lb, 0x72, 1, ld_data)
    TEST_LOAD(3, lb, 0xffffffffffffffe3, 2, ld_data)
    TEST_LOAD(4, lb, 0x54, 3, ld_data)
    TEST_LOAD(5, lb, 0xffffffffffffffc5, 4, ld_data)
    TEST_LOAD(6, lb, 0x36, 5, ld_data)
    TEST_LOAD(7, lb, 0xffffffffffffffa7, 6, ld_data)
    TEST_LOAD(8, lb, 0x18, 7, ld_data)
    TEST_LOAD(9, lb, 0xfffffffffffffff9, 8, ld_data)
    TEST_LOAD(10, lb, 0xa, 9, ld_data)
    TEST_LOAD(11, lb, 0x7b, 10, ld_data)
    TEST_LOAD(12, lb, 0xffffffffffffff8c, 11, ld_data)
    TEST_LOAD(13, lb, 0x1d, 12, ld_data)
    TEST_LOAD(14, lb, 0x6e, 13, ld_data)
    TEST_LOAD(15, lb, 0xffffffffffffffff, 14, ld_data)
    TEST_LOAD(16, lb, 0x0, 15, ld_data)
    TEST_LOAD(17, lb, 0x0, -1, ld_data_end)
    TEST_LOAD(18, lbu, 0x81, 0, ld_data)
    TEST_LOAD(19, lbu, 0x72, 1, ld_data)
    TEST_LOAD(20, lbu, 0xe3, 2, ld_data)
    TEST_LOAD(21, lbu, 0x54, 3, ld_data)
    TEST_LOAD(22, lbu, 0xc5, 4, ld_data)
    TEST_LOAD(23, lbu, 0x36, 5, ld_data)
    TEST_LOAD(24, lbu, 0xa7, 6, ld_data)
    TEST_LOAD(25, lbu, 0x18, 7, ld_data)
    TEST_LOAD(26, lbu, 0xf9, 8, ld_data)
    TEST_LOAD(27, lbu, 0xa, 9, ld_data)
    TEST_LOAD(28, lbu, 0x7b, 10, ld_data)
    TEST_LOAD(29, lbu, 0x8c, 11, ld_data)
    TEST_LOAD(30, lbu, 0x1d, 12, ld_data)
    TEST_LOAD(31, lbu, 0x6e, 13, ld_data)
    TEST_LOAD(32, lbu, 0xff, 14, ld_data)
    TEST_LOAD(33, lbu, 0x0, 15, ld_data)
    TEST_LOAD(34, lbu, 0x0, -1, ld_data_end)
    TEST_LOAD(35, lh, 0x7281, 0, ld_data)
    TEST_LOAD(36, lh, 0x54e3, 2, ld_data)
    TEST_LOAD(37, lh, 0x36c5, 4, ld_data)
    TEST_LOAD(38, lh, 0x18a7, 6, ld_data)
    TEST_LOAD(39, lh, 0xaf9, 8, ld_data)
    TEST_LOAD(40, lh, 0xffffffffffff8c7b, 10, ld_data)
    TEST_LOAD(41, lh, 0x6e1d, 12, ld_data)
    TEST_LOAD(42, lh, 0xff, 14, ld_data)
    TEST_LOAD(43, lh, 0xff, -2, ld_data_end)
    TEST_LOAD(44, lhu, 0x7281, 0, ld_data)
    TEST_LOAD(45, lhu, 0x54e3, 2, ld_data)
    TEST_LOAD(46, lhu, 0x36c5, 4, ld_data)
    TEST_LOAD(47, lhu, 0x18a7, 6, ld_data)
    TEST_LOAD(48, lhu, 0xaf9, 8, ld_data)
    TEST_LOAD(49, lhu, 0x8c7b, 10, ld_data)
    TEST_LOAD(50, lhu, 0x6e1d, 12, ld_data)
    TEST_LOAD(51, lhu, 0xff, 14, ld_data)
    TEST_LOAD(52, lhu, 0xff, -2, ld_data_end)
    TEST_LOAD(53, lw, 0x54e37281, 0, ld_data)
    TEST_LOAD(54, lw, 0x18a736c5, 4, ld_data)
    TEST_LOAD(55, lw, 0xffffffff8c7b0af9, 8, ld_data)
    TEST_LOAD(56, lw, 0xff6e1d, 12, ld_data)
    TEST_LOAD(57, lw, 0xff6e1d, -4, ld_data_end)
    TEST_LOAD(58, lwu, 0x54e37281, 0, ld_data)
    TEST_LOAD(59, lwu, 0x18a736c5, 4, ld_data)
    TEST_LOAD(60, lwu, 0x8c7b0af9, 8, ld_data)
    TEST_LOAD(61, lwu, 0xff6e1d, 12, ld_data)
    TEST_LOAD(62, lwu, 0xff6e1d, -4, ld_data_end)
    TEST_LOAD(63, ld, 0x18a736c554e37281, 0, ld_data)
    TEST_LOAD(64, ld, 0xff6e1d8c7b0af9, 8, ld_data)
    TEST_LOAD(65, ld, 0xff6e1d8c7b0af9, -8, ld_data_end)

    /* stores of every size read back at the same size (sign extension) */
    TEST_STORE(66, lb, sb, 0xffffffffffffffaa, 0xaa, 0, st_data)
    TEST_STORE(67, lbu, sb, 0xaa, 0xaa, 1, st_data)
    TEST_STORE(68, lb, sb, 0x7f, 0x1234567f, 7, st_data)
    TEST_STORE(69, lh, sh, 0xffffffffffffbeef, 0xbeef, 2, st_data)
    TEST_STORE(70, lhu, sh, 0xbeef, 0xffffbeef, 6, st_data)
    TEST_STORE(71, lw, sw, 0xffffffffdeadbeef, 0xdeadbeef, 4, st_data)
    TEST_STORE(72, lwu, sw, 0xdeadbeef, 0x11deadbeef, 12, st_data)
    TEST_STORE(73, lw, sw, 0x7eadbeef, 0x7eadbeef, 8, st_data)
    TEST_STORE(74, ld, sd, 0x0123456789abcdef, 0x0123456789abcdef, 16, st_data)
    TEST_STORE(75, ld, sd, 0xfedcba9876543210, 0xfedcba9876543210, -8, st_data_end)
    TEST_STORE(76, lhu, sh, 0x5a5a, 0x5a5a, -2, st_data_end)
    TEST_STORE(77, lbu, sb, 0x33, 0x33, -9, st_data_end)

    /* narrow stores leave the neighbouring bytes alone */
    TEST_CASE(78, a4, 0x1122334455667788, \
        la a1, st_data; li a2, 0x1122334455667788; sd a2, 0(a1); ld a4, 0(a1))
    TEST_CASE(79, a4, 0x11223344556677ab, \
        la a1, st_data; li a2, 0xab; sb a2, 0(a1); ld a4, 0(a1))
    TEST_CASE(80, a4, 0x1122cdef556677ab, \
        la a1, st_data; li a2, 0xcdef; sh a2, 4(a1); ld a4, 0(a1))
    TEST_CASE(81, a4, 0xfedcba98556677ab, \
        la a1, st_data; li a2, 0xfedcba98; sw a2, 4(a1); ld a4, 0(a1))
    TEST_CASE(82, a4, 0xfedcba98550177ab, \
        la a1, st_data; li a2, 0x01; sb a2, 2(a1); ld a4, 0(a1))
    TEST_CASE(83, a4, 0xfedcba98550177ab, \
        la a1, st_data; ld a4, 0(a1); ld a5, 8(a1); sd a4, 8(a1); ld a4, 8(a1))

    /* a load right after a store to the same / an overlapping address */
    TEST_CASE(84, a4, 0x99, la a1, st_data; li a2, 0x12345699; sw a2, 0(a1); lbu a4, 0(a1))
    TEST_CASE(85, a4, 0x34, la a1, st_data; li a2, 0x12345699; sw a2, 0(a1); lbu a4, 2(a1))
    TEST_CASE(86, a4, 0xfedcba9812345699, la a1, st_data; li a2, 0x12345699; sw a2, 0(a1); ld a4, 0(a1))
    TEST_CASE(87, a4, 0xffffffffffff8000, la a1, st_data; li a2, 0x8000; sh a2, 6(a1); lh a4, 6(a1))

    /* load-use distances; value produced right before a store */
    TEST_LOAD_USE(88, 0, ld, 0x18a736c554e37281, 0, ld_data)
    TEST_LOAD_USE(89, 1, lw, 0x54e37281, 0, ld_data)
    TEST_LOAD_USE(90, 2, lbu, 0xf9, 8, ld_data)
    TEST_CASE(91, a4, 0x77, la a1, st_data; li a2, 0x70; addi a2, a2, 7; sb a2, 0(a1); lbu a4, 0(a1))
    TEST_CASE(92, a4, 0x70, la a1, st_data; ld a2, 8(a1); addi a1, a1, 8; sb x0, 0(a1); li a2, 0x70; sb a2, 0(a1); lbu a4, 0(a1))

    /* loads into x0 are discarded (the access still happens) */
    TEST_CASE(93, x0, 0, la a1, ld_data; ld x0, 0(a1))
    TEST_CASE(94, x0, 0, la a1, ld_data; lb x0, 0(a1))
    /* base register overwritten by the load */
    TEST_CASE(95, a1, 0x18a736c554e37281, la a1, ld_data; ld a1, 0(a1))

    /* fences */
    TEST_NUM(96)
    fence
    fence rw, rw
    fence iorw, iorw
    fence r, w
    fence.tso
    fence.i

    /* fence.i: self-modifying code, already executed once before the change */
    TEST_NUM(97)
    li a0, 0
    call smc_func
    CHECK_EQ(a0, 1)
    la a1, smc_func
    la a2, smc_template
    lw a3, 0(a2)
    sw a3, 0(a1)
    fence.i
    call smc_func
    CHECK_EQ(a0, 0x101)

    TEST_NUM(98)        /* patched with two halfword stores, then run again */
    la a1, smc_func
    la a2, smc_template2
    lhu a3, 0(a2)
    sh a3, 0(a1)
    lhu a3, 2(a2)
    sh a3, 2(a1)
    fence.i
    li a0, 3
    call smc_func
    CHECK_EQ(a0, 0xfffffffffffffffe)

    TEST_NUM(99)        /* the very next instruction after fence.i is patched */
    la a1, 71f
    la a2, smc_template3
    lw a3, 0(a2)
    sw a3, 0(a1)
    fence.i
71: li a0, 1
    CHECK_EQ(a0, 42)

    TEST_NUM(100)       /* a compressed instruction patched in a loop that runs it twice */
    li a4, 0
    li a5, 2
72: jal ra, smc_cfunc
    add a4, a4, a0
    la a1, smc_cfunc
    la a2, smc_ctemplate
    lhu a3, 0(a2)
    sh a3, 0(a1)
    fence.i
    addi a5, a5, -1
    bnez a5, 72b
    CHECK_EQ(a4, 8)     /* 1 before the patch, 7 after */
    j 79f

    /* code patched above, and the templates (never executed in place) */
smc_func:
    addi a0, a0, 1
    ret
smc_template:
    addi a0, a0, 0x100
smc_template2:
    addi a0, x0, -2
smc_template3:
    addi a0, x0, 42
    .option rvc
smc_cfunc:
    c.li a0, 1
    c.jr ra
smc_ctemplate:
    c.li a0, 7
    .option norvc
    .balign 4
79:

    .option rvc
TEST_END

    .data
    .balign 16
ld_data:
    .byte 0x81, 0x72, 0xe3, 0x54, 0xc5, 0x36, 0xa7, 0x18
    .byte 0xf9, 0x0a, 0x7b, 0x8c, 0x1d, 0x6e, 0xff, 0x00
ld_data_end:
    .balign 16
st_data:
    .skip 32
st_data_end:
