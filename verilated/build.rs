//! Compiles the Verilator runtime once, so every verilated model in the workspace links
//! against the same copy. Exposes the include directories to dependents through the
//! `links = "verilated"` metadata as `DEP_VERILATED_INCLUDE` (a `:`-separated list).

use std::path::PathBuf;
use std::process::Command;

fn verilator_root() -> PathBuf {
    if let Ok(root) = std::env::var("VERILATOR_ROOT") {
        return PathBuf::from(root);
    }
    let out = Command::new("verilator")
        .args(["--getenv", "VERILATOR_ROOT"])
        .output()
        .unwrap_or_else(|e| {
            panic!("\n\ncosim needs Verilator 5 (Debian package `verilator`) but could not run it: {e}\nRun scripts/setup.\n\n")
        });
    if !out.status.success() {
        panic!("\n\n`verilator --getenv VERILATOR_ROOT` failed; is Verilator installed? Run scripts/setup.\n\n");
    }
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

fn main() {
    println!("cargo:rerun-if-env-changed=VERILATOR_ROOT");
    let include = verilator_root().join("include");
    let vltstd = include.join("vltstd");
    if !include.join("verilated.cpp").exists() {
        panic!(
            "\n\nVerilator runtime sources not found under {}. Run scripts/setup.\n\n",
            include.display()
        );
    }

    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .opt_level(2)
        .warnings(false)
        .include(&include)
        .include(&vltstd)
        // The traced model needs the FST writer; the untraced one simply never calls it.
        .define("VM_TRACE", "1")
        .define("VM_TRACE_FST", "1")
        .define("VM_TRACE_VCD", "0")
        .define("VM_COVERAGE", "0")
        .define("VM_SC", "0")
        .file(include.join("verilated.cpp"))
        .file(include.join("verilated_threads.cpp"));
    if std::env::var_os("CARGO_FEATURE_FST").is_some() {
        build.file(include.join("verilated_fst_c.cpp"));
        println!("cargo:rustc-link-lib=z");
    }
    build.compile("verilated");
    println!("cargo:rustc-link-lib=pthread");
    println!("cargo:include={}:{}", include.display(), vltstd.display());
}
