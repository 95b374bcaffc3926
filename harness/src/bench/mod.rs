//! Simulation speed, measured in one run: the full loop (model + AXI slave + devices
//! + checks) against the bare model fed the same recorded inputs, cycle for cycle.

use crate::model::{AxiSlavePort, Model, SocOutputs};
use crate::sim::{RunConfig, SimError, Simulation};
use std::time::{Duration, Instant};

/// Measured speeds. Both loops simulate exactly the same cycles.
#[derive(Clone, Debug)]
pub struct BenchReport {
    pub runs: u32,
    pub cycles_per_run: u64,
    pub instret_per_run: u64,
    pub harness_time: Duration,
    pub bare_time: Duration,
}

impl BenchReport {
    pub fn harness_cycles_per_sec(&self) -> f64 {
        (self.cycles_per_run * u64::from(self.runs)) as f64 / self.harness_time.as_secs_f64()
    }
    pub fn harness_instructions_per_sec(&self) -> f64 {
        (self.instret_per_run * u64::from(self.runs)) as f64 / self.harness_time.as_secs_f64()
    }
    pub fn bare_cycles_per_sec(&self) -> f64 {
        (self.cycles_per_run * u64::from(self.runs)) as f64 / self.bare_time.as_secs_f64()
    }
}

/// Runs `elf` for up to `max_cycles` (or to its exit) with the full harness, then
/// replays the slave-side inputs of that run into a fresh bare model; repeats until
/// `min_seconds` of harness time were measured.
pub fn measure(elf: &[u8], max_cycles: u64, min_seconds: f64) -> Result<BenchReport, SimError> {
    let cfg = RunConfig {
        max_cycles: u64::MAX,
        ..RunConfig::default()
    };
    let mut report = BenchReport {
        runs: 0,
        cycles_per_run: 0,
        instret_per_run: 0,
        harness_time: Duration::ZERO,
        bare_time: Duration::ZERO,
    };
    let mut inputs: Vec<AxiSlavePort> = Vec::new();
    while report.runs == 0 || report.harness_time.as_secs_f64() < min_seconds {
        // 1. The full harness, timed.
        let mut sim = Simulation::new(elf, &cfg)?;
        let start = Instant::now();
        while sim.cycles() < max_cycles && sim.step()?.is_none() {}
        report.harness_time += start.elapsed();
        report.cycles_per_run = sim.cycles();
        report.instret_per_run = sim.instret();

        // 2. The same run again, untimed, recording what the slave drove each cycle.
        inputs.clear();
        let mut sim = Simulation::new(elf, &cfg)?;
        while sim.cycles() < report.cycles_per_run {
            let (input, _) = sim.step_recording()?;
            inputs.push(input);
        }

        // 3. The bare model replaying those inputs: the same cycles, without the harness.
        let mut bare = Model::fast();
        bare.reset(sim.entry());
        let mut out = SocOutputs::default();
        let start = Instant::now();
        for input in &inputs {
            bare.cycle(input, &mut out);
        }
        report.bare_time += start.elapsed();
        report.runs += 1;
    }
    Ok(report)
}
