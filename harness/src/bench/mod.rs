//! Simulation speed, measured in one run: the full loop (model, AXI slave, devices,
//! checks) against the bare model fed the same recorded inputs, cycle for cycle, and
//! QEMU running the same program as the ISA-level reference point (see [`qemu`]).

pub mod qemu;

use crate::loader::{load_elf, patch_symbol};
use crate::memory::{MemoryMap, SystemBus};
use crate::model::{AxiSlavePort, Model, SocOutputs};
use crate::sim::{run_elf_bytes, RunConfig, SimError, Simulation};
use qemu::{Qemu, QemuError};
use std::time::{Duration, Instant};

/// The symbol of the `bench` firmware that holds its number of rounds.
pub const ITERATIONS_SYMBOL: &str = "BENCH_ITERATIONS";

/// Measured speeds. Both loops simulate exactly the same cycles.
#[derive(Clone, Debug)]
pub struct BenchReport {
    pub runs: u32,
    pub cycles_per_run: u64,
    pub instret_per_run: u64,
    /// The program's exit code, when a run reached its exit (not the cycle limit).
    pub exit: Option<i64>,
    pub harness_time: Duration,
    pub bare_time: Duration,
}

impl BenchReport {
    pub fn harness_cycles_per_sec(&self) -> f64 {
        self.per_sec(self.cycles_per_run, self.harness_time)
    }
    pub fn harness_instructions_per_sec(&self) -> f64 {
        self.per_sec(self.instret_per_run, self.harness_time)
    }
    pub fn bare_cycles_per_sec(&self) -> f64 {
        self.per_sec(self.cycles_per_run, self.bare_time)
    }
    pub fn bare_instructions_per_sec(&self) -> f64 {
        self.per_sec(self.instret_per_run, self.bare_time)
    }
    fn per_sec(&self, per_run: u64, time: Duration) -> f64 {
        (per_run * u64::from(self.runs)) as f64 / time.as_secs_f64()
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
        exit: None,
        harness_time: Duration::ZERO,
        bare_time: Duration::ZERO,
    };
    let mut inputs: Vec<AxiSlavePort> = Vec::new();
    while report.runs == 0 || report.harness_time.as_secs_f64() < min_seconds {
        // 1. The full harness, timed.
        let mut sim = Simulation::new(elf, &cfg)?;
        let start = Instant::now();
        let mut exit = None;
        while sim.cycles() < max_cycles && exit.is_none() {
            exit = sim.step()?;
        }
        report.harness_time += start.elapsed();
        report.cycles_per_run = sim.cycles();
        report.instret_per_run = sim.instret();
        report.exit = exit;

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

/// The built-in `bench` firmware set to run `iterations` rounds; it exits through
/// HTIF, so it runs on QEMU's spike machine as well.
pub fn bench_firmware(iterations: u64) -> Vec<u8> {
    let mut image = crate::firmware::image("bench").to_vec();
    patch_symbol(&mut image, ITERATIONS_SYMBOL, &iterations.to_le_bytes())
        .expect("the bench firmware defines BENCH_ITERATIONS in its data");
    image
}

/// True when `elf` loads and has a `tohost` symbol: it can exit on QEMU's spike machine.
pub fn exits_through_htif(elf: &[u8]) -> bool {
    let mut bus = SystemBus::new(MemoryMap::default());
    load_elf(elf, &mut bus).is_ok_and(|loaded| loaded.tohost.is_some())
}

/// QEMU's speed on a program, and how it was obtained.
#[derive(Clone, Debug)]
pub struct QemuReport {
    /// Instructions of the timed work (counted by our harness, not by QEMU).
    pub instructions: u64,
    /// Wall time of the timed run, start-up included.
    pub wall_time: Duration,
    /// QEMU's start-up (and the program's own start-up), subtracted from `wall_time`.
    pub startup: Duration,
    /// How the figure was obtained, in a sentence for the output.
    pub method: String,
}

impl QemuReport {
    pub fn instructions_per_sec(&self) -> f64 {
        self.instructions as f64 / self.work_time().as_secs_f64()
    }

    /// Wall time minus start-up (at least a microsecond).
    pub fn work_time(&self) -> Duration {
        self.wall_time
            .saturating_sub(self.startup)
            .max(Duration::from_micros(1))
    }
}

/// Instructions the program may retire after its exit store before the harness sees
/// the store (the spin loop behind it): the only part of the bench firmware's count
/// that is not the same from run to run.
pub const EXIT_TAIL: u64 = 8;

/// Instructions per round of the bench firmware, from a run of `iterations` rounds
/// that retired `instret` instructions and one of 0 rounds that retired `base`; `None`
/// when the counts are not `base + iterations * per_round` (up to the exit tail).
pub fn instructions_per_iteration(iterations: u64, instret: u64, base: u64) -> Option<u64> {
    let work = instret.checked_sub(base)?;
    let per_iteration = (work + iterations / 2).checked_div(iterations)?;
    (per_iteration > 0 && work.abs_diff(per_iteration * iterations) <= EXIT_TAIL)
        .then_some(per_iteration)
}

/// Why QEMU's figure is missing.
#[derive(Debug, thiserror::Error)]
pub enum QemuSkip {
    #[error(transparent)]
    Qemu(#[from] QemuError),
    #[error("the harness run stopped at the cycle limit before the program exited, so its instruction count is not the program's")]
    NoExit,
    #[error("the program has no tohost symbol, so it cannot exit on QEMU's spike machine")]
    NoHtif,
    #[error("the bench firmware's instruction count is not linear in its rounds ({instret} instructions for {iterations} rounds, {base} for 0, more than {EXIT_TAIL} off)")]
    NotLinear {
        iterations: u64,
        instret: u64,
        base: u64,
    },
    #[error("counting the bench firmware's instructions for 0 rounds: {0}")]
    Sim(#[from] SimError),
}

/// What `cosim bench` runs.
#[derive(Clone, Debug)]
pub enum Workload {
    /// The built-in `bench` firmware with this many rounds.
    Bench { iterations: u64 },
    /// Any program.
    Elf(Vec<u8>),
}

impl Workload {
    /// The image to run.
    pub fn image(&self) -> Vec<u8> {
        match self {
            Workload::Bench { iterations } => bench_firmware(*iterations),
            Workload::Elf(bytes) => bytes.clone(),
        }
    }
}

/// QEMU's speed on `workload`, which `report` measured with our harness (its
/// instruction count is the one QEMU's figure uses), timing QEMU for at least
/// `min_seconds` beyond its start-up when the workload can be scaled.
pub fn measure_qemu(
    workload: &Workload,
    report: &BenchReport,
    min_seconds: f64,
) -> Result<QemuReport, QemuSkip> {
    let qemu = Qemu::find()?;
    let exit = report.exit.ok_or(QemuSkip::NoExit)?;
    match workload {
        Workload::Bench { iterations } => {
            let base = run_elf_bytes(&bench_firmware(0), &RunConfig::default())?.instret;
            let per_iteration =
                instructions_per_iteration(*iterations, report.instret_per_run, base).ok_or(
                    QemuSkip::NotLinear {
                        iterations: *iterations,
                        instret: report.instret_per_run,
                        base,
                    },
                )?;
            Ok(measure_qemu_bench(&qemu, per_iteration, min_seconds)?)
        }
        Workload::Elf(elf) if exits_through_htif(elf) => {
            // QEMU's process status is the exit code's low byte.
            let status = (exit & 0xff) as i32;
            Ok(measure_qemu_elf(
                &qemu,
                elf,
                status,
                report.instret_per_run,
            )?)
        }
        Workload::Elf(_) => Err(QemuSkip::NoHtif),
    }
}

/// Runs of the 0-round bench firmware whose best wall time is QEMU's start-up.
const STARTUP_RUNS: u32 = 3;
/// No QEMU run may take longer than this.
const QEMU_TIMEOUT: Duration = Duration::from_secs(120);
/// Instructions of the first timed QEMU run of the bench firmware.
const QEMU_FIRST_INSTRUCTIONS: u64 = 20_000_000;

fn qemu_startup(qemu: &Qemu) -> Result<Duration, QemuError> {
    qemu.best_time(&bench_firmware(0), 0, STARTUP_RUNS, QEMU_TIMEOUT)
}

/// QEMU on the `bench` firmware, whose instruction count is linear in its rounds:
/// `per_iteration` instructions each (as our harness counted them). The number of
/// rounds grows until the work takes at least `min_seconds` of wall time beyond
/// start-up, which is measured with 0 rounds and subtracted.
pub fn measure_qemu_bench(
    qemu: &Qemu,
    per_iteration: u64,
    min_seconds: f64,
) -> Result<QemuReport, QemuError> {
    let startup = qemu_startup(qemu)?;
    let per_iteration = per_iteration.max(1);
    let mut iterations = (QEMU_FIRST_INSTRUCTIONS / per_iteration).max(1);
    let mut tries = 0;
    loop {
        let wall_time = qemu.best_time(&bench_firmware(iterations), 0, 1, QEMU_TIMEOUT)?;
        let work = wall_time.saturating_sub(startup).as_secs_f64();
        tries += 1;
        if work >= min_seconds || tries == 4 {
            return Ok(QemuReport {
                instructions: iterations * per_iteration,
                wall_time,
                startup,
                method: format!(
                    "bench firmware, {iterations} rounds of {per_iteration} instructions (this \
                     run's instret per round); start-up: the same with 0 rounds, best of \
                     {STARTUP_RUNS}"
                ),
            });
        }
        // Aim 20 % past the target; a near-zero first measurement grows 100-fold.
        let factor = (min_seconds * 1.2 / work.max(min_seconds / 100.0)).clamp(2.0, 100.0);
        iterations = (iterations as f64 * factor).ceil() as u64;
    }
}

/// QEMU on an arbitrary program that exits through HTIF with `exit`, retiring
/// `instructions` (as our harness counted them): the best of three runs, minus QEMU's
/// start-up measured with the bench firmware at 0 rounds. Coarse when the program is
/// short next to the start-up.
pub fn measure_qemu_elf(
    qemu: &Qemu,
    elf: &[u8],
    exit: i32,
    instructions: u64,
) -> Result<QemuReport, QemuError> {
    let startup = qemu_startup(qemu)?;
    let wall_time = qemu.best_time(elf, exit, 3, QEMU_TIMEOUT)?;
    Ok(QemuReport {
        instructions,
        wall_time,
        startup,
        method: format!(
            "the program as is, best of 3, with this run's instret; start-up: the bench \
             firmware with 0 rounds, best of {STARTUP_RUNS} (coarse when the program is short)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_per_iteration_allows_only_the_exit_tail() {
        assert_eq!(
            instructions_per_iteration(40, 1_377_521, 50_760),
            Some(33_169)
        );
        assert_eq!(instructions_per_iteration(1, 1_000 + 500, 1_000), Some(500));
        // More than the exit tail off a straight line, fewer than 0 rounds' worth, none.
        assert_eq!(
            instructions_per_iteration(40, 1_000 + 40 * 500 + 20, 1_000),
            None
        );
        assert_eq!(instructions_per_iteration(4, 999, 1_000), None);
        assert_eq!(instructions_per_iteration(0, 2_000, 1_000), None);
        assert_eq!(instructions_per_iteration(3, 1_000, 1_000), None);
    }

    #[test]
    fn the_bench_firmware_takes_its_rounds_from_the_elf() {
        let image = bench_firmware(0x1234_5678_9abc);
        let mut bus = SystemBus::new(MemoryMap::default());
        let loaded = load_elf(&image, &mut bus).unwrap();
        let addr = loaded.symbol(ITERATIONS_SYMBOL).unwrap();
        assert_eq!(
            bus.read_u64(crate::memory::PhysAddr(addr)).unwrap(),
            0x1234_5678_9abc
        );
        assert!(exits_through_htif(&image));
        // A symbol the image lacks, or more bytes than the symbol has: errors.
        let mut hello = crate::firmware::image("hello").to_vec();
        assert!(patch_symbol(&mut hello, ITERATIONS_SYMBOL, &[0; 8]).is_err());
        let mut bench = bench_firmware(1);
        assert!(patch_symbol(&mut bench, ITERATIONS_SYMBOL, &[0; 9]).is_err());
        assert_eq!(bench, bench_firmware(1));
        assert!(!exits_through_htif(crate::firmware::image("hello")));
    }
}
