//! Helpers the command-line tests share: running cosim, scratch directories, and
//! assembling small bare-metal programs.

#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn cosim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cosim"))
        .args(args)
        .output()
        .expect("run cosim")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Assembles a bare-metal program at 0x8000_0000 with HTIF symbols.
pub fn assemble(dir: &Path, body: &str) -> PathBuf {
    link(
        dir,
        "ENTRY(_start) SECTIONS { . = 0x80000000; .text : { *(.text) } .tohost : { *(.tohost) } }",
        &format!(
            ".section .text\n.globl _start\n_start:\n{body}\n\
             .section .tohost,\"aw\",@progbits\n.align 3\n.globl tohost\ntohost: .dword 0\n\
             .globl fromhost\nfromhost: .dword 0\n"
        ),
        &[],
    )
}

/// Assembles `source` with the linker script `script` (and `extra` linker options)
/// into `dir/prog.elf`.
pub fn link(dir: &Path, script: &str, source: &str, extra: &[&str]) -> PathBuf {
    let src = dir.join("prog.S");
    let elf = dir.join("prog.elf");
    let ld = dir.join("link.ld");
    std::fs::write(&ld, script).unwrap();
    std::fs::write(&src, source).unwrap();
    let status = Command::new("riscv64-unknown-elf-gcc")
        .args([
            "-march=rv64imac_zicsr",
            "-mabi=lp64",
            "-nostdlib",
            "-nostartfiles",
            "-static",
        ])
        .arg(format!("-T{}", ld.display()))
        .arg("-Wl,--no-warn-rwx-segments")
        .args(extra)
        .arg("-o")
        .arg(&elf)
        .arg(&src)
        .status()
        .expect("riscv64-unknown-elf-gcc (run scripts/setup)");
    assert!(status.success(), "assembling the test program failed");
    elf
}

/// Writes `value` to tohost, then spins.
pub fn htif_write(value: &str) -> String {
    format!("  li t0, {value}\n  la t1, tohost\n  sd t0, 0(t1)\n1: j 1b\n")
}
