//! `report.md` and `report.html` over the whole matrix: failures first (with their
//! reproduce commands and waveforms), then each kind's figures per RTL set, and charts
//! of the vmemmap runs' TLB behaviour per configuration and RTL set.

use super::record::RunRecord;
use super::summary::Summary;
use crate::output::chart::{BarChart, Series};
use crate::output::document::{Block, Document};
use crate::output::table::{Cell, Table};
use crate::output::write_in;
use std::path::Path;

/// A counter of a run: its top-level value, else the sum over its phases.
fn counter(r: &RunRecord, name: &str) -> u64 {
    let top = [format!("counters.{name}"), name.to_string()];
    if let Some(v) = top.iter().find_map(|k| r.counters.get(k)) {
        return *v;
    }
    let suffix = format!(".counters.{name}");
    r.counters
        .iter()
        .filter(|(k, _)| k.starts_with("phases.") && k.ends_with(&suffix))
        .map(|(_, v)| v)
        .sum()
}

fn dtlb_misses(r: &RunRecord) -> u64 {
    counter(r, "dtlb_load_miss") + counter(r, "dtlb_store_miss")
}

fn status(r: &RunRecord) -> Cell {
    if r.passed {
        Cell::text("pass")
    } else {
        Cell::Flag("FAIL".into())
    }
}

/// The report's document: written as report.md and report.html.
pub fn document(s: &Summary) -> Document {
    let mut d = Document::new(format!("cosim nightly: {}", s.matrix));
    d.paragraph(format!(
        "{} runs: {} passed, {} failed.",
        s.runs.len(),
        s.passed,
        s.failed
    ));
    let failed: Vec<&RunRecord> = s.runs.iter().filter(|r| !r.passed).collect();
    if !failed.is_empty() {
        d.heading(2, "Failures", None);
        for r in failed {
            d.heading(3, r.id.clone(), None);
            d.push(Block::Pre(r.message.clone()));
            d.push(Block::Code {
                text: "Reproduce (in the nightly output directory)".into(),
                code: r.command.clone(),
            });
            if let Some(w) = &r.wave {
                d.push(Block::Code {
                    text: "Waveform of the cycles before the failure".into(),
                    code: w.clone(),
                });
            }
        }
    }
    let runs_of = |kind: &'static str| s.runs.iter().filter(move |r| r.kind == kind);
    for kind in ["directed", "fuzz"] {
        if runs_of(kind).next().is_none() {
            continue;
        }
        d.heading(2, kind, None);
        let mut t = Table::new(&[
            ("run", ""),
            ("status", ""),
            ("cycles", ""),
            ("instructions", ""),
            ("ITLB misses", ""),
            ("DTLB misses", ""),
            ("walks", ""),
            ("walk cycles", ""),
            ("walk-cache hits", ""),
        ]);
        for r in runs_of(kind) {
            let mut cells = vec![Cell::text(&r.id), status(r)];
            cells.extend(
                [
                    counter(r, "cycles"),
                    counter(r, "instret"),
                    counter(r, "itlb_miss"),
                    dtlb_misses(r),
                    counter(r, "walks"),
                    counter(r, "walk_cycles"),
                    counter(r, "pwc_hit"),
                ]
                .map(Cell::Int),
            );
            t.push(cells);
        }
        d.push(Block::Table(t));
    }
    if runs_of("vmemmap").next().is_some() {
        d.heading(2, "vmemmap", None);
        let vm: Vec<&RunRecord> = runs_of("vmemmap").filter(|r| r.passed).collect();
        if !vm.is_empty() {
            d.push(Block::Charts(vec![
                vmemmap_chart(
                    &vm,
                    "DTLB misses",
                    "DTLB misses (count)",
                    "misses",
                    dtlb_misses,
                ),
                vmemmap_chart(
                    &vm,
                    "Walk cycles",
                    "walk cycles (cycles the walker is busy)",
                    "cycles",
                    |r| counter(r, "walk_cycles"),
                ),
            ]));
        }
        let mut t = Table::new(&[
            ("run", ""),
            ("status", ""),
            ("RISC-V Linux 6.12", ""),
            ("vmemmap", "KiB"),
            ("table pages", "4 KiB each"),
            ("cycles", ""),
            ("DTLB misses", ""),
            ("walks", ""),
            ("walk cycles", ""),
            ("walk latency", "cycles per walk"),
        ]);
        for r in runs_of("vmemmap") {
            let walks = counter(r, "walks");
            let mut cells = vec![Cell::text(&r.id), status(r), Cell::text(reachability(r))];
            cells.extend(
                [
                    counter(r, "vmemmap.data_bytes") / 1024,
                    counter(r, "vmemmap.table_pages"),
                    counter(r, "cycles"),
                    dtlb_misses(r),
                    walks,
                    counter(r, "walk_cycles"),
                ]
                .map(Cell::Int),
            );
            cells.push(Cell::Real(
                counter(r, "walk_cycles") as f64 / walks.max(1) as f64,
                2,
            ));
            t.push(cells);
        }
        d.push(Block::Table(t));
    }
    if runs_of("powerfail").next().is_some() {
        d.heading(2, "Power failures", None);
        let mut t = Table::new(&[
            ("run", ""),
            ("status", ""),
            ("power failures", ""),
            ("write bursts lost in flight", ""),
        ]);
        for r in runs_of("powerfail") {
            t.push(vec![
                Cell::text(&r.id),
                status(r),
                Cell::Int(counter(r, "power_failures")),
                Cell::Int(counter(r, "lost_writes")),
            ]);
        }
        d.push(Block::Table(t));
    }
    d
}

/// Whether RISC-V Linux 6.12 can set a vmemmap run's device up, from the run's
/// command (`--align=1G`, as the matrix writes it, is the generic arithmetic only).
fn reachability(r: &RunRecord) -> &'static str {
    if r.command.contains("--align=1G") {
        crate::vmemmap::NOT_REACHABLE
    } else {
        "reachable"
    }
}

/// A chart of the vmemmap runs: a group per configuration, a bar (and colour) per
/// RTL set.
fn vmemmap_chart(
    runs: &[&RunRecord],
    title: &str,
    axis: &str,
    unit: &str,
    value: fn(&RunRecord) -> u64,
) -> BarChart {
    let name = |r: &RunRecord| r.id.rsplit('/').next().unwrap_or(&r.id).to_string();
    let mut groups: Vec<String> = Vec::new();
    let mut sets: Vec<&str> = Vec::new();
    for r in runs {
        if !groups.contains(&name(r)) {
            groups.push(name(r));
        }
        if !sets.contains(&r.rtl.as_str()) {
            sets.push(&r.rtl);
        }
    }
    BarChart {
        title: format!("vmemmap runs: {title}, per RTL set"),
        x_axis: "vmemmap run".into(),
        y_axis: axis.into(),
        unit: unit.into(),
        decimals: 0,
        series: sets
            .iter()
            .enumerate()
            .map(|(colour, set)| Series {
                name: set.to_string(),
                colour,
                values: groups
                    .iter()
                    .map(|g| {
                        runs.iter()
                            .find(|r| r.rtl == *set && name(r) == *g)
                            .map(|r| value(r) as f64)
                    })
                    .collect(),
            })
            .collect(),
        groups,
    }
}

/// Writes report.md and report.html into `dir`.
pub fn write(dir: &Path, s: &Summary) -> std::io::Result<()> {
    let d = document(s);
    write_in(dir, "report.md", &d.markdown())?;
    Ok(write_in(dir, "report.html", &d.html())?)
}
