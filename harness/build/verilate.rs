//! Runs Verilator on `rtl/` and compiles the generated C++ with the shim.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One verilated model: its class prefix and the directory of its generated sources.
pub struct Model {
    pub prefix: &'static str,
    pub dir: PathBuf,
    pub sources: Vec<String>,
}

const TOP: &str = "soc_top";

include!("../src/mmu/params.rs");

/// The MMU geometry of this build: the default, with `COSIM_MMU` applied.
pub fn mmu_params() -> MmuParams {
    println!("cargo:rerun-if-changed=src/mmu/params.rs");
    println!("cargo:rerun-if-env-changed=COSIM_MMU");
    let spec = std::env::var("COSIM_MMU").unwrap_or_default();
    DEFAULT_MMU_PARAMS
        .parse_overrides(&spec)
        .unwrap_or_else(|e| panic!("\n\nCOSIM_MMU={spec}: {e}\n\n"))
}

/// Writes the geometry as a Rust expression the library includes (`MMU_PARAMS`).
pub fn write_mmu_params(out_dir: &Path) {
    let p = mmu_params();
    let text = format!(
        "MmuParams {{ itlb_entries: {}, dtlb_entries: {}, l2_entries: {}, pwc_entries: {} }}\n",
        p.itlb_entries, p.dtlb_entries, p.l2_entries, p.pwc_entries
    );
    std::fs::write(out_dir.join("mmu_params.rs"), text).expect("writing mmu_params.rs");
}

// The build reads only the names; `file` and `bug` are for `cosim mutants`.
#[allow(dead_code)]
mod catalogue {
    include!("../src/mutants/catalogue.rs");
}
use catalogue::{Mutant, CATALOGUE};

/// The mutant this build carries (`COSIM_MUTANT`, set by `cosim mutants`), if any.
pub fn mutant() -> Option<&'static Mutant> {
    println!("cargo:rerun-if-changed=src/mutants/catalogue.rs");
    println!("cargo:rerun-if-env-changed=COSIM_MUTANT");
    let name = std::env::var("COSIM_MUTANT")
        .ok()
        .filter(|n| !n.is_empty())?;
    Some(
        CATALOGUE
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| {
                panic!("\n\nCOSIM_MUTANT={name}: no such mutant (cosim mutants --list)\n\n")
            }),
    )
}

/// Flags for every build: speed first.
const COMMON_FLAGS: &[&str] = &["--cc", "-O3", "--x-assign", "fast", "--x-initial", "fast"];

fn rtl_files(rtl_dir: &Path) -> Vec<PathBuf> {
    let list = rtl_dir.join("files.f");
    let text = std::fs::read_to_string(&list)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", list.display()));
    // The whole folder, so that a new file is noticed even before files.f names it.
    println!("cargo:rerun-if-changed={}", rtl_dir.display());
    println!("cargo:rerun-if-changed={}", list.display());
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .map(|l| rtl_dir.join(l))
        .inspect(|f| println!("cargo:rerun-if-changed={}", f.display()))
        .collect()
}

fn verilate(rtl_dir: &Path, out_dir: &Path, prefix: &'static str, traced: bool) -> Model {
    let dir = out_dir.join(prefix);
    let _ = std::fs::remove_dir_all(&dir);
    let mut cmd = Command::new("verilator");
    cmd.args(COMMON_FLAGS)
        .args(["--top-module", TOP, "--prefix", prefix, "-Mdir"])
        .arg(&dir)
        .arg("-I".to_string() + &rtl_dir.display().to_string());
    // The RTL's assertions (`COSIM_ASSERT`): on in the traced model, which also serves
    // checked (lockstep) runs without a waveform; off in the fast model, where they cost
    // an eighth of its speed (callgrind, bench firmware: 6 029 against 5 288 host
    // instructions per simulated cycle in eval). A failure stops the run
    // (SimError::Assertion).
    if traced {
        cmd.args(["--trace-fst", "--assert"]);
    } else {
        cmd.arg("--noassert");
    }
    cmd.args(mmu_params().verilator_flags());
    if let Some(m) = mutant() {
        cmd.arg(format!("+define+{}", m.define()));
    }
    // For profiling the model (README: Profiling the model), e.g. `--prof-cfuncs`.
    println!("cargo:rerun-if-env-changed=COSIM_VERILATOR_FLAGS");
    if let Ok(extra) = std::env::var("COSIM_VERILATOR_FLAGS") {
        cmd.args(extra.split_whitespace());
    }
    cmd.args(rtl_files(rtl_dir));
    let output = cmd.output().unwrap_or_else(|e| {
        panic!("\n\ncosim needs Verilator 5 (Debian package `verilator`), but running it failed: {e}\nRun scripts/setup.\n\n")
    });
    if !output.status.success() {
        panic!(
            "\n\nverilator failed on rtl/ ({prefix}):\n{}{}\n",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let sources = generated_sources(&dir, prefix);
    Model {
        prefix,
        dir,
        sources,
    }
}

/// The generated file names differ between Verilator versions: read them from the
/// `<prefix>_classes.mk` that Verilator writes rather than guessing.
fn generated_sources(dir: &Path, prefix: &str) -> Vec<String> {
    let mk = dir.join(format!("{prefix}_classes.mk"));
    let text = std::fs::read_to_string(&mk)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", mk.display()));
    let mut files = Vec::new();
    let mut in_list = false;
    for line in text.lines() {
        let line = line.trim();
        let (body, continues) = match line.strip_suffix('\\') {
            Some(b) => (b.trim(), true),
            None => (line, false),
        };
        if let Some(rest) = [
            "VM_CLASSES_FAST",
            "VM_CLASSES_SLOW",
            "VM_SUPPORT_FAST",
            "VM_SUPPORT_SLOW",
        ]
        .iter()
        .find_map(|v| {
            body.strip_prefix(v)
                .and_then(|r| r.trim_start().strip_prefix("+="))
        }) {
            files.extend(rest.split_whitespace().map(|f| format!("{f}.cpp")));
            in_list = continues;
        } else if in_list {
            files.extend(body.split_whitespace().map(|f| format!("{f}.cpp")));
            in_list = continues;
        }
    }
    assert!(
        !files.is_empty(),
        "no generated sources listed in {}",
        mk.display()
    );
    files
}

pub fn verilate_all(rtl_dir: &Path, out_dir: &Path) -> Vec<Model> {
    // A mutant is only ever run checked: its build skips the fast model (half the
    // build time) and the fast constructor returns the checked one.
    if mutant().is_some() {
        return vec![verilate(rtl_dir, out_dir, "Vsoc_traced", true)];
    }
    // The two Verilator runs are independent: run them side by side.
    std::thread::scope(|s| {
        let fast = s.spawn(|| verilate(rtl_dir, out_dir, "Vsoc_fast", false));
        let traced = s.spawn(|| verilate(rtl_dir, out_dir, "Vsoc_traced", true));
        vec![
            fast.join().expect("verilate fast"),
            traced.join().expect("verilate traced"),
        ]
    })
}

/// Each model becomes one unity translation unit (`model_<kind>.cc` includes the
/// header written here), compiled with the cxx bridge.
pub fn compile_models(models: &[Model], out_dir: &Path) {
    let include_dirs = std::env::var("DEP_VERILATED_INCLUDE")
        .expect("DEP_VERILATED_INCLUDE from the verilated crate");
    let mut build = cxx_build::bridge("src/model/bridge.rs");
    // clang compiles the verilated model into code about 25 % faster than gcc 12 does
    // (`cosim bench`, bare model, best of 4: 1.27 M against 1.02 M cycles/s).
    // scripts/setup installs it; gcc is the fallback.
    if Command::new("clang++").arg("--version").output().is_ok() {
        build.compiler("clang++");
    } else {
        println!("cargo:warning=clang++ not found: the model is compiled with the default C++ compiler and runs slower (run scripts/setup)");
    }
    build
        .std("c++17")
        .opt_level(2)
        // Debug info for the generated model costs minutes of compile time and is
        // never used: waveforms and the retire log are how the RTL is debugged.
        .debug(false)
        .warnings(false)
        .flag_if_supported("-fno-strict-aliasing");
    for dir in include_dirs.split(':') {
        build.include(dir);
    }
    if models.len() == 1 {
        build.define("COSIM_CHECKED_ONLY", None);
        build.file("src/model/model_fast.cc");
        println!("cargo:rerun-if-changed=src/model/model_fast.cc");
    }
    for model in models {
        let kind = model.prefix.trim_start_matches("Vsoc_");
        let unity = out_dir.join(format!("model_{kind}_unity.h"));
        let mut text =
            String::from("// Generated by harness/build.rs: the verilated sources of one model.\n");
        for src in &model.sources {
            text += &format!("#include \"{}\"\n", model.dir.join(src).display());
        }
        std::fs::write(&unity, text).expect("write unity header");
        build.file(format!("src/model/model_{kind}.cc"));
        println!("cargo:rerun-if-changed=src/model/model_{kind}.cc");
    }
    build.include(out_dir).compile("cosim_models");
    for f in ["bridge.rs", "shim.h", "shim_impl.h"] {
        println!("cargo:rerun-if-changed=src/model/{f}");
    }
}
