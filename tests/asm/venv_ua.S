/*
 * RV64A in the v environment (venv.h): AMOs and LR / SC in U-mode on user pages
 * that the kernel maps on demand (VENV_NFRAMES frames, FIFO eviction).
 *
 * Every AMO (swap, add, xor, and, or, min, max, minu, maxu; .w and .d) runs on a
 * doubleword of the image that is not mapped at the time (all pages evicted just
 * before), so the AMO itself takes the page fault: a store / AMO page fault (never
 * a load page fault), then under Svade a second one to set D; the old value comes
 * from the image, the new one reaches the image through write-back on eviction
 * and is read back after refaulting. LR / SC: an lr / sc retry loop whose lr
 * faults the page in and whose sc faults to set D (the sc may then fail once: an
 * sret may drop the reservation); lr.w sign extension; sc with no reservation
 * (after a successful one) and sc to another page fail and store nothing; an
 * amoadd counter on six pages over several rounds of eviction.
 *
 * The counts checked are for the default pool of 8 frames (4..8 work too).
 *
 * QEMU 7.2: -DQEMU_SVADU_QUIRK (it sets D itself) leaves out the D-fault count;
 * -DQEMU_AMO_LOAD_FAULT_QUIRK accepts a load page fault as an AMO's first fault
 * (QEMU runs an AMO on one hart as a load, then a store).
 */
#include "venv.h"

/* insn (rd a4, rs2 = operand) on the doubleword at label, which no page maps:
 * a4 = old, memory = new; it faulted as a store / AMO, never as a load. */
#define TEST_AMO_D(testnum, insn, label, operand, old, new) \
    TEST_NUM(testnum) \
    AMO_PRE; la a1, label; li a3, operand; insn a4, a3, (a1); \
    CHECK_EQ(a4, old) \
    ld a5, 0(a1); CHECK_EQ(a5, new) \
    AMO_POST

/* The same for a word whose upper neighbour is UPPER, which must stay. */
#define TEST_AMO_W(testnum, insn, label, operand, old, new) \
    TEST_NUM(testnum) \
    AMO_PRE; la a1, label; li a3, operand; insn a4, a3, (a1); \
    CHECK_EQ(a4, old) \
    lwu a5, 0(a1); CHECK_EQ(a5, new) \
    lwu a5, 4(a1); CHECK_EQ(a5, UPPER) \
    AMO_POST

#define UPPER 0xa5a5a5a5
/* s0 / s1 = the load / store page faults so far; then nothing mapped */
#define AMO_PRE \
    VENV_GET_STAT(VENV_ST_LOAD); mv s0, a0; \
    VENV_GET_STAT(VENV_ST_STORE); mv s1, a0; \
    VENV_EVICT_ALL
#ifndef QEMU_AMO_LOAD_FAULT_QUIRK
#define AMO_POST \
    VENV_GET_STAT(VENV_ST_LOAD); bne a0, s0, fail; \
    VENV_GET_STAT(VENV_ST_STORE); bleu a0, s1, fail
#else
/* QEMU 7.2 runs an AMO as a load and a store: its first fault is a load fault. */
#define AMO_POST \
    VENV_GET_STAT(VENV_ST_LOAD); add s1, s1, s0; mv s0, a0; \
    VENV_GET_STAT(VENV_ST_STORE); add a0, a0, s0; bleu a0, s1, fail
#endif
/* After everything was evicted: the doubleword / word at label holds value. */
#define CHECK_D(label, value) la a1, label; ld a4, 0(a1); CHECK_EQ(a4, value)
#define CHECK_W(label, value) \
    la a1, label; lwu a4, 0(a1); CHECK_EQ(a4, value) lwu a4, 4(a1); CHECK_EQ(a4, UPPER)
#define CHECK_GT(reg, bound) li t6, bound; bleu reg, t6, fail

#define ROUNDS 4

VENV_CODE_BEGIN

    TEST_AMO_W(1, amoswap.w, amo1, 0x12345678, 0xffffffff80000001, 0x12345678)
    TEST_AMO_W(2, amoadd.w, amo2, 1, 0x000000007fffffff, 0x80000000)
    TEST_AMO_W(3, amoxor.w.aq, amo3, 0x0ff00ff0, 0xffffffffff00ff00, 0xf0f0f0f0)
    TEST_AMO_W(4, amoand.w.rl, amo4, 0x0ff00ff0, 0xffffffffff00ff00, 0x0f000f00)
    TEST_AMO_W(5, amoor.w.aqrl, amo5, 0x0ff00ff0, 0xffffffffff00ff00, 0xfff0fff0)
    TEST_AMO_W(6, amomin.w, amo6, 0xfffffffe, 0x0000000000000005, 0xfffffffe)
    TEST_AMO_W(7, amomax.w, amo7, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(8, amominu.w, amo8, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(9, amomaxu.w, amo9, 0xfffffffe, 0x0000000000000005, 0xfffffffe)

    VENV_NEXT_PAGE
    TEST_AMO_D(10, amoswap.d, amo10, 0xfedcba9876543210, 0x0123456789abcdef, 0xfedcba9876543210)
    TEST_AMO_D(11, amoadd.d, amo11, 2, 0xffffffffffffffff, 1)
    TEST_AMO_D(12, amoxor.d.aq, amo12, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0)
    TEST_AMO_D(13, amoand.d.rl, amo13, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f000f000f000f00)
    TEST_AMO_D(14, amoor.d.aqrl, amo14, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0)
    TEST_AMO_D(15, amomin.d, amo15, 0xfffffffffffffffe, 5, 0xfffffffffffffffe)
    TEST_AMO_D(16, amomax.d, amo16, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_AMO_D(17, amominu.d, amo17, 1, 0x8000000000000000, 1)
    TEST_AMO_D(18, amomaxu.d, amo18, 0xfffffffffffffffe, 5, 0xfffffffffffffffe)

    VENV_NEXT_PAGE
    /* The AMOs' results went to the image on eviction and come back from it. */
    TEST_NUM(19)
    VENV_EVICT_ALL
    CHECK_W(amo1, 0x12345678)
    CHECK_W(amo2, 0x80000000)
    CHECK_W(amo3, 0xf0f0f0f0)
    CHECK_W(amo4, 0x0f000f00)
    CHECK_W(amo5, 0xfff0fff0)
    CHECK_W(amo6, 0xfffffffe)
    CHECK_W(amo7, 0x7fffffff)
    CHECK_W(amo8, 0x7fffffff)
    CHECK_W(amo9, 0xfffffffe)
    CHECK_D(amo10, 0xfedcba9876543210)
    CHECK_D(amo11, 1)
    CHECK_D(amo12, 0xf0f0f0f0f0f0f0f0)
    CHECK_D(amo13, 0x0f000f000f000f00)
    CHECK_D(amo14, 0xfff0fff0fff0fff0)
    CHECK_D(amo15, 0xfffffffffffffffe)
    CHECK_D(amo16, 0x7fffffffffffffff)
    CHECK_D(amo17, 1)
    CHECK_D(amo18, 0xfffffffffffffffe)

    VENV_NEXT_PAGE
    /* lr.d / sc.d loop on a page not mapped */
    TEST_NUM(20)
    VENV_EVICT_ALL
    la a1, lrsc_d
1:  lr.d a4, (a1)
    addi a5, a4, 1
    sc.d t0, a5, (a1)
    bnez t0, 1b
    CHECK_EQ(a4, 0x0fedcba987654321)
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x0fedcba987654322)

    /* lr.w / sc.w: lr.w sign-extends, sc.w leaves the upper word alone */
    TEST_NUM(21)
    VENV_EVICT_ALL
    la a1, lrsc_w
1:  lr.w.aq a4, (a1)
    addi a5, a4, 1
    sc.w.rl t0, a5, (a1)
    bnez t0, 1b
    CHECK_EQ(a4, 0xffffffff80000000)
    lwu a5, 0(a1)
    CHECK_EQ(a5, 0x80000001)
    lwu a5, 4(a1)
    CHECK_EQ(a5, UPPER)

    /* an sc with no reservation (the last sc used it up) fails, stores nothing */
    TEST_NUM(22)
    li a5, 0x55
    sc.w t0, a5, (a1)
    beqz t0, fail
    lwu a5, 0(a1)
    CHECK_EQ(a5, 0x80000001)

    /* lr on one page, sc on another (not mapped): fails, stores nothing */
    TEST_NUM(23)
    VENV_EVICT_ALL
    la a1, lrsc_d
    la a2, sc_other
    lr.d a4, (a1)
    li a5, 0x66
    sc.d t0, a5, (a2)
    beqz t0, fail
    ld a5, 0(a2)
    CHECK_EQ(a5, 0x1122334455667788)
    ld a5, 0(a1)
    CHECK_EQ(a5, 0x0fedcba987654322)
    TEST_NUM(24)                        /* and still after a round trip through the image */
    VENV_EVICT_ALL
    CHECK_D(sc_other, 0x1122334455667788)
    CHECK_D(lrsc_d, 0x0fedcba987654322)
    CHECK_W(lrsc_w, 0x80000001)

    VENV_NEXT_PAGE
    /* amoadd.d counters at offset 0x800 of the six pages, ROUNDS rounds, each
       round on pages just evicted; page i's counter adds i each round. */
    TEST_NUM(25)
    li s1, ROUNDS
1:  VENV_EVICT_ALL
    la s2, acnt
    li s3, 1
2:  amoadd.d x0, s3, (s2)
    li t0, VENV_PGSIZE
    add s2, s2, t0
    addi s3, s3, 1
    li t0, 7
    bltu s3, t0, 2b
    addi s1, s1, -1
    bnez s1, 1b
    VENV_EVICT_ALL
    la s2, acnt
    li s3, 1
3:  ld a4, 0(s2)
    li t0, ROUNDS
    mul t0, t0, s3
    addi t0, t0, 1000
    bne a4, t0, fail                    /* 1000 + ROUNDS * i */
    li t0, VENV_PGSIZE
    add s2, s2, t0
    addi s3, s3, 1
    li t0, 7
    bltu s3, t0, 3b

    VENV_NEXT_PAGE
    /* the kernel's counters */
    TEST_NUM(26)
    VENV_GET_STAT(VENV_ST_FAULTS)
    CHECK_GT(a0, 2 * VENV_NFRAMES)
#ifndef QEMU_AMO_LOAD_FAULT_QUIRK
    TEST_NUM(27)
    VENV_GET_STAT(VENV_ST_STORE)
    CHECK_GT(a0, 18 + 6 * ROUNDS - 1)    /* every AMO first touch, at least */
#endif
    TEST_NUM(28)
    VENV_GET_STAT(VENV_ST_WBACKS)
    CHECK_GT(a0, 18 + 6 * ROUNDS - 1)
    TEST_NUM(29)
    VENV_GET_STAT(VENV_ST_EVICTS)
    CHECK_GT(a0, VENV_NFRAMES)
#ifndef QEMU_SVADU_QUIRK
    TEST_NUM(30)                        /* Svade: each AMO first touch faulted again for D */
    VENV_GET_STAT(VENV_ST_DSETS)
    CHECK_GT(a0, 18 + 6 * ROUNDS - 1)
#endif

VENV_CODE_END

/* Six pages; page i holds amo i, amo i + 6, amo i + 12 (initial values) and a
 * counter (1000) at offset 0x800. */
#define W(lo) .word lo, UPPER
#define COUNTER(label) .balign 0x800; label: .dword 1000; .balign VENV_PGSIZE

VENV_DATA_BEGIN
    .dword 0                            /* page 0: nothing used */
    .balign VENV_PGSIZE
amo1:  W(0x80000001)
amo7:  W(0x80000000)
amo13: .dword 0xff00ff00ff00ff00
lrsc_d: .dword 0x0fedcba987654321
    COUNTER(acnt)
amo2:  W(0x7fffffff)
amo8:  W(0x80000000)
amo14: .dword 0xff00ff00ff00ff00
lrsc_w: W(0x80000000)
    COUNTER(acnt_2)
amo3:  W(0xff00ff00)
amo9:  W(0x00000005)
amo15: .dword 5
sc_other: .dword 0x1122334455667788
    COUNTER(acnt_3)
amo4:  W(0xff00ff00)
amo10: .dword 0x0123456789abcdef
amo16: .dword 0x8000000000000000
    COUNTER(acnt_4)
amo5:  W(0xff00ff00)
amo11: .dword 0xffffffffffffffff
amo17: .dword 0x8000000000000000
    COUNTER(acnt_5)
amo6:  W(0x00000005)
amo12: .dword 0xff00ff00ff00ff00
amo18: .dword 5
    COUNTER(acnt_6)
VENV_DATA_END
