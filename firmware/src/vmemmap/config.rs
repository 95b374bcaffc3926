//! The validated run parameters derived from the configuration block. The blocks
//! themselves (`VMEMMAP_CONFIG`, `VMEMMAP_RESULT`) are the harness contract, defined in
//! `vmem::vmemmap_abi` for both sides.

use vmem::geometry::Mode as Paging;
pub use vmem::vmemmap_abi::*;

use super::layout::{is_aligned, KernelLayout, PMD_SIZE, PMEM_BASE, PMEM_MAX_SIZE, SECTION_SIZE};

/// How the vmemmap is populated (`VMEMMAP_CONFIG.mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `vmemmap_populate_basepages`: a fresh 4 KiB frame per vmemmap page.
    Base = 0,
    /// RISC-V `vmemmap_populate` → `vmemmap_populate_hugepages`: 2 MiB PMD leaves.
    Huge = 1,
    /// `vmemmap_populate_compound_pages`: two frames per compound page, the rest aliased.
    Dax = 2,
    /// The vmemmap in the device itself (`struct vmem_altmap`); PMD leaves, no optimization.
    Altmap = 3,
}

// The contract numbers the modes too.
const _: () = assert!(Mode::Dax as u64 == MODE_DAX);

impl Mode {
    pub const fn from_u64(v: u64) -> Option<Mode> {
        match v {
            0 => Some(Mode::Base),
            1 => Some(Mode::Huge),
            2 => Some(Mode::Dax),
            3 => Some(Mode::Altmap),
            _ => None,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Mode::Base => "base",
            Mode::Huge => "huge",
            Mode::Dax => "dax",
            Mode::Altmap => "altmap",
        }
    }
}

/// A configuration the firmware refuses, with the status to report.
#[derive(Clone, Copy, Debug)]
pub struct ConfigError {
    pub status: u64,
    pub what: &'static str,
    pub value: u64,
}

/// The validated parameters of one run.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub mode: Mode,
    /// The compound order (`pgmap->vmemmap_shift`): 0, 9 or 18.
    pub order: u32,
    pub pmem_size: u64,
    pub layout: KernelLayout,
    pub iterations: u64,
    pub seed: u64,
}

impl Params {
    pub fn from_config(c: &Config) -> core::result::Result<Params, ConfigError> {
        let bad = |what, value| ConfigError {
            status: STATUS_BAD_CONFIG,
            what,
            value,
        };
        if c.magic != CONFIG_MAGIC {
            return Err(ConfigError {
                status: STATUS_BAD_MAGIC,
                what: "magic",
                value: c.magic,
            });
        }
        let mode = Mode::from_u64(c.mode).ok_or(bad("mode (0..3)", c.mode))?;
        if !matches!(c.compound_shift, 12 | 21 | 30) {
            return Err(bad("compound_shift (12, 21, 30)", c.compound_shift));
        }
        let paging = u8::try_from(c.paging)
            .ok()
            .and_then(Paging::from_satp_mode)
            .ok_or(bad("paging (8 Sv39, 9 Sv48)", c.paging))?;
        if !matches!(c.struct_page_size, 56 | 64) {
            return Err(bad("struct_page_size (56, 64)", c.struct_page_size));
        }
        let compound = 1u64 << c.compound_shift;
        let size = c.pmem_size;
        if size == 0 || size > PMEM_MAX_SIZE {
            return Err(bad("pmem_size (1 section .. 1 TiB)", size));
        }
        if !is_aligned(size, SECTION_SIZE) || !is_aligned(size, compound) {
            return Err(bad(
                "pmem_size (a multiple of 128 MiB and of the compound size)",
                size,
            ));
        }
        let layout = KernelLayout::new(paging, c.struct_page_size);
        let end = PMEM_BASE + size;
        if end > layout.direct_map_pa_end() {
            return Err(bad("pmem_size (beyond the direct map)", size));
        }
        if end >> 12 > layout.vmemmap_pfn_end() {
            return Err(bad("pmem_size (beyond the vmemmap region)", size));
        }
        if mode == Mode::Altmap {
            // The memmap takes the front of the device; at least one compound page
            // of data must remain behind it.
            let offset = altmap_data_offset(size, compound);
            if offset >= size {
                return Err(bad("pmem_size (no room after the altmap memmap)", size));
            }
        }
        Ok(Params {
            mode,
            order: c.compound_shift as u32 - 12,
            pmem_size: size,
            layout,
            iterations: c.iterations,
            seed: if c.seed == 0 { DEFAULT_SEED } else { c.seed },
        })
    }

    /// Pages per compound page (`pgmap_vmemmap_nr`).
    pub const fn pages_per_compound(&self) -> u64 {
        1 << self.order
    }

    /// `vmemmap_can_optimize`: a pgmap (always), no altmap, a power-of-two struct
    /// page, and more than `VMEMMAP_RESERVE_NR = 2` vmemmap pages per compound page.
    pub const fn optimized(&self) -> bool {
        let vmemmap_pages = (self.pages_per_compound() * self.layout.struct_page_size) >> 12;
        matches!(self.mode, Mode::Dax)
            && self.layout.struct_page_size.is_power_of_two()
            && vmemmap_pages > 2
    }

    /// What is actually built: `dax` without the optimization is RISC-V's
    /// `vmemmap_populate`, i.e. `huge`.
    pub const fn populated_as(&self) -> Mode {
        match self.mode {
            Mode::Dax if !self.optimized() => Mode::Huge,
            m => m,
        }
    }
}

/// Bytes the nvdimm pfn info block reserves at the device's start (`SZ_8K`).
pub const ALTMAP_INFO_BLOCK: u64 = 8 << 10;
/// `MAX_STRUCT_PAGE_SIZE`: what nd_pfn reserves per pfn, whatever the real size.
pub const ALTMAP_STRUCT_PAGE_RESERVE: u64 = 64;

/// The data offset of an nd_pfn device in "map=dev" mode (`nd_pfn_init`): the
/// info block and 64 bytes per pfn behind it (`npfns = (size - 8 KiB) >> 12`), rounded
/// up to the pfn alignment (the compound size, at least 2 MiB, nd_pfn's default and
/// `memremap_compat_align`).
pub const fn altmap_data_offset(size: u64, compound: u64) -> u64 {
    let align = if compound > PMD_SIZE {
        compound
    } else {
        PMD_SIZE
    };
    let npfns = (size - ALTMAP_INFO_BLOCK) >> 12;
    let raw = ALTMAP_INFO_BLOCK + ALTMAP_STRUCT_PAGE_RESERVE * npfns;
    (raw + align - 1) & !(align - 1)
}
