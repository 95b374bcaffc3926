/*
 * A persistent log in pmem, for the crash-consistency test (power failures injected
 * at random cycles): each run first checks every committed record still in the log,
 * then appends APPEND more. The log is a ring of RING 64-byte slots after a commit
 * count at the start of pmem; record i lives in slot i % RING and holds i, six data
 * words derived from i, and a checksum. A record is written with ordinary stores,
 * flushed (cbo.flush) and fenced; only then is the count advanced (and flushed and
 * fenced). So a power failure may leave a torn or missing record beyond the count,
 * never below it. Exit codes: 0 the last min(count, RING - 1) records intact and APPEND
 * appended; 3 a committed record lost or torn.
 */
    .option arch, +zicbom
#define PMEM 0x100000000
#define SIMCTRL_EXIT 0x10000008
#define RING 16
#define APPEND 8
#define MAGIC 0xc0ffee

    .section .text.init, "ax"
    .globl _start
_start:
    li s0, PMEM
    ld s1, 0(s0)                        /* committed records */

    /* the committed records still in the ring intact: the last RING - 1 (the slot
     * of the record being appended may be half overwritten) */
    li s2, 0
    li t0, RING - 1
    bleu s1, t0, 1f
    sub s2, s1, t0
1:  bgeu s2, s1, 2f
    mv a1, s2
    call record_addr
    ld t1, 0(a2)
    li a0, 3
    bne t1, s2, exit                    /* its number */
    li t3, 1
    mv t4, s2                           /* checksum: sum of words 0..6, ^ MAGIC */
3:  call word
    slli t5, t3, 3
    add t5, t5, a2
    ld t5, 0(t5)
    bne t5, a3, exit
    add t4, t4, a3
    addi t3, t3, 1
    li t5, 7
    bltu t3, t5, 3b
    li t5, MAGIC
    xor t4, t4, t5
    ld t5, 56(a2)
    bne t4, t5, exit
    addi s2, s2, 1
    j 1b

    /* append APPEND records, committing each */
2:  addi s3, s1, APPEND
4:  bgeu s1, s3, done
    mv a1, s1
    call record_addr
    sd s1, 0(a2)
    li t3, 1
    mv t4, s1
5:  call word
    slli t5, t3, 3
    add t5, t5, a2
    sd a3, 0(t5)
    add t4, t4, a3
    addi t3, t3, 1
    li t5, 7
    bltu t3, t5, 5b
    li t5, MAGIC
    xor t4, t4, t5
    sd t4, 56(a2)
    cbo.flush (a2)                      /* the record reaches pmem ... */
    fence w, w                          /* ... before the count says it is there */
    addi s1, s1, 1
    sd s1, 0(s0)
    cbo.flush (s0)
    fence w, w
    j 4b

done:
    li a0, 0
exit:
    li t0, SIMCTRL_EXIT
    sd a0, 0(t0)
6:  j 6b

/* a1 = record number: a2 = the address of its slot */
record_addr:
    andi a2, a1, RING - 1
    slli a2, a2, 6
    add a2, a2, s0
    addi a2, a2, 64
    ret

/* word t3 (1..6) of record a1 (in a1 = s2 or s1 via a1): a3 */
word:
    slli a3, a1, 8
    or a3, a3, t3
    li t6, 0x5a5a000000000000
    xor a3, a3, t6
    ret
