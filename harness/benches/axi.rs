//! One AXI exchange per cycle through the slave (`outputs`, then `clock` with the
//! master's signals at the edge), replaying the master side of a real run of the bench
//! firmware against a fresh slave and bus: since the slave is deterministic, every
//! handshake happens as it did in the run. With the fixed latency and with the
//! DDR4 timing profile (the program only touches DRAM), and the protocol checker that watches the same port.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

use cosim::axi::{AxiSlave, ProtocolChecker};
use cosim::loader::load_elf;
use cosim::memory::timing::{MemoryTiming, Profile};
use cosim::memory::SystemBus;

/// A slave and a bus holding the program, as at the start of the recorded run.
fn fresh(rec: &common::Recording) -> (AxiSlave, SystemBus) {
    let map = rec.cfg.memory_map;
    let mut bus = SystemBus::new(map);
    let loaded = load_elf(&rec.elf, &mut bus).expect("the bench firmware loads");
    bus.set_htif(loaded.htif());
    let slave = match &rec.cfg.profile {
        Some(profile) => {
            AxiSlave::with_timing(rec.cfg.slave, MemoryTiming::new(profile.clone(), map))
        }
        None => AxiSlave::new(rec.cfg.slave),
    };
    (slave, bus)
}

fn exchange(c: &mut Criterion) {
    let mut group = c.benchmark_group("axi exchange");
    group.throughput(Throughput::Elements(common::CYCLES as u64));
    for (name, profile) in [
        ("fixed latency", None),
        ("ddr4 profile", Some(Profile::ddr4())),
    ] {
        let rec = common::record(profile);
        group.bench_function(format!("slave, {name}"), |b| {
            b.iter_batched(
                || fresh(&rec),
                |(mut slave, mut bus)| {
                    for m in &rec.master {
                        let s = slave.outputs();
                        slave
                            .clock(black_box(m), &s, &mut bus)
                            .expect("recorded traffic is legal");
                    }
                    black_box(slave.outputs())
                },
                BatchSize::PerIteration,
            )
        });
    }

    let rec = common::record(None);
    group.bench_function("protocol checker", |b| {
        b.iter_batched(
            ProtocolChecker::new,
            |mut checker| {
                for (cycle, (m, s)) in rec.master.iter().zip(&rec.slave).enumerate() {
                    checker
                        .check(cycle as u64, black_box(m), black_box(s))
                        .expect("recorded traffic is legal");
                }
                black_box(checker.outstanding_reads())
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, exchange);
criterion_main!(benches);
