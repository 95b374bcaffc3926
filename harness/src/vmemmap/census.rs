//! The harness's own look at what the firmware built: it walks the page tables over
//! the device's vmemmap range (vmem's walker, over the RTL's memory), counts the data
//! frames behind it, its 4 KiB and 2 MiB mappings and its page-table pages, and sets
//! them against the Linux arithmetic (LINUX_VMEMMAP.md).

use super::config::{Mode, VmemmapConfig};
use crate::memory::{PhysAddr, SystemBus};
use crate::mmu::{kernel_read, BusMemory};
use serde::Serialize;
use std::collections::HashSet;
use vmem::walk;

const PAGE: u64 = 4096;
const PMD: u64 = 2 << 20;

/// What backs the vmemmap of the device.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Census {
    /// Distinct 4 KiB frames mapped (a 2 MiB leaf counts 512).
    pub data_frames: u64,
    /// Of those, frames in pmem (altmap).
    pub frames_in_pmem: u64,
    pub mappings_4k: u64,
    pub mappings_2m: u64,
    /// Distinct page-table pages the range's walks went through below the level
    /// Linux preallocates at boot (the tables the root's entries point at).
    pub table_pages: u64,
}

/// One leaf mapping of the range: the virtual page (or 2 MiB block) it maps, the
/// frame (or block) behind it, and the entries the walk read, root first.
#[derive(Clone, Debug)]
pub struct Leaf {
    pub va: u64,
    pub pa: u64,
    /// 0: 4 KiB, 1: 2 MiB.
    pub level: u8,
    pub ptes: Vec<(u64, u64)>,
}

/// The leaves over `[first, end)` under `satp` (kernel reads), one per 4 KiB page or
/// 2 MiB block.
pub fn leaves(bus: &SystemBus, satp: u64, first: u64, end: u64) -> Result<Vec<Leaf>, String> {
    let mut mem = BusMemory { bus, pmp: None };
    let mut out = Vec::new();
    let mut va = first;
    while va < end {
        let request = kernel_read(satp, va);
        let outcome = walk::walk(&mut mem, &request);
        let t = outcome
            .result
            .map_err(|f| format!("vmemmap address {va:#x} is not mapped: {f}"))?;
        let (page, size) = match t.level {
            0 => (va & !(PAGE - 1), PAGE),
            1 => (va & !(PMD - 1), PMD),
            level => {
                return Err(format!(
                    "vmemmap address {va:#x} mapped by a level-{level} leaf"
                ))
            }
        };
        out.push(Leaf {
            va: page,
            pa: t.pa & !(size - 1),
            level: t.level,
            ptes: outcome.ptes_read().to_vec(),
        });
        va = page + size;
    }
    Ok(out)
}

/// Walks every page of `[first, end)` under `satp` (kernel reads), as [`census`].
pub fn census_range(bus: &SystemBus, satp: u64, first: u64, end: u64) -> Result<Census, String> {
    Ok(count(bus, &leaves(bus, satp, first, end)?))
}

/// What `leaves` map: frames, mappings and the tables below the preallocated level.
pub fn count(bus: &SystemBus, leaves: &[Leaf]) -> Census {
    let pmem = bus.map().pmem;
    let mut frames = HashSet::new();
    let mut tables = HashSet::new();
    let mut c = Census::default();
    for leaf in leaves {
        // The root's entry and the preallocated level's are not the device's.
        for &(pte_addr, _) in leaf.ptes.iter().skip(2) {
            tables.insert(pte_addr / PAGE);
        }
        let frame = leaf.pa / PAGE;
        if leaf.level == 0 {
            c.mappings_4k += 1;
            frames.insert(frame);
        } else {
            c.mappings_2m += 1;
            frames.extend(frame..frame + PMD / PAGE);
        }
    }
    c.data_frames = frames.len() as u64;
    c.frames_in_pmem = frames
        .iter()
        .filter(|&&f| pmem.contains_range(PhysAddr(f * PAGE), PAGE))
        .count() as u64;
    c.table_pages = tables.len() as u64;
    c
}

/// Bytes of vmemmap data Linux allocates for this configuration, whose device's
/// struct pages start `offset` bytes into the vmemmap (pfn - vmemmap_start_pfn times
/// the struct page size). Unoptimized, the device's memmap is one contiguous range
/// of the vmemmap: backed by the 4 KiB pages (base) or 2 MiB blocks (huge, altmap,
/// and a dax configuration Linux would not optimize) that it touches.
pub fn expected_data_bytes(cfg: &VmemmapConfig, offset: u64) -> u64 {
    let sps = cfg.struct_page_size;
    let compound = 1u64 << cfg.compound_shift;
    let vmemmap_pages_per_compound = (compound / PAGE * sps).div_ceil(PAGE);
    let optimized =
        cfg.mode == Mode::Dax && sps.is_power_of_two() && vmemmap_pages_per_compound > 2;
    if optimized {
        return cfg.pmem_size / compound * 2 * PAGE;
    }
    let unit = if cfg.mode == Mode::Base { PAGE } else { PMD };
    let end = offset + cfg.pmem_size / PAGE * sps;
    end.div_ceil(unit) * unit - offset / unit * unit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(mode: Mode, compound_shift: u32, struct_page_size: u64) -> VmemmapConfig {
        VmemmapConfig {
            mode,
            compound_shift,
            pmem_size: 4 << 30,
            paging: 8,
            struct_page_size,
            iterations: 0,
            seed: 1,
        }
    }

    #[test]
    fn linux_vmemmap_arithmetic_for_a_4_gib_device() {
        const MIB: u64 = 1 << 20;
        // pmem starts 2 GiB of pfns after DRAM's 128 MiB-aligned base.
        let offset = |sps: u64| (0x10_0000 - 0x8_0000) * sps;
        let bytes = |mode, shift, sps| expected_data_bytes(&cfg(mode, shift, sps), offset(sps));
        assert_eq!(bytes(Mode::Dax, 21, 64), 16 * MIB); // 2 frames per 2 MiB page
        assert_eq!(bytes(Mode::Dax, 30, 64), 4 * 2 * 4096); // 2 frames per 1 GiB page
        assert_eq!(bytes(Mode::Base, 21, 64), 64 * MIB);
        assert_eq!(bytes(Mode::Huge, 21, 64), 64 * MIB);
        assert_eq!(bytes(Mode::Altmap, 21, 64), 64 * MIB);
        // Not optimized: 4 KiB compound pages, or a 56-byte struct page.
        assert_eq!(bytes(Mode::Dax, 12, 64), 64 * MIB);
        assert_eq!(bytes(Mode::Dax, 21, 56), 56 * MIB);
    }
}
