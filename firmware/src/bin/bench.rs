//! The `bench` firmware (`cosim bench`): `BENCH_ITERATIONS` rounds of a fixed mix of
//! integer work — fill a buffer from xorshift, CRC-32 it through a table, insertion-sort
//! part of it, fold it with multiplies and divides — each round on the same data, so
//! every round retires exactly the same instructions and the program's instruction
//! count is linear in the number of rounds. The harness writes the count into the ELF
//! before running it.
//!
//! It ends through HTIF (`tohost`), never SIMCTRL, and prints nothing, so the very same
//! image runs on QEMU's `spike` machine: exit code 0 when every round computed the
//! same digest from a sorted array, else 1.
#![no_std]
#![no_main]

use core::arch::global_asm;
use core::hint::black_box;
use core::ptr::{addr_of, addr_of_mut, read_volatile, write_volatile};

// The library's runtime (start-up code, panic and trap handlers) comes with it.
use cosim_firmware::crc32;

/// Rounds to run; written into the ELF by the harness (`cosim bench --iterations`).
#[no_mangle]
static mut BENCH_ITERATIONS: u64 = 1;

// The HTIF mailboxes: sized symbols (QEMU requires 8 bytes each) in a 4 KiB page of
// their own, since QEMU maps them as I/O and runs code or data that shares their page
// very slowly. The input section's alignment moves the output section only in this
// image.
global_asm!(
    r#"
    .section .tohost, "aw", @progbits
    .balign 4096
    .globl tohost
    .type tohost, @object
    .size tohost, 8
tohost: .dword 0
    .globl fromhost
    .type fromhost, @object
    .size fromhost, 8
fromhost: .dword 0
    .balign 4096
"#
);

extern "C" {
    static mut tohost: u64;
}

const SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const WORDS: usize = 256;
const SORTED: usize = 64;

static mut BUF: [u64; WORDS] = [0; WORDS];

/// One round: the same work on the same data every time.
fn round(table: &[u32; 256], buf: &mut [u64; WORDS]) -> (u64, bool) {
    let mut x = black_box(SEED);
    for w in buf.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *w = x;
    }
    let mut crc = !0u32;
    for w in buf.iter() {
        crc = crc32::update(table, crc, &w.to_le_bytes());
    }
    let mut keys = [0u32; SORTED];
    for (k, w) in keys.iter_mut().zip(buf.iter()) {
        *k = (*w >> 32) as u32;
    }
    for i in 1..SORTED {
        let key = keys[i];
        let mut j = i;
        while j > 0 && keys[j - 1] > key {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = key;
    }
    let sorted = keys.windows(2).all(|w| w[0] <= w[1]);
    let mut fold = 1u64;
    for (w, k) in buf.iter().zip(keys.iter()) {
        fold = fold.wrapping_mul(0x100_0000_01b3) ^ *w;
        fold = fold / (u64::from(*k) | 1) + fold % 1_000_003;
    }
    (u64::from(!crc) ^ fold, sorted)
}

fn htif_exit(code: u64) -> ! {
    // SAFETY: single hart; the host only reads the mailbox.
    unsafe { write_volatile(addr_of_mut!(tohost), (code << 1) | 1) };
    loop {
        core::hint::spin_loop();
    }
}

#[no_mangle]
extern "C" fn main() -> i32 {
    // SAFETY: written by the harness before reset, only read here.
    let iterations = unsafe { read_volatile(addr_of!(BENCH_ITERATIONS)) };
    let table = crc32::table();
    // SAFETY: single-threaded; the buffer is only used here.
    let buf = unsafe { &mut *addr_of_mut!(BUF) };
    // A reference round outside the loop, so that every round in it is the same.
    let (expected, mut ok) = round(&table, buf);
    for _ in 0..iterations {
        let (digest, sorted) = round(&table, buf);
        ok &= digest == expected && sorted;
    }
    htif_exit(u64::from(!ok))
}
