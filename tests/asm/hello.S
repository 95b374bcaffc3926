/*
 * HTIF console: prints "hello\n" through device 1, command 1 (putchar),
 * waiting for the host to clear tohost after each character, then passes.
 */
#include "test_macros.h"

TEST_BEGIN
    TEST_NUM(1)
    la s0, message
    la s1, tohost
    la s2, fromhost
    li s3, HTIF_CONSOLE_PUTC(0)
1:  lbu a0, 0(s0)
    beqz a0, 3f
    or a1, s3, a0
    sd a1, 0(s1)
2:  ld a2, 0(s1)            /* the host acknowledges by clearing tohost */
    bnez a2, 2b
    sd zero, 0(s2)          /* and may have answered in fromhost */
    addi s0, s0, 1
    j 1b
3:
TEST_END

    .section .rodata
message:
    .asciz "hello\n"
