//! The `vmemmap` firmware (DESIGN.md §6): builds the vmemmap of the pmem device the
//! way Linux does for device-dax on RISC-V, initializes its struct pages, and runs
//! workloads over them, each phase marked through SIMCTRL so that the harness can
//! attribute its counters:
//!
//! | phase | what | module |
//! |---|---|---|
//! | (before 1) | M-mode: PMP, trap routing, identity and direct maps, `satp`, drop to S | [`boot`] |
//! | 1 | `arch_add_memory`: the device's direct map, then its vmemmap | [`boot`], [`populate`] |
//! | 2 | initialize the struct pages (`memmap_init_zone_device`) | [`struct_page`] |
//! | 3 | sequential pfn scan (`pfn_to_page`, `compound_head`) | [`workloads`] |
//! | 4 | random pfn lookups | [`workloads`] |
//! | 5 | per-compound device-dax fault (`mapping`, the process's leaf) | [`workloads`] |
//! | 6 | data pass over pmem through the direct map | [`workloads`] |
//!
//! The harness configures a run through `VMEMMAP_CONFIG` and reads `VMEMMAP_RESULT`
//! after the exit ([`config`] documents both layouts). The exit code is the result's
//! status: 0 when every phase passed, 16..19 for a refused configuration, no memory
//! or a failed check (the console says why); a trap exits with 102 and a panic with
//! 101 through the runtime, leaving the status at 1 (running).

pub mod boot;
pub mod config;
pub mod frames;
pub mod layout;
pub mod pgtable;
pub mod populate;
pub mod struct_page;
pub mod workloads;

use core::ptr::{addr_of, addr_of_mut, write_volatile};

use self::config::{
    altmap_data_offset, Config, Mode, Params, Result, ALTMAP_INFO_BLOCK, RESULT_MAGIC,
    STATUS_BAD_CONFIG, STATUS_CHECK_FAILED, STATUS_NO_MEMORY, STATUS_OK, STATUS_RUNNING,
};
use self::frames::{Altmap, FrameAllocator};
use self::layout::{DRAM_END, PAGE, PMEM_BASE};
use self::pgtable::PageTables;
use self::populate::{BuildError, Device};
use self::workloads::{CheckFailure, Workloads};
use cosim_firmware::{println, simctrl};

/// `struct dev_pagemap` of the device, as far as anything reads it: the range, the
/// compound order and the altmap. Struct pages point at it through the direct map.
#[repr(C)]
struct DevPagemap {
    range_start: u64,
    range_end: u64,
    vmemmap_shift: u64,
    /// `MEMORY_DEVICE_GENERIC` (device-dax).
    kind: u64,
    altmap_base_pfn: u64,
    altmap_reserve: u64,
    altmap_free: u64,
    altmap_alloc: u64,
    altmap_align: u64,
}

/// Named for the harness, which checks every head page points at it.
#[no_mangle]
static mut DEV_PAGEMAP: DevPagemap = DevPagemap {
    range_start: 0,
    range_end: 0,
    vmemmap_shift: 0,
    kind: 0,
    altmap_base_pfn: 0,
    altmap_reserve: 0,
    altmap_free: 0,
    altmap_alloc: 0,
    altmap_align: 0,
};

/// `MEMORY_DEVICE_GENERIC` in `enum memory_type`.
const MEMORY_DEVICE_GENERIC: u64 = 4;

/// The `struct address_space` a phase-5 fault installs as `mapping` (named for the
/// harness's check of the heads).
#[no_mangle]
static mut DAX_MAPPING: [u64; 8] = [0; 8];

extern "C" {
    /// End of the image (its last section is the stack), from link.x.
    static __stack_top: u8;
}

/// What M-mode hands to S-mode.
struct Context {
    params: Params,
    pt: PageTables,
    frames: FrameAllocator,
    result: *mut Result,
    res: Result,
}

/// Runs the whole firmware from M-mode; never returns (the run ends by its exit).
pub fn run(config: Config, result: *mut Result) -> ! {
    let mut res = Result::INITIAL;
    res.status = STATUS_RUNNING;
    store(result, &res);
    let params = match Params::from_config(&config) {
        Ok(p) => p,
        Err(e) => {
            println!(
                "vmemmap: bad configuration: {} = {:#x} ({})",
                e.what, e.value, e.value
            );
            finish(result, &mut res, e.status)
        }
    };
    let layout = params.layout;
    println!(
        "vmemmap: {} {} compound, {} MiB pmem, {:?}, {}-byte struct page, {} iterations",
        params.mode.name(),
        size_name(params.pages_per_compound() * PAGE),
        params.pmem_size >> 20,
        layout.paging,
        layout.struct_page_size,
        params.iterations,
    );
    boot::pmp_allow_all();
    boot::route_traps();

    // Only the symbol's address is taken.
    let image_end = addr_of!(__stack_top) as u64;
    let mut frames = FrameAllocator::new(image_end, DRAM_END);
    let mut pt = match PageTables::new(layout.paging, &mut frames, 0) {
        Ok(pt) => pt,
        Err(e) => fail(
            result,
            &mut res,
            STATUS_NO_MEMORY,
            format_args!("root table: {e}"),
        ),
    };
    if let Err(e) = boot::map_kernel(&mut pt, &mut frames, &params) {
        fail(
            result,
            &mut res,
            STATUS_NO_MEMORY,
            format_args!("kernel map: {e}"),
        );
    }
    res.vmemmap_start = layout.vmemmap_start;
    res.vmemmap_start_pfn = layout.vmemmap_start_pfn;
    res.root_ppn = pt.root_ppn();
    res.satp = pt.satp();
    res.kernel_table_pages = pt.tables;
    res.populated_as = params.populated_as() as u64;
    store(result, &res);

    let satp = pt.satp();
    let mut ctx = Context {
        params,
        pt,
        frames,
        result,
        res,
    };
    boot::enter_supervisor(satp, supervisor_main, &mut ctx)
}

/// The nd_pfn-style altmap of the device: info block, then the memmap.
fn device_altmap(params: &Params) -> Altmap {
    let offset = altmap_data_offset(params.pmem_size, params.pages_per_compound() * PAGE);
    Altmap {
        base_pfn: PMEM_BASE / PAGE,
        reserve: ALTMAP_INFO_BLOCK / PAGE,
        free: (offset - ALTMAP_INFO_BLOCK) / PAGE,
        alloc: 0,
        align: 0,
    }
}

/// Phases 1 to 6, in S-mode with translation on.
extern "C" fn supervisor_main(ctx: *mut Context) -> ! {
    // SAFETY: `run` passed its own context, whose frame stays above our stack.
    let ctx = unsafe { &mut *ctx };
    let Context {
        params,
        pt,
        frames,
        result,
        res,
    } = ctx;
    let result = *result;
    let layout = params.layout;
    pt.set_access(layout.direct_map_offset());

    let mut altmap = (params.mode == Mode::Altmap).then(|| device_altmap(params));
    let device = Device::new(params, altmap.as_ref());
    res.device_start_pfn = device.start_pfn;
    res.device_end_pfn = device.end_pfn;
    res.first_data_pfn = device.first_pfn;

    // Phase 1: populate.
    // `arch_add_memory`: the device's direct map, its memmap, then a flush.
    let t = start_phase(res, 1);
    let built = boot::map_device_linear(pt, frames, params)
        .map_err(BuildError::Map)
        .and_then(|()| populate::populate(params, &device, pt, frames, altmap.as_mut()));
    boot::flush_tlb_all();
    end_phase(res, 1, t);
    match built {
        Ok(stats) => {
            res.vmemmap_frames = stats.data_frames;
            res.vmemmap_table_pages = stats.table_pages;
            res.vmemmap_pte_leaves = stats.pte_leaves;
            res.vmemmap_pmd_leaves = stats.pmd_leaves;
            res.altmap_pfns = altmap.as_ref().map_or(0, Altmap::used);
        }
        Err(e) => {
            let status = match e {
                BuildError::NoData { .. } | BuildError::Map(_) => STATUS_NO_MEMORY,
                BuildError::NoTailPage { .. } => STATUS_BAD_CONFIG,
            };
            fail(result, res, status, format_args!("phase 1: {e}"));
        }
    }

    // Phase 2: struct pages.
    let t = start_phase(res, 2);
    // SAFETY: single hart; nothing else touches the pagemap.
    let pgmap = unsafe { &mut *addr_of_mut!(DEV_PAGEMAP) };
    pgmap.range_start = PMEM_BASE;
    pgmap.range_end = PMEM_BASE + params.pmem_size;
    pgmap.vmemmap_shift = u64::from(params.order);
    pgmap.kind = MEMORY_DEVICE_GENERIC;
    if let Some(a) = &altmap {
        pgmap.altmap_base_pfn = a.base_pfn;
        pgmap.altmap_reserve = a.reserve;
        pgmap.altmap_free = a.free;
        pgmap.altmap_alloc = a.alloc;
        pgmap.altmap_align = a.align;
    }
    let pgmap_va = layout.pa_to_va(pgmap as *mut DevPagemap as u64);
    // compound_nr_pages: the two kept frames' worth when optimized, else all.
    let per_compound = if params.optimized() {
        2 * PAGE / layout.struct_page_size
    } else {
        params.pages_per_compound()
    };
    res.struct_pages_written = struct_page::init(&layout, &device, pgmap_va, per_compound);
    end_phase(res, 2, t);

    // Phases 3 to 6: workloads.
    let w = Workloads {
        layout: &layout,
        device: &device,
        iterations: params.iterations,
    };
    let t = start_phase(res, 3);
    let seq = w.sequential_scan();
    end_phase(res, 3, t);
    res.seq_lookups = seq.unwrap_or_else(|f| check_failed(result, res, 3, &f));

    let t = start_phase(res, 4);
    let random = w.random_lookups(params.seed);
    end_phase(res, 4, t);
    res.random_lookups = random.unwrap_or_else(|f| check_failed(result, res, 4, &f));

    // The process's address space exists before it faults: its root table.
    let mut user = match PageTables::new(layout.paging, frames, layout.direct_map_offset()) {
        Ok(pt) => pt,
        Err(e) => fail(
            result,
            res,
            STATUS_NO_MEMORY,
            format_args!("process root table: {e}"),
        ),
    };
    let t = start_phase(res, 5);
    // Only the address is taken.
    let mapping = layout.pa_to_va(addr_of!(DAX_MAPPING) as u64);
    let faulted = w.fault_path(mapping, &mut user, frames);
    end_phase(res, 5, t);
    res.faults = faulted
        .unwrap_or_else(|e| fail(result, res, STATUS_NO_MEMORY, format_args!("phase 5: {e}")));

    let t = start_phase(res, 6);
    (res.lines_read, res.data_checksum) = w.data_pass();
    end_phase(res, 6, t);

    println!(
        "vmemmap: ok: {} as {}: {} vmemmap frames ({} KiB), {} vmemmap table pages, \
         {} PTE + {} PMD leaves, {} struct pages written; {} + {} lookups, {} faults, \
         {} lines; cycles {:?}",
        params.mode.name(),
        params.populated_as().name(),
        res.vmemmap_frames,
        (res.vmemmap_frames * PAGE) >> 10,
        res.vmemmap_table_pages,
        res.vmemmap_pte_leaves,
        res.vmemmap_pmd_leaves,
        res.struct_pages_written,
        res.seq_lookups,
        res.random_lookups,
        res.faults,
        res.lines_read,
        res.phase_cycles,
    );
    finish(result, res, STATUS_OK)
}

fn start_phase(res: &mut Result, n: u64) -> u64 {
    res.last_phase = n;
    simctrl::phase(n);
    boot::cycles()
}

fn end_phase(res: &mut Result, n: u64, t0: u64) {
    res.phase_cycles[n as usize - 1] = boot::cycles() - t0;
}

fn check_failed(result: *mut Result, res: &mut Result, phase: u64, f: &CheckFailure) -> ! {
    fail(
        result,
        res,
        STATUS_CHECK_FAILED,
        format_args!(
            "phase {phase}: pfn {:#x} (struct page {:#x}): compound_head {:#x}, expected {:#x}, head flags {:#x}",
            f.pfn, f.page, f.found_head, f.expected_head, f.head_flags
        ),
    )
}

fn fail(result: *mut Result, res: &mut Result, status: u64, why: core::fmt::Arguments) -> ! {
    println!("vmemmap: FAILED (status {status}): {why}");
    finish(result, res, status)
}

/// Publishes the results and ends the run with `status` as exit code.
fn finish(result: *mut Result, res: &mut Result, status: u64) -> ! {
    res.status = status;
    res.result_magic = RESULT_MAGIC;
    store(result, res);
    simctrl::exit(status as u32)
}

/// Writes the whole result block, word by word, so the harness sees every field.
fn store(result: *mut Result, res: &Result) {
    const WORDS: usize = core::mem::size_of::<Result>() / 8;
    // SAFETY: `Result` is `repr(C)` and made of u64s only.
    let words: [u64; WORDS] = unsafe { core::mem::transmute(*res) };
    let out = result as *mut u64;
    for (i, w) in words.iter().enumerate() {
        // SAFETY: `result` points at the result block, which is WORDS words long.
        unsafe { write_volatile(out.add(i), *w) };
    }
}

/// "4K", "2M", "1G".
fn size_name(bytes: u64) -> &'static str {
    match bytes {
        0x1000 => "4K",
        0x20_0000 => "2M",
        0x4000_0000 => "1G",
        _ => "?",
    }
}
