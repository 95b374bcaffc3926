//! The kernel's own vmemmap, checked at power-off: the harness walks Linux's page
//! tables (`swapper_pg_dir`) over the device's struct pages, counts data frames,
//! mappings and table pages against the same arithmetic `cosim vmemmap` uses, and
//! reads every struct page's `compound_head` through the vmemmap (a wrong alias
//! shows up as a wrong head).

use super::devdax::{DevDax, MapLocation};
use super::{Paging, KERNEL_BASE};
use crate::memory::{PhysAddr, SystemBus};
use crate::mmu::{kernel_read, BusMemory};
use crate::vmemmap::{census_range, expected_data_bytes, Census, Mode, VmemmapConfig};
use object::{Object, ObjectSymbol};
use serde::Serialize;
use vmem::walk;

const PAGE: u64 = 4096;
/// sizeof(struct page) with CONFIG_MEMCG (linux/cosim.config).
const STRUCT_PAGE: u64 = 64;
/// PG_head in 6.12's page flags.
const PG_HEAD: u64 = 1 << 6;

/// What the kernel built for the device, and what the arithmetic says it should.
#[derive(Clone, Debug, Serialize)]
pub struct KernelVmemmap {
    /// The mode the arithmetic follows: dax (optimized), huge (4K alignment: no
    /// compound pages to optimize) or altmap (struct pages in the device).
    pub mode: Mode,
    pub vmemmap_start: u64,
    pub vmemmap_start_pfn: u64,
    pub census: Census,
    pub expected_data_bytes: u64,
    pub struct_pages_checked: u64,
}

/// VMEMMAP_START of RISC-V Linux 6.12 for the paging mode (asm/pgtable.h): below
/// VMALLOC_START by 2^(VA_BITS - 12 - 1 + 6).
pub fn vmemmap_start(paging: Paging) -> u64 {
    let (page_offset, va_bits, pgdir_shift): (u64, u32, u32) = match paging {
        Paging::Sv39 => (0xffff_ffd6_0000_0000, 39, 30),
        Paging::Sv48 => (0xffff_af80_0000_0000, 48, 39),
    };
    let kern_virt_size = (256u64 << pgdir_shift) / 2;
    let vmalloc_start = page_offset - (kern_virt_size >> 1);
    vmalloc_start - (1u64 << (va_bits - 12 - 1 + 6))
}

/// The mode of `cosim vmemmap` whose arithmetic Linux follows for this namespace.
pub fn mode_of(dax: &DevDax) -> Mode {
    match (dax.map, dax.align) {
        (MapLocation::Dev, _) => Mode::Altmap,
        (MapLocation::Mem, a) if a > PAGE => Mode::Dax,
        (MapLocation::Mem, _) => Mode::Huge,
    }
}

/// Checks the vmemmap Linux built for `dax`; `vmlinux` gives the symbols.
pub fn check(
    bus: &SystemBus,
    vmlinux: &[u8],
    dax: &DevDax,
    paging: Paging,
) -> Result<KernelVmemmap, String> {
    let file = object::File::parse(vmlinux).map_err(|e| format!("vmlinux: {e}"))?;
    let symbol = |name: &str| {
        file.symbols()
            .find(|s| s.name() == Ok(name))
            .map(|s| s.address())
            .ok_or_else(|| format!("vmlinux has no symbol {name}"))
    };
    // The kernel image is linked at `_start` and loaded at KERNEL_BASE.
    let link = symbol("_start")?;
    let physical = |va: u64| PhysAddr(va - link + KERNEL_BASE);
    let vmemmap_start_pfn = bus
        .read_u64(physical(symbol("vmemmap_start_pfn")?))
        .map_err(|e| format!("reading vmemmap_start_pfn: {e}"))?;
    let mode = match paging {
        Paging::Sv39 => 8u64,
        Paging::Sv48 => 9,
    };
    let satp = (mode << 60) | (physical(symbol("swapper_pg_dir")?).raw() >> 12);
    let start = vmemmap_start(paging);
    let first_pfn = dax.start / PAGE;
    let pfns = dax.size / PAGE;
    let struct_page = |pfn: u64| start + (pfn - vmemmap_start_pfn) * STRUCT_PAGE;
    let first = struct_page(first_pfn) & !(PAGE - 1);
    let end = struct_page(first_pfn + pfns).next_multiple_of(PAGE);
    let census = census_range(bus, satp, first, end)?;
    let mode = mode_of(dax);
    let config = VmemmapConfig {
        mode,
        compound_shift: dax.align.trailing_zeros(),
        pmem_size: dax.size,
        paging: mode_code(paging),
        struct_page_size: STRUCT_PAGE,
        iterations: 0,
        seed: 0,
    };
    let expected = expected_data_bytes(&config, (first_pfn - vmemmap_start_pfn) * STRUCT_PAGE);
    if census.data_frames * PAGE != expected {
        return Err(format!(
            "the kernel's vmemmap for the device is backed by {} KiB, the Linux arithmetic ({mode:?}) says {} KiB",
            census.data_frames * 4,
            expected >> 10
        ));
    }
    // Struct pages: a compound tail names its head (+1); a head has PG_head. With
    // the memmap in the device, the pfns before the data hold the memmap itself and
    // are not part of any compound page (memmap_init_zone_device starts after them).
    let pages_per_compound = dax.align / PAGE;
    let data_pfn = match dax.map {
        MapLocation::Mem => first_pfn,
        MapLocation::Dev => first_pfn + dax.data_offset() / PAGE,
    };
    let mut mem = BusMemory { bus, pmp: None };
    let mut read = |va: u64| -> Result<u64, String> {
        let t = walk::walk(&mut mem, &kernel_read(satp, va))
            .result
            .map_err(|f| format!("struct page at {va:#x} is not mapped: {f}"))?;
        bus.read_u64(PhysAddr(t.pa))
            .map_err(|e| format!("struct page at {va:#x}: {e}"))
    };
    let mut checked = 0;
    if pages_per_compound > 1 {
        for pfn in data_pfn..first_pfn + pfns {
            let head = pfn - (pfn - data_pfn) % pages_per_compound;
            let compound_head = read(struct_page(pfn) + 8)?;
            if pfn == head {
                let flags = read(struct_page(pfn))?;
                if flags & PG_HEAD == 0 || compound_head & 1 != 0 {
                    return Err(format!(
                        "pfn {pfn:#x}: a compound head without PG_head (flags {flags:#x}, compound_head {compound_head:#x})"
                    ));
                }
            } else if compound_head != struct_page(head) + 1 {
                return Err(format!(
                    "pfn {pfn:#x}: compound_head {compound_head:#x}, expected its head's struct page {:#x} + 1",
                    struct_page(head)
                ));
            }
            checked += 1;
        }
    }
    Ok(KernelVmemmap {
        mode,
        vmemmap_start: start,
        vmemmap_start_pfn,
        census,
        expected_data_bytes: expected,
        struct_pages_checked: checked,
    })
}

fn mode_code(paging: Paging) -> u64 {
    match paging {
        Paging::Sv39 => 8,
        Paging::Sv48 => 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vmemmap_starts_where_riscv_linux_puts_it() {
        // Documentation/arch/riscv/vm-layout.rst.
        assert_eq!(vmemmap_start(Paging::Sv39), 0xffff_ffc5_0000_0000);
        assert_eq!(vmemmap_start(Paging::Sv48), 0xffff_8d80_0000_0000);
    }
}
