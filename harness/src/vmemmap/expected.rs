//! What Linux 6.12 on RISC-V puts where for a configuration, computed by the harness
//! from the configuration and the SoC's memory map alone (LINUX_VMEMMAP.md,
//! Documentation/arch/riscv/vm-layout.rst, drivers/nvdimm/pfn_devs.c). The checks
//! use these numbers, never the firmware's result block, which is compared with
//! them instead.

use super::config::{Mode, VmemmapConfig, VmemmapResult};
use crate::memory::MemoryMap;

const PAGE_SHIFT: u32 = 12;
const PAGE: u64 = 1 << PAGE_SHIFT;
const PMD: u64 = 2 << 20;
/// Sparse sections are 128 MiB on RISC-V.
const SECTION: u64 = 128 << 20;
/// The nvdimm info block at the front of a "map=dev" device (`SZ_8K`).
const INFO_BLOCK: u64 = 8 << 10;
/// nd_pfn reserves `MAX_STRUCT_PAGE_SIZE` per pfn, whatever the real size.
const RESERVED_PER_PFN: u64 = 64;

/// The layout of one configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected {
    /// `VMEMMAP_START`.
    pub vmemmap_start: u64,
    /// `PAGE_OFFSET`: where the direct map puts `phys_ram_base`.
    pub page_offset: u64,
    /// `phys_ram_base`: the lowest DRAM address.
    pub phys_ram_base: u64,
    /// `vmemmap_start_pfn`: `phys_ram_base` rounded down to a section.
    pub vmemmap_start_pfn: u64,
    pub device_start_pfn: u64,
    pub device_end_pfn: u64,
    /// The first pfn of device data: after the altmap's memmap, or the device's first.
    pub first_data_pfn: u64,
    /// The pfns an altmap may hand to the memmap: `[base + reserve, base + offset)`.
    pub altmap_window: Option<(u64, u64)>,
    pub struct_page_size: u64,
    /// `pgmap->vmemmap_shift`.
    pub order: u32,
    /// `vmemmap_can_optimize`: dax, a power-of-two struct page, more than two
    /// vmemmap pages per compound page.
    pub optimized: bool,
}

impl Expected {
    pub fn new(config: &VmemmapConfig, map: &MemoryMap) -> Expected {
        let (vmemmap_start, page_offset) = match config.paging {
            9 => (0xffff_8d80_0000_0000, 0xffff_af80_0000_0000),
            _ => (0xffff_ffc5_0000_0000, 0xffff_ffd6_0000_0000),
        };
        let phys_ram_base = map.dram.base.0;
        let device_start_pfn = map.pmem.base.0 >> PAGE_SHIFT;
        let device_end_pfn = device_start_pfn + (config.pmem_size >> PAGE_SHIFT);
        let compound = 1u64 << config.compound_shift;
        let (first_data_pfn, altmap_window) = if config.mode == Mode::Altmap {
            let offset = altmap_data_offset(config.pmem_size, compound);
            let window = (
                device_start_pfn + (INFO_BLOCK >> PAGE_SHIFT),
                device_start_pfn + (offset >> PAGE_SHIFT),
            );
            (window.1, Some(window))
        } else {
            (device_start_pfn, None)
        };
        let vmemmap_pages_per_compound =
            ((compound >> PAGE_SHIFT) * config.struct_page_size).div_ceil(PAGE);
        Expected {
            vmemmap_start,
            page_offset,
            phys_ram_base,
            vmemmap_start_pfn: (phys_ram_base & !(SECTION - 1)) >> PAGE_SHIFT,
            device_start_pfn,
            device_end_pfn,
            first_data_pfn,
            altmap_window,
            struct_page_size: config.struct_page_size,
            order: config.compound_shift - PAGE_SHIFT,
            optimized: config.mode == Mode::Dax
                && config.struct_page_size.is_power_of_two()
                && vmemmap_pages_per_compound > 2,
        }
    }

    /// `pfn_to_page`.
    pub fn pfn_to_page(&self, pfn: u64) -> u64 {
        self.vmemmap_start + (pfn - self.vmemmap_start_pfn) * self.struct_page_size
    }

    /// `__va`.
    pub fn pa_to_va(&self, pa: u64) -> u64 {
        pa.wrapping_sub(self.phys_ram_base)
            .wrapping_add(self.page_offset)
    }

    pub fn pages_per_compound(&self) -> u64 {
        1 << self.order
    }

    /// The page-aligned vmemmap range of the device's struct pages.
    pub fn device_vmemmap(&self) -> (u64, u64) {
        let first = self.pfn_to_page(self.device_start_pfn);
        let end = self.pfn_to_page(self.device_end_pfn);
        (first & !(PAGE - 1), end.div_ceil(PAGE) * PAGE)
    }

    /// The firmware's result block against these numbers.
    pub fn compare(&self, r: &VmemmapResult) -> Result<(), String> {
        let fields = [
            ("vmemmap_start", r.vmemmap_start, self.vmemmap_start),
            (
                "vmemmap_start_pfn",
                r.vmemmap_start_pfn,
                self.vmemmap_start_pfn,
            ),
            (
                "device_start_pfn",
                r.device_start_pfn,
                self.device_start_pfn,
            ),
            ("device_end_pfn", r.device_end_pfn, self.device_end_pfn),
            ("first_data_pfn", r.first_data_pfn, self.first_data_pfn),
        ];
        for (name, got, want) in fields {
            if got != want {
                return Err(format!(
                    "the firmware reports {name} = {got:#x}, Linux's layout gives {want:#x}"
                ));
            }
        }
        Ok(())
    }
}

/// The data offset of an nd_pfn device in "map=dev" mode (`nd_pfn_init`): the info
/// block, then 64 bytes for each pfn behind it, rounded up to the alignment (the
/// compound size, at least `memremap_compat_align`'s 2 MiB).
pub fn altmap_data_offset(size: u64, compound: u64) -> u64 {
    let npfns = (size - INFO_BLOCK) >> PAGE_SHIFT;
    let align = compound.max(PMD);
    (INFO_BLOCK + npfns * RESERVED_PER_PFN).div_ceil(align) * align
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_altmap_data_offset_is_the_memmap_rounded_to_the_alignment() {
        // 4 GiB: (4 GiB - 8 KiB) / 4 KiB pfns * 64 bytes = 64 MiB - 128 bytes, plus 8 KiB.
        assert_eq!(altmap_data_offset(4 << 30, 2 << 20), 66 << 20);
        assert_eq!(altmap_data_offset(4 << 30, 1 << 30), 1 << 30);
        assert_eq!(altmap_data_offset(256 << 20, 4 << 10), 6 << 20);
    }
}
