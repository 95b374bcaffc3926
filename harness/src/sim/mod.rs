//! The cycle loop: the verilated SoC, the AXI slave memory model behind its port,
//! the devices, and the checks that end a run (exit, watchdog, cycle limit).

mod config;
mod crash;
mod error;
mod json;
mod outcome;
mod phases;
mod progress;
mod retire_log;
mod simulation;
mod watchdog;

pub use config::{random_power_fail_cycle, RunConfig};
pub use crash::{crash_test, CrashReport};
pub use error::SimError;
pub use json::{failure_json, outcome_json, write_json};
pub use outcome::{
    process_status, LockstepSummary, PowerFail, RunOutcome, EXIT_CODE_OUT_OF_RANGE,
    EXIT_HARNESS_ERROR, EXIT_POWER_FAIL,
};
pub use phases::Phase;
pub use progress::Progress;
pub use retire_log::format_retire;
pub use simulation::{ConsoleWatcher, Preload, Simulation};

use crate::loader::read_image;
use std::path::Path;

/// Loads an ELF file and runs it to its exit (see [`Simulation::run`]).
pub fn run_elf_file(path: &Path, cfg: &RunConfig) -> Result<RunOutcome, SimError> {
    let bytes = read_image(path, cfg.memory_map.capacity())?;
    run_elf_bytes(&bytes, cfg)
}

/// Runs an ELF image held in memory to its exit.
pub fn run_elf_bytes(bytes: &[u8], cfg: &RunConfig) -> Result<RunOutcome, SimError> {
    Simulation::new(bytes, cfg)?.run(&mut |_| {})
}
