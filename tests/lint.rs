//! The RTL lints clean with every Verilator warning on and elaborates in slang, a
//! strict front end: a new warning fails the suite.

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

/// What Verilator accepts but other tools reject (a signal used before its declaration,
/// an implicit net) fails here: scripts/slang-lint elaborates rtl/ with slang, warnings
/// as errors, through the interpreter scripts/setup prepared.
#[test]
fn rtl_elaborates_in_slang() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let python = cosim::nightly::variants::cache_dir().join("python/bin/python");
    let out = Command::new(&python)
        .arg(root.join("scripts/slang-lint"))
        .output()
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup)", python.display()));
    assert!(
        out.status.success(),
        "scripts/slang-lint reports:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every module turns implicit nets off for its own text (a misspelt signal is an
/// error, not a new 1-bit wire) and back on after it, for code compiled after it.
#[test]
fn every_module_disables_implicit_nets() {
    let rtl = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rtl");
    let list = std::fs::read_to_string(rtl.join("files.f")).expect("files.f");
    let mut modules = 0;
    for file in list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
    {
        let text = std::fs::read_to_string(rtl.join(file)).expect(file);
        let Some(module) = text.find("\nmodule ") else {
            continue; // the package
        };
        modules += 1;
        let off = text.find("`default_nettype none");
        assert!(
            off.is_some_and(|at| at < module),
            "{file}: no `default_nettype none before its module"
        );
        assert!(
            text.trim_end().ends_with("`default_nettype wire"),
            "{file}: does not end with `default_nettype wire"
        );
    }
    assert!(modules > 20, "only {modules} modules found in rtl/files.f");
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
