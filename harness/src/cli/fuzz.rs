//! `cosim fuzz --seeds N [--mode M] [--jitter J]`: random programs under lockstep;
//! the first failing seed is reported with its divergence and the command that
//! reproduces it.

use clap::Args;
use cosim::fuzz::{check_seed, program_elf, Mode, DEFAULT_LENGTH, MAX_LENGTH};
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
    /// What the programs turn on beyond the base stream: translation (vm),
    /// delegation (deleg), PMP (pmp), or all three.
    #[arg(long, value_enum, default_value_t = Mode::Base)]
    pub mode: Mode,
    /// Delay each bus response by a further 0..=J cycles (seeded by the program's
    /// seed) and let responses of different AXI IDs overtake each other.
    #[arg(long, value_name = "J", default_value_t = 0)]
    pub jitter: u32,
    /// Also write the failing program's ELF here.
    #[arg(long, value_name = "FILE")]
    pub save_failing: Option<PathBuf>,
}

pub fn fuzz(args: FuzzArgs) -> anyhow::Result<i32> {
    let bar = ProgressBar::new(args.seeds);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} seeds, {msg}").expect("valid template"),
    );
    let mut instructions = 0u64;
    for seed in args.start..args.start + args.seeds {
        match check_seed(seed, args.length, args.mode, args.jitter) {
            Ok(outcome) => {
                instructions += outcome.lockstep.map_or(0, |l| l.checked);
                bar.set_message(format!("{instructions} instructions checked"));
                bar.inc(1);
            }
            Err(why) => {
                bar.finish_and_clear();
                eprintln!("seed {seed} fails:\n{why}");
                if let Some(path) = &args.save_failing {
                    let elf = program_elf(seed, args.length, args.mode);
                    cosim::output::write_atomic(path, &elf)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                    eprintln!(
                        "its program: {} (cosim run --lockstep --check-counters {})",
                        path.display(),
                        path.display()
                    );
                }
                eprintln!(
                    "reproduce: cosim fuzz --mode {} --start {seed} --seeds 1 --length {}{} --save-failing seed{seed}.elf",
                    args.mode.name(),
                    args.length,
                    jitter_option(args.jitter),
                );
                return Ok(1);
            }
        }
    }
    bar.finish_and_clear();
    println!(
        "{} random programs (mode {}{}, seeds {}..{}) ran clean under lockstep: {instructions} instructions checked",
        args.seeds,
        args.mode.name(),
        jitter_option(args.jitter),
        args.start,
        args.start + args.seeds - 1
    );
    Ok(0)
}

fn jitter_option(jitter: u32) -> String {
    if jitter > 0 {
        format!(" --jitter {jitter}")
    } else {
        String::new()
    }
}

fn parse_length(s: &str) -> Result<usize, String> {
    s.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_LENGTH).contains(n))
        .ok_or_else(|| format!("{s:?}: a number of instructions from 1 to {MAX_LENGTH}"))
}
