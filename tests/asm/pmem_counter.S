/*
 * Counts its own runs in pmem: reads the doubleword at the start of pmem, adds one,
 * stores it back, and exits with the new count (through SIMCTRL). With a pmem image
 * (cosim run --pmem-image FILE) each run continues from the last one's count.
 */
    .section .text.init, "ax"
    .globl _start
_start:
    li t0, 0x100000000
    ld a0, 0(t0)
    addi a0, a0, 1
    sd a0, 0(t0)
    li t1, 0x10000008                   /* SIMCTRL EXIT */
    sd a0, 0(t1)
1:  j 1b
