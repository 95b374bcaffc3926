//! Random programs checked in lockstep: `cosim fuzz` and the fuzz tests.

mod elf;
pub(crate) mod encode;
mod handlers;
mod mode_steps;
mod page_tables;
mod pmp_plan;
mod program;

use crate::axi::SlaveConfig;
use crate::sim::{run_elf_bytes, RunConfig, RunOutcome, SimError};

pub use program::generate;

/// What a random program exercises beyond the base stream.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The base stream: M, S and U without translation, one allow-all PMP entry.
    #[default]
    Base,
    /// Random Sv39/Sv48 page tables, rewritten while running, every sfence.vma form.
    Vm,
    /// Exceptions delegated to an S-mode handler; vectored trap tables.
    Deleg,
    /// Random PMP regions (TOR, NA4, NAPOT, locked), redrawn while running.
    Pmp,
    /// All of vm, deleg and pmp together (PMP regions over the page tables too).
    All,
}

impl Mode {
    pub const ALL: [Mode; 5] = [Mode::Base, Mode::Vm, Mode::Deleg, Mode::Pmp, Mode::All];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Base => "base",
            Mode::Vm => "vm",
            Mode::Deleg => "deleg",
            Mode::Pmp => "pmp",
            Mode::All => "all",
        }
    }

    pub fn features(self) -> Features {
        let all = self == Mode::All;
        Features {
            vm: all || self == Mode::Vm,
            deleg: all || self == Mode::Deleg,
            pmp: all || self == Mode::Pmp,
        }
    }
}

/// The parts of the machine a program turns on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features {
    pub vm: bool,
    pub deleg: bool,
    pub pmp: bool,
}

impl Features {
    pub fn any(self) -> bool {
        self.vm || self.deleg || self.pmp
    }
}

/// Instructions drawn per program by default.
pub const DEFAULT_LENGTH: usize = 1500;

/// The most instructions a program may draw: its code must fit below its data
/// (1 MiB), and one drawn instruction is at most a few machine instructions.
pub const MAX_LENGTH: usize = 20_000;

/// The ELF image of the random program of `seed` in `mode`.
pub fn program_elf(seed: u64, length: usize, mode: Mode) -> Vec<u8> {
    elf::to_elf(&generate(seed, length, mode.features()))
}

/// Runs the program of `seed` with lockstep and the counter check on; a difference
/// is a `SimError`.
pub fn run_seed(
    seed: u64,
    length: usize,
    mode: Mode,
    cfg: &RunConfig,
) -> Result<RunOutcome, SimError> {
    let cfg = RunConfig {
        lockstep: true,
        check_counters: true,
        watchdog_cycles: 100_000,
        max_cycles: 50_000_000,
        ..cfg.clone()
    };
    run_elf_bytes(&program_elf(seed, length, mode), &cfg)
}

/// Runs the program of `seed` under every check, with `jitter` cycles of bus jitter
/// (seeded by `seed`), and judges it: its outcome, or why it failed (a lockstep
/// difference, a counter-check difference, another exit code).
pub fn check_seed(seed: u64, length: usize, mode: Mode, jitter: u32) -> Result<RunOutcome, String> {
    let cfg = RunConfig {
        slave: SlaveConfig::jittered(jitter, seed),
        ..RunConfig::checked()
    };
    let outcome = run_seed(seed, length, mode, &cfg).map_err(|e| e.to_string())?;
    if outcome.exit_code != 0 {
        return Err(format!("the program exited with {}", outcome.exit_code));
    }
    match &outcome.tlb_check {
        Some(report) if !report.agrees() => Err(report.to_string()),
        _ => Ok(outcome),
    }
}

#[cfg(test)]
mod tests {
    use super::page_tables::PT_CODE_BASE;
    use super::program::CODE_BASE;
    use super::*;

    #[test]
    fn the_longest_program_fits_below_its_page_tables() {
        for mode in Mode::ALL {
            for seed in 1..=8 {
                let code = generate(seed, MAX_LENGTH, mode.features()).code.len() as u64;
                assert!(
                    code <= PT_CODE_BASE - CODE_BASE,
                    "{mode:?} seed {seed}: {code} bytes of code"
                );
            }
        }
    }

    #[test]
    fn base_programs_are_what_they_always_were() {
        // The FNV-1a hash of seed 1's base program, as generated before the modes
        // existed: the nightly's and the mutants' fuzz seeds stay the same programs.
        let hash = crate::fnv::fnv(&program_elf(1, DEFAULT_LENGTH, Mode::Base));
        assert_eq!(hash, 0x5646_81d7_8cd6_510c);
    }
}
