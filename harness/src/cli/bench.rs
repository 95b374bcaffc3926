//! `cosim bench`: simulated cycles and instructions per second of the full SoC +
//! harness, of the bare verilated model's eval loop fed the very same input sequence,
//! and QEMU's instructions per second on the same program, in one run.

use clap::Args;
use cosim::bench::{measure, measure_qemu, Workload};
use cosim::loader::read_image;
use std::path::PathBuf;

/// Rounds of the bench firmware by default: about 1.7 million cycles a run.
const DEFAULT_ITERATIONS: u64 = 25;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Program to run (default: the embedded `bench` firmware).
    #[arg(long)]
    pub elf: Option<PathBuf>,
    /// Rounds of the embedded `bench` firmware.
    #[arg(long, default_value_t = DEFAULT_ITERATIONS, conflicts_with = "elf",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub iterations: u64,
    /// Stop each repetition after this many cycles (default: at the program's exit).
    #[arg(long)]
    pub cycles: Option<u64>,
    /// Repeat until at least this many seconds of harness time were measured; QEMU
    /// runs the bench firmware for at least this long too (at most 1 s).
    #[arg(long, default_value_t = 2.0, value_parser = parse_seconds)]
    pub seconds: f64,
    /// Fail when QEMU cannot be measured (by default its line says why instead).
    #[arg(long)]
    pub qemu: bool,
}

pub fn bench(args: BenchArgs) -> anyhow::Result<i32> {
    let (name, workload) = match &args.elf {
        Some(path) => (
            path.display().to_string(),
            Workload::Elf(read_image(path, cosim::loader::MAX_IMAGE_SIZE)?),
        ),
        None => (
            format!("firmware bench, {} rounds", args.iterations),
            Workload::Bench {
                iterations: args.iterations,
            },
        ),
    };
    let report = measure(
        &workload.image(),
        args.cycles.unwrap_or(u64::MAX),
        args.seconds,
    )?;
    let qemu = measure_qemu(&workload, &report, args.seconds.min(1.0));
    let exit = match report.exit {
        Some(code) => format!("exit code {code}"),
        None => "stopped at --cycles".to_string(),
    };
    println!("program:            {name} ({exit})");
    println!(
        "cycles per run:     {} ({} instructions)",
        report.cycles_per_run, report.instret_per_run
    );
    println!("repetitions:        {}", report.runs);
    println!(
        "harness + SoC:      {:>12.0} cycles/s  {:>12.0} instructions/s",
        report.harness_cycles_per_sec(),
        report.harness_instructions_per_sec()
    );
    println!(
        "bare model eval:    {:>12.0} cycles/s  {:>12.0} instructions/s",
        report.bare_cycles_per_sec(),
        report.bare_instructions_per_sec()
    );
    match &qemu {
        Ok(q) => println!(
            "QEMU:               {:>35.0} instructions/s",
            q.instructions_per_sec()
        ),
        Err(e) => println!("QEMU:               not measured: {e}"),
    }
    println!(
        "harness / bare:     {:>12.3}",
        report.harness_cycles_per_sec() / report.bare_cycles_per_sec()
    );
    if let Ok(q) = &qemu {
        println!(
            "QEMU / harness:     {:>12.1}",
            q.instructions_per_sec() / report.harness_instructions_per_sec()
        );
        println!(
            "QEMU figure:        {} instructions in {:.3} s ({:.3} s wall time - {:.3} s start-up)",
            q.instructions,
            q.work_time().as_secs_f64(),
            q.wall_time.as_secs_f64(),
            q.startup.as_secs_f64(),
        );
        println!("                    {}", q.method);
    }
    match qemu {
        Err(e) if args.qemu => Err(anyhow::anyhow!("QEMU: {e}")),
        _ => Ok(0),
    }
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| (0.0..=3600.0).contains(v))
        .ok_or_else(|| format!("{s:?}: seconds from 0 (one repetition) to 3600"))
}
