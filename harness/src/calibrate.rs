//! `cosim calibrate`: runs the `calibrate` firmware under a memory profile and sets
//! what the core measured (latency of sequential reads, random reads and writes, per
//! region, and the bandwidth one access at a time gives) next to the profile's
//! figures. The core waits for each access, so its bandwidth is 8 bytes per access
//! time: far below a region's streaming bandwidth, which the table shows beside it.

use crate::memory::timing::{Profile, RegionProfile};
use crate::memory::PhysAddr;
use crate::sim::{RunConfig, SimError, Simulation};
use serde_json::{json, Value};

/// One measurement.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub region: &'static str,
    pub pattern: &'static str,
    pub measured_ns: f64,
    pub profile_ns: f64,
    /// 8 bytes per measured access time.
    pub measured_gbps: f64,
    /// The region's bandwidth in the profile (read or write).
    pub profile_gbps: f64,
}

impl Row {
    /// Measured against the profile, in percent.
    pub fn error_percent(&self) -> f64 {
        100.0 * (self.measured_ns - self.profile_ns) / self.profile_ns
    }
}

/// Every measurement of one calibration run.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub profile: String,
    pub accesses: u64,
    pub rows: Vec<Row>,
}

/// Runs the calibration firmware under `profile`.
pub fn calibrate(profile: &Profile) -> Result<Calibration, SimError> {
    let cfg = RunConfig {
        profile: Some(profile.clone()),
        ..RunConfig::default()
    };
    let mut sim = Simulation::new(crate::firmware::image("calibrate"), &cfg)?;
    let outcome = sim.run_in_place(&mut |_| {})?;
    let results = sim
        .symbol("CALIBRATION")
        .expect("the calibrate firmware defines CALIBRATION");
    let word = |i: u64| sim.bus().read_u64(PhysAddr(results + 8 * i)).unwrap_or(0);
    let accesses = word(6).max(1);
    if outcome.exit_code != 0 {
        return Err(SimError::Calibration(format!(
            "the calibrate firmware exited with {}",
            outcome.exit_code
        )));
    }
    let ns = |cycles: u64| cycles as f64 / accesses as f64 / profile.clock_ghz;
    let mut rows = Vec::new();
    for (r, (region, p)) in [("dram", &profile.dram), ("pmem", &profile.pmem)]
        .into_iter()
        .enumerate()
    {
        let base = 3 * r as u64;
        let row = |pattern, cycles, profile_ns, profile_gbps| {
            let measured_ns = ns(cycles);
            Row {
                region,
                pattern,
                measured_ns,
                profile_ns,
                measured_gbps: 8.0 / measured_ns,
                profile_gbps,
            }
        };
        let RegionProfile {
            seq_read_ns,
            rand_read_ns,
            write_ns,
            read_gbps,
            write_gbps,
            ..
        } = *p;
        rows.push(row("seq_read", word(base), seq_read_ns, read_gbps));
        rows.push(row("rand_read", word(base + 1), rand_read_ns, read_gbps));
        rows.push(row("write", word(base + 2), write_ns, write_gbps));
    }
    Ok(Calibration {
        profile: profile.name.clone(),
        accesses,
        rows,
    })
}

impl Calibration {
    pub fn to_json(&self) -> Value {
        json!({
            "profile": self.profile,
            "accesses_per_measurement": self.accesses,
            "results": self.rows.iter().map(|r| json!({
                "region": r.region,
                "pattern": r.pattern,
                "measured_ns": r.measured_ns,
                "profile_ns": r.profile_ns,
                "error_percent": r.error_percent(),
                "measured_gbps": r.measured_gbps,
                "profile_gbps": r.profile_gbps,
            })).collect::<Vec<_>>(),
        })
    }
}

impl std::fmt::Display for Calibration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "calibration under profile {} ({} accesses per measurement, one at a time):",
            self.profile, self.accesses
        )?;
        writeln!(
            f,
            "{:<6} {:<10} {:>12} {:>11} {:>7} {:>14} {:>13}",
            "region",
            "pattern",
            "measured ns",
            "profile ns",
            "error",
            "measured GB/s",
            "profile GB/s"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<6} {:<10} {:>12.1} {:>11.1} {:>6.1}% {:>14.3} {:>13.1}",
                r.region,
                r.pattern,
                r.measured_ns,
                r.profile_ns,
                r.error_percent(),
                r.measured_gbps,
                r.profile_gbps
            )?;
        }
        Ok(())
    }
}
