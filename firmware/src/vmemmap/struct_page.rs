//! Phase 2: `struct page` and its initialization by `memmap_init_zone_device`
//! (mm/mm_init.c), modelled on Linux 6.12 for 64-bit RISC-V (the last releases whose
//! tails encode `compound_head = head + 1`).
//!
//! # Layout (64 bytes; the 56-byte one, without CONFIG_MEMCG, drops `memcg_data`)
//!
//! | offset | size | field | device head page | tail page | first tail page (folio fields) |
//! |---|---|---|---|---|---|
//! | 0x00 | 8 | `flags` | `PG_head \| PG_reserved \| zone` | `PG_reserved \| zone` | `PG_reserved \| zone \| order` (`_flags_1`: order in bits 7..0) |
//! | 0x08 | 8 | `pgmap` / `compound_head` / `lru.next` | pgmap pointer | head address + 1 | head address + 1 |
//! | 0x10 | 8 | `zone_device_data` / `lru.prev` | 0 | 0 | `_large_mapcount` (i32, -1) at 0x10, `_entire_mapcount` (i32, -1) at 0x14 |
//! | 0x18 | 8 | `mapping` | 0 | `TAIL_MAPPING` | `_nr_pages_mapped` (i32, 0) at 0x18, `_pincount` (i32, 0) at 0x1c |
//! | 0x20 | 8 | `index` | 0 | 0 | `_folio_nr_pages` (u32, `1 << order`) at 0x20 |
//! | 0x28 | 8 | `private` | 0 | 0 | 0 |
//! | 0x30 | 4 | `_mapcount` | -1 | -1 | -1 |
//! | 0x34 | 4 | `_refcount` | 1 (device-dax keeps 1) | 0 | 0 |
//! | 0x38 | 8 | `memcg_data` (64-byte layout only) | 0 | 0 | 0 |
//!
//! `flags` bit 6 is `PG_head`, bit 13 `PG_reserved`; bits 63..62 hold the zone
//! (`ZONE_DEVICE` = 3 after DMA32, NORMAL, MOVABLE; node bits are zero). A device page
//! of order 0 is a head page without `PG_head`. `TAIL_MAPPING` is
//! `0x400 + POISON_POINTER_DELTA` = `0xdead_0000_0000_0400` on 64-bit RISC-V.
//!
//! With an altmap, the pfns that hold the memmap itself (after the 8 KiB info block)
//! are initialized as plain pages by `memmap_init_range`: `PG_reserved | zone`,
//! `lru` pointing at itself (0x08 and 0x10 = the page's address + 8), mapcount -1,
//! refcount 1; the info block's pfns are not initialized.
//!
//! Each struct page is written in full (`mm_zero_struct_page` and the field stores of
//! `__init_single_page`, `__init_zone_device_page`, `prep_compound_tail`,
//! `prep_compound_head`, folded into one store per word). When the vmemmap is
//! optimized only the struct pages in the two kept frames are written (128 with
//! 64-byte struct pages); every later tail reads back as one of those through the
//! aliased vmemmap pages.

use core::arch::asm;
use core::ptr::write_volatile;

use super::layout::KernelLayout;
use super::populate::Device;

pub const FLAGS: u64 = 0x00;
pub const PGMAP: u64 = 0x08;
pub const COMPOUND_HEAD: u64 = 0x08;
pub const LRU_NEXT: u64 = 0x08;
pub const ZONE_DEVICE_DATA: u64 = 0x10;
pub const LRU_PREV: u64 = 0x10;
pub const MAPPING: u64 = 0x18;
pub const INDEX: u64 = 0x20;
pub const PRIVATE: u64 = 0x28;
pub const MAPCOUNT: u64 = 0x30;
pub const REFCOUNT: u64 = 0x34;
pub const MEMCG_DATA: u64 = 0x38;
/// First tail page: `struct folio` fields.
pub const FOLIO_LARGE_MAPCOUNT: u64 = 0x10;
pub const FOLIO_ENTIRE_MAPCOUNT: u64 = 0x14;
pub const FOLIO_NR_PAGES_MAPPED: u64 = 0x18;
pub const FOLIO_PINCOUNT: u64 = 0x1c;
pub const FOLIO_NR_PAGES: u64 = 0x20;
/// `_flags_1` bits holding the folio order.
pub const FOLIO_ORDER_MASK: u64 = 0xff;

pub const PG_HEAD: u64 = 1 << 6;
pub const PG_RESERVED: u64 = 1 << 13;
pub const ZONES_PGSHIFT: u32 = 62;
pub const ZONE_DEVICE: u64 = 3;
pub const ZONE_FLAGS: u64 = ZONE_DEVICE << ZONES_PGSHIFT;
pub const TAIL_MAPPING: u64 = 0xdead_0000_0000_0400;

/// The zone a struct page's flags name.
pub const fn page_zone(flags: u64) -> u64 {
    flags >> ZONES_PGSHIFT
}

/// `_mapcount` and `_refcount` as the one word at 0x30.
const fn counts(mapcount: i32, refcount: i32) -> u64 {
    (mapcount as u32 as u64) | ((refcount as u32 as u64) << 32)
}

/// A struct page's contents as eight words (the 56-byte layout uses seven).
type Image = [u64; 8];

/// A device page: the head of a compound page (`PG_head` when `order > 0`).
fn head_image(pgmap: u64, order: u32) -> Image {
    let head = if order > 0 { PG_HEAD } else { 0 };
    [
        head | PG_RESERVED | ZONE_FLAGS,
        pgmap,
        0,
        0,
        0,
        0,
        counts(-1, 1),
        0,
    ]
}

/// A tail page other than the first.
fn tail_image(head: u64) -> Image {
    [
        PG_RESERVED | ZONE_FLAGS,
        head + 1,
        0,
        TAIL_MAPPING,
        0,
        0,
        counts(-1, 0),
        0,
    ]
}

/// The first tail page, after `prep_compound_head` (order, nr_pages, mapcounts).
fn first_tail_image(head: u64, order: u32) -> Image {
    [
        PG_RESERVED | ZONE_FLAGS | u64::from(order),
        head + 1,
        counts(-1, -1),
        0,
        1 << order,
        0,
        counts(-1, 0),
        0,
    ]
}

/// A plain page of ZONE_DEVICE memory (the altmap's memmap pfns).
fn plain_image(page: u64) -> Image {
    [
        PG_RESERVED | ZONE_FLAGS,
        page + LRU_NEXT,
        page + LRU_NEXT,
        0,
        0,
        0,
        counts(-1, 1),
        0,
    ]
}

/// Writes one struct page of `W` words (8: 64 bytes, 7: 56 bytes), one store each.
#[inline(always)]
fn write<const W: usize>(page: u64, image: &Image) {
    let p = page as *mut u64;
    // SAFETY: phase 1 mapped the vmemmap of every pfn of the device read-write.
    unsafe {
        write_volatile(p, image[0]);
        write_volatile(p.add(1), image[1]);
        write_volatile(p.add(2), image[2]);
        write_volatile(p.add(3), image[3]);
        write_volatile(p.add(4), image[4]);
        write_volatile(p.add(5), image[5]);
        write_volatile(p.add(6), image[6]);
        if W == 8 {
            write_volatile(p.add(7), image[7]);
        }
    }
}

/// Writes `image` into every struct page from `start` up to `end`, `size` apart: the
/// bulk of phase 2. The loop is assembly so that its head is 8-byte aligned whatever
/// the code around it: on this core a taken branch to an unaligned 4-byte
/// instruction costs ~19 cycles instead of ~5 (two fetches, behind the stores), which
/// would make the phase's cost depend on code layout.
#[inline(always)]
fn fill<const W: usize>(start: u64, end: u64, size: u64, image: &Image) {
    // SAFETY: phase 1 mapped the struct pages of [start, end) read-write; the loop
    // only stores there.
    unsafe {
        if W == 8 {
            asm!(
                "j 2f",
                ".p2align 3",
                "1:",
                "sd {w0}, 0({p})",
                "sd {w1}, 8({p})",
                "sd {w2}, 16({p})",
                "sd {w3}, 24({p})",
                "sd {w4}, 32({p})",
                "sd {w5}, 40({p})",
                "sd {w6}, 48({p})",
                "sd {w7}, 56({p})",
                "add {p}, {p}, {size}",
                "2:",
                "bltu {p}, {end}, 1b",
                p = inout(reg) start => _,
                end = in(reg) end,
                size = in(reg) size,
                w0 = in(reg) image[0],
                w1 = in(reg) image[1],
                w2 = in(reg) image[2],
                w3 = in(reg) image[3],
                w4 = in(reg) image[4],
                w5 = in(reg) image[5],
                w6 = in(reg) image[6],
                w7 = in(reg) image[7],
                options(nostack),
            );
        } else {
            asm!(
                "j 2f",
                ".p2align 3",
                "1:",
                "sd {w0}, 0({p})",
                "sd {w1}, 8({p})",
                "sd {w2}, 16({p})",
                "sd {w3}, 24({p})",
                "sd {w4}, 32({p})",
                "sd {w5}, 40({p})",
                "sd {w6}, 48({p})",
                "add {p}, {p}, {size}",
                "2:",
                "bltu {p}, {end}, 1b",
                p = inout(reg) start => _,
                end = in(reg) end,
                size = in(reg) size,
                w0 = in(reg) image[0],
                w1 = in(reg) image[1],
                w2 = in(reg) image[2],
                w3 = in(reg) image[3],
                w4 = in(reg) image[4],
                w5 = in(reg) image[5],
                w6 = in(reg) image[6],
                options(nostack),
            );
        }
    }
}

/// Runs `memmap_init_zone_device` (and, with an altmap, `memmap_init_range` for the
/// memmap's own pfns); `per_compound` is how many struct pages of each compound page
/// to write (`compound_nr_pages`). Returns the struct pages written.
pub fn init(layout: &KernelLayout, device: &Device, pgmap: u64, per_compound: u64) -> u64 {
    match layout.struct_page_size {
        64 => init_words::<8>(layout, device, pgmap, per_compound),
        _ => init_words::<7>(layout, device, pgmap, per_compound),
    }
}

fn init_words<const W: usize>(
    layout: &KernelLayout,
    device: &Device,
    pgmap: u64,
    per_compound: u64,
) -> u64 {
    let size = layout.struct_page_size;
    let mut written = 0;

    // memmap_init_range for ZONE_DEVICE with an altmap: the memmap's pfns.
    let mut page = layout.pfn_to_page(device.first_init_pfn);
    let plain_end = layout.pfn_to_page(device.first_pfn);
    while page < plain_end {
        write::<W>(page, &plain_image(page));
        page += size;
        written += 1;
    }

    // memmap_init_zone_device: one compound page at a time.
    let order = device.order;
    let nr = device.pages_per_compound();
    let head_image = head_image(pgmap, order);
    let mut head = layout.pfn_to_page(device.first_pfn);
    let end = layout.pfn_to_page(device.end_pfn);
    if nr == 1 {
        // Order 0: every page is a head of its own, without PG_head.
        fill::<W>(head, end, size, &head_image);
        return written + (device.end_pfn - device.first_pfn);
    }
    while head < end {
        write::<W>(head, &head_image);
        // memmap_init_compound: the first tail, then the others.
        write::<W>(head + size, &first_tail_image(head, order));
        fill::<W>(
            head + 2 * size,
            head + per_compound * size,
            size,
            &tail_image(head),
        );
        written += per_compound;
        head += nr * size;
    }
    written
}
