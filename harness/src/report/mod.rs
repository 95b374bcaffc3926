//! `cosim report`: the vmemmap job over a matrix of configurations (modes ×
//! alignments), run in parallel, written as `report.json`, `report.md` and
//! `report.html` (tables and SVG charts): per configuration and phase the vmemmap
//! memory per GiB of pmem, TLB misses, walks, walk cycles and latency, walk-cache hit
//! rate, cycles and IPC, with the translation and counter checks on. Configurations
//! RISC-V Linux 6.12 cannot set up (1 GiB alignment) are marked as such.

mod document;
pub mod figures;
pub mod linux;
mod summary;

pub use summary::summary;

use crate::output::write_in;
use crate::sim::RunConfig;
use crate::vmemmap::{
    reachable_on_riscv_linux, run, VmemmapConfig, VmemmapError, VmemmapRun, NOT_REACHABLE,
    NOT_REACHABLE_WHY,
};
use serde_json::{json, Value};
use std::path::Path;

/// One configuration of the matrix and how it went.
pub struct Entry {
    pub config: VmemmapConfig,
    pub run: Result<VmemmapRun, String>,
}

/// Runs every configuration, `jobs` at a time; `done` is told after each. After a
/// SIGINT/SIGTERM the running simulations stop at their next cycle and the
/// configurations not yet started are entered as interrupted, not run.
pub fn run_matrix(
    elf: &'static [u8],
    configs: Vec<VmemmapConfig>,
    cfg: &RunConfig,
    jobs: usize,
    done: &(dyn Fn(&VmemmapConfig) + Sync),
) -> Vec<Entry> {
    crate::pool::map(
        jobs,
        configs,
        |_, config| {
            let run = run(elf, config, cfg).map_err(|e: VmemmapError| e.to_string());
            done(&config);
            Entry { config, run }
        },
        |_, config, signal| {
            done(&config);
            Entry {
                config,
                run: Err(format!(
                    "not run: interrupted by {}",
                    crate::signals::name(signal)
                )),
            }
        },
    )
}

/// Writes report.json, report.md and report.html into `dir`.
pub fn write(dir: &Path, entries: &[Entry], cfg: &RunConfig) -> std::io::Result<()> {
    write_with_linux(dir, entries, cfg, None)
}

/// [`write`], with the Linux comparison (`cosim report --linux`) of a device of the
/// given size when there is one.
pub fn write_with_linux(
    dir: &Path,
    entries: &[Entry],
    cfg: &RunConfig,
    linux: Option<(&[linux::Comparison], u64)>,
) -> std::io::Result<()> {
    crate::output::create_dir(dir)?;
    let runs: Vec<Value> = entries
        .iter()
        .map(|e| {
            let on_linux = reachable_on_riscv_linux(e.config.compound_shift);
            let mut run = match &e.run {
                // The run's config carries `riscv_linux_6_12` (`cosim vmemmap`'s schema).
                Ok(r) => r.to_json(cfg),
                Err(msg) => {
                    let mut config = json!(e.config);
                    config["riscv_linux_6_12"] = json!(on_linux);
                    json!({"config": config, "error": msg})
                }
            };
            if !on_linux {
                run["note"] = json!(format!("{}: {}", NOT_REACHABLE, NOT_REACHABLE_WHY));
            }
            run
        })
        .collect();
    let mut doc = json!({"runs": runs, "summary": summary(entries)});
    if let Some((rows, _)) = linux {
        doc["linux"] = linux::to_json(rows);
    }
    write_in(
        dir,
        "report.json",
        &(serde_json::to_string_pretty(&doc).expect("JSON") + "\n"),
    )?;
    let document = document::document(entries, cfg, linux);
    write_in(dir, "report.md", &document.markdown())?;
    Ok(write_in(dir, "report.html", &document.html())?)
}
