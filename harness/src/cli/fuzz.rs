//! `cosim fuzz --seeds N`: random programs under lockstep; the first failing seed is
//! reported with its divergence and the command that reproduces it.

use clap::Args;
use cosim::fuzz::{program_elf, run_seed, DEFAULT_LENGTH, MAX_LENGTH};
use cosim::sim::RunConfig;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct FuzzArgs {
    /// How many seeds to run.
    #[arg(long, default_value_t = 1000)]
    pub seeds: u64,
    /// The first seed.
    #[arg(long, default_value_t = 1)]
    pub start: u64,
    /// Random instructions per program (at most 20000).
    #[arg(long, default_value_t = DEFAULT_LENGTH, value_parser = parse_length)]
    pub length: usize,
    /// Also write the failing program's ELF here.
    #[arg(long, value_name = "FILE")]
    pub save_failing: Option<PathBuf>,
}

pub fn fuzz(args: FuzzArgs) -> anyhow::Result<i32> {
    let bar = ProgressBar::new(args.seeds);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} seeds, {msg}").expect("valid template"),
    );
    let cfg = RunConfig::checked();
    let mut instructions = 0u64;
    for seed in args.start..args.start + args.seeds {
        match run_seed(seed, args.length, &cfg) {
            Ok(outcome) if outcome.exit_code == 0 => {
                instructions += outcome.lockstep.map_or(0, |l| l.checked);
                bar.set_message(format!("{instructions} instructions checked"));
                bar.inc(1);
            }
            result => {
                bar.finish_and_clear();
                let why = match result {
                    Ok(outcome) => format!("the program exited with {}", outcome.exit_code),
                    Err(e) => e.to_string(),
                };
                eprintln!("seed {seed} fails:\n{why}");
                if let Some(path) = &args.save_failing {
                    cosim::output::write_atomic(path, &program_elf(seed, args.length))
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                    eprintln!(
                        "its program: {} (cosim run --lockstep {})",
                        path.display(),
                        path.display()
                    );
                }
                eprintln!(
                    "reproduce: cosim fuzz --start {seed} --seeds 1 --length {} --save-failing seed{seed}.elf",
                    args.length
                );
                return Ok(1);
            }
        }
    }
    bar.finish_and_clear();
    println!(
        "{} random programs (seeds {}..{}) ran clean under lockstep: {instructions} instructions checked",
        args.seeds,
        args.start,
        args.start + args.seeds - 1
    );
    Ok(0)
}

fn parse_length(s: &str) -> Result<usize, String> {
    s.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_LENGTH).contains(n))
        .ok_or_else(|| format!("{s:?}: a number of instructions from 1 to {MAX_LENGTH}"))
}
