//! The `calibrate` firmware (`cosim calibrate`): measures, on the core, the latency
//! of DRAM and pmem for sequential reads, random reads and writes. Each measurement
//! is a loop of NODES accesses timed with mcycle: reads follow a pointer chain (each
//! load's address is the previous load's value, so they cannot overlap), with a
//! 64-byte stride (sequential) or over 4 KiB-apart slots in a random order
//! (random); writes are NODES stores one after the other (the core waits for each
//! one's acknowledgement: the write into the persistence domain). The cycle counts
//! go to `CALIBRATION`, which the harness reads after the exit.
#![no_std]
#![no_main]

use core::arch::asm;
use core::ptr::{read_volatile, write_volatile};

use cosim_firmware::println;

/// Accesses per measurement.
const NODES: usize = 1024;
/// Where the measurements run: 16 MiB into DRAM (clear of the image), and pmem.
const DRAM_BUF: usize = 0x8100_0000;
const PMEM_BUF: usize = 0x1_0000_0000;
/// Slot spacing of the random chain: every access in another page, row and media line.
const RANDOM_STRIDE: usize = 4096;
const SEQ_STRIDE: usize = 64;

/// For DRAM then pmem: cycles of NODES sequential reads, random reads, writes; then
/// NODES itself (the harness divides by it).
#[no_mangle]
static mut CALIBRATION: [u64; 7] = [0; 7];

/// Slot order of the random chain (a single cycle through all slots).
static mut ORDER: [u32; NODES] = [0; NODES];

fn mcycle() -> u64 {
    let c: u64;
    // SAFETY: reading a counter CSR has no side effect.
    unsafe { asm!("csrr {0}, mcycle", out(reg) c) };
    c
}

/// xorshift64 (13, 7, 17).
fn next(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

/// Writes a pointer chain through `slots` (addresses), in that order, closing the
/// cycle; returns its first node.
fn build_chain(slot: impl Fn(usize) -> usize, order: impl Fn(usize) -> usize) -> usize {
    for i in 0..NODES {
        let here = slot(order(i));
        let there = slot(order((i + 1) % NODES));
        // SAFETY: the buffers lie in DRAM and pmem, which nothing else uses.
        unsafe { write_volatile(here as *mut usize, there) };
    }
    slot(order(0))
}

/// Cycles of NODES dependent loads from `start`.
fn chase(start: usize) -> u64 {
    let mut p = start;
    let t0 = mcycle();
    for _ in 0..NODES {
        // SAFETY: every node holds the address of another node of the chain.
        p = unsafe { read_volatile(p as *const usize) };
    }
    let t1 = mcycle();
    core::hint::black_box(p);
    t1 - t0
}

/// Cycles of NODES stores of 8 bytes, one after the other, from `base`.
fn stores(base: usize) -> u64 {
    let t0 = mcycle();
    for i in 0..NODES {
        // SAFETY: the buffer is free memory.
        unsafe { write_volatile((base + 8 * i) as *mut u64, i as u64) };
    }
    mcycle() - t0
}

fn measure(base: usize) -> [u64; 3] {
    let seq = build_chain(|k| base + SEQ_STRIDE * k, |i| i);
    // SAFETY: ORDER is only used here, single-threaded.
    let order = unsafe { &*core::ptr::addr_of!(ORDER) };
    let random_base = base + (1 << 20);
    let rand = build_chain(|k| random_base + RANDOM_STRIDE * k, |i| order[i] as usize);
    let write_base = base + (8 << 20);
    [chase(seq), chase(rand), stores(write_base)]
}

#[no_mangle]
extern "C" fn main() -> i32 {
    // Sattolo's shuffle: a random cyclic order of the slots.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    // SAFETY: single-threaded start-up.
    let order = unsafe { &mut *core::ptr::addr_of_mut!(ORDER) };
    for (i, o) in order.iter_mut().enumerate() {
        *o = i as u32;
    }
    for i in (1..NODES).rev() {
        let j = (next(&mut state) % i as u64) as usize;
        order.swap(i, j);
    }
    let dram = measure(DRAM_BUF);
    let pmem = measure(PMEM_BUF);
    // SAFETY: single-threaded; the harness reads it after the exit.
    unsafe {
        let out = &mut *core::ptr::addr_of_mut!(CALIBRATION);
        out[..3].copy_from_slice(&dram);
        out[3..6].copy_from_slice(&pmem);
        out[6] = NODES as u64;
    }
    println!(
        "calibrate: {NODES} accesses each; cycles dram {:?} pmem {:?} (seq, rand, write)",
        dram, pmem
    );
    0
}
