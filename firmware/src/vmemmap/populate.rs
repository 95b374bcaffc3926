//! Phase 1: populating the vmemmap of the pmem device, section by section, as
//! Linux's `__populate_section_memmap` does (mm/sparse-vmemmap.c):
//!
//! - `base`: `vmemmap_populate_basepages`, a fresh 4 KiB frame per vmemmap page;
//! - `huge` (and `dax` that cannot be optimized): RISC-V's `vmemmap_populate`, i.e.
//!   `vmemmap_populate_hugepages`: a 2 MiB block per PMD, falling back to base pages
//!   when no block is left (never with an altmap);
//! - `dax`: `vmemmap_populate_compound_pages`: per compound page the head's and the
//!   first tail's vmemmap pages get frames, the rest map to the first tail's frame;
//!   a section that starts inside a compound page (`reuse_compound_section`) maps
//!   all its PTEs to the frame the previous section's last PTE points at;
//! - `altmap`: `vmemmap_populate_hugepages` with the blocks taken from the device
//!   (`altmap_alloc_block_buf`).
//!
//! Every vmemmap address is resolved by its own walk from the root (Linux's
//! `vmemmap_populate_address`), and every reuse takes a reference on the reused
//! frame's struct page in DRAM's memmap (`get_page`), so the phase's TLB misses and
//! walks are the ones Linux 6.12 pays. The level below the root is preallocated at
//! boot and not counted here.
//!
//! Every leaf is `PAGE_KERNEL` (V R W A D G), aliases included. Page tables come
//! from DRAM and are zeroed; a data frame is zeroed wherever struct page
//! initialization (phase 2) will not write it, so that every byte of every frame is
//! defined once phase 2 is done, without writing the bulk of them twice.

use core::ptr::write_volatile;

use vmem::pte::Pte;

use super::config::{Mode, Params};
use super::frames::{Altmap, FrameAllocator};
use super::layout::{align_down, KernelLayout, PAGE, PAGES_PER_SECTION, PMD_SIZE, PMEM_BASE};
use super::pgtable::{is_leaf, is_valid, MapError, PageTables, PteSlot, PAGE_KERNEL};
use super::struct_page;

/// `PAGES_PER_SUBSECTION`: 2 MiB of memory.
const PAGES_PER_SUBSECTION: u64 = PMD_SIZE / PAGE;

/// The pmem device (`struct dev_pagemap` with one range).
#[derive(Clone, Copy, Debug)]
pub struct Device {
    pub start_pfn: u64,
    pub end_pfn: u64,
    /// The first pfn initialized as a device page (after the memmap with an altmap).
    pub first_pfn: u64,
    /// The first pfn whose struct page phase 2 writes (after the info block with an
    /// altmap, whose memmap pfns are initialized as plain pages).
    pub first_init_pfn: u64,
    /// `pgmap->vmemmap_shift`.
    pub order: u32,
}

impl Device {
    pub fn new(params: &Params, altmap: Option<&Altmap>) -> Device {
        let start_pfn = PMEM_BASE / PAGE;
        let (first_pfn, first_init_pfn) = match altmap {
            Some(a) => (a.base_pfn + a.offset(), a.base_pfn + a.reserve),
            None => (start_pfn, start_pfn),
        };
        Device {
            start_pfn,
            end_pfn: start_pfn + params.pmem_size / PAGE,
            first_pfn,
            first_init_pfn,
            order: params.order,
        }
    }

    pub const fn pages_per_compound(&self) -> u64 {
        1 << self.order
    }
}

/// What [`Populator::fill_pte`] did.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    Present,
    Reused,
    Fresh,
}

/// What phase 1 built.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildStats {
    /// 4 KiB frames of vmemmap data (a PMD block counts 512).
    pub data_frames: u64,
    pub table_pages: u64,
    pub pte_leaves: u64,
    pub pmd_leaves: u64,
}

/// Why phase 1 stopped.
#[derive(Clone, Copy, Debug)]
pub enum BuildError {
    /// No frame left for vmemmap data (DRAM, or the altmap).
    NoData { va: u64 },
    /// A page-table problem (no table page left, or a conflicting mapping).
    Map(MapError),
    /// `compound_section_tail_page` found no PTE before a reused section.
    NoTailPage { va: u64 },
}

impl core::fmt::Display for BuildError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            BuildError::NoData { va } => {
                write!(f, "no frame left for the vmemmap at {va:#x}")
            }
            BuildError::Map(e) => write!(f, "{e}"),
            BuildError::NoTailPage { va } => {
                write!(f, "no tail page mapped at {va:#x} before a reused section")
            }
        }
    }
}

impl From<MapError> for BuildError {
    fn from(e: MapError) -> BuildError {
        BuildError::Map(e)
    }
}

struct Populator<'a> {
    pt: &'a mut PageTables,
    frames: &'a mut FrameAllocator,
    altmap: Option<&'a mut Altmap>,
    layout: KernelLayout,
    device: Device,
    /// The vmemmap bytes phase 2 writes: `[written.0, written.1)`.
    written: (u64, u64),
    stats: BuildStats,
}

/// Builds the vmemmap of `device`; `altmap` is the device's own memory for `altmap`.
pub fn populate(
    params: &Params,
    device: &Device,
    pt: &mut PageTables,
    frames: &mut FrameAllocator,
    altmap: Option<&mut Altmap>,
) -> Result<BuildStats, BuildError> {
    let layout = params.layout;
    let tables_before = pt.tables;
    let mut p = Populator {
        pt,
        frames,
        altmap,
        layout,
        device: *device,
        written: (
            layout.pfn_to_page(device.first_init_pfn),
            layout.pfn_to_page(device.end_pfn),
        ),
        stats: BuildStats::default(),
    };
    let how = params.populated_as();
    let mut pfn = device.start_pfn;
    while pfn < device.end_pfn {
        let section_end = align_down(pfn, PAGES_PER_SECTION) + PAGES_PER_SECTION;
        let nr = section_end.min(device.end_pfn) - pfn;
        let start = layout.pfn_to_page(pfn);
        let end = start + nr * layout.struct_page_size;
        match how {
            Mode::Base => p.basepages(start, end)?,
            Mode::Huge | Mode::Altmap => p.hugepages(start, end)?,
            Mode::Dax => p.compound_pages(pfn, start, end)?,
        }
        pfn += nr;
    }
    p.stats.table_pages = p.pt.tables - tables_before;
    Ok(p.stats)
}

impl Populator<'_> {
    /// `vmemmap_alloc_block_buf`: from the altmap when there is one, else from the
    /// page allocator, which hands the block out with a reference on its first
    /// struct page (in DRAM's memmap).
    #[inline(always)]
    fn alloc_block(&mut self, size: u64) -> Option<u64> {
        match self.altmap.as_deref_mut() {
            Some(a) => a.alloc_block(size),
            None => {
                let pa = self.frames.alloc_data(size, size)?;
                struct_page::prep_new_page(self.layout.pfn_to_page(pa / PAGE));
                Some(pa)
            }
        }
    }

    /// Zeroes the part of the frame at `pa`, mapped at vmemmap `[va, va + len)`,
    /// that phase 2 will not write.
    #[inline]
    fn zero_unwritten(&self, pa: u64, va: u64, len: u64) {
        let (w0, w1) = self.written;
        if va < w0 || va + len > w1 {
            self.zero_outside(pa, va, len);
        }
    }

    #[inline(never)]
    fn zero_outside(&self, pa: u64, va: u64, len: u64) {
        let end = va + len;
        let (w0, w1) = self.written;
        let direct = self.layout.pa_to_va(pa);
        let zero = |from: u64, to: u64| {
            let mut a = from;
            while a < to {
                // SAFETY: the frame was just allocated for this mapping and the direct
                // map covers DRAM and pmem.
                unsafe { write_volatile((direct + (a - va)) as *mut u64, 0) };
                a += 8;
            }
        };
        if va < w0 {
            zero(va, w0.min(end));
        }
        if end > w1 {
            zero(w1.max(va), end);
        }
    }

    /// The body of `vmemmap_pte_populate` for the PTE at `slot`, which maps vmemmap
    /// page `addr`: when empty, point it at a fresh frame or at `reuse` (a ppn,
    /// whose struct page gets a reference: `get_page`).
    #[inline(always)]
    fn fill_pte(
        &mut self,
        slot: PteSlot,
        addr: u64,
        reuse: Option<u64>,
    ) -> Result<Fill, BuildError> {
        if is_valid(slot.read()) {
            return Ok(Fill::Present);
        }
        let (ppn, fill) = match reuse {
            Some(ppn) => {
                struct_page::get_page(self.layout.pfn_to_page(ppn));
                (ppn, Fill::Reused)
            }
            None => {
                let pa = self
                    .alloc_block(PAGE)
                    .ok_or(BuildError::NoData { va: addr })?;
                self.zero_unwritten(pa, addr, PAGE);
                (pa / PAGE, Fill::Fresh)
            }
        };
        slot.write(Pte::leaf(ppn, PAGE_KERNEL));
        Ok(fill)
    }

    /// `vmemmap_populate_address`: the PTE of vmemmap page `addr` (page-aligned),
    /// filled as [`Self::fill_pte`] does.
    #[inline(always)]
    fn populate_address(&mut self, addr: u64, reuse: Option<u64>) -> Result<PteSlot, BuildError> {
        let slot = self.pt.entry(addr, 0, self.frames)?;
        let fill = self.fill_pte(slot, addr, reuse)?;
        self.count(fill);
        Ok(slot)
    }

    #[inline(always)]
    fn count(&mut self, fill: Fill) {
        self.stats.pte_leaves += u64::from(fill != Fill::Present);
        self.stats.data_frames += u64::from(fill == Fill::Fresh);
    }

    /// `vmemmap_populate_range`: every vmemmap page from `start` (page-aligned) to
    /// `end`, each with its own walk from the root.
    fn populate_range(
        &mut self,
        start: u64,
        end: u64,
        reuse: Option<u64>,
    ) -> Result<(), BuildError> {
        let mut addr = start;
        while addr < end {
            self.populate_address(addr, reuse)?;
            addr += PAGE;
        }
        Ok(())
    }

    /// `vmemmap_populate_basepages`.
    fn basepages(&mut self, start: u64, end: u64) -> Result<(), BuildError> {
        self.populate_range(start, end, None)
    }

    /// `vmemmap_populate_hugepages`.
    fn hugepages(&mut self, start: u64, end: u64) -> Result<(), BuildError> {
        let mut addr = start;
        while addr < end {
            let next = (align_down(addr, PMD_SIZE) + PMD_SIZE).min(end);
            let pmd = self.pt.entry(addr, 1, self.frames)?;
            let e = pmd.read();
            if !is_valid(e) {
                match self.alloc_block(PMD_SIZE) {
                    Some(pa) => {
                        self.zero_unwritten(pa, align_down(addr, PMD_SIZE), PMD_SIZE);
                        pmd.write(Pte::leaf(pa / PAGE, PAGE_KERNEL));
                        self.stats.pmd_leaves += 1;
                        self.stats.data_frames += PMD_SIZE / PAGE;
                        addr = next;
                        continue;
                    }
                    // No fallback with an altmap: it is sized for PMD blocks.
                    None if self.altmap.is_some() => {
                        return Err(BuildError::NoData { va: addr });
                    }
                    None => {}
                }
            } else if is_leaf(e) {
                // `vmemmap_check_pmd`: a block of an earlier section covers it.
                addr = next;
                continue;
            }
            self.basepages(addr, next)?;
            addr = next;
        }
        Ok(())
    }

    /// `reuse_compound_section`: the section starts inside a compound page larger
    /// than a subsection.
    fn reuse_compound_section(&self, start_pfn: u64) -> bool {
        let nr = self.device.pages_per_compound();
        let offset = start_pfn - self.device.start_pfn;
        !offset.is_multiple_of(nr) && nr > PAGES_PER_SUBSECTION
    }

    /// `vmemmap_populate_compound_pages`.
    fn compound_pages(&mut self, start_pfn: u64, start: u64, end: u64) -> Result<(), BuildError> {
        if self.reuse_compound_section(start_pfn) {
            // `compound_section_tail_page`: the previous section's last PTE.
            let prev = start - PAGE;
            let pte = self
                .pt
                .lookup(prev, 0)
                .map(PteSlot::read)
                .filter(|&e| is_valid(e))
                .ok_or(BuildError::NoTailPage { va: prev })?;
            return self.populate_range(start, end, Some(pte.ppn()));
        }
        let size =
            (end - start).min(self.device.pages_per_compound() * self.layout.struct_page_size);
        let mut addr = start;
        while addr < end {
            let last = addr + size;
            // The head's vmemmap page, the first tail page's, then every further one
            // on the first tail page's frame.
            self.populate_address(addr, None)?;
            let tail = self.populate_address(addr + PAGE, None)?;
            let tail_ppn = tail.read().ppn();
            self.populate_range(addr + 2 * PAGE, last, Some(tail_ppn))?;
            addr = last;
        }
        Ok(())
    }
}
