//! What a run is configured with.

use crate::axi::{Persistence, SlaveConfig};
use crate::memory::timing::Profile;
use crate::memory::MemoryMap;
use std::path::PathBuf;

/// Settings of one run. `Default` is what `cosim run` uses without options.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// The run fails when it reaches this many cycles without exiting.
    pub max_cycles: u64,
    /// The run fails after this many cycles without architectural progress (see
    /// [`crate::sim::Simulation`]'s watchdog).
    pub watchdog_cycles: u64,
    /// Write an FST waveform of the whole run here.
    pub trace: Option<PathBuf>,
    /// The waveform starts at this cycle (0: the whole run, reset included).
    pub trace_from: u64,
    /// Write one line per retired instruction here (like Spike's commit log).
    pub retire_log: Option<PathBuf>,
    /// Check every retired instruction against the reference ISS.
    pub lockstep: bool,
    /// Copy the program's console to stdout as it is printed.
    pub echo_console: bool,
    /// Answer the program's console reads (HTIF) with what is typed on cosim's stdin.
    pub console_input: bool,
    /// DRAM and pmem sizes.
    pub memory_map: MemoryMap,
    /// Timing and ordering of the AXI slave.
    pub slave: SlaveConfig,
    /// pmem's contents come from this image file (created when missing) and go back
    /// to it, crash-safely, when the run ends.
    pub pmem_image: Option<PathBuf>,
    /// Cut the power at this cycle: pmem keeps only what was durable (see
    /// `AxiSlave::power_fail`), the image gets it, and the run ends.
    pub power_fail_at: Option<u64>,
    /// Where the persistence domain begins, for a power failure.
    pub persistence: Persistence,
    /// DRAM and pmem timing (latency, bandwidth, pmem internals); `None`: the slave's
    /// fixed latency for everything (the fastest simulation).
    pub profile: Option<Profile>,
    /// Re-walk every page-table walk the RTL completes with the software walker and
    /// stop at the first difference.
    pub translation_check: bool,
    /// Replay the MMU trace through the software TLB model and compare its predicted
    /// misses and walks with the RTL's counters.
    pub check_counters: bool,
}

impl RunConfig {
    /// The default configuration with lockstep on: what tests use.
    pub fn checked() -> Self {
        Self {
            lockstep: true,
            translation_check: true,
            ..Self::default()
        }
    }
}

impl Default for RunConfig {
    fn default() -> Self {
        Self {
            max_cycles: 2_000_000_000,
            watchdog_cycles: 200_000,
            trace: None,
            trace_from: 0,
            retire_log: None,
            lockstep: false,
            echo_console: false,
            console_input: false,
            memory_map: MemoryMap::default(),
            slave: SlaveConfig::default(),
            profile: None,
            pmem_image: None,
            power_fail_at: None,
            persistence: Persistence::Adr,
            translation_check: true,
            check_counters: false,
        }
    }
}

/// A power-failure cycle drawn from `seed`, uniformly in `1..=within`: the same seed
/// gives the same cycle.
pub fn random_power_fail_cycle(seed: u64, within: u64) -> u64 {
    1 + crate::rng::XorShift64::new(seed).below(within.max(1) as usize) as u64
}
