//! M-mode start: PMP, trap routing, the kernel-like address space, and the drop to
//! S-mode with translation on.
//!
//! The address space holds, besides the vmemmap that phase 1 adds:
//!
//! - the firmware identity-mapped: DRAM's gigapage at `0x8000_0000` (R W X: code,
//!   data, stack, the result block) and SIMCTRL's 4 KiB page (R W), so that code,
//!   console and exit keep working once `satp` is on;
//! - the direct map at `PAGE_OFFSET` (`__va(pa) = pa - phys_ram_base + PAGE_OFFSET`)
//!   of DRAM, with the leaves `best_map_size` picks (2 MiB on Sv39, 1 GiB on Sv48
//!   where aligned), `PAGE_KERNEL`; the device's comes in phase 1, as
//!   `arch_add_memory` adds it ([`map_device_linear`]);
//! - DRAM's own memmap in the vmemmap, 2 MiB blocks from DRAM (`sparse_init` →
//!   `vmemmap_populate`): the struct pages `get_page` and the page allocator touch;
//! - the tables below the root over the whole vmemmap and direct-map ranges
//!   (`preallocate_pgd_pages_range`), so that populating a device never allocates
//!   at that level.
//!
//! Nothing is delegated (`medeleg = mideleg = 0`): every S-mode trap goes to the
//! runtime's M-mode handler, which prints mcause, mepc and mtval and exits with 102.

use core::arch::asm;

use super::config::Params;
use super::frames::FrameAllocator;
use super::layout::{
    align_down, KernelLayout, DRAM_BASE, DRAM_END, DRAM_SIZE, PAGE, PMD_SIZE, PMEM_BASE, PUD_SIZE,
    SIMCTRL_BASE,
};
use super::pgtable::{MapError, PageTables, PAGE_KERNEL, PAGE_KERNEL_EXEC};

/// PMP entry 0 as NAPOT over the whole address space, R W X: S-mode may touch
/// everything (the MMU decides).
pub fn pmp_allow_all() {
    const NAPOT_RWX: u64 = (0b11 << 3) | 0b111;
    // SAFETY: PMP CSRs only constrain S/U-mode accesses; M-mode keeps running.
    unsafe {
        asm!(
            "csrw pmpaddr0, {all}",
            "csrw pmpcfg0, {cfg}",
            all = in(reg) u64::MAX,
            cfg = in(reg) NAPOT_RWX,
        );
    }
}

/// No delegation, no interrupts, and `cycle`/`time`/`instret` readable from S-mode.
pub fn route_traps() {
    // SAFETY: writes to M-mode CSRs that only decide where traps go and which
    // counters S-mode may read.
    unsafe {
        asm!(
            "csrw medeleg, zero",
            "csrw mideleg, zero",
            "csrw mie, zero",
            "csrw mcounteren, {cnt}",
            cnt = in(reg) 0b111u64,
        );
    }
}

/// Builds the identity map of the firmware, the direct map of DRAM, DRAM's
/// memmap, and preallocates the level below the root over the vmemmap and the
/// direct map.
pub fn map_kernel(
    pt: &mut PageTables,
    frames: &mut FrameAllocator,
    params: &Params,
) -> Result<(), MapError> {
    let layout = params.layout;
    pt.map(SIMCTRL_BASE, SIMCTRL_BASE, 0, PAGE_KERNEL, frames)?;
    const _: () = assert!(DRAM_BASE.is_multiple_of(PUD_SIZE) && DRAM_SIZE <= PUD_SIZE);
    pt.map(DRAM_BASE, DRAM_BASE, 2, PAGE_KERNEL_EXEC, frames)?;
    map_linear(pt, frames, &layout, DRAM_BASE, DRAM_SIZE)?;
    let vmemmap_end = layout.vmemmap_start + layout.vmemmap_size;
    pt.preallocate(layout.vmemmap_start, vmemmap_end, frames)?;
    let direct_map_end = layout.page_offset.wrapping_add(layout.direct_map_size);
    pt.preallocate(layout.page_offset, direct_map_end, frames)?;
    // DRAM's memmap, as `vmemmap_populate_hugepages` maps it at boot.
    let mut va = align_down(layout.pfn_to_page(DRAM_BASE / PAGE), PMD_SIZE);
    let end = layout.pfn_to_page(DRAM_END / PAGE);
    while va < end {
        let pa = frames
            .alloc_data(PMD_SIZE, PMD_SIZE)
            .ok_or(MapError::NoMemory)?;
        pt.map(va, pa, 1, PAGE_KERNEL, frames)?;
        va += PMD_SIZE;
    }
    Ok(())
}

/// The device's direct map, the first step of `arch_add_memory` (phase 1), in the
/// tables preallocated at boot.
pub fn map_device_linear(
    pt: &mut PageTables,
    frames: &mut FrameAllocator,
    params: &Params,
) -> Result<(), MapError> {
    map_linear(pt, frames, &params.layout, PMEM_BASE, params.pmem_size)
}

/// `create_linear_mapping_range`: `[pa, pa + size)` at `__va(pa)`, `PAGE_KERNEL`,
/// with the leaves `best_map_size` picks.
fn map_linear(
    pt: &mut PageTables,
    frames: &mut FrameAllocator,
    layout: &KernelLayout,
    pa: u64,
    size: u64,
) -> Result<(), MapError> {
    pt.map_range(layout.pa_to_va(pa), pa, size, PAGE_KERNEL, frames)
}

/// Turns translation on with `satp` and continues in S-mode at `entry(arg)` on the
/// current stack (identity-mapped, so it stays valid).
pub fn enter_supervisor<T>(satp: u64, entry: extern "C" fn(*mut T) -> !, arg: *mut T) -> ! {
    const MPP_MASK: u64 = 0b11 << 11;
    const MPP_S: u64 = 0b01 << 11;
    // SAFETY: the tables map everything S-mode touches from here on (code, stack,
    // statics, SIMCTRL); `mret` leaves M-mode for good.
    unsafe {
        asm!(
            "csrw satp, {satp}",
            "sfence.vma zero, zero",
            "csrw mepc, {entry}",
            "csrc mstatus, {mask}",
            "csrs mstatus, {s}",
            "mret",
            satp = in(reg) satp,
            entry = in(reg) entry as usize,
            mask = in(reg) MPP_MASK,
            s = in(reg) MPP_S,
            in("a0") arg,
            options(noreturn),
        );
    }
}

/// `sfence.vma` of everything (after phase 1 added the vmemmap).
pub fn flush_tlb_all() {
    // SAFETY: a fence has no effect on program state.
    unsafe { asm!("sfence.vma zero, zero") };
}

/// The `cycle` CSR (readable in S-mode through `mcounteren.CY`).
pub fn cycles() -> u64 {
    let c: u64;
    // SAFETY: reading a counter has no side effect.
    unsafe { asm!("rdcycle {0}", out(reg) c) };
    c
}
