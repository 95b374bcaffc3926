//! Builds the `firmware/` crate for riscv64imac-unknown-none-elf from a build
//! script (nested cargo). Called from `harness/build.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The firmware's target triple.
pub const FIRMWARE_TARGET: &str = "riscv64imac-unknown-none-elf";

/// Environment variables of the outer build that must not leak into the
/// nested cargo: they describe the outer package / target / flags.
fn confuses_nested_cargo(name: &str) -> bool {
    const KEEP: &[&str] = &[
        "CARGO_HOME",
        "CARGO_MAKEFLAGS",
        "CARGO_NET_OFFLINE",
        "CARGO_TERM_COLOR",
    ];
    if KEEP.contains(&name)
        || name.starts_with("CARGO_HTTP_")
        || name.starts_with("CARGO_REGISTRIES_")
    {
        return false;
    }
    name.starts_with("CARGO_")
        || name.starts_with("DEP_")
        || matches!(
            name,
            "RUSTFLAGS"
                | "RUSTDOCFLAGS"
                | "RUSTC"
                | "RUSTC_WRAPPER"
                | "RUSTC_WORKSPACE_WRAPPER"
                | "RUSTC_LINKER"
                | "RUSTDOC"
                | "TARGET"
                | "HOST"
                | "OUT_DIR"
                | "OPT_LEVEL"
                | "PROFILE"
                | "DEBUG"
                | "NUM_JOBS"
                | "CC"
                | "CXX"
                | "CFLAGS"
                | "CXXFLAGS"
                | "AR"
        )
}

/// Builds the firmware in release mode into `<out_dir>/firmware-target` and
/// returns the directory that holds the ELF binaries (one per `[[bin]]`).
/// Prints `cargo:rerun-if-changed` for the firmware sources. Panics with a
/// readable message when the build fails (typically: target not installed).
pub fn build_firmware(out_dir: &Path) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("harness/ has a parent")
        .to_path_buf();
    let firmware = repo.join("firmware");
    let manifest = firmware.join("Cargo.toml");
    let target_dir = out_dir.join("firmware-target");

    for input in ["Cargo.toml", "build.rs", "link.x", "src"] {
        println!("cargo:rerun-if-changed={}", firmware.join(input).display());
    }
    rerun_if_changed_tree(&firmware.join("src"));
    // The firmware uses the shared vmem crate.
    rerun_if_changed_tree(&repo.join("vmem").join("src"));

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    for (name, _) in std::env::vars_os() {
        if let Some(name) = name.to_str() {
            if confuses_nested_cargo(name) {
                cmd.env_remove(name);
            }
        }
    }
    cmd.args([
        "build",
        "--release",
        "--target",
        FIRMWARE_TARGET,
        "--manifest-path",
    ])
    .arg(&manifest)
    .arg("--target-dir")
    .arg(&target_dir)
    .current_dir(&firmware);

    let status = cmd.status().unwrap_or_else(|e| {
        panic!(
            "running cargo to build the firmware ({}): {e}",
            manifest.display()
        )
    });
    if !status.success() {
        panic!(
            "building the firmware ({}) failed ({status}); if the {FIRMWARE_TARGET} target is missing: \
             run scripts/setup (rustup target add {FIRMWARE_TARGET})",
            manifest.display()
        );
    }
    target_dir.join(FIRMWARE_TARGET).join("release")
}

fn rerun_if_changed_tree(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rerun_if_changed_tree(&path);
        } else {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}
