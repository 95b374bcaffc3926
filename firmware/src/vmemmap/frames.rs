//! Where frames come from: DRAM after the firmware image ([`FrameAllocator`]), or
//! the pmem device itself ([`Altmap`], Linux's `struct vmem_altmap`).
//!
//! The DRAM allocator hands out vmemmap data from the bottom of the free region
//! upwards (aligned to the request: 4 KiB frames, 2 MiB PMD blocks) and page-table
//! pages from the top downwards, so the two never interleave and alignment padding
//! is only ever paid by data blocks.
//!
//! Neither allocator zeroes: page-table pages are zeroed by the page-table builder
//! (Linux's `vmemmap_alloc_block_zero`), vmemmap data by the populate code, which
//! zeroes every byte struct page initialization will not write.

use super::layout::{align_up, PAGE};

/// A two-ended bump allocator over `[bottom, top)` of DRAM.
#[derive(Debug)]
pub struct FrameAllocator {
    bottom: u64,
    top: u64,
}

impl FrameAllocator {
    /// Frames from `[start, end)`, both rounded inwards to 4 KiB.
    pub const fn new(start: u64, end: u64) -> FrameAllocator {
        let start = align_up(start, PAGE);
        let end = end & !(PAGE - 1);
        FrameAllocator {
            bottom: start,
            top: end,
        }
    }

    /// A block of `size` bytes aligned to `align` (powers of two) for vmemmap data.
    #[inline]
    pub fn alloc_data(&mut self, size: u64, align: u64) -> Option<u64> {
        let pa = align_up(self.bottom, align);
        if pa.checked_add(size)? > self.top {
            return None;
        }
        self.bottom = pa + size;
        Some(pa)
    }

    /// One 4 KiB page for a page table.
    pub fn alloc_table(&mut self) -> Option<u64> {
        if self.top - self.bottom < PAGE {
            return None;
        }
        self.top -= PAGE;
        Some(self.top)
    }
}

/// `struct vmem_altmap`: pfns of the device itself that back its own memmap.
///
/// `base_pfn` is the device's first pfn, `reserve` the pfns of the info block
/// (never used), `free` the pfns available to the memmap; `alloc` and `align` count
/// what allocations took and what their alignment skipped.
#[derive(Clone, Copy, Debug)]
pub struct Altmap {
    pub base_pfn: u64,
    pub reserve: u64,
    pub free: u64,
    pub alloc: u64,
    pub align: u64,
}

impl Altmap {
    /// `vmem_altmap_offset`: pfns from `base_pfn` to the first data pfn.
    pub const fn offset(&self) -> u64 {
        self.reserve + self.free
    }

    /// `vmem_altmap_next_pfn`.
    const fn next_pfn(&self) -> u64 {
        self.base_pfn + self.reserve + self.alloc + self.align
    }

    /// `vmem_altmap_nr_free`.
    const fn nr_free(&self) -> u64 {
        self.free.saturating_sub(self.alloc + self.align)
    }

    /// `altmap_alloc_block_buf`: `size` bytes (a multiple of 4 KiB), aligned to the
    /// largest power of two dividing its page count; returns the physical address.
    pub fn alloc_block(&mut self, size: u64) -> Option<u64> {
        if !size.is_multiple_of(PAGE) || size == 0 {
            return None;
        }
        let nr_pfns = size / PAGE;
        let pfn = self.next_pfn();
        let granule = 1u64 << nr_pfns.trailing_zeros();
        let nr_align = align_up(pfn, granule) - pfn;
        if nr_pfns + nr_align > self.nr_free() {
            return None;
        }
        self.alloc += nr_pfns;
        self.align += nr_align;
        Some((pfn + nr_align) * PAGE)
    }

    /// Pfns taken so far, padding included.
    pub const fn used(&self) -> u64 {
        self.alloc + self.align
    }
}
