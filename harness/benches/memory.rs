//! The memory model on its own: sparse-memory word reads and writes (what an R beat
//! and a W beat cost behind the bus), the same through the system bus's address
//! decode, and the timing model's bookkeeping per burst (DDR4 for DRAM, Optane-like
//! for pmem, with pmem's write-combining buffer).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

use cosim::memory::timing::{MemoryTiming, Profile};
use cosim::memory::{MemoryMap, PhysAddr, SparseMemory, SystemBus};

/// Accesses per benchmark iteration.
const OPS: usize = 4096;
/// The working set the accesses fall in: 4 MiB (a leaf table's worth of pages).
const WORKING_SET: u64 = 4 << 20;
const DRAM_BASE: u64 = 0x8000_0000;
const PMEM_BASE: u64 = 0x1_0000_0000;

/// Offsets of 8-byte words in the working set: runs of 8 sequential words (a line)
/// at xorshift-chosen places, as a program's accesses mostly come.
fn offsets() -> Vec<u64> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut out = Vec::with_capacity(OPS);
    while out.len() < OPS {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let line = (x % WORKING_SET) & !63;
        out.extend((0..8).map(|w| line + 8 * w));
    }
    out
}

fn sparse(c: &mut Criterion) {
    let offsets = offsets();
    let mut group = c.benchmark_group("sparse memory");
    group.throughput(Throughput::Elements(OPS as u64));
    // Every page of the working set resident, in a 1 TiB region (pmem's largest).
    let mut mem = SparseMemory::new(1 << 40);
    for &off in &offsets {
        mem.write_word(off, off | 1, !0);
    }
    group.bench_function("read_word", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &off in &offsets {
                sum = sum.wrapping_add(mem.read_word(black_box(off)));
            }
            black_box(sum)
        })
    });
    group.bench_function("write_word", |b| {
        b.iter(|| {
            for &off in &offsets {
                mem.write_word(black_box(off), off, 0x00ff_00ff_00ff_00ff);
            }
        })
    });

    let mut bus = SystemBus::new(MemoryMap::default());
    group.bench_function("bus read_beat + write_beat", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &off in &offsets {
                let addr = PhysAddr(DRAM_BASE + off);
                bus.write_beat(addr, off, 0xff).expect("DRAM");
                sum = sum.wrapping_add(bus.read_beat(addr, 3).expect("DRAM"));
            }
            black_box(sum)
        })
    });
    group.finish();
}

fn timing(c: &mut Criterion) {
    let offsets = offsets();
    // DDR4 DRAM and Optane-like pmem.
    let profile = Profile::optane();
    let mut group = c.benchmark_group("timing model");
    group.throughput(Throughput::Elements(OPS as u64));
    group.bench_function("read + write bursts, DRAM and pmem", |b| {
        b.iter_batched(
            || MemoryTiming::new(profile.clone(), MemoryMap::default()),
            |mut timing| {
                let mut now = 0u64;
                for (i, &off) in offsets.iter().enumerate() {
                    let base = if i % 2 == 0 { DRAM_BASE } else { PMEM_BASE };
                    let addr = base + off;
                    now += 4;
                    if i % 4 < 3 {
                        black_box(timing.read(addr, 1, 8, now));
                    } else {
                        timing.pmem_beat_written(addr, 8);
                        black_box(timing.write(addr, 1, 8, now, now + 1));
                    }
                }
                black_box(timing.counters().media_reads)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, sparse, timing);
criterion_main!(benches);
