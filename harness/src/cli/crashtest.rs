//! `cosim crashtest`: power failures at random cycles over a pmem image, then a check.

use clap::Args;
use cosim::axi::Persistence;
use cosim::memory::timing::Profile;
use cosim::sim::{crash_test, RunConfig};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CrashtestArgs {
    /// A program that checks its own pmem state at start (exit 0 when consistent)
    /// and then changes it, like tests/asm/pmem_log.S.
    pub elf: PathBuf,
    /// The pmem image the runs share (created when missing).
    #[arg(long, value_name = "FILE")]
    pub pmem_image: PathBuf,
    /// Start from a new image: delete the file first if it exists.
    #[arg(long)]
    pub fresh_image: bool,
    /// Write the results (runs cut, writes lost, consistency) as JSON here.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Power failures to inject, one per run.
    #[arg(long, default_value_t = 100)]
    pub points: u64,
    /// Seed of the first run's power-failure cycle (run k uses seed + k).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Power-failure cycles are drawn from 1..=CYCLES.
    #[arg(long, value_name = "CYCLES", default_value_t = 80_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub within: u64,
    /// Memory timing (default ddr4: writes take tens of cycles to become durable).
    #[arg(long, value_name = "NAME|FILE.toml", default_value = "ddr4",
          value_parser = super::run::parse_profile)]
    pub profile: Profile,
    #[arg(long, value_enum, default_value = "adr")]
    pub persistence: Persistence,
    /// Also check every instruction against the reference ISS (slower).
    #[arg(long)]
    pub lockstep: bool,
}

pub fn crashtest(args: CrashtestArgs) -> anyhow::Result<i32> {
    let cfg = RunConfig {
        profile: Some(args.profile),
        persistence: args.persistence,
        lockstep: args.lockstep,
        ..RunConfig::default()
    };
    if args.fresh_image {
        match std::fs::remove_file(&args.pmem_image) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                anyhow::bail!("cannot remove {}: {e}", args.pmem_image.display())
            }
            _ => {}
        }
    }
    let bar = ProgressBar::new(args.points + 1);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs {elapsed}")
            .expect("valid template"),
    );
    let report = crash_test(
        &args.elf,
        &args.pmem_image,
        &cfg,
        args.points,
        args.seed,
        args.within,
        &mut |_| bar.inc(1),
    )?;
    bar.finish_and_clear();
    println!(
        "crashtest: {} runs cut by a power failure ({} write bursts lost in flight); {}",
        report.power_failures,
        report.lost_writes,
        match report.broken {
            None => "pmem consistent after every one".to_string(),
            Some((run, code)) => format!("run {run} found pmem broken (exit code {code})"),
        }
    );
    if let Some(path) = &args.json {
        let value = serde_json::json!({
            "exit_code": if report.consistent() { 0 } else { 1 },
            "points": args.points,
            "power_failures": report.power_failures,
            "lost_writes": report.lost_writes,
            "consistent": report.consistent(),
            "broken_run": report.broken.map(|(run, _)| run),
            "broken_exit_code": report.broken.map(|(_, code)| code),
        });
        cosim::sim::write_json(path, &value)?;
    }
    Ok(if report.consistent() { 0 } else { 1 })
}
