//! Random programs checked in lockstep: `cosim fuzz` and the fuzz tests.

mod elf;
mod encode;
mod program;

use crate::sim::{run_elf_bytes, RunConfig, RunOutcome, SimError};

pub use program::generate;

/// Instructions drawn per program by default.
pub const DEFAULT_LENGTH: usize = 1500;

/// The ELF image of the random program of `seed`.
pub fn program_elf(seed: u64, length: usize) -> Vec<u8> {
    elf::to_elf(&generate(seed, length))
}

/// Runs the program of `seed` with lockstep on; a difference is a `SimError`.
pub fn run_seed(seed: u64, length: usize, cfg: &RunConfig) -> Result<RunOutcome, SimError> {
    let cfg = RunConfig {
        lockstep: true,
        watchdog_cycles: 100_000,
        max_cycles: 50_000_000,
        ..cfg.clone()
    };
    run_elf_bytes(&program_elf(seed, length), &cfg)
}
