//! `cosim vmemmap`: one run of the vmemmap firmware in a chosen configuration. The
//! harness writes the configuration block, runs the firmware (phases marked through
//! SIMCTRL get their own counters), then checks what it built: its own walk of the
//! page tables over the vmemmap range against the Linux arithmetic, and every struct
//! page the firmware wrote.

mod census;
mod config;
mod struct_pages;

pub use census::{census, census_range, expected_data_bytes, Census};
pub use config::{Mode, VmemmapConfig, VmemmapResult, CONFIG_MAGIC, RESULT_MAGIC, RESULT_WORDS};

use crate::memory::PhysAddr;
use crate::sim::{Phase, RunConfig, RunOutcome, SimError, Simulation};
use serde_json::{json, Map, Value};

/// The firmware's phases, by marker.
pub const PHASE_NAMES: [&str; 6] = [
    "build",
    "init",
    "seq_scan",
    "random_lookup",
    "fault",
    "data_pass",
];

/// Why a vmemmap run failed.
#[derive(Debug, thiserror::Error)]
pub enum VmemmapError {
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error("the vmemmap firmware has no {0} symbol")]
    Symbol(&'static str),
    #[error("the vmemmap firmware exited with {code} (status {status}); see its console")]
    Firmware { code: i64, status: u64 },
    #[error("check failed: {0}")]
    Check(String),
}

impl VmemmapError {
    /// The check that stopped the run (see [`SimError::check`]): the harness's own
    /// checks of the built vmemmap are `vmemmap`, a failing firmware is `test`.
    pub fn check(&self) -> &'static str {
        match self {
            VmemmapError::Sim(e) => e.check(),
            VmemmapError::Symbol(_) => "input",
            VmemmapError::Firmware { .. } => "test",
            VmemmapError::Check(_) => "vmemmap",
        }
    }
}

/// One finished, checked run.
#[derive(Clone, Debug)]
pub struct VmemmapRun {
    pub config: VmemmapConfig,
    pub result: VmemmapResult,
    pub census: Census,
    pub expected_data_bytes: u64,
    pub struct_pages_checked: u64,
    pub outcome: RunOutcome,
}

/// Runs `elf` (the vmemmap firmware) with `config` under `run`'s settings.
pub fn run(elf: &[u8], config: VmemmapConfig, run: &RunConfig) -> Result<VmemmapRun, VmemmapError> {
    let mut sim = Simulation::new(elf, run)?;
    if !sim.write_symbol("VMEMMAP_CONFIG", &config.to_bytes()) {
        return Err(VmemmapError::Symbol("VMEMMAP_CONFIG"));
    }
    let outcome = sim.run_in_place(&mut |_| {})?;
    let at = sim
        .symbol("VMEMMAP_RESULT")
        .ok_or(VmemmapError::Symbol("VMEMMAP_RESULT"))?;
    let words: [u64; RESULT_WORDS] =
        std::array::from_fn(|i| sim.bus().read_u64(PhysAddr(at + 8 * i as u64)).unwrap_or(0));
    let result = VmemmapResult::from_words(&words);
    if outcome.exit_code != 0 || result.status != 0 || result.result_magic != RESULT_MAGIC {
        return Err(VmemmapError::Firmware {
            code: outcome.exit_code,
            status: result.status,
        });
    }
    let census =
        census(sim.bus(), &result, config.struct_page_size).map_err(VmemmapError::Check)?;
    let offset = (result.device_start_pfn - result.vmemmap_start_pfn) * config.struct_page_size;
    let expected = expected_data_bytes(&config, offset);
    if census.data_frames * 4096 != expected {
        return Err(VmemmapError::Check(format!(
            "{} bytes of vmemmap data mapped, Linux allocates {expected} for {:?}",
            census.data_frames * 4096,
            config.mode
        )));
    }
    let optimized = Mode::from_code(result.populated_as) == Some(Mode::Dax);
    let nr = 1u64 << (config.compound_shift - 12);
    let per_compound = if optimized {
        (2 * 4096 / config.struct_page_size).min(nr)
    } else {
        nr
    };
    let checked = struct_pages::check(
        sim.bus(),
        &result,
        config.struct_page_size,
        config.compound_shift,
        per_compound,
    )
    .map_err(VmemmapError::Check)?;
    if checked != result.struct_pages_written {
        return Err(VmemmapError::Check(format!(
            "{checked} struct pages checked, the firmware says it wrote {}",
            result.struct_pages_written
        )));
    }
    Ok(VmemmapRun {
        config,
        result,
        census,
        expected_data_bytes: expected,
        struct_pages_checked: checked,
        outcome,
    })
}

fn phase_json(p: &Phase) -> Value {
    let counters: Map<String, Value> = p
        .counters
        .iter()
        .map(|(e, n)| (e.name.to_string(), json!(n)))
        .collect();
    let name = PHASE_NAMES
        .get((p.marker as usize).wrapping_sub(1))
        .map_or_else(|| format!("phase{}", p.marker), |n| n.to_string());
    json!({
        "name": name,
        "cycles": p.cycles,
        "instret": p.instret,
        "counters": counters,
        "memory": p.memory.map(|m| m.named().into_iter().map(|(n, v)| (n.to_string(), json!(v))).collect::<Map<String, Value>>()),
    })
}

impl VmemmapRun {
    /// The run in the documented JSON schema (README: `cosim vmemmap`).
    pub fn to_json(&self, run: &RunConfig) -> Value {
        json!({
            "config": {
                "mode": self.config.mode,
                "align": 1u64 << self.config.compound_shift,
                "pmem_size": self.config.pmem_size,
                "paging": if self.config.paging == 9 { "sv48" } else { "sv39" },
                "struct_page_size": self.config.struct_page_size,
                "iterations": self.config.iterations,
                "seed": self.config.seed,
                "profile": run.profile.as_ref().map(|p| p.name.clone()),
            },
            "vmemmap": {
                "data_bytes": self.census.data_frames * 4096,
                "expected_data_bytes": self.expected_data_bytes,
                "data_bytes_in_pmem": self.census.frames_in_pmem * 4096,
                "table_pages": self.census.table_pages,
                "mappings": {"4K": self.census.mappings_4k, "2M": self.census.mappings_2m},
                "struct_pages_written": self.result.struct_pages_written,
                "struct_pages_checked": self.struct_pages_checked,
                "firmware_frames": self.result.vmemmap_frames,
                "firmware_table_pages": self.result.vmemmap_table_pages,
            },
            "cycles": self.outcome.cycles,
            "instret": self.outcome.instret,
            "phases": self.outcome.phases.iter().map(phase_json).collect::<Vec<_>>(),
            "checks": {
                "translations_checked": self.outcome.translations_checked,
                "lockstep": run.lockstep,
                "counter_check": self.outcome.tlb_check.as_ref().map(|r| r.agrees()),
            },
        })
    }
}
