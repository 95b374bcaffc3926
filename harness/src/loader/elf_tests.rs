//! Loader tests over ELF images assembled byte by byte here.

use super::*;
use crate::memory::MemoryMap;

const DRAM: u64 = 0x8000_0000;
const PMEM: u64 = 0x1_0000_0000;

struct Seg {
    ptype: u32,
    vaddr: u64,
    paddr: u64,
    data: Vec<u8>,
    memsz: u64,
}

fn load(vaddr: u64, paddr: u64, data: &[u8], memsz: u64) -> Seg {
    Seg {
        ptype: 1,
        vaddr,
        paddr,
        data: data.to_vec(),
        memsz,
    }
}

/// A minimal ELF64: header, program headers, segment bytes, then `.symtab`,
/// `.strtab`, `.shstrtab` and the section headers last (so that any truncation
/// cuts something the loader needs).
struct Spec {
    class: u8,
    encoding: u8,
    etype: u16,
    machine: u16,
    entry: u64,
    segs: Vec<Seg>,
    /// (name, value, size, st_info)
    syms: Vec<(&'static str, u64, u64, u8)>,
}

impl Spec {
    fn new(segs: Vec<Seg>) -> Self {
        Self {
            class: 2,
            encoding: 1,
            etype: 2,
            machine: 243,
            entry: DRAM,
            segs,
            syms: Vec::new(),
        }
    }

    fn build(&self) -> Vec<u8> {
        let mut out = vec![0u8; 64 + 56 * self.segs.len()];
        let mut offsets = Vec::new();
        for s in &self.segs {
            offsets.push(out.len() as u64);
            out.extend_from_slice(&s.data);
        }
        // Symbols: index 0 is the null symbol.
        let mut strtab = vec![0u8];
        let mut symtab = vec![0u8; 24];
        for &(name, value, size, info) in &self.syms {
            let name_off = strtab.len() as u32;
            strtab.extend_from_slice(name.as_bytes());
            strtab.push(0);
            symtab.extend_from_slice(&name_off.to_le_bytes());
            symtab.push(info);
            symtab.push(0);
            symtab.extend_from_slice(&0xfff1u16.to_le_bytes()); // SHN_ABS
            symtab.extend_from_slice(&value.to_le_bytes());
            symtab.extend_from_slice(&size.to_le_bytes());
        }
        let shstrtab = b"\0.symtab\0.strtab\0.shstrtab\0".to_vec();
        let symtab_off = out.len() as u64;
        out.extend_from_slice(&symtab);
        let strtab_off = out.len() as u64;
        out.extend_from_slice(&strtab);
        let shstrtab_off = out.len() as u64;
        out.extend_from_slice(&shstrtab);
        while !out.len().is_multiple_of(8) {
            out.push(0);
        }
        let shoff = out.len() as u64;
        // (name, type, offset, size, link, info, entsize)
        let sections: [(u32, u32, u64, u64, u32, u32, u64); 4] = [
            (0, 0, 0, 0, 0, 0, 0),
            (1, 2, symtab_off, symtab.len() as u64, 2, 1, 24),
            (9, 3, strtab_off, strtab.len() as u64, 0, 0, 0),
            (17, 3, shstrtab_off, shstrtab.len() as u64, 0, 0, 0),
        ];
        for (name, ty, off, size, link, info, entsize) in sections {
            out.extend_from_slice(&name.to_le_bytes());
            out.extend_from_slice(&ty.to_le_bytes());
            out.extend_from_slice(&0u64.to_le_bytes()); // flags
            out.extend_from_slice(&0u64.to_le_bytes()); // addr
            out.extend_from_slice(&off.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&link.to_le_bytes());
            out.extend_from_slice(&info.to_le_bytes());
            out.extend_from_slice(&1u64.to_le_bytes()); // addralign
            out.extend_from_slice(&entsize.to_le_bytes());
        }

        let h = &mut out[..64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = self.class;
        h[5] = self.encoding;
        h[6] = 1; // EV_CURRENT
        h[16..18].copy_from_slice(&self.etype.to_le_bytes());
        h[18..20].copy_from_slice(&self.machine.to_le_bytes());
        h[20..24].copy_from_slice(&1u32.to_le_bytes());
        h[24..32].copy_from_slice(&self.entry.to_le_bytes());
        h[32..40].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
        h[40..48].copy_from_slice(&shoff.to_le_bytes());
        h[52..54].copy_from_slice(&64u16.to_le_bytes()); // e_ehsize
        h[54..56].copy_from_slice(&56u16.to_le_bytes());
        h[56..58].copy_from_slice(&(self.segs.len() as u16).to_le_bytes());
        h[58..60].copy_from_slice(&64u16.to_le_bytes());
        h[60..62].copy_from_slice(&4u16.to_le_bytes()); // e_shnum
        h[62..64].copy_from_slice(&3u16.to_le_bytes()); // e_shstrndx
        for (i, s) in self.segs.iter().enumerate() {
            let p = &mut out[64 + 56 * i..64 + 56 * (i + 1)];
            p[0..4].copy_from_slice(&s.ptype.to_le_bytes());
            p[4..8].copy_from_slice(&7u32.to_le_bytes()); // RWX
            p[8..16].copy_from_slice(&offsets[i].to_le_bytes());
            p[16..24].copy_from_slice(&s.vaddr.to_le_bytes());
            p[24..32].copy_from_slice(&s.paddr.to_le_bytes());
            p[32..40].copy_from_slice(&(s.data.len() as u64).to_le_bytes());
            p[40..48].copy_from_slice(&s.memsz.to_le_bytes());
            p[48..56].copy_from_slice(&8u64.to_le_bytes());
        }
        out
    }
}

const GLOBAL_OBJECT: u8 = 0x11;
const LOCAL_OBJECT: u8 = 0x01;

/// A riscv-tests-like program: text, data with tohost/fromhost, bss, and a pmem
/// segment.
fn program() -> Spec {
    let mut spec = Spec::new(vec![
        load(DRAM, DRAM, &[0x13, 0, 0, 0, 0x6f, 0, 0, 0], 8),
        load(DRAM + 0x1000, DRAM + 0x1000, &[1, 2, 3, 4], 0x2000),
        Seg {
            ptype: 4, // PT_NOTE: not loaded
            vaddr: 0,
            paddr: 0,
            data: vec![9; 4],
            memsz: 4,
        },
        load(PMEM + 0x10, PMEM + 0x10, &[0xaa; 3], 3),
    ]);
    spec.entry = DRAM + 4;
    spec.syms = vec![
        ("tohost", DRAM + 0x1000, 8, GLOBAL_OBJECT),
        ("fromhost", DRAM + 0x1040, 8, GLOBAL_OBJECT),
        ("config", DRAM + 0x1100, 64, GLOBAL_OBJECT),
        ("helper", DRAM + 0x1200, 4, LOCAL_OBJECT),
        ("helper", DRAM + 0x1300, 4, GLOBAL_OBJECT),
    ];
    spec
}

fn bus() -> SystemBus {
    SystemBus::new(MemoryMap::default())
}

fn bytes(bus: &SystemBus, addr: u64, len: usize) -> Vec<u8> {
    let mut v = vec![0; len];
    bus.read_bytes(PhysAddr(addr), &mut v).unwrap();
    v
}

fn err(image: &[u8]) -> String {
    let mut b = bus();
    let e = load_elf(image, &mut b).unwrap_err().to_string();
    assert_eq!(
        b.dram().resident_pages() + b.pmem().resident_pages(),
        0,
        "{e}"
    );
    e
}

#[test]
fn loads_segments_with_zero_fill() {
    let mut b = bus();
    // Stale data where the bss will go must be cleared.
    b.write_bytes(PhysAddr(DRAM + 0x1800), &[0xff; 16]).unwrap();
    let elf = load_elf(&program().build(), &mut b).unwrap();
    assert_eq!(elf.entry, DRAM + 4);
    assert_eq!(bytes(&b, DRAM, 8), [0x13, 0, 0, 0, 0x6f, 0, 0, 0]);
    assert_eq!(bytes(&b, DRAM + 0x1000, 6), [1, 2, 3, 4, 0, 0]);
    assert_eq!(bytes(&b, DRAM + 0x1800, 16), [0; 16]);
    assert_eq!(bytes(&b, PMEM + 0x10, 4), [0xaa, 0xaa, 0xaa, 0]);
    let idx: Vec<usize> = elf.segments.iter().map(|s| s.index).collect();
    assert_eq!(idx, [0, 1, 3]);
    assert_eq!(elf.segments[1].memsz, 0x2000);
    // The zero fill did not allocate untouched pages: DRAM pages 0, 1 (data) and the
    // one that held stale data.
    assert_eq!(b.dram().resident_pages(), 2);
}

#[test]
fn symbols_and_htif() {
    let mut b = bus();
    let elf = load_elf(&program().build(), &mut b).unwrap();
    assert_eq!(elf.tohost, Some(DRAM + 0x1000));
    assert_eq!(elf.fromhost, Some(DRAM + 0x1040));
    assert_eq!(elf.symbol("config"), Some(DRAM + 0x1100));
    assert_eq!(elf.symbol_info("config").unwrap().size, 64);
    assert_eq!(elf.symbol("helper"), Some(DRAM + 0x1300));
    assert_eq!(elf.symbol("nope"), None);
    assert_eq!(
        elf.htif(),
        Some(Htif::new(
            PhysAddr(DRAM + 0x1000),
            Some(PhysAddr(DRAM + 0x1040))
        ))
    );
    // Without symbols, no HTIF.
    let mut spec = program();
    spec.syms.clear();
    let elf = load_elf(&spec.build(), &mut bus()).unwrap();
    assert_eq!((elf.tohost, elf.htif()), (None, None));
}

#[test]
fn addresses_follow_the_load_offset() {
    // Linked at 0xffff_ffff_8000_0000, loaded at DRAM.
    let high = 0xffff_ffff_8000_0000;
    let mut spec = Spec::new(vec![load(high, DRAM, &[1; 16], 0x100)]);
    spec.entry = high + 8;
    spec.syms = vec![("tohost", high + 0x80, 8, GLOBAL_OBJECT)];
    let mut b = bus();
    let elf = load_elf(&spec.build(), &mut b).unwrap();
    assert_eq!(elf.entry, DRAM + 8);
    assert_eq!(elf.tohost, Some(DRAM + 0x80));
    assert_eq!(elf.symbol_info("tohost").unwrap().value, high + 0x80);
    assert_eq!(bytes(&b, DRAM, 2), [1, 1]);
}

#[test]
fn rejects_other_files() {
    assert_eq!(err(b""), "not an ELF file (no \\x7fELF magic at offset 0)");
    assert!(err(b"hello, world\n").starts_with("not an ELF file"));
    assert!(err(b"\x7fELF\x02").contains("only 5 bytes"));

    let mut spec = program();
    spec.class = 1;
    assert_eq!(err(&spec.build()), "ELF class 32, expected ELF64");
    let mut spec = program();
    spec.class = 7;
    assert!(err(&spec.build()).contains("class 7 (invalid)"));
    let mut spec = program();
    spec.encoding = 2;
    assert_eq!(err(&spec.build()), "big-endian ELF, expected little-endian");
    let mut spec = program();
    spec.machine = 62;
    assert_eq!(
        err(&spec.build()),
        "machine x86-64 (62), expected RISC-V (EM_RISCV, 243)"
    );
    let mut spec = program();
    spec.etype = 3;
    assert_eq!(
        err(&spec.build()),
        "type ET_DYN, expected ET_EXEC (a statically linked executable)"
    );
}

#[test]
fn rejects_segments_outside_memory() {
    let mut spec = program();
    spec.segs[1] = load(0x4000_0000, 0x4000_0000, &[1; 16], 16);
    let e = err(&spec.build());
    assert!(
        e.starts_with("segment 1 [0x40000000, 0x40000010) lies outside memory (DRAM [0x80000000, 0x90000000), pmem"),
        "{e}"
    );
    // Straddling the end of DRAM, by its bss.
    let mut spec = program();
    spec.segs[3] = load(0x8fff_fff0, 0x8fff_fff0, &[1; 16], 17);
    assert!(err(&spec.build()).starts_with("segment 3 [0x8ffffff0, 0x90000001)"));
    // SIMCTRL is not memory.
    let mut spec = program();
    spec.segs[0] = load(0x1000_0000, 0x1000_0000, &[1], 1);
    assert!(err(&spec.build()).starts_with("segment 0 "));
    // An address range that wraps.
    let mut spec = program();
    spec.segs[0] = load(0, u64::MAX - 4, &[1], 16);
    assert!(err(&spec.build()).contains("0xffffffffffffffff)"));
    // The pmem size is configurable: past a smaller pmem is outside.
    let mut small = SystemBus::new(MemoryMap::new(256 << 20, 4096).unwrap());
    let mut spec = program();
    spec.segs[3] = load(PMEM + 0x1000, PMEM + 0x1000, &[1], 1);
    assert!(load_elf(&spec.build(), &mut small).is_err());
}

#[test]
fn rejects_inconsistent_segments() {
    let mut spec = program();
    spec.segs[1].memsz = 2;
    assert_eq!(
        err(&spec.build()),
        "segment 1: file size 0x4 exceeds memory size 0x2"
    );
    let spec = Spec::new(vec![Seg {
        ptype: 4,
        vaddr: 0,
        paddr: 0,
        data: vec![],
        memsz: 0,
    }]);
    assert_eq!(err(&spec.build()), "no PT_LOAD segment: nothing to load");
    // A symbol table that puts tohost outside memory.
    let mut spec = program();
    spec.syms[0].1 = 0x10;
    assert_eq!(
        err(&spec.build()),
        "symbol `tohost` at 0x10 is not inside DRAM or pmem"
    );
    // An entry point that would execute nothing the ELF loaded.
    let mut spec = program();
    spec.entry = DRAM + 0x8000;
    assert_eq!(
        err(&spec.build()),
        "entry point 0x80008000 is not inside a loaded segment"
    );
}

#[test]
fn segment_data_past_the_end_of_the_file() {
    let mut image = program().build();
    // Point segment 1's file offset far away.
    let p = 64 + 56;
    image[p + 8..p + 16].copy_from_slice(&0x10_0000u64.to_le_bytes());
    let e = err(&image);
    assert!(
        e.starts_with("segment 1: file bytes [0x100000, +0x4) lie past the end"),
        "{e}"
    );
}

#[test]
fn truncated_files_are_errors_not_panics() {
    let image = program().build();
    for len in 0..image.len() {
        let mut b = bus();
        let r = load_elf(&image[..len], &mut b);
        assert!(r.is_err(), "a {len}-byte prefix loaded");
        assert_eq!(b.dram().resident_pages(), 0);
    }
    let e = err(&image[..100]);
    assert!(e.starts_with("malformed ELF program header table"), "{e}");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let good = program().build();
    let mut x = 0x1234_5678_9abc_def1u64;
    for round in 0..300 {
        let mut image = good.clone();
        // Corrupt a few bytes past the identification, where parsing gets hard.
        for _ in 0..1 + round % 8 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let at = 16 + (x as usize) % (image.len() - 16);
            image[at] = (x >> 32) as u8;
        }
        let _ = load_elf(&image, &mut bus());
    }
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(load_elf(&noise, &mut bus()).is_err());
}

#[test]
fn loads_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prog.elf");
    std::fs::write(&path, program().build()).unwrap();
    let mut b = bus();
    let elf = load_elf_file(&path, &mut b).unwrap();
    assert_eq!(elf.entry, DRAM + 4);
    let missing = dir.path().join("missing.elf");
    let e = load_elf_file(&missing, &mut b).unwrap_err().to_string();
    assert!(
        e.starts_with("cannot read ") && e.contains("missing.elf"),
        "{e}"
    );
}
