/*
 * RV64I in the v environment (venv.h): the test runs in U-mode under Sv39 at user
 * virtual addresses that the kernel maps on demand from a pool of VENV_NFRAMES (8)
 * frames. The user image is 14 code pages (12 without the straddle case) and 8 data
 * pages (test data, six of a pattern, the stack), so pages are evicted and faulted
 * in again all along.
 *
 * Cases: running in U at a user VA; register-register and immediate arithmetic,
 * logic, shifts (also the .w forms), lui, auipc; loads and stores of every width;
 * misaligned loads and stores within a page; misaligned loads and stores that span
 * two pages, with the pages evicted first so that the access faults on the page of
 * either part; a 32-bit instruction straddling two pages (its second half on a page
 * not mapped); a branch whose target is on the next page; every branch, taken and
 * not; jal / jalr (link values are user VAs, jalr clears bit 0) and calls to other
 * pages; dirty pages written back on eviction and read back after refaulting; a
 * loop over more pages than frames; the kernel's counters (faults, evictions,
 * write-backs, D-setting store faults of Svade).
 *
 * The counts checked are for the default pool of 8 frames (4..8 work too).
 *
 * QEMU 7.2: -DQEMU_SVADU_QUIRK (it sets D itself) and -DQEMU_PAGE_STRADDLE_QUIRK
 * (it aborts on instructions straddling pages) leave those cases out.
 */
#include "venv.h"

/* The pattern pages 1..6 (page 0 holds the other test data): the doubleword at
 * offset off of page i. Every byte depends on i; none of the low ones is 0. */
#define UPAT(i, off) ((((0x50 + (i))) << 56) | ((off) << 32) | (0x3c << 24) | \
    ((i) << 16) | ((i) << 12) | (off) | (i))
#define DP(i) (dpat + ((i) - 1) * VENV_PGSIZE)
#define MARK(i) (0x1111111111111111 * (i))

/* Store value at off(base) after zeroing the 16 bytes at base (8-aligned); the
 * two doublewords must then be lo and hi. */
#define TEST_MSTORE(testnum, store, value, off, base, lo, hi) \
    TEST_NUM(testnum) \
    la a1, base; sd zero, 0(a1); sd zero, 8(a1); \
    li a2, value; store a2, off(a1); \
    ld a4, 0(a1); CHECK_EQ(a4, lo) \
    ld a4, 8(a1); CHECK_EQ(a4, hi)

/* insn at label + off must load expected */
#define TEST_LOAD_AT(testnum, insn, expected, label, off) \
    TEST_CASE(testnum, a4, expected, la a1, label + (off); insn a4, 0(a1))

#define MARK_PUT(i) la a1, DP(i); li a2, MARK(i); sd a2, 0x100 * (i)(a1)
#define MARK_CHECK(i) \
    la a1, DP(i); ld a4, 0x100 * (i)(a1); CHECK_EQ(a4, MARK(i)) \
    ld a4, 0x100 * (i) + 8(a1); CHECK_EQ(a4, UPAT(i, 0x100 * (i) + 8))
/* lower bound: reg > bound */
#define CHECK_GT(reg, bound) li t6, bound; bleu reg, t6, fail

VENV_CODE_BEGIN

    /* ---- where we are; arithmetic ---- */
    TEST_NUM(1)                         /* pc and sp are user VAs, below the kernel */
    auipc a4, 0
    li t6, VENV_UOFF
    bgeu a4, t6, fail
    bgeu sp, t6, fail
    li t6, VENV_PGSIZE
    bltu a4, t6, fail                   /* page 0 is the kernel's */
    bltu sp, t6, fail

    TEST_RR(2, add, 0x00000000ffffffff, 0x7fffffff, 0x80000000)
    TEST_RR(3, add, 0, -1, 1)
    TEST_RR(4, sub, 0xffffffffffffffff, 0, 1)
    TEST_RR(5, addw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_RR(6, subw, 0x000000007fffffff, 0xffffffff80000000, 1)
    TEST_IMM(7, addi, 0xfffffffffffff800, 0, -2048)
    TEST_IMM(8, addiw, 0xffffffff80000000, 0x7fffffff, 1)
    TEST_CASE(9, a4, 0xfffffffffffff000, lui a4, 0xfffff)
    TEST_CASE(10, a4, 0x000000007ffff000, lui a4, 0x7ffff)
    TEST_RR(11, slt, 1, -1, 0)
    TEST_RR(12, sltu, 0, -1, 0)
    TEST_IMM(13, slti, 0, 0, -1)
    TEST_IMM(14, sltiu, 1, 0, -1)
    TEST_RR(15, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(16, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(17, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
    TEST_IMM(18, andi, 0xf0, 0xff00fff0, 0x0f0)
    TEST_IMM(19, ori, 0xfffffffffffff80f, 0xf, -2048)
    TEST_IMM(20, xori, 0xffffffffff00f00f, 0x0000000000ff0ff0, -1)

    VENV_NEXT_PAGE
    /* ---- shifts, auipc, forwarding ---- */
    TEST_RR(21, sll, 0x8000000000000000, 1, 63)
    TEST_RR(22, srl, 1, 0x8000000000000000, 63)
    TEST_RR(23, sra, 0xffffffffffffffff, 0x8000000000000000, 63)
    TEST_RR(24, sll, 2, 1, 65)          /* only 6 bits of the amount */
    TEST_IMM(25, slli, 0x0000000100000000, 1, 32)
    TEST_IMM(26, srli, 0x00000000ffffffff, 0xffffffffffffffff, 32)
    TEST_IMM(27, srai, 0xffffffff80000000, 0x8000000000000000, 32)
    TEST_RR(28, sllw, 0xffffffff80000000, 1, 31)
    TEST_RR(29, srlw, 1, 0xffffffff80000000, 31)
    TEST_RR(30, sraw, 0xffffffffffffffff, 0x0000000080000000, 31)
    TEST_IMM(31, slliw, 0xffffffff80000000, 1, 31)
    TEST_IMM(32, srliw, 0x000000007fffffff, 0xffffffffffffffff, 1)
    TEST_IMM(33, sraiw, 0xffffffffffffffff, 0x00000000ffffffff, 4)
    TEST_RR(34, sllw, 2, 1, 33)         /* only 5 bits of the amount */
    TEST_RR_DEST_BYPASS(35, 2, add, 3, 1, 2)
    TEST_CASE(36, a4, 0x1004, auipc a5, 0; auipc a4, 1; sub a4, a4, a5)
    TEST_RR_SRC_BYPASS(37, 1, 1, sub, 0xfffffffffffffffe, 1, 3)

    VENV_NEXT_PAGE
    /* ---- loads and stores of every width ---- */
    TEST_LOAD(40, lb, 0xffffffffffffffff, 0, tdat_b)
    TEST_LOAD(41, lbu, 0x00000000000000f0, 2, tdat_b)
    TEST_LOAD(42, lb, 0x000000000000000f, 3, tdat_b)
    TEST_LOAD(43, lh, 0xffffffffffffff00, 2, tdat_h)
    TEST_LOAD(44, lhu, 0x000000000000f00f, 6, tdat_h)
    TEST_LOAD(45, lw, 0xffffffffff00ff00, 4, tdat_w)
    TEST_LOAD(46, lwu, 0x00000000f00ff00f, 12, tdat_w)
    TEST_LOAD(47, ld, 0xff00ff00ff00ff00, 8, tdat_d)
    TEST_LOAD(48, ld, 0xf00ff00ff00ff00f, 24, tdat_d)
    TEST_LOAD_USE(49, 0, lw, 0x0000000000ff00ff, 0, tdat_w)
    TEST_STORE(50, lb, sb, 0xffffffffffffffaa, 0xaa, 0, sdat)
    TEST_STORE(51, lh, sh, 0xffffffffffffaa00, 0xaa00, 2, sdat)
    TEST_STORE(52, lhu, sh, 0x000000000000a00a, 0xa00a, 6, sdat)
    TEST_STORE(53, lw, sw, 0xffffffffaa00aa00, 0xaa00aa00, 8, sdat)
    TEST_STORE(54, lwu, sw, 0x00000000a00aa00a, 0xa00aa00a, 12, sdat)
    TEST_STORE(55, ld, sd, 0xaabbccdd00112233, 0xaabbccdd00112233, 16, sdat)
    TEST_CASE(56, a4, 0x00000000cc000000, \
        la a1, sdat; sd zero, 24(a1); li a2, 0xcc; sb a2, 27(a1); ld a4, 24(a1))
    TEST_NUM(57)                        /* a store is the first touch of page 6 */
    VENV_EVICT_ALL
    la a1, DP(6)
    li a2, 0x0123456789abcdef
    sd a2, 0x10(a1)
    ld a4, 0x10(a1)
    CHECK_EQ(a4, 0x0123456789abcdef)
    ld a4, 0x18(a1)
    CHECK_EQ(a4, UPAT(6, 0x18))
    ld a4, 0x08(a1)
    CHECK_EQ(a4, UPAT(6, 0x08))

    VENV_NEXT_PAGE
    /* ---- misaligned, within a page (mbytes: byte k = 0x80 + k) ---- */
    TEST_LOAD_AT(60, lh, 0xffffffffffff8281, mbytes, 1)
    TEST_LOAD_AT(61, lhu, 0x0000000000008483, mbytes, 3)
    TEST_LOAD_AT(62, lw, 0xffffffff84838281, mbytes, 1)
    TEST_LOAD_AT(63, lw, 0xffffffff85848382, mbytes, 2)
    TEST_LOAD_AT(64, lwu, 0x0000000086858483, mbytes, 3)
    TEST_LOAD_AT(65, ld, 0x8887868584838281, mbytes, 1)
    TEST_LOAD_AT(66, ld, 0x8a89888786858483, mbytes, 3)
    TEST_LOAD_AT(67, ld, 0x8e8d8c8b8a898887, mbytes, 7)
    TEST_LOAD_AT(68, ld, 0x8d8c8b8a89888786, mbytes, 6)
    TEST_LOAD_AT(69, lw, 0xffffffff89888786, mbytes, 6)
    TEST_MSTORE(70, sh, 0x1234, 7, mst, 0x3400000000000000, 0x12)
    TEST_MSTORE(71, sw, 0x89abcdef, 5, mst, 0xabcdef0000000000, 0x89)
    TEST_MSTORE(72, sd, 0x0123456789abcdef, 3, mst, 0x6789abcdef000000, 0x12345)
    TEST_MSTORE(73, sd, 0x0123456789abcdef, 1, mst, 0x23456789abcdef00, 0x01)
    TEST_MSTORE(74, sw, 0x89abcdef, 2, mst, 0x000089abcdef0000, 0)
    TEST_MSTORE(75, sh, 0xbeef, 1, mst, 0x0000000000beef00, 0)

    VENV_NEXT_PAGE
    /* ---- misaligned accesses spanning two pages, both evicted first ---- */
    TEST_NUM(80)
    VENV_EVICT_ALL
    TEST_LOAD_AT(80, ld, 0x3c02200251000ff8, dpat, VENV_PGSIZE - 4)
    TEST_LOAD_AT(81, lw, 0x0000000030035200, dpat, 2 * VENV_PGSIZE - 2)
    TEST_LOAD_AT(82, lh, 0x0000000000000453, dpat, 3 * VENV_PGSIZE - 1)
    TEST_NUM(83)
    VENV_EVICT_ALL
    TEST_LOAD_AT(83, lhu, 0x0000000000000453, dpat, 3 * VENV_PGSIZE - 1)
    TEST_LOAD_AT(84, lwu, 0x000000000554000f, dpat, 4 * VENV_PGSIZE - 3)
    TEST_LOAD_AT(85, ld, 0x0655000ff83c055f, dpat, 5 * VENV_PGSIZE - 7)
    TEST_NUM(86)                        /* sd over pages 1 / 2 */
    VENV_EVICT_ALL
    la a1, DP(2)
    li a2, 0xfedcba9876543210
    sd a2, -3(a1)
    ld a4, -3(a1)
    CHECK_EQ(a4, 0xfedcba9876543210)
    ld a4, -8(a1)
    CHECK_EQ(a4, 0x543210f83c011ff9)
    ld a4, 0(a1)
    CHECK_EQ(a4, 0x520000fedcba9876)
    TEST_NUM(87)                        /* sw over pages 2 / 3, then evicted and read again */
    la a1, DP(3)
    li a2, 0x89abcdef
    sw a2, -2(a1)
    VENV_EVICT_ALL
    la a1, DP(3)
    ld a4, -8(a1)
    CHECK_EQ(a4, 0xcdef0ff83c022ffa)
    ld a4, 0(a1)
    CHECK_EQ(a4, 0x530000003c0389ab)
    lwu a4, -2(a1)
    CHECK_EQ(a4, 0x89abcdef)
    TEST_NUM(88)                        /* sh over pages 3 / 4 */
    VENV_EVICT_ALL
    la a1, DP(4)
    li a2, 0xbeef
    sh a2, -1(a1)
    lh a4, -1(a1)
    CHECK_EQ(a4, 0xffffffffffffbeef)
    ld a4, -8(a1)
    CHECK_EQ(a4, 0xef000ff83c033ffb)
    ld a4, 0(a1)
    CHECK_EQ(a4, 0x540000003c0440be)

#ifndef QEMU_PAGE_STRADDLE_QUIRK
    /* ---- a 32-bit instruction in two pages, the second not mapped ---- */
    TEST_NUM(90)
    VENV_EVICT_ALL
    li a4, 0
    j 78f
    .balign VENV_PGSIZE
    .skip VENV_PGSIZE - 4               /* never run */
78: c.nop                               /* page offset 0xffc */
    addi a4, a4, 0x123                  /* 0xffe: its upper half is on the next page */
    li t6, 0x123
    bne a4, t6, fail
#endif

    VENV_NEXT_PAGE
    /* ---- a branch to the next page, from the end of this one ---- */
    TEST_NUM(91)
    VENV_EVICT_ALL
    li a4, 0
    j 78f
    .balign VENV_PGSIZE
    .skip VENV_PGSIZE - 16              /* never run */
    .option push
    .option norvc                       /* fixed sizes: a real branch, 8 bytes ahead */
78: addi a4, a4, 1                      /* page offset 0xff0 */
    addi a4, a4, 1                      /* 0xff4 */
    beq a4, a4, 77f                     /* 0xff8 */
    j fail                              /* 0xffc */
    .option pop
77: addi a4, a4, 1                      /* the next page, offset 0 */
    li t6, 3
    bne a4, t6, fail

    /* ---- branches ---- */
    TEST_BR_TAKEN(100, beq, 1, 1)
    TEST_BR_NOT_TAKEN(101, beq, 0, 1)
    TEST_BR_TAKEN(102, bne, 0, 1)
    TEST_BR_NOT_TAKEN(103, bne, 1, 1)
    TEST_BR_TAKEN(104, blt, -1, 1)
    TEST_BR_NOT_TAKEN(105, blt, 1, -1)
    TEST_BR_TAKEN(106, bge, 1, -1)
    TEST_BR_NOT_TAKEN(107, bge, -1, 1)
    TEST_BR_TAKEN(108, bge, 5, 5)
    TEST_BR_TAKEN(109, bltu, 1, -1)
    TEST_BR_NOT_TAKEN(110, bltu, -1, 1)
    TEST_BR_TAKEN(111, bgeu, -1, 1)
    TEST_BR_NOT_TAKEN(112, bgeu, 1, -1)

    /* jumps: link values are user VAs */
    TEST_NUM(113)
    jal ra, 78f
77: j fail
78: la a5, 77b
    bne ra, a5, fail
    TEST_NUM(114)                       /* jalr clears bit 0 of the target */
    la t0, 78f
    addi t0, t0, 1
    jalr ra, 0(t0)
77: j fail
78: la a5, 77b
    bne ra, a5, fail
    TEST_NUM(115)                       /* jalr with an offset, rd = x0 */
    la t0, 78f + 8
    jalr x0, -8(t0)
    j fail
78: li a4, 0
    TEST_NUM(116)                       /* a call to another page and back */
    li a4, 41
    call ufunc_far
77: li t6, 42
    bne a4, t6, fail
    la a5, 77b
    bne a6, a5, fail                    /* the link ufunc_far saw */

    VENV_NEXT_PAGE
    /* ---- dirty pages written back on eviction, read back after ---- */
    TEST_NUM(120)
    VENV_GET_STAT(VENV_ST_WBACKS)
    mv s0, a0
    MARK_PUT(1)
    MARK_PUT(2)
    MARK_PUT(3)
    MARK_PUT(4)
    MARK_PUT(5)
    MARK_PUT(6)
    VENV_EVICT_ALL
    VENV_GET_STAT(VENV_ST_WBACKS)
    sub a4, a0, s0
    CHECK_GT(a4, 5)                     /* each of the six pages, once at least */
    TEST_NUM(121)
    MARK_CHECK(1)
    MARK_CHECK(2)
    MARK_CHECK(3)
    MARK_CHECK(4)
    MARK_CHECK(5)
    MARK_CHECK(6)

    /* More pages than frames in a loop: pages 1..6, the stack, this page and
       ufunc's: 9 pages, 8 frames, so each round faults at least once. */
    TEST_NUM(122)
    VENV_GET_STAT(VENV_ST_FILLS)
    mv s0, a0
    li s1, 3                            /* rounds */
1:  la s2, dpat + 0x800
    li s3, 6                            /* pages */
2:  ld a4, 0(s2)
    addi sp, sp, -16
    sd a4, 8(sp)
    jal ra, ufunc
    ld a5, 8(sp)
    addi sp, sp, 16
    addi a5, a5, 1
    sd a5, 0(s2)
    li t0, VENV_PGSIZE
    add s2, s2, t0
    addi s3, s3, -1
    bnez s3, 2b
    addi s1, s1, -1
    bnez s1, 1b
#if VENV_NFRAMES < 9
    VENV_GET_STAT(VENV_ST_FILLS)
    sub a4, a0, s0
    CHECK_GT(a4, 2)
#endif
    TEST_NUM(123)
    la a1, DP(1) + 0x800
    ld a4, 0(a1)
    CHECK_EQ(a4, UPAT(1, 0x800) + 3)
    la a1, DP(4) + 0x800
    ld a4, 0(a1)
    CHECK_EQ(a4, UPAT(4, 0x800) + 3)
    la a1, DP(6) + 0x800
    ld a4, 0(a1)
    CHECK_EQ(a4, UPAT(6, 0x800) + 3)
    ld a4, -8(a1)
    CHECK_EQ(a4, UPAT(6, 0x7f8))

    /* ---- the kernel's counters: demand paging really happened ---- */
    TEST_NUM(124)
    VENV_GET_STAT(VENV_ST_FAULTS)
    CHECK_GT(a0, 2 * VENV_NFRAMES)
    TEST_NUM(125)
    VENV_GET_STAT(VENV_ST_EVICTS)
    CHECK_GT(a0, VENV_NFRAMES)
    TEST_NUM(126)
    VENV_GET_STAT(VENV_ST_WBACKS)
    CHECK_GT(a0, 6)
    TEST_NUM(127)
    VENV_GET_STAT(VENV_ST_FETCH)
    la t0, venv_utext_start
    la t1, ufunc_far
    sub t1, t1, t0
    srli t1, t1, 12                     /* the code pages but the last */
    bleu a0, t1, fail                   /* each was fetched at least once */
    VENV_GET_STAT(VENV_ST_LOAD)
    CHECK_GT(a0, 0)
    VENV_GET_STAT(VENV_ST_STORE)
    CHECK_GT(a0, 0)

    VENV_NEXT_PAGE                      /* no page fault from here to the last read */
    TEST_NUM(128)                       /* each fault filled a frame or set D */
    VENV_GET_STAT(VENV_ST_FILLS)
    mv s1, a0
    VENV_GET_STAT(VENV_ST_FAULTS)
    mv s0, a0
    VENV_GET_STAT(VENV_ST_DSETS)
    add a4, a0, s1
    bne a4, s0, fail
#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(129)                       /* Svade: stores to clean pages faulted */
    CHECK_GT(a0, 6)
#endif

    VENV_NEXT_PAGE
    /* ---- the functions the tests call ---- */
    j 1f
ufunc:                                  /* touches another code page */
    addi a4, a4, 0
    ret
1:

    VENV_NEXT_PAGE
    j 1f
ufunc_far:                              /* a4 += 1, a6 = the link */
    addi a4, a4, 1
    mv a6, ra
    ret
1:

VENV_CODE_END

VENV_DATA_BEGIN
    /* ---- data page 0 ---- */
tdat_b: .byte 0xff, 0x00, 0xf0, 0x0f
    .balign 8
tdat_h: .half 0x00ff, 0xff00, 0x0ff0, 0xf00f
tdat_w: .word 0x00ff00ff, 0xff00ff00, 0x0ff00ff0, 0xf00ff00f
tdat_d: .dword 0x00ff00ff00ff00ff, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf00ff00ff00ff00f
    .balign 8
mbytes:
    .set k, 0
    .rept 32
    .byte 0x80 + k
    .set k, k + 1
    .endr
sdat: .skip 32
mst: .skip 16

    /* ---- data pages 1..6: the pattern ---- */
    .balign VENV_PGSIZE
dpat:
    .set pi, 1
    .rept 6
    .set po, 0
    .rept VENV_PGSIZE / 8
    .dword UPAT(pi, po)
    .set po, po + 8
    .endr
    .set pi, pi + 1
    .endr
VENV_DATA_END
