//! The trade-off the numbers show, in words.

use super::figures::{align_words, mib_per_gib, mode_name, total};
use super::Entry;
use crate::vmemmap::{reachable_on_riscv_linux, Mode, VmemmapRun, NOT_REACHABLE};
use std::fmt::Write as _;

/// dax against huge at each alignment of the matrix, in the matrix's order: one
/// sentence pair a line.
pub fn summary(entries: &[Entry]) -> String {
    let find = |mode: Mode, shift: u32| {
        entries
            .iter()
            .find(|e| e.config.mode == mode && e.config.compound_shift == shift)
            .and_then(|e| e.run.as_ref().ok())
    };
    let mut shifts: Vec<u32> = Vec::new();
    for e in entries {
        if !shifts.contains(&e.config.compound_shift) {
            shifts.push(e.config.compound_shift);
        }
    }
    let mut s = String::new();
    for shift in shifts {
        let (Some(huge), Some(dax)) = (find(Mode::Huge, shift), find(Mode::Dax, shift)) else {
            continue;
        };
        let misses = |r: &VmemmapRun| total(r, "dtlb_load_miss") + total(r, "dtlb_store_miss");
        let cycles = 100.0 * (dax.outcome.cycles as f64 / huge.outcome.cycles as f64 - 1.0);
        let memory = 100.0 * (mib_per_gib(dax) / mib_per_gib(huge) - 1.0);
        let alignment = format!(
            "With {} alignment{}",
            align_words(shift),
            if reachable_on_riscv_linux(shift) {
                String::new()
            } else {
                format!(" ({NOT_REACHABLE})")
            }
        );
        let populated = Mode::from_code(dax.result.populated_as);
        if populated != Some(Mode::Dax) {
            // Linux optimizes only compound pages of more than one base page, and only
            // with a power-of-two struct page.
            let why = if shift <= 12 {
                "a compound page is a single base page".to_string()
            } else {
                format!(
                    "a {}-byte struct page is not a power of two",
                    dax.config.struct_page_size
                )
            };
            let _ = writeln!(
                s,
                "{alignment}, dax is not optimized ({why}, so the firmware populates it as {}, as Linux does): \
                 {:.3} MiB per GiB of pmem, {}, and {}.",
                populated.map_or("?".to_string(), mode_name),
                mib_per_gib(dax),
                change(memory, "less memory than huge", "more memory than huge", "as much memory as huge"),
                change(cycles, "fewer cycles", "more cycles", "as many cycles"),
            );
            continue;
        }
        let _ = writeln!(
            s,
            "{alignment}, the optimized (dax) vmemmap uses {:.3} MiB per GiB of pmem against {:.3} MiB for 2 MiB mappings (huge): {}. \
             It maps the vmemmap with 4 KiB pages: the run (all phases) takes {} DTLB misses and {} walk cycles instead of {} and {}, and {}.",
            mib_per_gib(dax),
            mib_per_gib(huge),
            change(memory, "less memory", "more memory", "as much memory"),
            misses(dax),
            total(dax, "walk_cycles"),
            misses(huge),
            total(huge, "walk_cycles"),
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
