//! Bad input files are rejected with an error that says what is wrong,
//! never a panic or a run.

use std::path::PathBuf;

use cosim::sim::{run_elf_bytes, run_elf_file, RunConfig};

const EM_X86_64: u16 = 62;
const EM_RISCV: u16 = 243;

/// A minimal little-endian ELF64 executable: header, one PT_LOAD of `code` at
/// `vaddr`, entry at `vaddr`.
fn elf64(machine: u16, vaddr: u64, code: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0]); // ELFCLASS64, LSB, version 1
    v.extend_from_slice(&[0; 8]);
    v.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    v.extend_from_slice(&machine.to_le_bytes());
    v.extend_from_slice(&1u32.to_le_bytes()); // e_version
    v.extend_from_slice(&vaddr.to_le_bytes()); // e_entry
    v.extend_from_slice(&64u64.to_le_bytes()); // e_phoff
    v.extend_from_slice(&0u64.to_le_bytes()); // e_shoff
    v.extend_from_slice(&0u32.to_le_bytes()); // e_flags
    v.extend_from_slice(&64u16.to_le_bytes()); // e_ehsize
    v.extend_from_slice(&56u16.to_le_bytes()); // e_phentsize
    v.extend_from_slice(&1u16.to_le_bytes()); // e_phnum
    v.extend_from_slice(&64u16.to_le_bytes()); // e_shentsize
    v.extend_from_slice(&0u16.to_le_bytes()); // e_shnum
    v.extend_from_slice(&0u16.to_le_bytes()); // e_shstrndx
    assert_eq!(v.len(), 64);
    let offset = 64u64 + 56;
    v.extend_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    v.extend_from_slice(&5u32.to_le_bytes()); // R + X
    v.extend_from_slice(&offset.to_le_bytes()); // p_offset
    v.extend_from_slice(&vaddr.to_le_bytes()); // p_vaddr
    v.extend_from_slice(&vaddr.to_le_bytes()); // p_paddr
    v.extend_from_slice(&(code.len() as u64).to_le_bytes()); // p_filesz
    v.extend_from_slice(&(code.len() as u64).to_le_bytes()); // p_memsz
    v.extend_from_slice(&4u64.to_le_bytes()); // p_align
    v.extend_from_slice(code);
    v
}

/// A minimal ELF32 RISC-V executable (RV32: not ours).
fn elf32_riscv() -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&[0x7f, b'E', b'L', b'F', 1, 1, 1, 0]); // ELFCLASS32
    v.extend_from_slice(&[0; 8]);
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&EM_RISCV.to_le_bytes());
    v.extend_from_slice(&1u32.to_le_bytes());
    v.extend_from_slice(&0x8000_0000u32.to_le_bytes()); // e_entry
    v.extend_from_slice(&52u32.to_le_bytes()); // e_phoff
    v.extend_from_slice(&0u32.to_le_bytes()); // e_shoff
    v.extend_from_slice(&0u32.to_le_bytes()); // e_flags
    v.extend_from_slice(&52u16.to_le_bytes()); // e_ehsize
    v.extend_from_slice(&32u16.to_le_bytes()); // e_phentsize
    v.extend_from_slice(&1u16.to_le_bytes()); // e_phnum
    v.extend_from_slice(&40u16.to_le_bytes());
    v.extend_from_slice(&0u16.to_le_bytes());
    v.extend_from_slice(&0u16.to_le_bytes());
    assert_eq!(v.len(), 52);
    for word in [1u32, 52 + 32, 0x8000_0000, 0x8000_0000, 4, 4, 5, 4] {
        v.extend_from_slice(&word.to_le_bytes());
    }
    v.extend_from_slice(&LOOP);
    v
}

/// `j .`
const LOOP: [u8; 4] = 0x0000_006fu32.to_le_bytes();

fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bad_elf_{name}"));
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    path
}

/// Runs `bytes` from a file and from memory; both must fail, and each message
/// must contain one of `words` (case-insensitive).
fn assert_rejected(name: &str, bytes: &[u8], words: &[&str]) {
    let cfg = RunConfig {
        max_cycles: 100_000,
        watchdog_cycles: 10_000,
        ..RunConfig::checked()
    };
    let path = write_tmp(name, bytes);
    let from_file = run_elf_file(&path, &cfg);
    let from_bytes = run_elf_bytes(bytes, &cfg);
    for (how, result) in [("file", from_file), ("bytes", from_bytes)] {
        match result {
            Ok(out) => panic!(
                "{name} ({how}) was accepted and ran: exit code {}",
                out.exit_code
            ),
            Err(e) => {
                let message = e.to_string();
                let lower = message.to_lowercase();
                assert!(
                    words.iter().any(|w| lower.contains(&w.to_lowercase())),
                    "{name} ({how}): the message should say what is wrong (one of {words:?}): {message}"
                );
            }
        }
    }
}

#[test]
fn not_an_elf() {
    assert_rejected(
        "text",
        b"this is not an ELF file\n",
        &["not an elf", "magic", "elf"],
    );
}

#[test]
fn empty_file() {
    assert_rejected("empty", b"", &["empty", "too short", "truncated", "elf"]);
}

#[test]
fn truncated_header() {
    let good = elf64(EM_RISCV, 0x8000_0000, &LOOP);
    assert_rejected(
        "truncated_header",
        &good[..40],
        &["truncat", "too short", "short", "header", "eof"],
    );
}

#[test]
fn truncated_segment() {
    // The header and program header are intact; the segment's bytes are cut off.
    let mut code = LOOP.to_vec();
    code.extend_from_slice(&[0; 252]);
    let good = elf64(EM_RISCV, 0x8000_0000, &code);
    let cut = &good[..good.len() - 200];
    assert_rejected(
        "truncated_segment",
        cut,
        &[
            "truncat",
            "short",
            "beyond",
            "out of bounds",
            "past the end",
            "segment",
            "eof",
        ],
    );
}

#[test]
fn elf32() {
    assert_rejected(
        "elf32",
        &elf32_riscv(),
        &["32-bit", "elf32", "class", "64-bit", "elf64", "rv32"],
    );
}

#[test]
fn x86_64_elf() {
    assert_rejected(
        "x86_64",
        &elf64(EM_X86_64, 0x8000_0000, &LOOP),
        &["machine", "risc-v", "riscv", "x86"],
    );
}

#[test]
fn segment_outside_memory() {
    // 0x4000_0000 is not backed by anything (DESIGN.md §3 memory map).
    assert_rejected(
        "outside_memory",
        &elf64(EM_RISCV, 0x4000_0000, &LOOP),
        &["40000000", "outside", "memory", "not mapped", "unmapped"],
    );
}

#[test]
fn missing_file() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bad_elf_does_not_exist.elf");
    let err = match run_elf_file(&path, &RunConfig::checked()) {
        Ok(out) => panic!("a missing file ran: exit code {}", out.exit_code),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("bad_elf_does_not_exist.elf"),
        "the message should name the file: {err}"
    );
}

/// The generator itself is right: a well-formed image of the same shape runs.
#[test]
fn well_formed_minimal_image_is_accepted_until_the_watchdog() {
    let cfg = RunConfig {
        max_cycles: 100_000,
        watchdog_cycles: 10_000,
        ..RunConfig::checked()
    };
    match run_elf_bytes(&elf64(EM_RISCV, 0x8000_0000, &LOOP), &cfg) {
        Ok(out) => panic!("`j .` finished with exit code {}", out.exit_code),
        Err(e) => {
            let message = e.to_string().to_lowercase();
            assert!(
                message.contains("watchdog") || message.contains("cycle"),
                "a valid image must load and then hang: {e}"
            );
        }
    }
}
