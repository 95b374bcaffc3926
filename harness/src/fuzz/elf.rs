//! Wraps a generated program into an ELF64 executable the loader takes like any other.

use super::program::{Program, CODE_BASE, DATA_BASE};
use object::elf::{EM_RISCV, ET_EXEC, PF_R, PF_W, PF_X, PT_LOAD};
use object::write::elf::{FileHeader, ProgramHeader, Writer};
use object::Endianness;

pub fn to_elf(program: &Program) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = Writer::new(Endianness::Little, true, &mut out);
    w.reserve_file_header();
    let mut segments = vec![(CODE_BASE, &program.code), (DATA_BASE, &program.data)];
    segments.extend(program.more.iter().map(|(addr, bytes)| (*addr, bytes)));
    w.reserve_program_headers(segments.len() as u32);
    let offsets: Vec<u64> = segments
        .iter()
        .map(|(_, bytes)| w.reserve(bytes.len() as u64, 8))
        .collect();
    w.write_file_header(&FileHeader {
        os_abi: object::elf::OsAbi(0),
        abi_version: 0,
        e_type: ET_EXEC,
        e_machine: EM_RISCV,
        e_entry: CODE_BASE,
        e_flags: object::elf::FileFlags(0x1), // RVC
    })
    .expect("in-memory ELF header");
    w.write_align_program_headers();
    for (&offset, &(addr, bytes)) in offsets.iter().zip(&segments) {
        let flags = if addr == CODE_BASE {
            PF_R | PF_X
        } else {
            PF_R | PF_W
        };
        w.write_program_header(&ProgramHeader {
            p_type: PT_LOAD,
            p_flags: flags,
            p_offset: offset,
            p_vaddr: addr,
            p_paddr: addr,
            p_filesz: bytes.len() as u64,
            p_memsz: bytes.len() as u64,
            p_align: 8,
        });
    }
    for (_, bytes) in &segments {
        w.write_align(8);
        w.write(bytes);
    }
    out
}
