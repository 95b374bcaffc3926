//! `cosim report`: the vmemmap job over a matrix of configurations (modes ×
//! alignments), run in parallel, written as `report.json`, `report.md` and
//! `report.html` (with SVG charts): per configuration and phase the vmemmap memory per
//! GiB of pmem, TLB misses, walks, walk cycles and latency, walk-cache hit rate,
//! cycles and IPC, with the translation and counter checks on.

mod chart;
pub mod linux;

pub use chart::bar_chart;

use crate::sim::RunConfig;
use crate::vmemmap::{run, Mode, VmemmapConfig, VmemmapError, VmemmapRun, PHASE_NAMES};
use serde_json::{json, Value};
use std::fmt::Write as _;
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

fn label(c: &VmemmapConfig) -> String {
    let align = match c.compound_shift {
        12 => "4K",
        21 => "2M",
        _ => "1G",
    };
    format!("{:?} {align}", c.mode).to_lowercase()
}

/// Figures of one phase of one run.
struct PhaseRow {
    name: &'static str,
    cycles: u64,
    ipc: f64,
    dtlb_misses: u64,
    itlb_misses: u64,
    walks: u64,
    walk_cycles: u64,
    avg_walk: f64,
    pwc_hit_rate: f64,
}

fn phase_rows(r: &VmemmapRun) -> Vec<PhaseRow> {
    r.outcome
        .phases
        .iter()
        .map(|p| {
            let c = |n: &str| p.counters.by_name(n).unwrap_or(0);
            let walks = c("walks");
            let pwc = c("pwc_hit") + c("pwc_miss");
            PhaseRow {
                name: PHASE_NAMES
                    .get(p.marker as usize - 1)
                    .copied()
                    .unwrap_or("?"),
                cycles: p.cycles,
                ipc: p.instret as f64 / p.cycles.max(1) as f64,
                dtlb_misses: c("dtlb_load_miss") + c("dtlb_store_miss"),
                itlb_misses: c("itlb_miss"),
                walks,
                walk_cycles: c("walk_cycles"),
                avg_walk: c("walk_cycles") as f64 / walks.max(1) as f64,
                pwc_hit_rate: c("pwc_hit") as f64 / pwc.max(1) as f64,
            }
        })
        .collect()
}

fn mib_per_gib(r: &VmemmapRun) -> f64 {
    (r.census.data_frames * 4096) as f64
        / (1 << 20) as f64
        / (r.config.pmem_size as f64 / (1u64 << 30) as f64)
}

/// The trade-off the numbers show, in words: dax against huge at the same alignment.
pub fn summary(entries: &[Entry]) -> String {
    let find = |mode: Mode, shift: u32| {
        entries
            .iter()
            .find(|e| e.config.mode == mode && e.config.compound_shift == shift)
            .and_then(|e| e.run.as_ref().ok())
    };
    let mut s = String::new();
    for shift in [21, 30] {
        let (Some(huge), Some(dax)) = (find(Mode::Huge, shift), find(Mode::Dax, shift)) else {
            continue;
        };
        let sum = |r: &VmemmapRun, n: &str| {
            r.outcome
                .phases
                .iter()
                .map(|p| p.counters.by_name(n).unwrap_or(0))
                .sum::<u64>()
        };
        let misses = |r| sum(r, "dtlb_load_miss") + sum(r, "dtlb_store_miss");
        let cycles = 100.0 * (dax.outcome.cycles as f64 / huge.outcome.cycles as f64 - 1.0);
        let _ = writeln!(
            s,
            "With {} alignment, the optimized (dax) vmemmap uses {:.3} MiB per GiB of pmem against {:.3} MiB for 2 MiB mappings (huge): {}. \
             It maps the vmemmap with 4 KiB pages: the run (all phases) takes {} DTLB misses and {} walk cycles instead of {} and {}, and {}.",
            if shift == 21 { "2 MiB" } else { "1 GiB" },
            mib_per_gib(dax),
            mib_per_gib(huge),
            change(100.0 * (mib_per_gib(dax) / mib_per_gib(huge) - 1.0), "less memory", "more memory", "as much memory"),
            misses(dax),
            sum(dax, "walk_cycles"),
            misses(huge),
            sum(huge, "walk_cycles"),
            match change(cycles, "fewer cycles", "more cycles", "as many cycles") {
                text if cycles < 0.0 => format!("{text} (fewer struct pages to initialize)"),
                text => text,
            },
        );
    }
    s
}

/// A relative change in words: "71.4 % fewer cycles", never "-71.4 % cycles". The
/// figure keeps the decimals it needs not to round to 0 or 100 (99.95 % is not
/// "100.0 %").
fn change(percent: f64, less: &str, more: &str, same: &str) -> String {
    let size = percent.abs();
    if size == 0.0 {
        return same.to_string();
    }
    let mut decimals = 1;
    while decimals < 6 {
        let shown = format!("{size:.decimals$}");
        let value: f64 = shown.parse().unwrap_or(size);
        if value != 0.0 && (value != 100.0 || size == 100.0) {
            break;
        }
        decimals += 1;
    }
    let word = if percent < 0.0 { less } else { more };
    format!("{size:.decimals$} % {word}")
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
        .map(|e| match &e.run {
            Ok(r) => r.to_json(cfg),
            Err(msg) => json!({"config": e.config, "error": msg}),
        })
        .collect();
    let summary = summary(entries);
    let mut doc = json!({"runs": runs, "summary": summary});
    if let Some((rows, _)) = linux {
        doc["linux"] = linux::to_json(rows);
    }
    crate::output::write_in(
        dir,
        "report.json",
        &(serde_json::to_string_pretty(&doc).expect("JSON") + "\n"),
    )?;

    let mut md = String::from("# cosim vmemmap report\n\n");
    let _ = writeln!(md, "{summary}");
    md.push_str("| configuration | vmemmap MiB / GiB pmem | 4K / 2M mappings | table pages | cycles | IPC | checks |\n|---|---|---|---|---|---|---|\n");
    for e in entries {
        match &e.run {
            Ok(r) => {
                let _ = writeln!(
                    md,
                    "| {} | {:.3} | {} / {} | {} | {} | {:.3} | {} walks re-walked, 0 mismatches; counters {} |",
                    label(&e.config),
                    mib_per_gib(r),
                    r.census.mappings_4k,
                    r.census.mappings_2m,
                    r.census.table_pages,
                    r.outcome.cycles,
                    r.outcome.instret as f64 / r.outcome.cycles.max(1) as f64,
                    r.outcome.translations_checked,
                    match r.outcome.tlb_check.as_ref().map(|t| t.agrees()) {
                        Some(true) => "agree with the TLB model",
                        Some(false) => "DIFFER from the TLB model",
                        None => "not model-checked",
                    }
                );
            }
            Err(msg) => {
                let _ = writeln!(md, "| {} | failed: {msg} | | | | | |", label(&e.config));
            }
        }
    }
    md.push_str("\n## Per phase\n\n| configuration | phase | cycles | IPC | DTLB misses | ITLB misses | walks | walk cycles | avg walk | walk-cache hit rate |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for e in entries {
        if let Ok(r) = &e.run {
            for p in phase_rows(r) {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {:.3} | {} | {} | {} | {} | {:.2} | {:.1} % |",
                    label(&e.config),
                    p.name,
                    p.cycles,
                    p.ipc,
                    p.dtlb_misses,
                    p.itlb_misses,
                    p.walks,
                    p.walk_cycles,
                    p.avg_walk,
                    100.0 * p.pwc_hit_rate
                );
            }
        }
    }
    // The memory model's counters, per configuration, when the runs had a profile.
    if entries
        .iter()
        .any(|e| e.run.as_ref().is_ok_and(|r| r.outcome.memory.is_some()))
    {
        md.push_str("\n## Memory model\n\n| configuration | counter | value |\n|---|---|---|\n");
        for e in entries {
            if let Some(m) = e.run.as_ref().ok().and_then(|r| r.outcome.memory) {
                for (name, value) in m.named().into_iter().filter(|(_, v)| *v > 0) {
                    let _ = writeln!(md, "| {} | {name} | {value} |", label(&e.config));
                }
            }
        }
    }
    if let Some((rows, pmem_size)) = linux {
        md.push_str(&linux::markdown(rows, pmem_size));
    }
    crate::output::write_in(dir, "report.md", &md)?;

    let ok: Vec<(&Entry, &VmemmapRun)> = entries
        .iter()
        .filter_map(|e| e.run.as_ref().ok().map(|r| (e, r)))
        .collect();
    let memory = chart::bar_chart(
        "vmemmap memory per GiB of pmem",
        "MiB",
        &ok.iter()
            .map(|(e, r)| (label(&e.config), mib_per_gib(r)))
            .collect::<Vec<_>>(),
    );
    let mut misses = Vec::new();
    let mut walk_cycles = Vec::new();
    for (e, r) in &ok {
        if matches!(e.config.mode, Mode::Huge | Mode::Dax) {
            for p in phase_rows(r) {
                misses.push((
                    format!("{} {}", label(&e.config), p.name),
                    p.dtlb_misses as f64,
                ));
                walk_cycles.push((
                    format!("{} {}", label(&e.config), p.name),
                    p.walk_cycles as f64,
                ));
            }
        }
    }
    let misses = chart::bar_chart("DTLB misses per phase: huge vs dax", "misses", &misses);
    let walks = chart::bar_chart("Walk cycles per phase: huge vs dax", "cycles", &walk_cycles);
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>cosim vmemmap report</title></head><body>\n\
         <h1>cosim vmemmap report</h1>\n<p>{}</p>\n{memory}\n{misses}\n{walks}\n<pre>{}</pre>\n</body></html>\n",
        crate::output::escape::html(&summary),
        crate::output::escape::html(&md)
    );
    Ok(crate::output::write_in(dir, "report.html", &html)?)
}

#[cfg(test)]
mod tests {
    use super::change;

    #[test]
    fn changes_read_as_words_and_never_round_to_0_or_100() {
        let c = |p| change(p, "fewer cycles", "more cycles", "as many cycles");
        assert_eq!(c(-71.43), "71.4 % fewer cycles");
        assert_eq!(c(12.0), "12.0 % more cycles");
        assert_eq!(c(0.0), "as many cycles");
        assert_eq!(c(-99.95), "99.95 % fewer cycles");
        assert_eq!(c(-99.9996), "99.9996 % fewer cycles");
        assert_eq!(c(-100.0), "100.0 % fewer cycles");
        assert_eq!(c(0.004), "0.004 % more cycles");
    }
}
