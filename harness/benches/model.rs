//! The cost of one simulated cycle: the bare verilated model's eval fed a recorded
//! input sequence, and the full harness loop (`Simulation::step`: model, AXI slave,
//! protocol checker, devices, retire bookkeeping) on the same program.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

use cosim::model::{Model, SocOutputs};
use cosim::sim::Simulation;

fn cycle(c: &mut Criterion) {
    let rec = common::record(None);
    let mut group = c.benchmark_group("cycle");
    group.throughput(Throughput::Elements(common::CYCLES as u64));

    // From reset, so that the recorded inputs meet the state they were recorded in.
    let mut model = Model::fast();
    let mut out = SocOutputs::default();
    group.bench_function("bare model eval", |b| {
        b.iter(|| {
            model.reset(rec.entry);
            for input in &rec.slave {
                model.cycle(black_box(input), &mut out);
            }
            black_box(out.retire.order)
        })
    });

    group.bench_function("full harness step", |b| {
        b.iter_batched(
            || Simulation::new(&rec.elf, &rec.cfg).expect("the bench firmware loads"),
            |mut sim| {
                for _ in 0..common::CYCLES {
                    black_box(sim.step().expect("the bench firmware runs"));
                }
                black_box(sim.instret())
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, cycle);
criterion_main!(benches);
