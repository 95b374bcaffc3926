//! What the per-cycle benches replay: both sides of the AXI port, cycle by cycle, of a
//! real run of the `bench` firmware, so the model and the slave see the
//! traffic a program makes (fetches, loads and stores at the core's pace), not an
//! invented pattern.

// Each bench uses part of it.
#![allow(dead_code)]

use cosim::bench::bench_firmware;
use cosim::memory::timing::Profile;
use cosim::model::{AxiMasterPort, AxiSlavePort};
use cosim::sim::{RunConfig, Simulation};

/// Cycles replayed per benchmark iteration.
pub const CYCLES: usize = 10_000;

/// A recorded stretch of a run.
pub struct Recording {
    /// The program (the bench firmware, one round).
    pub elf: Vec<u8>,
    /// Its reset vector.
    pub entry: u64,
    /// The run's configuration (its memory timing decides the handshakes).
    pub cfg: RunConfig,
    /// What the slave drove into the SoC in each cycle.
    pub slave: Vec<AxiSlavePort>,
    /// What the SoC's master port drove at each cycle's edge.
    pub master: Vec<AxiMasterPort>,
}

/// The first [`CYCLES`] cycles of the bench firmware, under `profile` (`None`: the
/// slave's fixed latency).
pub fn record(profile: Option<Profile>) -> Recording {
    let elf = bench_firmware(1);
    let cfg = RunConfig {
        profile,
        ..RunConfig::default()
    };
    let mut sim = Simulation::new(&elf, &cfg).expect("the bench firmware loads");
    let mut slave = Vec::with_capacity(CYCLES);
    let mut master = Vec::with_capacity(CYCLES);
    while slave.len() < CYCLES {
        let (input, exit) = sim.step_recording().expect("the bench firmware runs");
        assert!(
            exit.is_none(),
            "the bench firmware ended within {CYCLES} cycles"
        );
        slave.push(input);
        master.push(sim.outputs().axi);
    }
    Recording {
        entry: sim.entry(),
        elf,
        cfg,
        slave,
        master,
    }
}
