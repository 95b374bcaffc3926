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
