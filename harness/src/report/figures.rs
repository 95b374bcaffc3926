//! The figures of a run that the report shows, and the names it shows them under.

use crate::vmemmap::{Mode, VmemmapConfig, VmemmapRun, PHASE_NAMES};

/// "4K", "2M", "1G".
pub fn align_name(shift: u32) -> String {
    match shift {
        30.. => format!("{}G", 1u64 << (shift - 30)),
        20.. => format!("{}M", 1u64 << (shift - 20)),
        _ => format!("{}K", 1u64 << shift.saturating_sub(10)),
    }
}

/// "4 KiB", "2 MiB", "1 GiB".
pub fn align_words(shift: u32) -> String {
    let name = align_name(shift);
    let (number, unit) = name.split_at(name.len() - 1);
    format!("{number} {unit}iB")
}

pub fn mode_name(mode: Mode) -> String {
    format!("{mode:?}").to_lowercase()
}

/// "dax 2M".
pub fn label(c: &VmemmapConfig) -> String {
    format!("{} {}", mode_name(c.mode), align_name(c.compound_shift))
}

/// Figures of one phase of one run.
pub struct PhaseRow {
    pub name: &'static str,
    pub cycles: u64,
    pub ipc: f64,
    pub dtlb_misses: u64,
    pub itlb_misses: u64,
    pub walks: u64,
    pub walk_cycles: u64,
    pub avg_walk: f64,
    pub pwc_hit_rate: f64,
}

pub fn phase_rows(r: &VmemmapRun) -> Vec<PhaseRow> {
    r.outcome
        .phases
        .iter()
        .map(|p| {
            let c = |n: &str| p.counters.by_name(n).unwrap_or(0);
            let walks = c("walks");
            let pwc = c("pwc_hit") + c("pwc_miss");
            PhaseRow {
                name: PHASE_NAMES
                    .get((p.marker as usize).wrapping_sub(1))
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

/// vmemmap memory in MiB per GiB of pmem.
pub fn mib_per_gib(r: &VmemmapRun) -> f64 {
    (r.census.data_frames * 4096) as f64
        / (1 << 20) as f64
        / (r.config.pmem_size as f64 / (1u64 << 30) as f64)
}

pub fn ipc(r: &VmemmapRun) -> f64 {
    r.outcome.instret as f64 / r.outcome.cycles.max(1) as f64
}

/// A counter summed over the run's phases.
pub fn total(r: &VmemmapRun, name: &str) -> u64 {
    r.outcome
        .phases
        .iter()
        .map(|p| p.counters.by_name(name).unwrap_or(0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignments_read_as_sizes() {
        assert_eq!(
            [12, 21, 30].map(align_name),
            ["4K".to_string(), "2M".into(), "1G".into()]
        );
        assert_eq!(align_words(21), "2 MiB");
        assert_eq!(align_words(30), "1 GiB");
    }
}
