/*
 * Synchronous traps and mret: ecall, ebreak (32-bit; c.ebreak is in rv64c.S),
 * illegal instructions (the all-zero 16-bit word, 0xffffffff, a reserved
 * 32-bit opcode) with mtval = the instruction bits, misaligned loads and
 * stores of every size (a trap with mcause 4 / 6 and mtval = the address, or,
 * where the hardware handles them, the right data), load / store / fetch
 * access faults on unmapped addresses with mtval = the address (of the part past
 * the end of memory, for a misaligned access that crosses it), mret to a
 * chosen mepc with the MIE / MPIE / MPP stack, and mstatus around a trap.
 */
#include "test_macros.h"

#define MSTATUS_MIE (1 << 3)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_MPP (3 << 11)

/* A misaligned load either traps (mcause 4, mtval = address, rd unchanged)
 * or returns the right value. */
#define TEST_MISALIGNED_LOAD(testnum, insn, expected, offset) \
    TEST_NUM(testnum) \
    la a1, mis_data; addi a1, a1, offset; mv t4, a1; \
    li a4, 0x5a5a; \
    EXPECT_TRAP_TVAL(CAUSE_LOAD_MISALIGNED, 71f, 72f, t4) \
71: insn a4, 0(a1); \
72: DISARM_TRAP \
    li t6, 0x5a5a; \
    beqz t5, 73f; \
    li t6, expected; \
73: bne a4, t6, fail;

/* A misaligned store either traps (mcause 6, mtval = address, memory
 * unchanged) or writes; the doubleword at mis_buf then reads `expected`. */
#define TEST_MISALIGNED_STORE(testnum, insn, value, offset, expected) \
    TEST_NUM(testnum) \
    la a1, mis_buf; sd zero, 0(a1); sd zero, 8(a1); \
    addi a1, a1, offset; mv t4, a1; li a2, value; \
    EXPECT_TRAP_TVAL(CAUSE_STORE_MISALIGNED, 71f, 72f, t4) \
71: insn a2, 0(a1); \
72: DISARM_TRAP \
    la a1, mis_buf; ld a4, 0(a1); ld a5, 8(a1); \
    or a5, a5, a4; \
    beqz t5, 73f; \
    CHECK_EQ(a4, expected) \
    j 74f; \
73: bnez a5, fail; \
74:

TEST_BEGIN
    .option norvc

    /* ecall / ebreak: mepc = the instruction itself */
    TEST_TRAP(1, CAUSE_ECALL_M, ecall)
    TEST_TRAP(2, CAUSE_BREAKPOINT, ebreak)
    TEST_NUM(3)                     /* registers survive the trap */
    li a4, 0x1234
    li s0, -7
    EXPECT_TRAP(CAUSE_ECALL_M, 71f, 72f)
71: ecall
72: CHECK_EQ(a4, 0x1234)
    CHECK_EQ(s0, -7)
    TEST_NUM(4)                     /* ecall at pc % 4 == 2 */
    .option rvc
    .balign 4
    c.nop
    EXPECT_TRAP(CAUSE_ECALL_M, 71f, 72f)
71: ecall
72: CHECK_TRAP_TAKEN
    .balign 4
    .option norvc

    /* illegal instructions: mtval = the instruction bits */
    TEST_TRAP_TVAL(5, CAUSE_ILLEGAL_INSN, 0, .2byte 0x0000)
    TEST_TRAP_TVAL(6, CAUSE_ILLEGAL_INSN, 0xffffffff, .4byte 0xffffffff)
    TEST_TRAP_TVAL(7, CAUSE_ILLEGAL_INSN, 0x0000000b, .4byte 0x0000000b)   /* custom-0 */
    /* slli with funct6 = 1 (bit 25 is shamt[5] on RV64, bit 26 is not) */
    TEST_TRAP_TVAL(8, CAUSE_ILLEGAL_INSN, 0x04001013, .4byte 0x04001013)
    TEST_NUM(9)                     /* an illegal instruction at pc % 4 == 2 */
    li t4, 0
    .option rvc
    .balign 4
    c.nop
    EXPECT_TRAP_TVAL(CAUSE_ILLEGAL_INSN, 71f, 72f, t4)
71: .2byte 0x0000
72: CHECK_TRAP_TAKEN
    .balign 4
    .option norvc

    /* misaligned loads: every size, every misalignment class */
    TEST_MISALIGNED_LOAD(10, lh, 0x302, 1)
    TEST_MISALIGNED_LOAD(11, lhu, 0x8908, 7)
    TEST_MISALIGNED_LOAD(12, lh, 0xffffffffffff8b8a, 9)
    TEST_MISALIGNED_LOAD(13, lw, 0x6050403, 2)
    TEST_MISALIGNED_LOAD(14, lw, 0x5040302, 1)
    TEST_MISALIGNED_LOAD(15, lwu, 0x8b8a8908, 7)
    TEST_MISALIGNED_LOAD(16, lw, 0xffffffff8b8a8908, 7)
    TEST_MISALIGNED_LOAD(17, ld, 0x8908070605040302, 1)
    TEST_MISALIGNED_LOAD(18, ld, 0x8b8a890807060504, 3)
    TEST_MISALIGNED_LOAD(19, ld, 0x8c8b8a8908070605, 4)
    TEST_MISALIGNED_LOAD(20, ld, 0x8f8e8d8c8b8a8908, 7)
    /* misaligned stores */
    TEST_MISALIGNED_STORE(21, sh, 0xaabb, 1, 0x0000000000aabb00)
    TEST_MISALIGNED_STORE(22, sw, 0x11223344, 2, 0x0000112233440000)
    TEST_MISALIGNED_STORE(23, sw, 0x11223344, 1, 0x0000001122334400)
    TEST_MISALIGNED_STORE(24, sd, 0x0102030405060708, 4, 0x0506070800000000)
    TEST_MISALIGNED_STORE(25, sd, 0x0102030405060708, 1, 0x0203040506070800)

    /* access faults on unmapped addresses: mtval = the address */
    TEST_TRAP_TVAL(26, CAUSE_LOAD_ACCESS, UNMAPPED_ADDR_LOW, ld a4, 0(x0))
    TEST_NUM(27)
    li a1, UNMAPPED_ADDR_HIGH + 8
    mv t4, a1
    EXPECT_TRAP_TVAL(CAUSE_LOAD_ACCESS, 71f, 72f, t4)
71: lw a4, 0(a1)
72: CHECK_TRAP_TAKEN
    TEST_TRAP_TVAL(28, CAUSE_LOAD_ACCESS, 0x10, lbu a4, 0x10(x0))
    TEST_TRAP_TVAL(29, CAUSE_STORE_ACCESS, UNMAPPED_ADDR_LOW, sd a4, 0(x0))
    TEST_NUM(30)
    li a1, UNMAPPED_ADDR_HIGH
    mv t4, a1
    EXPECT_TRAP_TVAL(CAUSE_STORE_ACCESS, 71f, 72f, t4)
71: sw a4, 0(a1)
72: CHECK_TRAP_TAKEN
    TEST_NUM(31)                    /* an access-fault load does not write rd */
    li a4, 0x77
    li a1, UNMAPPED_ADDR_HIGH
    mv t4, a1
    EXPECT_TRAP_TVAL(CAUSE_LOAD_ACCESS, 71f, 72f, t4)
71: ld a4, 0(a1)
72: CHECK_EQ(a4, 0x77)

    /* a misaligned access whose second part is past the end of DRAM (256 MiB at
       0x8000_0000): mtval is that part's address, where the memory ends */
    TEST_NUM(40)
    li a1, 0x8ffffffc
    li t4, 0x90000000
    EXPECT_TRAP_TVAL(CAUSE_LOAD_ACCESS, 71f, 72f, t4)
71: ld a4, 0(a1)
72: CHECK_TRAP_TAKEN
    TEST_NUM(41)
    li a1, 0x8ffffffe
    li t4, 0x90000000
    EXPECT_TRAP_TVAL(CAUSE_STORE_ACCESS, 71f, 72f, t4)
71: sw a4, 0(a1)
72: CHECK_TRAP_TAKEN

    /* instruction access fault: mepc = mtval = the target, the jump's link written */
    TEST_NUM(32)
    la t6, trap_ctl
    li t5, CAUSE_FETCH_ACCESS
    sd t5, TC_CAUSE(t6)
    li t5, UNMAPPED_ADDR_HIGH
    sd t5, TC_EPC(t6)
    sd t5, TC_TVAL(t6)
    li t5, 1
    sd t5, TC_CHECK_TVAL(t6)
    la t5, 72f
    sd t5, TC_RESUME(t6)
    li t5, 1
    sd t5, TC_ARMED(t6)
    li a1, UNMAPPED_ADDR_HIGH
    li ra, 0
71: jalr ra, 0(a1)
    j fail
72: CHECK_TRAP_TAKEN
    la t5, 71b
    addi t5, t5, 4
    bne ra, t5, fail
    TEST_NUM(33)
    la t6, trap_ctl
    li t5, CAUSE_FETCH_ACCESS
    sd t5, TC_CAUSE(t6)
    sd zero, TC_EPC(t6)
    sd zero, TC_TVAL(t6)
    li t5, 1
    sd t5, TC_CHECK_TVAL(t6)
    la t5, 72f
    sd t5, TC_RESUME(t6)
    li t5, 1
    sd t5, TC_ARMED(t6)
    jalr x0, 0(x0)
    j fail
72: CHECK_TRAP_TAKEN

    /* mret: to mepc, MIE <- MPIE, MPIE <- 1 (MPP set to M first: the
     * reset value of MPP is not M on every implementation) */
    TEST_NUM(34)
    li a1, MSTATUS_MPP
    csrs mstatus, a1
    li a1, MSTATUS_MPIE
    csrs mstatus, a1
    csrci mstatus, MSTATUS_MIE
    la a1, 72f
    csrw mepc, a1
    mret
    j fail
72: csrr a4, mstatus
    csrci mstatus, MSTATUS_MIE
    andi a4, a4, MSTATUS_MIE | MSTATUS_MPIE
    CHECK_EQ(a4, MSTATUS_MIE | MSTATUS_MPIE)
    TEST_NUM(35)                    /* MPIE = 0: mret leaves MIE = 0, sets MPIE */
    li a1, MSTATUS_MPP
    csrs mstatus, a1
    li a1, MSTATUS_MPIE
    csrc mstatus, a1
    la a1, 72f
    csrw mepc, a1
    mret
    j fail
72: csrr a4, mstatus
    andi a4, a4, MSTATUS_MIE | MSTATUS_MPIE
    CHECK_EQ(a4, MSTATUS_MPIE)
    TEST_NUM(36)                    /* mret to a 2 mod 4 address */
    li a1, MSTATUS_MPP
    csrs mstatus, a1
    la a1, 72f
    csrw mepc, a1
    li a4, 0
    mret
    j fail
    .option rvc
    .balign 4
    c.nop
72: c.li a4, 3
    .balign 4
    .option norvc
    CHECK_EQ(a4, 3)

    /* a trap with MIE = 1: the handler runs with MIE = 0 (mret restores it) */
    TEST_NUM(37)
    csrw mie, x0
    csrsi mstatus, MSTATUS_MIE
    EXPECT_TRAP(CAUSE_ECALL_M, 71f, 72f)
71: ecall
72: csrr a4, mstatus
    csrci mstatus, MSTATUS_MIE
    CHECK_TRAP_TAKEN
    andi a4, a4, MSTATUS_MIE | MSTATUS_MPIE
    CHECK_EQ(a4, MSTATUS_MIE | MSTATUS_MPIE)
    TEST_NUM(38)                    /* and with MIE = 0 it stays 0 */
    EXPECT_TRAP(CAUSE_BREAKPOINT, 71f, 72f)
71: ebreak
72: csrr a4, mstatus
    CHECK_TRAP_TAKEN
    andi a4, a4, MSTATUS_MIE | MSTATUS_MPIE
    CHECK_EQ(a4, MSTATUS_MPIE)

    /* several traps back to back */
    TEST_NUM(39)
    la t6, trap_ctl
    ld s1, TC_COUNT(t6)
    EXPECT_TRAP(CAUSE_ECALL_M, 71f, 72f)
71: ecall
72: EXPECT_TRAP(CAUSE_BREAKPOINT, 73f, 74f)
73: ebreak
74: EXPECT_TRAP(CAUSE_LOAD_ACCESS, 75f, 76f)
75: ld a4, 0(x0)
76: la t6, trap_ctl
    ld a4, TC_COUNT(t6)
    sub a4, a4, s1
    CHECK_EQ(a4, 3)

    .option rvc
TEST_END

    .data
    .balign 16
mis_data:
    .byte 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
    .byte 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90
mis_buf:
    .dword 0, 0
