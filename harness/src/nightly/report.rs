//! `report.md` and `report.html` over the whole matrix: failures first (with their
//! reproduce commands and waveforms), then each kind's figures per RTL set, and charts
//! of the vmemmap runs' TLB behaviour per configuration and RTL set.

use super::record::RunRecord;
use super::summary::Summary;
use crate::output::{escape, write_in};
use crate::report::bar_chart;
use std::fmt::Write as _;
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

fn status(r: &RunRecord) -> &'static str {
    if r.passed {
        "pass"
    } else {
        "**FAIL**"
    }
}

pub fn markdown(s: &Summary) -> String {
    let mut md = format!(
        "# cosim nightly: {}\n\n{} runs: {} passed, {} failed.\n",
        s.matrix,
        s.runs.len(),
        s.passed,
        s.failed
    );
    let failed: Vec<&RunRecord> = s.runs.iter().filter(|r| !r.passed).collect();
    if !failed.is_empty() {
        md.push_str("\n## Failures\n");
        for r in failed {
            let _ = writeln!(
                md,
                "\n### {}\n\n```\n{}\n```\n\nReproduce (in the nightly output directory): `{}`\n",
                r.id, r.message, r.command
            );
            if let Some(w) = &r.wave {
                let _ = writeln!(md, "Waveform of the cycles before the failure: `{w}`\n");
            }
        }
    }
    let runs_of = |kind: &'static str| s.runs.iter().filter(move |r| r.kind == kind);
    for kind in ["directed", "fuzz"] {
        if runs_of(kind).next().is_none() {
            continue;
        }
        let _ = writeln!(
            md,
            "\n## {kind}\n\n| run | status | cycles | instructions | ITLB misses | DTLB misses | walks | walk cycles | walk-cache hits |\n|---|---|---|---|---|---|---|---|---|"
        );
        for r in runs_of(kind) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.id,
                status(r),
                counter(r, "cycles"),
                counter(r, "instret"),
                counter(r, "itlb_miss"),
                dtlb_misses(r),
                counter(r, "walks"),
                counter(r, "walk_cycles"),
                counter(r, "pwc_hit"),
            );
        }
    }
    if runs_of("vmemmap").next().is_some() {
        md.push_str("\n## vmemmap\n\n| run | status | vmemmap KiB | table pages | cycles | DTLB misses | walks | walk cycles | avg walk |\n|---|---|---|---|---|---|---|---|---|\n");
        for r in runs_of("vmemmap") {
            let walks = counter(r, "walks");
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {walks} | {} | {:.2} |",
                r.id,
                status(r),
                counter(r, "vmemmap.data_bytes") / 1024,
                counter(r, "vmemmap.table_pages"),
                counter(r, "cycles"),
                dtlb_misses(r),
                counter(r, "walk_cycles"),
                counter(r, "walk_cycles") as f64 / walks.max(1) as f64
            );
        }
    }
    if runs_of("powerfail").next().is_some() {
        md.push_str("\n## Power failures\n\n| run | status | power failures | write bursts lost in flight |\n|---|---|---|---|\n");
        for r in runs_of("powerfail") {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                r.id,
                status(r),
                counter(r, "power_failures"),
                counter(r, "lost_writes")
            );
        }
    }
    md
}

/// Writes report.md and report.html into `dir`.
pub fn write(dir: &Path, s: &Summary) -> std::io::Result<()> {
    let md = markdown(s);
    write_in(dir, "report.md", &md)?;
    let vm: Vec<&RunRecord> = s
        .runs
        .iter()
        .filter(|r| r.kind == "vmemmap" && r.passed)
        .collect();
    let label = |r: &RunRecord| r.id.replace("/vmemmap/", " ");
    let misses: Vec<(String, f64)> = vm
        .iter()
        .map(|r| (label(r), dtlb_misses(r) as f64))
        .collect();
    let walks: Vec<(String, f64)> = vm
        .iter()
        .map(|r| (label(r), counter(r, "walk_cycles") as f64))
        .collect();
    let mut charts = String::new();
    if !vm.is_empty() {
        charts += &bar_chart("vmemmap runs: DTLB misses", "misses", &misses);
        charts += &bar_chart("vmemmap runs: walk cycles", "cycles", &walks);
    }
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>cosim nightly: {}</title></head><body>\n\
         <h1>cosim nightly: {}</h1>\n<p>{} runs: {} passed, {} failed.</p>\n{charts}\n<pre>{}</pre>\n</body></html>\n",
        escape::html(&s.matrix),
        escape::html(&s.matrix),
        s.runs.len(),
        s.passed,
        s.failed,
        escape::html(&md)
    );
    Ok(write_in(dir, "report.html", &html)?)
}
