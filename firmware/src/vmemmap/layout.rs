//! Where things are: the SoC's physical memory map, and the kernel virtual layout
//! Linux uses on RISC-V for each paging mode (Documentation/arch/riscv/vm-layout.rst),
//! with the vmemmap arithmetic of `pfn_to_page` (arch/riscv/include/asm/pgtable.h).
//!
//! | paging | vmemmap (`VMEMMAP_START`) | size | direct map (`PAGE_OFFSET`) | size |
//! |---|---|---|---|---|
//! | Sv39 | `0xffff_ffc5_0000_0000` | 4 GiB | `0xffff_ffd6_0000_0000` | 128 GiB |
//! | Sv48 | `0xffff_8d80_0000_0000` | 2 TiB | `0xffff_af80_0000_0000` | 64 TiB |
//!
//! The direct map sends `phys_ram_base` (the start of DRAM) to `PAGE_OFFSET`:
//! `__va(pa) = pa - phys_ram_base + PAGE_OFFSET`. The struct page of pfn `P` is at
//! `VMEMMAP_START + (P - vmemmap_start_pfn) * sizeof(struct page)`, with
//! `vmemmap_start_pfn = round_down(phys_ram_base, 128 MiB) >> 12`.

use vmem::geometry::{Mode, PAGE_SHIFT, PAGE_SIZE};

use cosim_firmware::simctrl;

/// SIMCTRL (console, exit, phase markers): one 4 KiB page.
pub const SIMCTRL_BASE: u64 = simctrl::BASE as u64;
/// DRAM: the firmware image, then the frames the firmware allocates.
pub const DRAM_BASE: u64 = 0x8000_0000;
pub const DRAM_SIZE: u64 = 256 << 20;
pub const DRAM_END: u64 = DRAM_BASE + DRAM_SIZE;
/// pmem: the device-dax region whose vmemmap the firmware builds.
pub const PMEM_BASE: u64 = 0x1_0000_0000;
pub const PMEM_MAX_SIZE: u64 = 1 << 40;

pub const PMD_SIZE: u64 = 2 << 20;
pub const PUD_SIZE: u64 = 1 << 30;

/// Sparse memory sections are 128 MiB on RISC-V (`SECTION_SIZE_BITS = 27`).
pub const SECTION_SHIFT: u32 = 27;
pub const SECTION_SIZE: u64 = 1 << SECTION_SHIFT;
pub const PAGES_PER_SECTION: u64 = 1 << (SECTION_SHIFT - PAGE_SHIFT);

/// The kernel virtual layout of one paging mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KernelLayout {
    pub paging: Mode,
    /// `VMEMMAP_START`: the struct page of `vmemmap_start_pfn`.
    pub vmemmap_start: u64,
    pub vmemmap_size: u64,
    /// `PAGE_OFFSET`: the direct map's base, where `phys_ram_base` appears.
    pub page_offset: u64,
    pub direct_map_size: u64,
    /// `phys_ram_base`: the lowest DRAM address.
    pub phys_ram_base: u64,
    /// `vmemmap_start_pfn`: `phys_ram_base` rounded down to a section, as a pfn.
    pub vmemmap_start_pfn: u64,
    /// `sizeof(struct page)`: 64, or 56 without CONFIG_MEMCG.
    pub struct_page_size: u64,
}

impl KernelLayout {
    pub const fn new(paging: Mode, struct_page_size: u64) -> KernelLayout {
        let (vmemmap_start, vmemmap_size, page_offset, direct_map_size) = match paging {
            Mode::Sv39 => (
                0xffff_ffc5_0000_0000,
                4 << 30,
                0xffff_ffd6_0000_0000,
                128 << 30,
            ),
            Mode::Sv48 => (
                0xffff_8d80_0000_0000,
                2 << 40,
                0xffff_af80_0000_0000,
                64 << 40,
            ),
        };
        KernelLayout {
            paging,
            vmemmap_start,
            vmemmap_size,
            page_offset,
            direct_map_size,
            phys_ram_base: DRAM_BASE,
            vmemmap_start_pfn: (DRAM_BASE & !(SECTION_SIZE - 1)) >> PAGE_SHIFT,
            struct_page_size,
        }
    }

    /// `__va`: the direct-map address of physical address `pa`.
    pub const fn pa_to_va(&self, pa: u64) -> u64 {
        pa.wrapping_sub(self.phys_ram_base)
            .wrapping_add(self.page_offset)
    }

    /// What to add to a physical address to reach it through the direct map.
    pub const fn direct_map_offset(&self) -> u64 {
        self.page_offset.wrapping_sub(self.phys_ram_base)
    }

    /// The highest physical address (exclusive) the direct map can hold.
    pub const fn direct_map_pa_end(&self) -> u64 {
        self.phys_ram_base + self.direct_map_size
    }

    /// `pfn_to_page`: the virtual address of pfn's struct page.
    pub const fn pfn_to_page(&self, pfn: u64) -> u64 {
        self.vmemmap_start + (pfn - self.vmemmap_start_pfn) * self.struct_page_size
    }

    /// One past the highest pfn whose struct page fits in the vmemmap region.
    pub const fn vmemmap_pfn_end(&self) -> u64 {
        self.vmemmap_start_pfn + self.vmemmap_size / self.struct_page_size
    }
}

pub const fn align_up(x: u64, align: u64) -> u64 {
    (x + align - 1) & !(align - 1)
}

pub const fn align_down(x: u64, align: u64) -> u64 {
    x & !(align - 1)
}

pub const fn is_aligned(x: u64, align: u64) -> bool {
    x & (align - 1) == 0
}

/// 4 KiB, the base page.
pub const PAGE: u64 = PAGE_SIZE;
