//! The report's document, written as report.md and report.html: the summary, the
//! configurations (memory and time), then for each alignment its charts per phase
//! and its table per phase, the memory model's counters, and Linux beside the model.

use super::figures::{
    align_name, align_words, ipc, label, mib_per_gib, mode_name, phase_rows, PhaseRow,
};
use super::{linux, summary, Entry};
use crate::output::chart::{BarChart, Series};
use crate::output::document::{Block, Document};
use crate::output::table::{Cell, Table};
use crate::sim::RunConfig;
use crate::vmemmap::{reachable_on_riscv_linux, VmemmapRun, NOT_REACHABLE, NOT_REACHABLE_WHY};

pub fn document(
    entries: &[Entry],
    cfg: &RunConfig,
    linux: Option<(&[linux::Comparison], u64)>,
) -> Document {
    let mut d = Document::new("cosim vmemmap report");
    for line in summary(entries).lines() {
        d.paragraph(line);
    }
    if let Some(first) = entries.first() {
        let c = &first.config;
        d.paragraph(format!(
            "{} configurations of a {} MiB device-dax region ({}, {}-byte struct page), {} iterations, seed {}, {}; \
             every run with the translation check and the counter check.",
            entries.len(),
            c.pmem_size >> 20,
            if c.paging == 9 { "Sv48" } else { "Sv39" },
            c.struct_page_size,
            c.iterations,
            c.seed,
            cfg.profile
                .as_ref()
                .map_or("memory of fixed latency".to_string(), |p| format!("memory profile {}", p.name)),
        ));
    }
    let alignments = alignments(entries);
    if alignments.iter().any(|s| !reachable_on_riscv_linux(*s)) {
        d.paragraph(format!("{NOT_REACHABLE_WHY}."));
    }

    d.heading(2, "Configurations", None);
    d.push(Block::Table(configurations(entries)));
    d.push(Block::Charts(vec![
        by_alignment(
            entries,
            &alignments,
            "vmemmap memory per GiB of pmem",
            "vmemmap memory (MiB per GiB of pmem)",
            "MiB per GiB",
            3,
            mib_per_gib,
        ),
        by_alignment(
            entries,
            &alignments,
            "Cycles of the whole run",
            "cycles (all phases)",
            "cycles",
            0,
            |r| r.outcome.cycles as f64,
        ),
    ]));

    for &shift in &alignments {
        d.heading(
            2,
            format!("{} alignment, per phase", align_words(shift)),
            (!reachable_on_riscv_linux(shift)).then(|| NOT_REACHABLE.to_string()),
        );
        let runs: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.config.compound_shift == shift && e.run.is_ok())
            .collect();
        if runs.is_empty() {
            d.paragraph("No run of this alignment finished.");
            continue;
        }
        let per_phase = |title: &str, axis: &str, unit: &str, decimals, f: fn(&PhaseRow) -> f64| {
            per_phase_chart(&runs, shift, title, axis, unit, decimals, f)
        };
        d.push(Block::Charts(vec![
            per_phase("DTLB misses", "DTLB misses (count)", "misses", 0, |p| {
                p.dtlb_misses as f64
            }),
            per_phase("Page-table walks", "walks (count)", "walks", 0, |p| {
                p.walks as f64
            }),
            per_phase(
                "Walk cycles",
                "walk cycles (cycles the walker is busy)",
                "cycles",
                0,
                |p| p.walk_cycles as f64,
            ),
            per_phase("Cycles", "cycles", "cycles", 0, |p| p.cycles as f64),
        ]));
        d.push(Block::Table(phases(&runs)));
    }

    if let Some(t) = memory_model(entries) {
        d.heading(2, "Memory model", None);
        d.push(Block::Table(t));
    }
    if let Some((rows, pmem_size)) = linux {
        linux::section(&mut d, rows, pmem_size);
    }
    d
}

/// The alignments of the matrix, in its order.
fn alignments(entries: &[Entry]) -> Vec<u32> {
    let mut shifts = Vec::new();
    for e in entries {
        if !shifts.contains(&e.config.compound_shift) {
            shifts.push(e.config.compound_shift);
        }
    }
    shifts
}

fn configurations(entries: &[Entry]) -> Table {
    let mut t = Table::new(&[
        ("configuration", ""),
        ("RISC-V Linux 6.12", ""),
        ("vmemmap memory", "MiB per GiB of pmem"),
        ("4 KiB mappings", ""),
        ("2 MiB mappings", ""),
        ("table pages", "4 KiB each"),
        ("cycles", ""),
        ("IPC", "instructions per cycle"),
        ("walks re-walked", "0 mismatches"),
        ("counters", "against the TLB model"),
    ]);
    for e in entries {
        let on_linux = reachable_on_riscv_linux(e.config.compound_shift);
        let mut cells = vec![
            Cell::text(label(&e.config)),
            Cell::text(if on_linux {
                "reachable"
            } else {
                "not reachable"
            }),
        ];
        match &e.run {
            Ok(r) => cells.extend([
                Cell::Real(mib_per_gib(r), 3),
                Cell::Int(r.census.mappings_4k),
                Cell::Int(r.census.mappings_2m),
                Cell::Int(r.census.table_pages),
                Cell::Int(r.outcome.cycles),
                Cell::Real(ipc(r), 3),
                Cell::Int(r.outcome.translations_checked),
                match r.outcome.tlb_check.as_ref().map(|t| t.agrees()) {
                    Some(true) => Cell::text("agree"),
                    Some(false) => Cell::Flag("DIFFER".into()),
                    None => Cell::text("not checked"),
                },
            ]),
            Err(msg) => cells.push(Cell::Failed(msg.clone())),
        }
        t.push_class(cells, (!on_linux).then_some("unreachable"));
    }
    t
}

/// Per phase, then per configuration, so that the modes sit together.
fn phases(runs: &[&Entry]) -> Table {
    let mut t = Table::new(&[
        ("phase", ""),
        ("configuration", ""),
        ("cycles", ""),
        ("IPC", "instructions per cycle"),
        ("DTLB misses", ""),
        ("ITLB misses", ""),
        ("walks", ""),
        ("walk cycles", ""),
        ("walk latency", "cycles per walk"),
        ("walk-cache hit rate", "%"),
    ]);
    let rows: Vec<(&Entry, Vec<PhaseRow>)> = runs
        .iter()
        .filter_map(|e| e.run.as_ref().ok().map(|r| (*e, phase_rows(r))))
        .collect();
    let most = rows.iter().map(|(_, p)| p.len()).max().unwrap_or(0);
    for i in 0..most {
        for (e, phases) in &rows {
            let Some(p) = phases.get(i) else { continue };
            t.push_class(
                vec![
                    Cell::text(p.name),
                    Cell::text(label(&e.config)),
                    Cell::Int(p.cycles),
                    Cell::Real(p.ipc, 3),
                    Cell::Int(p.dtlb_misses),
                    Cell::Int(p.itlb_misses),
                    Cell::Int(p.walks),
                    Cell::Int(p.walk_cycles),
                    Cell::Real(p.avg_walk, 2),
                    Cell::Real(100.0 * p.pwc_hit_rate, 1),
                ],
                // Every other phase banded, so that a phase's rows read as one.
                match (
                    i % 2 == 1,
                    reachable_on_riscv_linux(e.config.compound_shift),
                ) {
                    (false, true) => None,
                    (true, true) => Some("band"),
                    (false, false) => Some("unreachable"),
                    (true, false) => Some("band unreachable"),
                },
            );
        }
    }
    t
}

/// A chart with a group per alignment and a bar per mode.
fn by_alignment(
    entries: &[Entry],
    alignments: &[u32],
    title: &str,
    axis: &str,
    unit: &str,
    decimals: usize,
    value: fn(&VmemmapRun) -> f64,
) -> BarChart {
    let mut modes = Vec::new();
    for e in entries {
        if !modes.contains(&e.config.mode) {
            modes.push(e.config.mode);
        }
    }
    BarChart {
        title: title.into(),
        x_axis: if alignments.iter().all(|s| reachable_on_riscv_linux(*s)) {
            "device-dax alignment".into()
        } else {
            format!("device-dax alignment (* {NOT_REACHABLE})")
        },
        y_axis: axis.into(),
        unit: unit.into(),
        decimals,
        groups: alignments
            .iter()
            .map(|&s| {
                format!(
                    "{}{}",
                    align_name(s),
                    if reachable_on_riscv_linux(s) { "" } else { "*" }
                )
            })
            .collect(),
        series: modes
            .iter()
            .map(|&mode| Series {
                name: mode_name(mode),
                colour: mode.code() as usize,
                values: alignments
                    .iter()
                    .map(|&s| {
                        entries
                            .iter()
                            .find(|e| e.config.mode == mode && e.config.compound_shift == s)
                            .and_then(|e| e.run.as_ref().ok())
                            .map(value)
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A chart of one alignment's runs: a group per phase, a bar per mode.
fn per_phase_chart(
    runs: &[&Entry],
    shift: u32,
    title: &str,
    axis: &str,
    unit: &str,
    decimals: usize,
    value: fn(&PhaseRow) -> f64,
) -> BarChart {
    let ok: Vec<(&Entry, Vec<PhaseRow>)> = runs
        .iter()
        .filter_map(|e| e.run.as_ref().ok().map(|r| (*e, phase_rows(r))))
        .collect();
    let groups: Vec<String> = ok
        .iter()
        .max_by_key(|(_, p)| p.len())
        .map(|(_, p)| p.iter().map(|p| p.name.to_string()).collect())
        .unwrap_or_default();
    BarChart {
        title: format!("{title} per phase, {} alignment", align_words(shift)),
        x_axis: "phase".into(),
        y_axis: axis.into(),
        unit: unit.into(),
        decimals,
        series: ok
            .iter()
            .map(|(e, phases)| Series {
                name: mode_name(e.config.mode),
                colour: e.config.mode.code() as usize,
                values: groups
                    .iter()
                    .map(|g| phases.iter().find(|p| p.name == g).map(value))
                    .collect(),
            })
            .collect(),
        groups,
    }
}

/// The memory model's counters, per configuration, when the runs had a profile.
fn memory_model(entries: &[Entry]) -> Option<Table> {
    let mut t = Table::new(&[("configuration", ""), ("counter", ""), ("value", "")]);
    for e in entries {
        if let Some(m) = e.run.as_ref().ok().and_then(|r| r.outcome.memory) {
            for (name, value) in m.named().into_iter().filter(|(_, v)| *v > 0) {
                t.push(vec![
                    Cell::text(label(&e.config)),
                    Cell::text(name),
                    Cell::Int(value),
                ]);
            }
        }
    }
    (!t.is_empty()).then_some(t)
}
