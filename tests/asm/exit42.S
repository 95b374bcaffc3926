/*
 * Exits through HTIF with code 42: tohost = (42 << 1) | 1. Checks that a
 * non-zero exit code reaches the harness unchanged.
 */
#include "test_macros.h"

TEST_BEGIN
    li a0, (42 << 1) | 1
    la a1, tohost
    sd a0, 0(a1)
1:  j 1b
TEST_END
