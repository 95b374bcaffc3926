//! The physical memory map behind the AXI port: where DRAM, pmem and the harness's
//! devices sit, and how large the memories are.

use super::addr::PhysAddr;
use crate::devices::simctrl::{SIMCTRL_BASE, SIMCTRL_SIZE};
use std::fmt;
use thiserror::Error;

/// Default DRAM base (DESIGN §3).
pub const DRAM_BASE: u64 = 0x8000_0000;
/// Default DRAM size: 256 MiB.
pub const DRAM_DEFAULT_SIZE: u64 = 256 << 20;
/// Default pmem base.
pub const PMEM_BASE: u64 = 0x1_0000_0000;
/// Default pmem size: 4 GiB.
pub const PMEM_DEFAULT_SIZE: u64 = 4 << 30;
/// Largest pmem (and DRAM) region the sparse backing supports: 1 TiB.
pub const MAX_REGION_SIZE: u64 = 1 << 40;
/// Region bases and sizes are multiples of this, so an aligned 8-byte beat is
/// always wholly inside or wholly outside a region.
pub const REGION_ALIGN: u64 = 4096;

/// What a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegionKind {
    Dram,
    Pmem,
    SimCtrl,
}

impl fmt::Display for RegionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RegionKind::Dram => "DRAM",
            RegionKind::Pmem => "pmem",
            RegionKind::SimCtrl => "SIMCTRL",
        })
    }
}

/// A range of physical addresses `[base, base + size)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub kind: RegionKind,
    pub base: PhysAddr,
    pub size: u64,
}

impl Region {
    /// One past the last address (the map checks that this does not overflow).
    pub fn end(&self) -> PhysAddr {
        self.base + self.size
    }

    /// The offset of `addr` in the region, if it is inside.
    #[inline]
    pub fn offset_of(&self, addr: PhysAddr) -> Option<u64> {
        let off = addr.raw().wrapping_sub(self.base.raw());
        (off < self.size).then_some(off)
    }

    /// True when `[addr, addr + len)` lies wholly inside the region.
    pub fn contains_range(&self, addr: PhysAddr, len: u64) -> bool {
        match self.offset_of(addr) {
            Some(off) => len <= self.size - off,
            None => false,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}, {})", self.kind, self.base, self.end())
    }
}

/// Sizes and places of the memories. DRAM and pmem bases are configurable for tests
/// and future SoCs; the defaults are the DESIGN §3 map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryMap {
    pub dram: Region,
    pub pmem: Region,
    pub simctrl: Region,
}

/// A memory map that cannot be built.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum MapError {
    #[error("{kind} size {size:#x} must be a non-zero multiple of 4 KiB and at most 1 TiB")]
    BadSize { kind: RegionKind, size: u64 },
    #[error("{kind} base {base} must be a multiple of 4 KiB")]
    BadBase { kind: RegionKind, base: PhysAddr },
    #[error("{kind} region runs past the end of the 64-bit address space")]
    Overflow { kind: RegionKind },
    #[error("{a} overlaps {b}")]
    Overlap { a: Region, b: Region },
}

impl Default for MemoryMap {
    fn default() -> Self {
        Self::new(DRAM_DEFAULT_SIZE, PMEM_DEFAULT_SIZE).expect("default map is valid")
    }
}

impl MemoryMap {
    /// The DESIGN §3 map with the given DRAM and pmem sizes.
    /// Bytes of memory (DRAM and pmem) a program can be loaded into.
    pub fn capacity(&self) -> u64 {
        self.dram.size + self.pmem.size
    }

    pub fn new(dram_size: u64, pmem_size: u64) -> Result<Self, MapError> {
        Self::with_bases(
            PhysAddr(DRAM_BASE),
            dram_size,
            PhysAddr(PMEM_BASE),
            pmem_size,
        )
    }

    /// A map with DRAM and pmem placed explicitly; SIMCTRL stays at its fixed address.
    pub fn with_bases(
        dram_base: PhysAddr,
        dram_size: u64,
        pmem_base: PhysAddr,
        pmem_size: u64,
    ) -> Result<Self, MapError> {
        let dram = checked_region(RegionKind::Dram, dram_base, dram_size)?;
        let pmem = checked_region(RegionKind::Pmem, pmem_base, pmem_size)?;
        let simctrl = Region {
            kind: RegionKind::SimCtrl,
            base: PhysAddr(SIMCTRL_BASE),
            size: SIMCTRL_SIZE,
        };
        let all = [dram, pmem, simctrl];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                if a.base < b.end() && b.base < a.end() {
                    return Err(MapError::Overlap { a: *a, b: *b });
                }
            }
        }
        Ok(Self {
            dram,
            pmem,
            simctrl,
        })
    }

    /// The memory (not device) regions, in address-decode priority order.
    pub fn memories(&self) -> [Region; 2] {
        [self.dram, self.pmem]
    }

    /// The memory region (DRAM or pmem) holding all of `[addr, addr + len)`, if any.
    pub fn memory_containing(&self, addr: PhysAddr, len: u64) -> Option<Region> {
        self.memories()
            .into_iter()
            .find(|r| r.contains_range(addr, len))
    }
}

fn checked_region(kind: RegionKind, base: PhysAddr, size: u64) -> Result<Region, MapError> {
    if size == 0 || !size.is_multiple_of(REGION_ALIGN) || size > MAX_REGION_SIZE {
        return Err(MapError::BadSize { kind, size });
    }
    if !base.is_aligned(REGION_ALIGN) {
        return Err(MapError::BadBase { kind, base });
    }
    if base.checked_add(size).is_none() {
        return Err(MapError::Overflow { kind });
    }
    Ok(Region { kind, base, size })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_map_matches_design() {
        let m = MemoryMap::default();
        assert_eq!(m.dram.base, PhysAddr(0x8000_0000));
        assert_eq!(m.dram.size, 256 << 20);
        assert_eq!(m.pmem.base, PhysAddr(0x1_0000_0000));
        assert_eq!(m.pmem.size, 4 << 30);
        assert_eq!(m.simctrl.base, PhysAddr(0x1000_0000));
        assert_eq!(m.dram.to_string(), "DRAM [0x80000000, 0x90000000)");
    }

    #[test]
    fn region_ranges() {
        let m = MemoryMap::default();
        assert_eq!(m.dram.offset_of(PhysAddr(0x8000_0010)), Some(0x10));
        assert_eq!(m.dram.offset_of(PhysAddr(0x7fff_fff0)), None);
        assert!(m.dram.contains_range(PhysAddr(0x8fff_fff0), 0x10));
        assert!(!m.dram.contains_range(PhysAddr(0x8fff_fff0), 0x11));
        assert_eq!(
            m.memory_containing(PhysAddr(0x1_0000_0000), 8)
                .map(|r| r.kind),
            Some(RegionKind::Pmem)
        );
        assert_eq!(m.memory_containing(PhysAddr(0x1000_0000), 8), None);
    }

    #[test]
    fn bad_maps_are_rejected() {
        assert!(MemoryMap::new(1 << 40, 1 << 40).is_err()); // DRAM 1 TiB overlaps pmem
        assert_eq!(
            MemoryMap::new(0, 4096),
            Err(MapError::BadSize {
                kind: RegionKind::Dram,
                size: 0
            })
        );
        assert!(matches!(
            MemoryMap::new(4096, (1 << 40) + 4096),
            Err(MapError::BadSize {
                kind: RegionKind::Pmem,
                ..
            })
        ));
        assert!(MemoryMap::new(100, 4096).is_err());
        assert!(MemoryMap::new(2 << 30, 1 << 40).is_ok()); // DRAM ends where pmem starts
        let err = MemoryMap::with_bases(PhysAddr(0x1000_0000), 4096, PhysAddr(PMEM_BASE), 4096)
            .unwrap_err();
        assert!(err.to_string().contains("overlaps SIMCTRL"), "{err}");
    }
}
