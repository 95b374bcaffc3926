//! Loads a RISC-V ELF64 executable: every PT_LOAD segment at its physical address,
//! zero-filled beyond its file size; the entry point becomes the reset vector.

use crate::memory::{PhysAddr, SystemBus};
use object::elf::{FileHeader64, ELFCLASS64, ELFDATA2LSB, EM_RISCV, ET_EXEC, PT_LOAD};
use object::read::elf::{FileHeader, ProgramHeader};
use object::{Endianness, Object, ObjectSymbol};
use std::collections::BTreeMap;

/// What is wrong with an ELF image, and where.
#[derive(Debug, thiserror::Error)]
pub enum ElfError {
    #[error("not an ELF file (the first bytes are not \\x7fELF)")]
    NotElf,
    #[error("ELF class {0}, expected ELF64 (class 2)")]
    WrongClass(u8),
    #[error("big-endian ELF, expected little-endian RISC-V")]
    BigEndian,
    #[error("ELF machine {0}, expected RISC-V (243)")]
    WrongMachine(u16),
    #[error("ELF type {0}, expected an executable (ET_EXEC = 2)")]
    NotExecutable(u16),
    #[error("malformed ELF: {0}")]
    Malformed(String),
    #[error("segment {index} [{start:#x}, {end:#x}) lies outside memory (DRAM and pmem)")]
    OutsideMemory { index: usize, start: u64, end: u64 },
    #[error("segment {index} has file size {filesz:#x} larger than its memory size {memsz:#x}")]
    FileLargerThanMemory {
        index: usize,
        filesz: u64,
        memsz: u64,
    },
    #[error("the ELF has no PT_LOAD segment: nothing to run")]
    NothingToLoad,
    #[error("entry point {0:#x} is not inside a loaded segment")]
    EntryOutsideSegments(u64),
}

/// A loaded program.
#[derive(Clone, Debug)]
pub struct LoadedElf {
    pub entry: u64,
    /// Address of the HTIF `tohost` symbol, when the program has one.
    pub tohost: Option<u64>,
    /// Address of the HTIF `fromhost` symbol, when the program has one.
    pub fromhost: Option<u64>,
    symbols: BTreeMap<String, u64>,
}

impl LoadedElf {
    /// The address of a symbol of the ELF's symbol table.
    pub fn symbol(&self, name: &str) -> Option<u64> {
        self.symbols.get(name).copied()
    }
}

/// Checks the identification of `bytes` before parsing, so that the common mistakes
/// get a precise message rather than a parser error.
fn check_ident(bytes: &[u8]) -> Result<(), ElfError> {
    if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
        return Err(ElfError::NotElf);
    }
    let class = *bytes
        .get(4)
        .ok_or_else(|| ElfError::Malformed("truncated identification".into()))?;
    if class != ELFCLASS64.0 {
        return Err(ElfError::WrongClass(class));
    }
    let data = *bytes
        .get(5)
        .ok_or_else(|| ElfError::Malformed("truncated identification".into()))?;
    if data != ELFDATA2LSB.0 {
        return Err(ElfError::BigEndian);
    }
    Ok(())
}

/// Loads `bytes` into `bus`.
pub fn load_elf(bytes: &[u8], bus: &mut SystemBus) -> Result<LoadedElf, ElfError> {
    check_ident(bytes)?;
    let malformed = |e: object::read::Error| ElfError::Malformed(e.to_string());
    let header = FileHeader64::<Endianness>::parse(bytes).map_err(malformed)?;
    let endian = header.endian().map_err(malformed)?;
    if header.e_machine(endian) != EM_RISCV {
        return Err(ElfError::WrongMachine(header.e_machine(endian).0));
    }
    if header.e_type(endian) != ET_EXEC {
        return Err(ElfError::NotExecutable(header.e_type(endian).0));
    }
    let entry = header.e_entry(endian);

    let mut loaded_any = false;
    let mut entry_loaded = false;
    for (index, ph) in header
        .program_headers(endian, bytes)
        .map_err(malformed)?
        .iter()
        .enumerate()
    {
        if ph.p_type(endian) != PT_LOAD {
            continue;
        }
        let start = ph.p_paddr(endian);
        let memsz = ph.p_memsz(endian);
        let filesz = ph.p_filesz(endian);
        if filesz > memsz {
            return Err(ElfError::FileLargerThanMemory {
                index,
                filesz,
                memsz,
            });
        }
        if memsz == 0 {
            continue;
        }
        let end = start.checked_add(memsz).ok_or(ElfError::OutsideMemory {
            index,
            start,
            end: u64::MAX,
        })?;
        if bus
            .map()
            .memory_containing(PhysAddr(start), memsz)
            .is_none()
        {
            return Err(ElfError::OutsideMemory { index, start, end });
        }
        let data = ph.data(endian, bytes).map_err(|_| {
            ElfError::Malformed(format!(
                "segment {index}: file data lies beyond the end of the file"
            ))
        })?;
        let outside = |_| ElfError::OutsideMemory { index, start, end };
        bus.write_bytes(PhysAddr(start), data).map_err(outside)?;
        bus.zero_bytes(PhysAddr(start + filesz), memsz - filesz)
            .map_err(outside)?;
        loaded_any = true;
        // The entry is a virtual address; for our bare-metal images vaddr == paddr.
        let vstart = ph.p_vaddr(endian);
        entry_loaded |= entry >= vstart && entry < vstart + memsz;
    }
    if !loaded_any {
        return Err(ElfError::NothingToLoad);
    }
    if !entry_loaded {
        return Err(ElfError::EntryOutsideSegments(entry));
    }

    let file = object::File::parse(bytes).map_err(malformed)?;
    let symbols: BTreeMap<String, u64> = file
        .symbols()
        .filter_map(|s| Some((s.name().ok()?.to_string(), s.address())))
        .filter(|(name, _)| !name.is_empty())
        .collect();
    Ok(LoadedElf {
        entry,
        tohost: symbols.get("tohost").copied(),
        fromhost: symbols.get("fromhost").copied(),
        symbols,
    })
}
