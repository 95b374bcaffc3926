//! Subcommands of `cosim`, each a thin layer over the library.

mod bench;
mod calibrate;
mod crashtest;
mod fuzz;
mod linux;
mod mutants;
mod nightly;
mod pmem;
mod report;
mod run;
mod vmemmap;

use clap::{Parser, Subcommand};

pub use cosim::sim::EXIT_HARNESS_ERROR;

#[derive(Parser, Debug)]
#[command(
    name = "cosim",
    version,
    about = "Co-simulation harness for the cosim RV64 SoC (Verilator RTL + Rust memory model)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a RISC-V ELF on the RTL until it exits (HTIF tohost or SIMCTRL).
    Run(run::RunArgs),
    /// Measure simulation speed: the full harness against the bare verilated model.
    Bench(bench::BenchArgs),
    /// Run seeded random programs in lockstep with the reference; report the first
    /// failing seed.
    Fuzz(fuzz::FuzzArgs),
    /// Measure memory latency and bandwidth on the core under a timing profile and
    /// compare them with the profile's figures.
    Calibrate(calibrate::CalibrateArgs),
    /// Crash-consistency test: power failures at seeded random cycles of successive
    /// runs over one pmem image, each run checking the state the last one left.
    Crashtest(crashtest::CrashtestArgs),
    /// Build a Linux-style vmemmap for a device-dax pmem region in the firmware, and
    /// check it: one configuration (mode, alignment, size, paging).
    Vmemmap(vmemmap::VmemmapArgs),
    /// The vmemmap job over a matrix of modes and alignments, in parallel: report.json,
    /// report.md and report.html with charts.
    Report(report::ReportArgs),
    /// The regression matrix: directed programs, random seeds, vmemmap configurations
    /// and power failures over RTL variants, in parallel; JSON, JUnit and a report.
    Nightly(nightly::NightlyArgs),
    /// Boot Linux 6.12 on the RTL (OpenSBI, the kernel, an initramfs with our init,
    /// a device-dax pmem region) to init's result line and power-off.
    Linux(linux::LinuxArgs),
    /// Prepare pmem images (device-dax formatting).
    Pmem(pmem::PmemArgs),
    /// Join the output directories of `cosim nightly --shard K/N` runs into one.
    Merge(nightly::MergeArgs),
    /// Mutation testing: build each deliberate RTL bug of the catalogue and run the
    /// kill suite on it; every mutant must be killed by some check.
    Mutants(mutants::MutantsArgs),
}

/// Runs a subcommand; returns the process exit code.
pub fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Bench(args) => bench::bench(args),
        Command::Fuzz(args) => fuzz::fuzz(args),
        Command::Calibrate(args) => calibrate::calibrate_cmd(args),
        Command::Crashtest(args) => crashtest::crashtest(args),
        Command::Vmemmap(args) => vmemmap::vmemmap(args),
        Command::Report(args) => report::report(args),
        Command::Nightly(args) => nightly::nightly(args),
        Command::Merge(args) => nightly::merge(args),
        Command::Linux(args) => linux::linux(args),
        Command::Pmem(args) => pmem::pmem(args),
        Command::Mutants(args) => mutants::mutants(args),
    }
}
