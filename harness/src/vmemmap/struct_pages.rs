//! Checks the struct pages the firmware initialized, read through its own vmemmap
//! mappings (so a wrong alias shows up as a wrong struct page): every head page has
//! PG_head (for compound pages), PG_reserved, a mapcount of -1 and a reference
//! (device-dax keeps one; the fault workload adds more); every tail points at its head
//! (`compound_head` = head address + 1), has no references and, beyond the first
//! tail (whose word 3 holds folio counters), `mapping` = TAIL_MAPPING. With an altmap,
//! the pfns that hold the memmap itself (after the 8 KiB info block) are plain
//! reserved pages: `lru` pointing at itself, mapcount -1, one reference. Layout:
//! firmware/src/vmemmap/struct_page.rs.

use super::config::VmemmapResult;
use crate::memory::{PhysAddr, SystemBus};
use crate::mmu::{kernel_read, BusMemory};
use std::collections::HashMap;
use vmem::walk;

const PG_HEAD: u64 = 1 << 6;
const PG_RESERVED: u64 = 1 << 13;
const TAIL_MAPPING: u64 = 0xdead_0000_0000_0400;

/// Reads struct pages through the vmemmap, translating each page once.
struct Reader<'a> {
    bus: &'a SystemBus,
    satp: u64,
    pages: HashMap<u64, u64>,
}

impl Reader<'_> {
    fn word(&mut self, va: u64) -> Result<u64, String> {
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

/// Checks the struct pages of the device's data pfns; `written_per_compound`: how
/// many struct pages of each compound page the firmware wrote (all of them unless
/// the vmemmap is optimized). Returns how many were checked.
pub fn check(
    bus: &SystemBus,
    r: &VmemmapResult,
    struct_page_size: u64,
    compound_shift: u32,
    written_per_compound: u64,
) -> Result<u64, String> {
    let mut reader = Reader {
        bus,
        satp: r.satp,
        pages: HashMap::new(),
    };
    let nr = 1u64 << (compound_shift - 12);
    let page_va = |pfn: u64| r.vmemmap_start + (pfn - r.vmemmap_start_pfn) * struct_page_size;
    let mut checked = 0;
    // The altmap's own pfns, after its 2-page info block.
    for pfn in (r.device_start_pfn + 2).min(r.first_data_pfn)..r.first_data_pfn {
        let va = page_va(pfn);
        let flags = reader.word(va)?;
        let lru_next = reader.word(va + 0x08)?;
        let counts = reader.word(va + 0x30)?;
        if flags & PG_RESERVED == 0 || lru_next != va + 8 || counts != 0x0000_0001_ffff_ffff {
            return Err(format!(
                "altmap struct page of pfn {pfn:#x} at {va:#x}: flags {flags:#x}, lru.next {lru_next:#x}, counts {counts:#x}"
            ));
        }
        checked += 1;
    }
    let mut head = r.first_data_pfn;
    while head < r.device_end_pfn {
        let head_va = page_va(head);
        let flags = reader.word(head_va)?;
        let counts = reader.word(head_va + 0x30)?;
        let (mapcount, refcount) = (counts as u32 as i32, (counts >> 32) as u32 as i32);
        let head_ok = flags & PG_RESERVED != 0
            && (nr == 1 || flags & PG_HEAD != 0)
            // The fault workload maps an order-0 page once (mapcount 0); a compound
            // page's mappings count in its folio fields instead.
            && (mapcount == -1 || (nr == 1 && mapcount == 0))
            && refcount >= 1;
        if !head_ok {
            return Err(format!(
                "head struct page of pfn {head:#x} at {head_va:#x}: flags {flags:#x}, mapcount {mapcount}, refcount {refcount}"
            ));
        }
        checked += 1;
        for k in 1..written_per_compound.min(nr) {
            let pfn = head + k;
            let va = page_va(pfn);
            let compound_head = reader.word(va + 0x08)?;
            let mapping = reader.word(va + 0x18)?;
            let refcount = (reader.word(va + 0x30)? >> 32) as u32;
            let mapping_ok = if k == 1 {
                mapping == 0
            } else {
                mapping == TAIL_MAPPING
            };
            if compound_head != head_va + 1 || refcount != 0 || !mapping_ok {
                return Err(format!(
                    "tail struct page of pfn {pfn:#x} at {va:#x}: compound_head {compound_head:#x} \
                     (head at {head_va:#x}), mapping {mapping:#x}, refcount {refcount}"
                ));
            }
            checked += 1;
        }
        head += nr;
    }
    Ok(checked)
}
