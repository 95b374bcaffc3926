/*
 * RV64M in the v environment (venv.h): multiply and divide in U-mode under Sv39
 * with demand paging. The cases are spread over nine code pages (more than the
 * VENV_NFRAMES frames with the data pages), the operands of some come from data
 * pages that are not mapped when they are loaded, and results stored to a page are
 * checked again after every page was evicted (written back, faulted in again).
 *
 * Cases: mul, mulh, mulhsu, mulhu, mulw; div, divu, rem, remu and the .w forms,
 * with the corner cases (division by zero, the most negative number by -1, signs
 * of the remainder).
 *
 * The counts checked are for the default pool of 8 frames (4..8 work too).
 *
 * QEMU 7.2: -DQEMU_SVADU_QUIRK (it sets D itself) leaves out the D-fault count.
 */
#include "venv.h"

#define MIN64 0x8000000000000000
#define CHECK_GT(reg, bound) li t6, bound; bleu reg, t6, fail
/* a4 = insn of the two doublewords on page k of ops (not mapped when loaded),
 * stored to results + 8 * k */
#define TEST_RR_MEM(testnum, insn, expected, k) \
    TEST_NUM(testnum) \
    VENV_EVICT_ALL; \
    la a1, ops + VENV_PGSIZE * (k); ld a2, 0(a1); ld a3, 8(a1); insn a4, a2, a3; \
    CHECK_EQ(a4, expected) \
    la a1, results + 8 * (k); sd a4, 0(a1)

VENV_CODE_BEGIN
    TEST_RR(1, mul, 0x0000000000001200, 0x0000000000000060, 0x0000000000000030)
    TEST_RR(2, mul, 0x0000000000000f00, 0x0000000000000030, 0x0000000000000050)
    TEST_RR(3, mul, 0xfffffffffffffffe, 0xffffffffffffffff, 2)
    TEST_RR(4, mul, MIN64, MIN64, 0xffffffffffffffff)
    TEST_RR(5, mul, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff)

    VENV_NEXT_PAGE
    TEST_RR(6, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 1)
    TEST_RR(7, mulh, 0xffffffffffffffff, MIN64, 1)
    TEST_RR(8, mulh, 0x4000000000000000, MIN64, MIN64)
    TEST_RR(9, mulhu, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(10, mulhu, 0x0000000000000001, 0x8000000000000000, 2)
    TEST_RR(11, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(12, mulhsu, 0x0000000000000000, 1, 0xffffffffffffffff)
    TEST_RR(13, mulhsu, 0xc000000000000000, MIN64, MIN64)

    VENV_NEXT_PAGE
    TEST_RR(14, mulw, 0x0000000000000001, 0xffffffffffffffff, 0xffffffffffffffff)
    TEST_RR(15, mulw, 0xffffffff80000000, 0x0000000040000000, 2)
    TEST_RR(16, mulw, 0x0000000000000006, 0x1234567800000002, 0xabcdef0000000003)

    VENV_NEXT_PAGE
    TEST_RR(20, div, 0xfffffffffffffffd, 20, -6)
    TEST_RR(21, div, 3, -20, -6)
    TEST_RR(22, div, 0xffffffffffffffff, 7, -7)
    TEST_RR(23, div, 0xffffffffffffffff, 5, 0)             /* by zero: -1 */
    TEST_RR(24, div, MIN64, MIN64, 0xffffffffffffffff)     /* overflow */
    TEST_RR(25, divu, 0x2aaaaaaaaaaaaaa7, -20, 6)
    TEST_RR(26, divu, 0xffffffffffffffff, 5, 0)

    VENV_NEXT_PAGE
    TEST_RR(27, rem, 2, 20, -6)
    TEST_RR(28, rem, 0xfffffffffffffffe, -20, 6)
    TEST_RR(29, rem, 5, 5, 0)                              /* by zero: the dividend */
    TEST_RR(30, rem, 0, MIN64, 0xffffffffffffffff)
    TEST_RR(31, remu, 2, -20, 6)
    TEST_RR(32, remu, 0xffffffffffffffec, -20, 0)

    VENV_NEXT_PAGE
    TEST_RR(33, divw, 0xfffffffffffffffd, 20, -6)
    TEST_RR(34, divw, 0xffffffff80000000, 0xffffffff80000000, 0xffffffffffffffff)
    TEST_RR(35, divw, 0xffffffffffffffff, 0x123400000005, 0x567800000000)
    TEST_RR(36, divuw, 0x000000002aaaaaa7, -20, 6)
    TEST_RR(37, divuw, 0xffffffffffffffff, 5, 0)
    TEST_RR(38, remw, 0xfffffffffffffffe, -20, 6)
    TEST_RR(39, remw, 0, 0xffffffff80000000, 0xffffffffffffffff)
    TEST_RR(40, remuw, 2, -20, 6)
    TEST_RR(41, remuw, 0xffffffffffffffec, -20, 0)

    VENV_NEXT_PAGE
    /* operands from pages not mapped, results to another page */
    TEST_RR_MEM(50, mul, 0x2236d88fe5618cf0, 0)
    TEST_RR_MEM(51, mulhu, 0x00000000000000ff, 1)
    TEST_RR_MEM(52, div, 0xfffffffffffffe00, 2)
    TEST_RR_MEM(53, remu, 0x0000000000000007, 3)

    VENV_NEXT_PAGE
    TEST_NUM(54)                        /* the results went through the image */
    VENV_EVICT_ALL
    la a1, results
    ld a4, 0(a1)
    CHECK_EQ(a4, 0x2236d88fe5618cf0)
    ld a4, 8(a1)
    CHECK_EQ(a4, 0x00000000000000ff)
    ld a4, 16(a1)
    CHECK_EQ(a4, 0xfffffffffffffe00)
    ld a4, 24(a1)
    CHECK_EQ(a4, 0x0000000000000007)

    VENV_NEXT_PAGE
    TEST_NUM(55)
    VENV_GET_STAT(VENV_ST_FAULTS)
    CHECK_GT(a0, 2 * VENV_NFRAMES)
    TEST_NUM(56)
    VENV_GET_STAT(VENV_ST_WBACKS)
    CHECK_GT(a0, 3)
#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(57)
    VENV_GET_STAT(VENV_ST_DSETS)
    CHECK_GT(a0, 3)
#endif
VENV_CODE_END

VENV_DATA_BEGIN
    .dword 0                            /* page 0: nothing used */
    .balign VENV_PGSIZE
ops:
    .dword 0x0123456789abcdef, 0xfedcba9876543210 /* mul */
    .balign VENV_PGSIZE
    .dword 0xff00000000000000, 0x0000000000000100 /* mulhu */
    .balign VENV_PGSIZE
    .dword 0xfffffffffffe0000, 0x0000000000000100 /* div: -131072 / 256 = -512 */
    .balign VENV_PGSIZE
    .dword 0x0000000000000007, 0x0000000000000010 /* remu */
    .balign VENV_PGSIZE
results:
    .skip 32
VENV_DATA_END
