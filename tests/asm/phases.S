/*
 * Marks three phases through SIMCTRL PHASE (markers 1, 2, 3), each doing a known
 * amount of work: 100 additions, 50 loads, 20 stores. Then exits through SIMCTRL.
 */
#define SIMCTRL 0x10000000

    .section .text.init, "ax"
    .globl _start
_start:
    li s0, SIMCTRL
    la s1, buffer
    li t0, 1
    sd t0, 16(s0)                       /* phase 1: arithmetic */
    li t1, 100
1:  addi t1, t1, -1
    bnez t1, 1b
    li t0, 2
    sd t0, 16(s0)                       /* phase 2: 50 loads */
    li t1, 50
2:  ld t2, 0(s1)
    addi t1, t1, -1
    bnez t1, 2b
    li t0, 3
    sd t0, 16(s0)                       /* phase 3: 20 stores */
    li t1, 20
3:  sd t1, 0(s1)
    addi t1, t1, -1
    bnez t1, 3b
    sd zero, 8(s0)                      /* exit 0 */
4:  j 4b

    .data
    .balign 8
buffer:
    .dword 0
