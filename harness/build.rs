//! Builds the verilated SoC models (fast and FST-traced) with their C++ shim through
//! cxx, and the firmware images and test programs that the `cosim` binary embeds.

#[path = "build/firmware.rs"]
mod firmware;
#[path = "build/programs.rs"]
mod programs;
#[path = "build/verilate.rs"]
mod verilate;

use std::path::PathBuf;

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let rtl_dir = manifest_dir.join("../rtl");

    verilate::write_mmu_params(&out_dir);
    let models = verilate::verilate_all(&rtl_dir, &out_dir);
    verilate::compile_models(&models, &out_dir);

    let programs_dir = programs::build_programs(&manifest_dir.join("../tests/asm"), &out_dir);
    println!(
        "cargo:rustc-env=COSIM_PROGRAMS_DIR={}",
        programs_dir.display()
    );

    let firmware_dir = firmware::build_firmware(&out_dir);
    println!(
        "cargo:rustc-env=COSIM_FIRMWARE_DIR={}",
        firmware_dir.display()
    );
}
