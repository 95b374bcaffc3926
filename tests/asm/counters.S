/*
 * Zicntr/Zihpm and the environment-configuration CSRs: mcountinhibit, the
 * programmable counters and their event selectors (1 cycles, 2 instructions,
 * 3 loads, 4 stores), the counters beyond the 16 implemented, menvcfg/senvcfg WARL,
 * and the trigger CSRs of a hart without triggers.
 */
#include "test_macros.h"

#define MHPMCOUNTER3 0xb03
#define MHPMEVENT3 0x323
#define EV_INSTRET 2
#define EV_LOADS 3
#define EV_STORES 4

TEST_BEGIN
    TEST_NUM(1)                     /* menvcfg / senvcfg: FIOM, CBIE, CBCFE, CBZE; menvcfg.ADUE */
    li a1, -1
    csrw menvcfg, a1
    csrr a4, menvcfg
    CHECK_EQ(a4, 0x20000000000000f1)
    csrw senvcfg, a1
    csrr a4, senvcfg
    CHECK_EQ(a4, 0xf1)
    csrw menvcfg, zero
    csrw senvcfg, zero

    TEST_NUM(2)                     /* mcountinhibit: CY, IR, HPM3..18 (no TM) */
    csrw mcountinhibit, a1
    csrr a4, mcountinhibit
    CHECK_EQ(a4, 0x7fffd)

    TEST_NUM(3)                     /* inhibited cycle and instret counters stand still */
    csrr a2, mcycle
    csrr a3, minstret
    nop
    nop
    csrr a4, mcycle
    csrr a5, minstret
    bne a2, a4, fail
    bne a3, a5, fail
    csrw mcountinhibit, zero
    nop
    csrr a4, mcycle
    csrr a5, minstret
    beq a2, a4, fail
    beq a3, a5, fail

    TEST_NUM(4)                     /* counting instructions: exactly the ones between */
    li a1, EV_INSTRET
    csrw MHPMEVENT3, a1
    csrw MHPMCOUNTER3, zero
    .rept 10
    nop
    .endr
    csrr a4, MHPMCOUNTER3
    CHECK_EQ(a4, 10)

    TEST_NUM(5)                     /* counting loads and stores */
    la a2, counter_data
    li a1, EV_LOADS
    csrw MHPMEVENT3, a1
    csrw MHPMCOUNTER3, zero
    ld a3, 0(a2)
    lw a3, 4(a2)
    lbu a3, 1(a2)
    sd a3, 8(a2)
    csrr a4, MHPMCOUNTER3
    CHECK_EQ(a4, 3)
    li a1, EV_STORES
    csrw MHPMEVENT3, a1
    csrw MHPMCOUNTER3, zero
    sd a3, 8(a2)
    sw a3, 16(a2)
    ld a3, 0(a2)
    csrr a4, MHPMCOUNTER3
    CHECK_EQ(a4, 2)

    TEST_NUM(6)                     /* an inhibited hpm counter stands still */
    li a1, EV_INSTRET
    csrw MHPMEVENT3, a1
    li a1, 8
    csrw mcountinhibit, a1
    csrr a2, MHPMCOUNTER3
    nop
    nop
    csrr a4, MHPMCOUNTER3
    bne a2, a4, fail
    csrw mcountinhibit, zero

    TEST_NUM(7)                     /* an unknown event counts nothing */
    li a1, 200
    csrw MHPMEVENT3, a1
    csrr a4, MHPMEVENT3
    CHECK_EQ(a4, 200)
    csrw MHPMCOUNTER3, zero
    nop
    csrr a4, MHPMCOUNTER3
    CHECK_EQ(a4, 0)

    TEST_NUM(8)                     /* counters 19..31 and their selectors read 0 */
    li a1, -1
    csrw 0x333, a1                  /* mhpmevent19 */
    csrr a4, 0x333
    CHECK_EQ(a4, 0)
    csrw 0xb13, a1                  /* mhpmcounter19 */
    csrr a4, 0xb13
    CHECK_EQ(a4, 0)
    csrr a4, 0xc13                  /* hpmcounter19 */
    CHECK_EQ(a4, 0)

    TEST_NUM(9)                     /* the user view reads the same counter */
    li a1, EV_INSTRET
    csrw MHPMEVENT3, a1
    li a1, 1000
    csrw MHPMCOUNTER3, a1
    csrr a4, 0xc03                  /* hpmcounter3 */
    CHECK_EQ(a4, 1000)

    TEST_NUM(10)                    /* no debug triggers: tselect and tdata1 read 0 */
    li a1, -1
    csrw tselect, a1
    csrr a4, tselect
    CHECK_EQ(a4, 0)
    csrw tdata1, a1
    csrr a4, tdata1
    CHECK_EQ(a4, 0)

TEST_END

    .data
    .balign 8
counter_data:
    .dword 0x1122334455667788, 0, 0
