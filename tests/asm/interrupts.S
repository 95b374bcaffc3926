/*
 * The CLINT and interrupts: mtime counts, mtimecmp and msip are read/write; the
 * machine timer and software interrupts are taken when pending and enabled (mie and
 * MIE), in priority order (MSI before MTI), at the interrupted instruction (mepc),
 * with mcause's interrupt bit; not taken when disabled, yet they wake WFI; vectored
 * mtvec; a delegated supervisor software interrupt taken in S. Each handler records
 * the interrupt and clears mie/sie, so every interrupt is taken once.
 */
#include "test_macros.h"

#define CLINT_MSIP 0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME 0x0200bff8
#define MSIE (1 << 3)
#define MTIE (1 << 7)
#define SSIE (1 << 1)
#define MSTATUS_MIE (1 << 3)
#define MSTATUS_SIE (1 << 1)
#define MPP_M 0x1800
#define MPP_S 0x0800
#define INT (1 << 63)

/* irq_rec: cause, epc, count */
#define CHECK_IRQ(count, cause) \
    la t4, irq_rec; ld t5, 16(t4); li t6, count; bne t5, t6, fail; \
    ld t5, 0(t4); li t6, cause; bne t5, t6, fail
#define WAIT(n) li t3, n; 99: addi t3, t3, -1; bnez t3, 99b

TEST_BEGIN
    la t4, m_irq
    csrw mtvec, t4

    TEST_NUM(1)                     /* mtime counts; the time CSR reads it; mtimecmp and msip read back */
    li a1, CLINT_MTIME
    ld a2, 0(a1)
    csrr a5, time
    ld a3, 0(a1)
    bgeu a2, a3, fail
    bltu a5, a2, fail
    bltu a3, a5, fail
    li a1, CLINT_MTIMECMP
    li a2, 0x123456789
    sd a2, 0(a1)
    ld a4, 0(a1)
    bne a4, a2, fail
    li a1, CLINT_MSIP
    li a2, 1
    sw a2, 0(a1)
    lw a4, 0(a1)
    CHECK_EQ(a4, 1)
    csrr a4, mip                    /* MSIP is pending */
    andi a4, a4, MSIE
    beqz a4, fail
    sw zero, 0(a1)

    TEST_NUM(2)                     /* the timer interrupt, at the instruction it interrupts */
    li a1, CLINT_MTIME
    ld a2, 0(a1)
    addi a2, a2, 100
    li a1, CLINT_MTIMECMP
    sd a2, 0(a1)
    li t4, MTIE
    csrw mie, t4
    csrsi mstatus, MSTATUS_MIE
2:  WAIT(200)
3:  csrci mstatus, MSTATUS_MIE
    CHECK_IRQ(1, INT | 7)
    la t4, irq_rec                  /* mepc is inside the wait loop */
    ld t5, 8(t4)
    la t6, 2b
    bltu t5, t6, fail
    la t6, 3b
    bgeu t5, t6, fail
    li a1, CLINT_MTIMECMP
    li a2, -1
    sd a2, 0(a1)

    TEST_NUM(3)                     /* disabled (MIE = 0): pending, not taken; wakes WFI */
    li a1, CLINT_MSIP
    li a2, 1
    sw a2, 0(a1)
    li t4, MSIE
    csrw mie, t4
    wfi
    WAIT(10)
    CHECK_IRQ(1, INT | 7)           /* still only the timer's */

    TEST_NUM(4)                     /* MSI before MTI when both are pending */
    li a1, CLINT_MTIMECMP
    sd zero, 0(a1)                  /* MTIP now pending too */
    li t4, MSIE | MTIE
    csrw mie, t4
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_IRQ(2, INT | 3)
    li a1, CLINT_MSIP
    sw zero, 0(a1)
    li a1, CLINT_MTIMECMP
    li a2, -1
    sd a2, 0(a1)

    TEST_NUM(5)                     /* vectored mtvec: the timer goes to base + 4 * 7 */
    la t4, vectors
    ori t4, t4, 1
    csrw mtvec, t4
    li a1, CLINT_MTIMECMP
    sd zero, 0(a1)
    li t4, MTIE
    csrw mie, t4
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_IRQ(3, INT | 7)
    la t4, vector_hits
    ld t5, 0(t4)
    CHECK_EQ(t5, 1)
    li a2, -1
    sd a2, 0(a1)
    la t4, m_irq
    csrw mtvec, t4

    TEST_NUM(6)                     /* a delegated supervisor software interrupt, taken in S */
    la t4, s_irq
    csrw stvec, t4
    li t4, SSIE
    csrw mideleg, t4
    csrs mie, t4
    csrs mip, t4                    /* SSIP pending: delegated, so not taken in M */
    nop
    CHECK_IRQ(3, INT | 7)
    li t4, MPP_M
    csrc mstatus, t4
    li t4, MPP_S | MSTATUS_SIE
    csrs mstatus, t4                /* S with SIE: taken at once */
    la t4, 1f
    csrw mepc, t4
    mret
1:  nop
    la t4, s_irq_rec
    ld t5, 16(t4)
    CHECK_EQ(t5, 1)
    ld t5, 0(t4)
    li t6, INT | 1
    bne t5, t6, fail
    ebreak                          /* back to M through the test's handler below */

TEST_END

    .balign 4
m_irq:
    la t4, irq_rec
    csrr t5, mcause
    sd t5, 0(t4)
    bgez t5, m_not_irq              /* an exception: the ebreak from S */
    csrr t5, mepc
    sd t5, 8(t4)
    ld t5, 16(t4)
    addi t5, t5, 1
    sd t5, 16(t4)
    csrw mie, zero
    mret
m_not_irq:
    ld t5, 24(t4)                   /* restore the last interrupt's cause */
    j pass

    .balign 4
s_irq:
    la t4, s_irq_rec
    csrr t5, scause
    sd t5, 0(t4)
    ld t5, 16(t4)
    addi t5, t5, 1
    sd t5, 16(t4)
    li t5, SSIE
    csrc sip, t5
    sret

    .balign 64
vectors:
    .rept 16
    j vector_hit
    .endr
vector_hit:
    la t4, vector_hits
    ld t5, 0(t4)
    addi t5, t5, 1
    sd t5, 0(t4)
    j m_irq

    .data
    .balign 8
irq_rec: .dword 0, 0, 0, 0
s_irq_rec: .dword 0, 0, 0
vector_hits: .dword 0
