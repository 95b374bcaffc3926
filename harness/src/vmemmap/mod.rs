//! `cosim vmemmap`: one run of the vmemmap firmware in a chosen configuration. The
//! harness writes the configuration block, runs the firmware (phases marked through
//! SIMCTRL get their own counters), then checks what it built on its own: the
//! layout it computes from the configuration ([`Expected`]) against the firmware's
//! report, its own walk of the page tables over the device's vmemmap (PTE flags,
//! which frame each page maps, where the frames are, the references on them), the
//! data Linux allocates, and every struct page the firmware wrote.

mod census;
mod config;
mod expected;
mod mappings;
mod struct_pages;

pub use census::{census_range, expected_data_bytes, leaves, Census, Leaf};
pub use config::{
    reachable_on_riscv_linux, Mode, VmemmapConfig, VmemmapResult, CONFIG_MAGIC, NOT_REACHABLE,
    NOT_REACHABLE_WHY, RESULT_MAGIC, RESULT_WORDS,
};
pub use expected::Expected;

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

/// A finished, unchecked run: the simulation (its memory is the image the checks
/// read) and what the firmware reported.
pub struct Built {
    pub config: VmemmapConfig,
    pub sim: Simulation,
    pub result: VmemmapResult,
    pub outcome: RunOutcome,
}

/// Runs `elf` (the vmemmap firmware) with `config` under `run`'s settings and
/// checks what it built.
pub fn run(elf: &[u8], config: VmemmapConfig, run: &RunConfig) -> Result<VmemmapRun, VmemmapError> {
    check(build(elf, config, run)?)
}

/// Runs the firmware; fails only when the run or the firmware does.
pub fn build(elf: &[u8], config: VmemmapConfig, run: &RunConfig) -> Result<Built, VmemmapError> {
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
    Ok(Built {
        config,
        sim,
        result,
        outcome,
    })
}

/// The harness's checks of a built image (the module's header): the layout from
/// the configuration against the firmware's report, every mapping, the data Linux
/// allocates, and every struct page written.
pub fn check(built: Built) -> Result<VmemmapRun, VmemmapError> {
    let verified = verify(&built)?;
    let Built {
        config,
        result,
        outcome,
        ..
    } = built;
    Ok(VmemmapRun {
        config,
        result,
        census: verified.census,
        expected_data_bytes: verified.expected_data_bytes,
        struct_pages_checked: verified.struct_pages_checked,
        outcome,
    })
}

/// What [`verify`] measured.
pub struct Verified {
    pub census: Census,
    pub expected_data_bytes: u64,
    pub struct_pages_checked: u64,
}

/// The checks of [`check`], leaving the image as it is (tests change it and check
/// again).
pub fn verify(built: &Built) -> Result<Verified, VmemmapError> {
    let fail = VmemmapError::Check;
    let (config, result, bus) = (&built.config, &built.result, built.sim.bus());
    let e = Expected::new(config, bus.map());
    e.compare(result).map_err(fail)?;
    let (first, end) = e.device_vmemmap();
    let leaves = census::leaves(bus, result.satp, first, end).map_err(fail)?;
    mappings::check(bus, result.satp, &e, &leaves).map_err(fail)?;
    let census = census::count(bus, &leaves);
    let offset = (e.device_start_pfn - e.vmemmap_start_pfn) * config.struct_page_size;
    let expected = expected_data_bytes(config, offset);
    if census.data_frames * 4096 != expected {
        return Err(fail(format!(
            "{} bytes of vmemmap data mapped, Linux allocates {expected} for {:?}",
            census.data_frames * 4096,
            config.mode
        )));
    }
    let nr = e.pages_per_compound();
    let per_compound = if e.optimized {
        (2 * 4096 / config.struct_page_size).min(nr)
    } else {
        nr
    };
    let symbol = |name| built.sim.symbol(name).ok_or(VmemmapError::Symbol(name));
    let pgmap = e.pa_to_va(symbol("DEV_PAGEMAP")?);
    let faults = struct_pages::Faults {
        mapping: e.pa_to_va(symbol("DAX_MAPPING")?),
        count: result.faults,
    };
    let checked =
        struct_pages::check(bus, result.satp, &e, pgmap, faults, per_compound).map_err(fail)?;
    if checked != result.struct_pages_written {
        return Err(fail(format!(
            "{checked} struct pages checked, the firmware says it wrote {}",
            result.struct_pages_written
        )));
    }
    Ok(Verified {
        census,
        expected_data_bytes: expected,
        struct_pages_checked: checked,
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
                "riscv_linux_6_12": reachable_on_riscv_linux(self.config.compound_shift),
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
