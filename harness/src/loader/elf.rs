//! ELF loading: RISC-V ELF64 little-endian executables, copied segment by segment
//! into DRAM/pmem by physical address, with the symbols kept for later look-ups
//! (HTIF's `tohost`/`fromhost`, the firmware's configuration block).
//!
//! Everything is checked before anything is written, so a rejected file leaves
//! memory untouched.

use crate::devices::Htif;
use crate::memory::{PhysAddr, SystemBus};
use object::elf::{self, FileHeader64};
use object::read::elf::{FileHeader as _, ProgramHeader as _, SectionHeader as _, Sym as _};
use object::LittleEndian;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What is wrong with an ELF file, and where.
#[derive(Debug, Error)]
pub enum ElfError {
    #[error("cannot read {}: {reason}", path.display())]
    Io {
        path: PathBuf,
        reason: std::io::Error,
    },
    #[error("not an ELF file (no \\x7fELF magic at offset 0)")]
    NotElf,
    #[error("ELF class {}, expected ELF64", class_name(*found))]
    Class { found: u8 },
    #[error("{} ELF, expected little-endian", data_name(*found))]
    Endianness { found: u8 },
    #[error("machine {}, expected RISC-V (EM_RISCV, 243)", machine_name(*found))]
    Machine { found: u16 },
    #[error("type {}, expected ET_EXEC (a statically linked executable)", type_name(*found))]
    Type { found: u16 },
    #[error("malformed ELF {what}: {detail}")]
    Malformed { what: &'static str, detail: String },
    #[error("segment {index}: file bytes [{offset:#x}, +{filesz:#x}) lie past the end of the {file_len}-byte file")]
    SegmentTruncated {
        index: usize,
        offset: u64,
        filesz: u64,
        file_len: usize,
    },
    #[error("segment {index}: file size {filesz:#x} exceeds memory size {memsz:#x}")]
    SegmentSizes {
        index: usize,
        filesz: u64,
        memsz: u64,
    },
    #[error("segment {index} [{start:#x}, {end:#x}) lies outside memory ({regions})")]
    SegmentOutsideMemory {
        index: usize,
        start: u64,
        /// One past the end; saturates on overflow.
        end: u64,
        regions: String,
    },
    #[error("no PT_LOAD segment: nothing to load")]
    NothingToLoad,
    #[error("symbol `{name}` at {addr} is not inside DRAM or pmem")]
    SymbolOutsideMemory { name: &'static str, addr: PhysAddr },
    #[error("entry point {entry:#x} is not inside a loaded segment")]
    EntryOutsideSegments { entry: u64 },
    #[error("symbol `{name}` is not defined, or smaller than {len} bytes, or not backed by file bytes of a PT_LOAD segment")]
    SymbolNotPatchable { name: String, len: usize },
}

// e_ident layout and values (System V gABI); stable for decades, so spelled out here
// rather than tied to one version of `object`'s typed constants.
const EI_CLASS: usize = 4;
const EI_DATA: usize = 5;
const EI_NIDENT: usize = 16;
const ELFCLASS32: u8 = 1;
const ELFCLASS64: u8 = 2;
const ELFDATA2LSB: u8 = 1;
const ELFDATA2MSB: u8 = 2;
const EM_RISCV: u16 = 243;
const ET_EXEC: u16 = 2;

fn class_name(class: u8) -> String {
    match class {
        ELFCLASS32 => "32".into(),
        ELFCLASS64 => "64".into(),
        n => format!("{n} (invalid)"),
    }
}

fn data_name(data: u8) -> String {
    match data {
        ELFDATA2MSB => "big-endian".into(),
        n => format!("data encoding {n} (invalid)"),
    }
}

fn machine_name(machine: u16) -> String {
    let name = match machine {
        0 => "none",
        3 => "x86",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        40 => "ARM",
        62 => "x86-64",
        183 => "AArch64",
        243 => "RISC-V",
        258 => "LoongArch",
        _ => return format!("{machine}"),
    };
    format!("{name} ({machine})")
}

fn type_name(ty: u16) -> String {
    match ty {
        0 => "ET_NONE".into(),
        1 => "ET_REL".into(),
        2 => "ET_EXEC".into(),
        3 => "ET_DYN".into(),
        4 => "ET_CORE".into(),
        n => format!("{n:#x}"),
    }
}

/// One named symbol of the ELF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElfSymbol {
    /// `st_value`, a link-time (virtual) address.
    pub value: u64,
    /// Where it sits in physical memory: `value` moved by the load offset
    /// (`p_paddr - p_vaddr`) of the segment that holds it, or `value` itself.
    pub addr: PhysAddr,
    /// `st_size`.
    pub size: u64,
}

/// A PT_LOAD segment as it was loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadedSegment {
    /// Index in the program header table.
    pub index: usize,
    pub vaddr: u64,
    pub paddr: PhysAddr,
    pub filesz: u64,
    pub memsz: u64,
}

/// What the loader learnt from an ELF it loaded. Addresses are physical (see
/// [`ElfSymbol::addr`]).
#[derive(Clone, Debug)]
pub struct LoadedElf {
    /// The entry point, inside a loaded segment: the reset vector.
    pub entry: u64,
    pub segments: Vec<LoadedSegment>,
    /// HTIF mailboxes, when the ELF defines them (checked to be in memory).
    pub tohost: Option<u64>,
    pub fromhost: Option<u64>,
    symbols: HashMap<String, ElfSymbol>,
}

impl LoadedElf {
    /// The physical address of the symbol called `name`, if the ELF defines it.
    pub fn symbol(&self, name: &str) -> Option<u64> {
        self.symbols.get(name).map(|s| s.addr.raw())
    }

    /// Everything known about the symbol called `name` (link-time value, size).
    pub fn symbol_info(&self, name: &str) -> Option<&ElfSymbol> {
        self.symbols.get(name)
    }

    /// HTIF for this program, when it has a `tohost`.
    pub fn htif(&self) -> Option<Htif> {
        self.tohost
            .map(|t| Htif::new(PhysAddr(t), self.fromhost.map(PhysAddr)))
    }
}

/// The largest program file read where no memory map bounds it: DRAM's default
/// size plus pmem's largest.
pub const MAX_IMAGE_SIZE: u64 =
    crate::memory::region::DRAM_DEFAULT_SIZE + crate::memory::region::MAX_REGION_SIZE;

/// Reads a program file of at most `limit` bytes (what the memory can hold: a larger
/// file cannot be a program for it), with the error saying which file and why.
pub fn read_image(path: &Path, limit: u64) -> Result<Vec<u8>, ElfError> {
    crate::input::read_bounded(path, limit).map_err(|reason| ElfError::Io {
        path: path.to_path_buf(),
        reason,
    })
}

/// Reads the file at `path` and loads it; see [`load_elf`].
pub fn load_elf_file(path: &Path, bus: &mut SystemBus) -> Result<LoadedElf, ElfError> {
    load_elf(&read_image(path, bus.map().capacity())?, bus)
}

/// Checks `image` and copies its PT_LOAD segments into `bus` at their physical
/// addresses, zero-filling `memsz` beyond `filesz`.
pub fn load_elf(image: &[u8], bus: &mut SystemBus) -> Result<LoadedElf, ElfError> {
    // The identification bytes first, so that a wrong kind of file gets a precise
    // message rather than a parse error.
    if image.len() < 4 || image[..4] != elf::ELFMAG {
        return Err(ElfError::NotElf);
    }
    if image.len() < EI_NIDENT {
        return Err(malformed(
            "header",
            format!("the file is only {} bytes long", image.len()),
        ));
    }
    if image[EI_CLASS] != ELFCLASS64 {
        return Err(ElfError::Class {
            found: image[EI_CLASS],
        });
    }
    if image[EI_DATA] != ELFDATA2LSB {
        return Err(ElfError::Endianness {
            found: image[EI_DATA],
        });
    }
    let header = FileHeader64::<LittleEndian>::parse(image).map_err(|e| malformed("header", e))?;
    let endian = LittleEndian;
    let machine = header.e_machine(endian).0;
    if machine != EM_RISCV {
        return Err(ElfError::Machine { found: machine });
    }
    let ty = header.e_type(endian).0;
    if ty != ET_EXEC {
        return Err(ElfError::Type { found: ty });
    }

    let phdrs = header
        .program_headers(endian, image)
        .map_err(|e| malformed("program header table", e))?;
    let mut loads = Vec::new();
    for (index, ph) in phdrs.iter().enumerate() {
        if ph.p_type(endian) != elf::PT_LOAD {
            continue;
        }
        let (offset, filesz) = ph.file_range(endian);
        let memsz = ph.p_memsz(endian);
        let data = ph
            .data(endian, image)
            .map_err(|()| ElfError::SegmentTruncated {
                index,
                offset,
                filesz,
                file_len: image.len(),
            })?;
        if filesz > memsz {
            return Err(ElfError::SegmentSizes {
                index,
                filesz,
                memsz,
            });
        }
        let paddr = PhysAddr(ph.p_paddr(endian));
        if memsz > 0 && bus.map().memory_containing(paddr, memsz).is_none() {
            let m = bus.map();
            return Err(ElfError::SegmentOutsideMemory {
                index,
                start: paddr.raw(),
                end: paddr.raw().saturating_add(memsz),
                regions: format!("{}, {}", m.dram, m.pmem),
            });
        }
        let seg = LoadedSegment {
            index,
            vaddr: ph.p_vaddr(endian),
            paddr,
            filesz,
            memsz,
        };
        loads.push((seg, data));
    }
    if loads.is_empty() {
        return Err(ElfError::NothingToLoad);
    }
    let segments: Vec<LoadedSegment> = loads.iter().map(|(s, _)| *s).collect();
    let symbols = read_symbols(header, image, &segments)?;
    let link_entry = header.e_entry(endian);
    if !segments
        .iter()
        .any(|s| link_entry.wrapping_sub(s.vaddr) < s.memsz)
    {
        return Err(ElfError::EntryOutsideSegments { entry: link_entry });
    }
    let entry = to_physical(link_entry, &segments).raw();

    let find = |name: &'static str| -> Result<Option<u64>, ElfError> {
        match symbols.get(name) {
            Some(s) if bus.map().memory_containing(s.addr, 8).is_none() => {
                Err(ElfError::SymbolOutsideMemory { name, addr: s.addr })
            }
            Some(s) => Ok(Some(s.addr.raw())),
            None => Ok(None),
        }
    };
    let (tohost, fromhost) = match (find("tohost")?, find("fromhost")?) {
        (None, None) => htif_section(header, image, &segments, bus)?,
        found => found,
    };

    // All checked: now write.
    for (seg, data) in &loads {
        // Both ranges were checked against the map above.
        let bss = seg.paddr + seg.filesz;
        bus.write_bytes(seg.paddr, data)
            .and_then(|()| bus.zero_bytes(bss, seg.memsz - seg.filesz))
            .expect("segment range checked against the memory map");
    }
    Ok(LoadedElf {
        entry,
        segments,
        tohost,
        fromhost,
        symbols,
    })
}

/// Overwrites the file bytes that initialize the symbol `name` with `bytes` (at most
/// the symbol's size), so that the program starts with that value wherever the image
/// is loaded — by this loader or by another simulator.
pub fn patch_symbol(image: &mut [u8], name: &str, bytes: &[u8]) -> Result<(), ElfError> {
    let endian = LittleEndian;
    let not_patchable = || ElfError::SymbolNotPatchable {
        name: name.to_string(),
        len: bytes.len(),
    };
    let offset = {
        let header =
            FileHeader64::<LittleEndian>::parse(&*image).map_err(|e| malformed("header", e))?;
        let sections = header
            .sections(endian, &*image)
            .map_err(|e| malformed("section header table", e))?;
        let symtab = sections
            .symbols(endian, &*image, elf::SHT_SYMTAB)
            .map_err(|e| malformed("symbol table", e))?;
        let sym = symtab
            .iter()
            .find(|s| {
                !s.is_undefined(endian) && s.name(endian, symtab.strings()) == Ok(name.as_bytes())
            })
            .filter(|s| s.st_size(endian) >= bytes.len() as u64)
            .ok_or_else(not_patchable)?;
        let value = sym.st_value(endian);
        let phdrs = header
            .program_headers(endian, &*image)
            .map_err(|e| malformed("program header table", e))?;
        phdrs
            .iter()
            .filter(|ph| ph.p_type(endian) == elf::PT_LOAD)
            .find_map(|ph| {
                let (offset, filesz) = ph.file_range(endian);
                let at = value.checked_sub(ph.p_vaddr(endian))?;
                (at.checked_add(bytes.len() as u64)? <= filesz).then_some(offset + at)
            })
            .ok_or_else(not_patchable)?
    };
    let start = usize::try_from(offset).map_err(|_| not_patchable())?;
    image
        .get_mut(start..start + bytes.len())
        .ok_or_else(not_patchable)?
        .copy_from_slice(bytes);
    Ok(())
}

fn malformed(what: &'static str, detail: impl ToString) -> ElfError {
    ElfError::Malformed {
        what,
        detail: detail.to_string(),
    }
}

/// A link-time address moved to where its segment was loaded.
fn to_physical(vaddr: u64, segments: &[LoadedSegment]) -> PhysAddr {
    segments
        .iter()
        .find(|s| vaddr.wrapping_sub(s.vaddr) < s.memsz)
        .map(|s| s.paddr + (vaddr - s.vaddr))
        .unwrap_or(PhysAddr(vaddr))
}

/// HTIF's mailboxes from a `.htif` section, for a stripped firmware (Debian's OpenSBI
/// keeps its HTIF words there): `fromhost` is its first 8 bytes, `tohost` the next 8,
/// as OpenSBI's HTIF driver lays them out. `(None, None)` without such a section.
fn htif_section(
    header: &FileHeader64<LittleEndian>,
    image: &[u8],
    segments: &[LoadedSegment],
    bus: &SystemBus,
) -> Result<(Option<u64>, Option<u64>), ElfError> {
    let endian = LittleEndian;
    let sections = header
        .sections(endian, image)
        .map_err(|e| malformed("section header table", e))?;
    let Some((_, section)) = sections.section_by_name(endian, b".htif") else {
        return Ok((None, None));
    };
    if section.sh_size(endian) < 16 {
        return Err(malformed(
            "section .htif",
            format!(
                "{} bytes, fewer than fromhost and tohost need (16)",
                section.sh_size(endian)
            ),
        ));
    }
    let fromhost = to_physical(section.sh_addr(endian), segments);
    if bus.map().memory_containing(fromhost, 16).is_none() {
        return Err(ElfError::SymbolOutsideMemory {
            name: ".htif",
            addr: fromhost,
        });
    }
    Ok((Some(fromhost.raw() + 8), Some(fromhost.raw())))
}

/// The named, defined symbols of `.symtab` (none if the file is stripped).
fn read_symbols(
    header: &FileHeader64<LittleEndian>,
    image: &[u8],
    segments: &[LoadedSegment],
) -> Result<HashMap<String, ElfSymbol>, ElfError> {
    let endian = LittleEndian;
    let sections = header
        .sections(endian, image)
        .map_err(|e| malformed("section header table", e))?;
    let symtab = sections
        .symbols(endian, image, elf::SHT_SYMTAB)
        .map_err(|e| malformed("symbol table", e))?;
    let mut symbols = HashMap::new();
    for sym in symtab.iter() {
        let kind = sym.st_type();
        if sym.is_undefined(endian) || kind == elf::STT_SECTION || kind == elf::STT_FILE {
            continue;
        }
        let name = sym
            .name(endian, symtab.strings())
            .map_err(|e| malformed("symbol name", e))?;
        if name.is_empty() {
            continue;
        }
        let value = sym.st_value(endian);
        let entry = ElfSymbol {
            value,
            addr: to_physical(value, segments),
            size: sym.st_size(endian),
        };
        let name = String::from_utf8_lossy(name).into_owned();
        // A global definition wins over a local one of the same name (static
        // variables in several files); otherwise the first one stays.
        let global = sym.st_bind() != elf::STB_LOCAL;
        if global {
            symbols.insert(name, entry);
        } else {
            symbols.entry(name).or_insert(entry);
        }
    }
    Ok(symbols)
}

#[cfg(test)]
#[path = "elf_tests.rs"]
mod tests;
