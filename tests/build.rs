//! Assembles every `asm/*.S` program into an ELF in `OUT_DIR/asm` and tells the
//! tests where through `COSIM_ASM_DIR`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const CC: &str = "riscv64-unknown-elf-gcc";
const CFLAGS: &[&str] = &[
    "-march=rv64imac_zicsr_zifencei",
    "-mabi=lp64",
    "-nostdlib",
    "-nostartfiles",
    "-static",
    "-Wl,--no-warn-rwx-segments",
];

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let asm_dir = manifest_dir.join("asm");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR")).join("asm");
    // Start empty, so a program whose source was removed or renamed leaves no ELF behind.
    let _ = fs::remove_dir_all(&out_dir);
    fs::create_dir_all(&out_dir).unwrap_or_else(|e| panic!("creating {}: {e}", out_dir.display()));

    println!("cargo:rerun-if-changed={}", asm_dir.display());
    let mut sources = Vec::new();
    let mut inputs = Vec::new();
    for entry in
        fs::read_dir(&asm_dir).unwrap_or_else(|e| panic!("reading {}: {e}", asm_dir.display()))
    {
        let path = entry.expect("directory entry").path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("S") => sources.push(path.clone()),
            Some("h") | Some("ld") => {}
            _ => continue,
        }
        inputs.push(path);
    }
    sources.sort();
    for input in &inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }

    check_compiler();
    let link_script = asm_dir.join("link.ld");
    for source in &sources {
        assemble(source, &asm_dir, &link_script, &out_dir);
    }
    println!("cargo:rustc-env=COSIM_ASM_DIR={}", out_dir.display());
    // The watchdog test wants the address of the hang program's loop.
    let hang_loop = symbol_address(&out_dir.join("hang.elf"), "hang_loop");
    println!("cargo:rustc-env=COSIM_ASM_HANG_LOOP={hang_loop:#x}");
}

/// Address of `symbol` in `elf`, from riscv64-unknown-elf-nm (binutils).
fn symbol_address(elf: &Path, symbol: &str) -> u64 {
    let nm = "riscv64-unknown-elf-nm";
    let output = Command::new(nm)
        .arg(elf)
        .output()
        .unwrap_or_else(|e| panic!("running {nm}: {e}; run scripts/setup"));
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|line| {
            let mut fields = line.split_whitespace();
            let (addr, _kind, name) = (fields.next()?, fields.next()?, fields.next()?);
            (name == symbol)
                .then(|| u64::from_str_radix(addr, 16).ok())
                .flatten()
        })
        .unwrap_or_else(|| panic!("symbol {symbol} not found in {}", elf.display()))
}

fn check_compiler() {
    match Command::new(CC).arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "{CC} --version failed ({}): run scripts/setup to install the RISC-V toolchain",
            out.status
        ),
        Err(e) => panic!(
            "{CC} not found ({e}): the assembly tests need Debian's gcc-riscv64-unknown-elf; run scripts/setup"
        ),
    }
}

fn assemble(source: &Path, include_dir: &Path, link_script: &Path, out_dir: &Path) {
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("UTF-8 file name");
    let elf = out_dir.join(format!("{stem}.elf"));
    let output = Command::new(CC)
        .args(CFLAGS)
        .arg(format!("-I{}", include_dir.display()))
        .arg("-T")
        .arg(link_script)
        .arg(source)
        .arg("-o")
        .arg(&elf)
        .output()
        .unwrap_or_else(|e| panic!("running {CC}: {e}; run scripts/setup"));
    if !output.status.success() {
        panic!(
            "assembling {} failed ({}):\n{}{}",
            source.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
