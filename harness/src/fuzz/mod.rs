//! Random programs checked in lockstep: `cosim fuzz` and the fuzz tests.

mod elf;
pub(crate) mod encode;
mod program;

use crate::sim::{run_elf_bytes, RunConfig, RunOutcome, SimError};

pub use program::generate;

/// Instructions drawn per program by default.
pub const DEFAULT_LENGTH: usize = 1500;

/// The most instructions a program may draw: its code must fit below its data
/// (1 MiB), and one drawn instruction is at most a few machine instructions.
pub const MAX_LENGTH: usize = 20_000;

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

#[cfg(test)]
mod tests {
    use super::program::{CODE_BASE, DATA_BASE};
    use super::*;

    #[test]
    fn the_longest_program_fits_below_its_data() {
        for seed in 1..=8 {
            let code = generate(seed, MAX_LENGTH).code.len() as u64;
            assert!(
                code <= DATA_BASE - CODE_BASE,
                "seed {seed}: {code} bytes of code"
            );
        }
    }
}
