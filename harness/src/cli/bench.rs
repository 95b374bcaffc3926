//! `cosim bench`: simulated cycles per second of the full SoC + harness, and of the
//! bare verilated model's eval loop fed the very same input sequence, in one run.

use clap::Args;
use cosim::bench::{measure, BenchReport};
use cosim::loader::read_image;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Program to run (default: the embedded `hello` firmware).
    #[arg(long)]
    pub elf: Option<PathBuf>,
    /// Simulate at most this many cycles per repetition.
    #[arg(long, default_value_t = 1_000_000)]
    pub cycles: u64,
    /// Repeat until at least this many seconds of harness time were measured.
    #[arg(long, default_value_t = 2.0)]
    pub seconds: f64,
}

pub fn bench(args: BenchArgs) -> anyhow::Result<i32> {
    let (name, bytes) = match &args.elf {
        Some(path) => (path.display().to_string(), read_image(path)?),
        None => (
            "firmware hello".to_string(),
            cosim::firmware::image("hello").to_vec(),
        ),
    };
    let report: BenchReport = measure(&bytes, args.cycles, args.seconds)?;
    println!("program:            {name}");
    println!(
        "cycles per run:     {} ({} instructions)",
        report.cycles_per_run, report.instret_per_run
    );
    println!("repetitions:        {}", report.runs);
    println!(
        "harness + SoC:      {:>10.0} cycles/s  {:>10.0} instructions/s",
        report.harness_cycles_per_sec(),
        report.harness_instructions_per_sec()
    );
    println!(
        "bare model eval:    {:>10.0} cycles/s",
        report.bare_cycles_per_sec()
    );
    println!(
        "harness / bare:     {:>10.3}",
        report.harness_cycles_per_sec() / report.bare_cycles_per_sec()
    );
    Ok(0)
}
