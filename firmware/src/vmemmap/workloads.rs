//! Phases 3 to 6: what a kernel does with the struct pages of a device-dax region,
//! sized so that a 4 GiB device costs a few million cycles, not one visit per pfn.
//!
//! - 3, sequential scan: `pfn_to_page` + `compound_head` for pfns in order, every
//!   `stride` pfns, where `stride` is the power of two that keeps the lookups within
//!   `iterations` (a stride below the compound size visits each head and some tails);
//! - 4, random lookups: `iterations` pfns drawn with xorshift64 (13, 7, 17);
//! - 5, fault path: per compound page (at most `iterations` of them, evenly spread)
//!   what Linux 6.12's device-dax fault does (`dax_set_mapping` +
//!   `vmf_insert_pfn_pmd`): `mapping`/`index` set on the head when unset, and the
//!   leaf written into the process's page table; no refcount or mapcount changes
//!   (later kernels' `vmf_insert_folio_pmd` takes a reference and maps the folio);
//! - 6, data pass: one 64-byte line read per compound page (the same selection as
//!   phase 5) through the direct map.
//!
//! Each lookup is checked: the head `compound_head` finds must be the struct page of
//! the compound page's first pfn, in ZONE_DEVICE, with `PG_head` when the order is
//! not 0. The first wrong one ends the run.

use core::ptr::{read_volatile, write_volatile};

use vmem::pte;

use super::frames::FrameAllocator;
use super::layout::{KernelLayout, PAGE, PUD_SIZE};
use super::pgtable::{MapError, PageTables};
use super::populate::Device;
use super::struct_page::{page_zone, COMPOUND_HEAD, FLAGS, INDEX, MAPPING, PG_HEAD, ZONE_DEVICE};

/// Where the process maps the device (`vma->vm_start`): 1 GiB, so that every
/// alignment's leaves are aligned and the whole device fits below the user half's
/// end in Sv39 (the direct map limits the device to 126 GiB there).
pub const USER_VMA_START: u64 = PUD_SIZE;

/// The leaves of a shared, writable mapping of the device: V R W U A D (a fault
/// for writing sets A and D up front).
pub const PAGE_SHARED: u64 = pte::R | pte::W | pte::U | pte::A | pte::D;

/// A lookup that found the wrong head.
#[derive(Clone, Copy, Debug)]
pub struct CheckFailure {
    pub pfn: u64,
    pub page: u64,
    pub expected_head: u64,
    pub found_head: u64,
    pub head_flags: u64,
}

/// xorshift64 (13, 7, 17), as the other firmware images.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

fn read(addr: u64) -> u64 {
    // SAFETY: callers read struct pages of the device (mapped by phase 1) or pmem
    // through the direct map.
    unsafe { read_volatile(addr as *const u64) }
}

fn write(addr: u64, value: u64) {
    // SAFETY: callers write struct pages of the device, mapped read-write.
    unsafe { write_volatile(addr as *mut u64, value) }
}

/// `compound_head`: a tail's word at 0x08 holds the head's address + 1.
#[inline(always)]
fn compound_head(page: u64) -> u64 {
    let head = read(page + COMPOUND_HEAD);
    if head & 1 != 0 {
        head - 1
    } else {
        page
    }
}

/// The workloads' view of the device.
pub struct Workloads<'a> {
    pub layout: &'a KernelLayout,
    pub device: &'a Device,
    pub iterations: u64,
}

impl Workloads<'_> {
    /// `pfn_to_page`, `compound_head`, the head's flags: checked.
    #[inline(always)]
    fn lookup(&self, pfn: u64) -> Result<(), CheckFailure> {
        let page = self.layout.pfn_to_page(pfn);
        let head = compound_head(page);
        let flags = read(head + FLAGS);
        let nr = self.device.pages_per_compound();
        let expected = self.layout.pfn_to_page(pfn & !(nr - 1));
        let head_ok = self.device.order == 0 || flags & PG_HEAD != 0;
        if head != expected || !head_ok || page_zone(flags) != ZONE_DEVICE {
            return Err(CheckFailure {
                pfn,
                page,
                expected_head: expected,
                found_head: head,
                head_flags: flags,
            });
        }
        Ok(())
    }

    /// Device pages (after the altmap's memmap).
    fn data_pfns(&self) -> u64 {
        self.device.end_pfn - self.device.first_pfn
    }

    /// Phase 3; returns the lookups done.
    pub fn sequential_scan(&self) -> Result<u64, CheckFailure> {
        if self.iterations == 0 {
            return Ok(0);
        }
        let stride = self
            .data_pfns()
            .div_ceil(self.iterations)
            .next_power_of_two();
        let mut done = 0;
        let mut pfn = self.device.first_pfn;
        while pfn < self.device.end_pfn {
            self.lookup(pfn)?;
            done += 1;
            pfn += stride;
        }
        Ok(done)
    }

    /// Phase 4; returns the lookups done.
    pub fn random_lookups(&self, seed: u64) -> Result<u64, CheckFailure> {
        let mut rng = XorShift(seed);
        let count = self.data_pfns();
        for _ in 0..self.iterations {
            // A multiply-high maps the draw onto [0, count) (a divide takes 64 cycles).
            let offset = ((u128::from(rng.next_u64()) * u128::from(count)) >> 64) as u64;
            self.lookup(self.device.first_pfn + offset)?;
        }
        Ok(self.iterations)
    }

    /// The compound pages phases 5 and 6 visit: (first head pfn, step in pfns).
    fn compound_selection(&self) -> (u64, u64) {
        let nr = self.device.pages_per_compound();
        let compounds = self.data_pfns() / nr;
        let step = compounds.div_ceil(self.iterations.max(1)).max(1);
        (self.device.first_pfn, step * nr)
    }

    /// Phase 5, Linux 6.12's device-dax fault (`__dev_dax_pmd_fault` and its PTE and
    /// PUD siblings): `dax_set_mapping` (`pfn_folio`, then `mapping` and `index` on
    /// the head when unset) and `vmf_insert_pfn_pmd` (the leaf in the process's page
    /// table, `user`, whose tables the fault walks and allocates). Neither touches a
    /// refcount or a mapcount. `mapping` is the address_space pointer a fault
    /// installs. Returns the compound pages faulted, or why a leaf could not be made.
    pub fn fault_path(
        &self,
        mapping: u64,
        user: &mut PageTables,
        frames: &mut FrameAllocator,
    ) -> Result<u64, MapError> {
        if self.iterations == 0 {
            return Ok(0);
        }
        let (first, step) = self.compound_selection();
        let order = self.device.order;
        let level = (order / 9) as u8;
        let mut faults = 0;
        let mut pfn = first;
        while pfn < self.device.end_pfn {
            let pgoff = pfn - self.device.first_pfn;
            let head = compound_head(self.layout.pfn_to_page(pfn));
            if read(head + MAPPING) == 0 {
                write(head + MAPPING, mapping);
                write(head + INDEX, pgoff);
            }
            user.map(
                USER_VMA_START + pgoff * PAGE,
                pfn * PAGE,
                level,
                PAGE_SHARED,
                frames,
            )?;
            faults += 1;
            pfn += step;
        }
        Ok(faults)
    }

    /// Phase 6: returns (lines read, wrapping sum of the words read).
    pub fn data_pass(&self) -> (u64, u64) {
        if self.iterations == 0 {
            return (0, 0);
        }
        let (first, step) = self.compound_selection();
        let mut lines = 0;
        let mut sum = 0u64;
        let mut pfn = first;
        while pfn < self.device.end_pfn {
            let line = self.layout.pa_to_va(pfn * PAGE);
            for w in 0..8 {
                sum = sum.wrapping_add(read(line + 8 * w));
            }
            lines += 1;
            pfn += step;
        }
        (lines, sum)
    }
}
