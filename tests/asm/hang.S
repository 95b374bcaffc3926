/*
 * Never finishes: a few instructions, then an infinite loop (`j .`). Used to
 * test the harness watchdog, whose message must name the loop's PC.
 */
#include "test_macros.h"

TEST_BEGIN
    li a0, 1
    addi a0, a0, 1
    .option push
    .option norvc
    .globl hang_loop
hang_loop:
    j hang_loop
    .option pop
TEST_END
