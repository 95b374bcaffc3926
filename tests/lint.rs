//! The RTL lints clean with every Verilator warning on: a new warning fails the suite.

use std::path::Path;
use std::process::Command;

#[test]
fn rtl_lints_clean_with_wall() {
    let rtl = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rtl");
    let out = Command::new("verilator")
        .args([
            "--lint-only",
            "-Wall",
            "--top-module",
            "soc_top",
            "-f",
            "files.f",
        ])
        .current_dir(&rtl)
        .output()
        .expect("verilator (run scripts/setup)");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "verilator --lint-only -Wall reports:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The harness's event table (names, numbers) is the RTL's `hpm_event_e`.
#[test]
fn event_table_matches_the_rtl() {
    let pkg = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rtl/pkg/cosim_pkg.sv");
    let text = std::fs::read_to_string(&pkg).expect("cosim_pkg.sv");
    let rtl: Vec<(String, usize)> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("HPM_EVENT_")?;
            let (name, rest) = l.split_once('=')?;
            let number = rest.trim().strip_prefix("8'd")?;
            let number: String = number.chars().take_while(char::is_ascii_digit).collect();
            Some((name.trim().to_lowercase(), number.parse().ok()?))
        })
        .collect();
    let harness: Vec<(String, usize)> = cosim::counters::EVENTS
        .iter()
        .map(|e| (e.name.to_string(), usize::from(e.number)))
        .collect();
    assert_eq!(
        rtl, harness,
        "rtl/pkg/cosim_pkg.sv hpm_event_e vs harness/src/counters/events.rs"
    );
}

/// Sizes the RTL cannot build stop elaboration with a message naming the limit
/// (`$fatal` in tlb.sv, plru_tree.sv, walk_cache.sv).
#[test]
fn impossible_mmu_sizes_stop_elaboration() {
    let rtl = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rtl");
    for (param, expected) in [
        ("-GL2_ENTRIES=48", "must be a power of two"),
        ("-GDTLB_ENTRIES=256", "from 2 to 128"),
        (
            "-GPWC_ENTRIES=6",
            "walk_cache: ENTRIES must be a power of two",
        ),
    ] {
        let out = Command::new("verilator")
            .args([
                "--lint-only",
                "--top-module",
                "soc_top",
                "-f",
                "files.f",
                param,
            ])
            .current_dir(&rtl)
            .output()
            .expect("verilator (run scripts/setup)");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(expected),
            "{param}: expected a failure saying `{expected}`, got:\n{stderr}"
        );
    }
}
