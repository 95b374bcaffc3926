//! Checks the struct pages the firmware initialized, read through its own vmemmap
//! mappings (so a wrong alias shows up as a wrong struct page): every head page has
//! exactly PG_head (for compound pages), PG_reserved and ZONE_DEVICE in its flags,
//! the device's pgmap pointer, a mapcount of -1 and exactly one reference (device-dax
//! keeps one; 6.12's fault takes none), and `mapping`/`index` either unset or the
//! fault's; the first tail has the order, mapcounts -1 and `_folio_nr_pages`; every
//! tail points at its head (`compound_head` = head address + 1), has no references
//! and, beyond the first tail, `mapping` = TAIL_MAPPING. With an altmap,
//! the pfns that hold the memmap itself (after the 8 KiB info block) are plain
//! reserved pages: `lru` pointing at itself, mapcount -1, one reference. Layout:
//! firmware/src/vmemmap/struct_page.rs.

use super::expected::Expected;
use crate::memory::{PhysAddr, SystemBus};
use crate::mmu::{kernel_read, BusMemory};
use std::collections::HashMap;
use vmem::walk;

const PG_HEAD: u64 = 1 << 6;
const PG_RESERVED: u64 = 1 << 13;
/// `ZONE_DEVICE` (3) in the zone bits, 63..62.
const ZONE_DEVICE_FLAGS: u64 = 3 << 62;
const TAIL_MAPPING: u64 = 0xdead_0000_0000_0400;

/// Reads struct pages through the vmemmap, translating each page once.
pub(super) struct Reader<'a> {
    bus: &'a SystemBus,
    satp: u64,
    pages: HashMap<u64, u64>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bus: &'a SystemBus, satp: u64) -> Reader<'a> {
        Reader {
            bus,
            satp,
            pages: HashMap::new(),
        }
    }

    /// The 8-byte word at kernel virtual address `va`.
    pub(super) fn word(&mut self, va: u64) -> Result<u64, String> {
        let page = va >> 12;
        let pa_page = match self.pages.get(&page) {
            Some(&p) => p,
            None => {
                let request = kernel_read(self.satp, va);
                let t = walk::walk(
                    &mut BusMemory {
                        bus: self.bus,
                        pmp: None,
                    },
                    &request,
                )
                .result
                .map_err(|f| format!("struct page at {va:#x} is not mapped: {f}"))?;
                self.pages.insert(page, t.pa >> 12);
                t.pa >> 12
            }
        };
        self.bus
            .read_u64(PhysAddr((pa_page << 12) | (va & 0xfff)))
            .map_err(|e| format!("struct page at {va:#x}: {e}"))
    }
}

/// Where the fault phase's `mapping` points, and how many heads it set.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    /// The `struct address_space` a fault installs (its direct-map address).
    pub mapping: u64,
    pub count: u64,
}

/// Checks the struct pages of the device's data pfns; `written_per_compound`: how
/// many struct pages of each compound page the firmware wrote (all of them unless
/// the vmemmap is optimized); `pgmap`: the direct-map address of the device's
/// `struct dev_pagemap`. Returns how many were checked.
pub fn check(
    bus: &SystemBus,
    satp: u64,
    e: &Expected,
    pgmap: u64,
    faults: Faults,
    written_per_compound: u64,
) -> Result<u64, String> {
    let mut reader = Reader::new(bus, satp);
    let nr = e.pages_per_compound();
    let page_va = |pfn: u64| e.pfn_to_page(pfn);
    let mut checked = 0;
    // The altmap's own pfns, after its 2-page info block.
    let first_plain = e.altmap_window.map_or(e.first_data_pfn, |(lo, _)| lo);
    for pfn in first_plain..e.first_data_pfn {
        let va = page_va(pfn);
        let flags = reader.word(va)?;
        let lru_next = reader.word(va + 0x08)?;
        let counts = reader.word(va + 0x30)?;
        if flags != PG_RESERVED | ZONE_DEVICE_FLAGS
            || lru_next != va + 8
            || counts != 0x0000_0001_ffff_ffff
        {
            return Err(format!(
                "altmap struct page of pfn {pfn:#x} at {va:#x}: flags {flags:#x}, lru.next {lru_next:#x}, counts {counts:#x}"
            ));
        }
        checked += 1;
    }
    let head_flags = PG_RESERVED | ZONE_DEVICE_FLAGS | if nr > 1 { PG_HEAD } else { 0 };
    let mut mapped = 0;
    let mut head = e.first_data_pfn;
    while head < e.device_end_pfn {
        let head_va = page_va(head);
        let flags = reader.word(head_va)?;
        let head_pgmap = reader.word(head_va + 0x08)?;
        let mapping = reader.word(head_va + 0x18)?;
        let index = reader.word(head_va + 0x20)?;
        let counts = reader.word(head_va + 0x30)?;
        let (mapcount, refcount) = (counts as u32 as i32, (counts >> 32) as u32 as i32);
        let pgoff = head - e.first_data_pfn;
        // 6.12's fault sets mapping and index on the head and takes no reference.
        let mapping_ok =
            (mapping == 0 && index == 0) || (mapping == faults.mapping && index == pgoff);
        if flags != head_flags
            || head_pgmap != pgmap
            || mapcount != -1
            || refcount != 1
            || !mapping_ok
        {
            return Err(format!(
                "head struct page of pfn {head:#x} at {head_va:#x}: flags {flags:#x} (want {head_flags:#x}), \
                 pgmap {head_pgmap:#x} (want {pgmap:#x}), mapcount {mapcount} (want -1), refcount {refcount} (want 1), \
                 mapping {mapping:#x} index {index:#x}"
            ));
        }
        mapped += u64::from(mapping != 0);
        checked += 1;
        for k in 1..written_per_compound.min(nr) {
            let pfn = head + k;
            let va = page_va(pfn);
            let compound_head = reader.word(va + 0x08)?;
            let word3 = reader.word(va + 0x18)?;
            let refcount = (reader.word(va + 0x30)? >> 32) as u32;
            let fields_ok = if k == 1 {
                first_tail_ok(&mut reader, va, e.order, word3)?
            } else {
                word3 == TAIL_MAPPING
            };
            if compound_head != head_va + 1 || refcount != 0 || !fields_ok {
                return Err(format!(
                    "tail struct page of pfn {pfn:#x} at {va:#x}: compound_head {compound_head:#x} \
                     (head at {head_va:#x}), word 3 {word3:#x}, refcount {refcount}"
                ));
            }
            checked += 1;
        }
        head += nr;
    }
    if mapped != faults.count {
        return Err(format!(
            "{mapped} head struct pages carry the fault's mapping, the firmware faulted {} compound pages",
            faults.count
        ));
    }
    Ok(checked)
}

/// The first tail page's folio fields (`prep_compound_head`): the order in
/// `_flags_1`, mapcounts -1, nothing mapped or pinned, `_folio_nr_pages`.
fn first_tail_ok(reader: &mut Reader, va: u64, order: u32, word3: u64) -> Result<bool, String> {
    let flags = reader.word(va)?;
    let mapcounts = reader.word(va + 0x10)?;
    let nr_pages = reader.word(va + 0x20)? as u32;
    Ok(flags == PG_RESERVED | ZONE_DEVICE_FLAGS | u64::from(order)
        && mapcounts == u64::MAX
        && word3 == 0
        && nr_pages == 1 << order)
}
