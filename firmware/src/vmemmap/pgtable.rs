//! The page-table builder: Sv39/Sv48 tables in memory, built with `vmem`'s PTE
//! format and geometry.
//!
//! Tables are reached at `pa + access`: `access` is 0 while the hart runs in M-mode
//! (untranslated) and the direct-map offset once it runs in S-mode with translation
//! on, as Linux reaches its page tables through `__va`. New tables are zeroed before
//! they are linked in (`vmemmap_alloc_block_zero`).

use core::ptr::{read_volatile, write_volatile};

use vmem::geometry::{page_size, vpn, Mode, Satp, PAGE_SHIFT};
use vmem::pte::{self, Pte};

use super::frames::FrameAllocator;
use super::layout::is_aligned;

/// `PAGE_KERNEL`: V R W A D G (A and D set up front: the MMU is Svade by default).
pub const PAGE_KERNEL: u64 = pte::R | pte::W | pte::A | pte::D | pte::G;
/// `PAGE_KERNEL_EXEC`: the firmware's own code and data.
pub const PAGE_KERNEL_EXEC: u64 = PAGE_KERNEL | pte::X;

const ENTRIES: u64 = 512;

/// Why a mapping could not be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapError {
    /// No frame left for a page table.
    NoMemory,
    /// A leaf already covers the address at a higher level, or the entry already
    /// maps something else.
    Conflict { va: u64, level: u8 },
}

impl core::fmt::Display for MapError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            MapError::NoMemory => write!(f, "no DRAM left for a page-table page"),
            MapError::Conflict { va, level } => {
                write!(f, "{va:#x} is already mapped differently (level {level})")
            }
        }
    }
}

/// One address space's page tables.
#[derive(Debug)]
pub struct PageTables {
    paging: Mode,
    root: u64,
    access: u64,
    /// Table pages allocated, the root included.
    pub tables: u64,
}

impl PageTables {
    /// An empty root table, reached at `pa + access`.
    pub fn new(
        paging: Mode,
        frames: &mut FrameAllocator,
        access: u64,
    ) -> Result<PageTables, MapError> {
        let mut pt = PageTables {
            paging,
            root: 0,
            access,
            tables: 0,
        };
        pt.root = pt.new_table(frames)?;
        Ok(pt)
    }

    pub const fn root_ppn(&self) -> u64 {
        self.root >> PAGE_SHIFT
    }

    /// The `satp` value that selects these tables (ASID 0).
    pub const fn satp(&self) -> u64 {
        Satp::new(Some(self.paging), 0, self.root_ppn()).bits()
    }

    /// From now on reach tables at `pa + access` (the direct map once paging is on).
    pub fn set_access(&mut self, access: u64) {
        self.access = access;
    }

    fn slot(&self, table: u64, index: u64) -> PteSlot {
        PteSlot(table.wrapping_add(self.access).wrapping_add(index * 8) as *mut u64)
    }

    fn new_table(&mut self, frames: &mut FrameAllocator) -> Result<u64, MapError> {
        let table = frames.alloc_table().ok_or(MapError::NoMemory)?;
        for i in 0..ENTRIES {
            self.slot(table, i).write(Pte(0));
        }
        self.tables += 1;
        Ok(table)
    }

    /// The entry for `va` at `level` (0 = 4 KiB), creating the tables above it: a
    /// walk from the root on every call, one entry read per level, as Linux's
    /// `vmemmap_pgd_populate` … `vmemmap_pmd_populate` chain does for every address.
    #[inline(never)]
    pub fn entry(
        &mut self,
        va: u64,
        level: u8,
        frames: &mut FrameAllocator,
    ) -> Result<PteSlot, MapError> {
        let mut table = self.root;
        for lvl in (level + 1..self.paging.levels()).rev() {
            let p = self.slot(table, vpn(va, lvl));
            let e = p.read();
            table = if !is_valid(e) {
                let t = self.new_table(frames)?;
                p.write(Pte::table(t >> PAGE_SHIFT));
                t
            } else if is_leaf(e) {
                return Err(MapError::Conflict { va, level: lvl });
            } else {
                e.ppn() << PAGE_SHIFT
            };
        }
        Ok(self.slot(table, vpn(va, level)))
    }

    /// The level of the tables the root's entries point at (Sv39: PMD, Sv48: PUD).
    const fn below_root(&self) -> u8 {
        self.paging.levels() - 2
    }

    /// `preallocate_pgd_pages_range` (arch/riscv/mm/init.c): the tables the root's
    /// entries over `[start, end)` point at, allocated at boot so that they never
    /// have to be synchronized between address spaces.
    pub fn preallocate(
        &mut self,
        start: u64,
        end: u64,
        frames: &mut FrameAllocator,
    ) -> Result<(), MapError> {
        let step = page_size(self.below_root() + 1);
        let mut va = start & !(step - 1);
        while va < end {
            self.entry(va, self.below_root(), frames)?;
            match va.checked_add(step) {
                Some(next) => va = next,
                None => break,
            }
        }
        Ok(())
    }

    /// The existing entry for `va` at `level`, without creating anything; `None`
    /// when a table on the way is missing or a leaf sits above `level`.
    pub fn lookup(&self, va: u64, level: u8) -> Option<PteSlot> {
        let mut table = self.root;
        for lvl in (level + 1..self.paging.levels()).rev() {
            let e = self.slot(table, vpn(va, lvl)).read();
            if !is_valid(e) || is_leaf(e) {
                return None;
            }
            table = e.ppn() << PAGE_SHIFT;
        }
        Some(self.slot(table, vpn(va, level)))
    }

    /// Maps `va` to `pa` with a leaf at `level` (both aligned to its page size).
    /// Mapping the same thing twice is fine; anything else already there is not.
    pub fn map(
        &mut self,
        va: u64,
        pa: u64,
        level: u8,
        flags: u64,
        frames: &mut FrameAllocator,
    ) -> Result<(), MapError> {
        debug_assert!(is_aligned(va, page_size(level)) && is_aligned(pa, page_size(level)));
        let p = self.entry(va, level, frames)?;
        let new = Pte::leaf(pa >> PAGE_SHIFT, flags);
        let old = p.read();
        if old.bits() != 0 && old != new {
            return Err(MapError::Conflict { va, level });
        }
        p.write(new);
        Ok(())
    }

    /// Maps `[va, va + size)` to `[pa, pa + size)` with the largest leaves that fit,
    /// as Linux's `best_map_size` picks them for the linear map: 2 MiB at most with
    /// Sv39, 1 GiB only where that level is a real one below the root (Sv48).
    pub fn map_range(
        &mut self,
        mut va: u64,
        mut pa: u64,
        size: u64,
        flags: u64,
        frames: &mut FrameAllocator,
    ) -> Result<(), MapError> {
        let end = va + size;
        let largest = if self.paging.levels() >= 4 { 2 } else { 1 };
        while va < end {
            let level = (0..=largest)
                .rev()
                .find(|&l| {
                    let s = page_size(l);
                    is_aligned(va, s) && is_aligned(pa, s) && end - va >= s
                })
                .unwrap_or(0);
            self.map(va, pa, level, flags, frames)?;
            va += page_size(level);
            pa += page_size(level);
        }
        Ok(())
    }
}

/// `Pte::v`, inlined: populating the vmemmap asks it for every PTE.
#[inline(always)]
pub const fn is_valid(e: Pte) -> bool {
    e.0 & pte::V != 0
}

/// `Pte::is_leaf`, inlined.
#[inline(always)]
pub const fn is_leaf(e: Pte) -> bool {
    e.0 & (pte::R | pte::X) != 0
}

/// One entry of a page table the builder created, reached at `pa + access`.
/// Only the builder makes them, so reading and writing one is sound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PteSlot(*mut u64);

impl PteSlot {
    #[inline(always)]
    pub fn read(self) -> Pte {
        // SAFETY: the slot is an entry of a live page table (see the type).
        Pte(unsafe { read_volatile(self.0) })
    }

    #[inline(always)]
    pub fn write(self, e: Pte) {
        // SAFETY: as in `read`.
        unsafe { write_volatile(self.0, e.bits()) }
    }
}
