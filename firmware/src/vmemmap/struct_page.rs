//! Phase 2: `struct page` and its initialization by `memmap_init_zone_device`
//! (mm/mm_init.c), modelled on Linux 6.12 for 64-bit RISC-V, whose tails encode
//! `compound_head = head + 1` (patches under review in 2026 rework that encoding).
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
use core::ptr::{read_volatile, write_volatile};
use core::sync::atomic::{AtomicI32, Ordering};

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

/// A struct page's contents as eight words (the 56-byte layout uses seven), built
/// field by field from the offsets above.
type Image = [u64; 8];

/// Sets the 8-byte field at `offset`.
fn set64(image: &mut Image, offset: u64, value: u64) {
    image[(offset / 8) as usize] = value;
}

/// Sets the 4-byte field at `offset` (little-endian within its word).
fn set32(image: &mut Image, offset: u64, value: i32) {
    let word = &mut image[(offset / 8) as usize];
    let shift = (offset % 8) * 8;
    *word = (*word & !(0xffff_ffff << shift)) | (u64::from(value as u32) << shift);
}

/// What every struct page of the device has: `__init_single_page` (zeroed, zone
/// links, refcount 1, mapcount -1) and `PG_reserved`.
fn common_image() -> Image {
    let mut image = [0; 8];
    set64(&mut image, FLAGS, PG_RESERVED | ZONE_FLAGS);
    set32(&mut image, MAPCOUNT, -1);
    set32(&mut image, REFCOUNT, 1);
    set64(&mut image, PRIVATE, 0);
    set64(&mut image, MEMCG_DATA, 0);
    image
}

/// A device page: the head of a compound page (`PG_head` when `order > 0`).
fn head_image(pgmap: u64, order: u32) -> Image {
    let mut image = common_image();
    if order > 0 {
        set64(&mut image, FLAGS, PG_HEAD | PG_RESERVED | ZONE_FLAGS);
    }
    set64(&mut image, PGMAP, pgmap);
    set64(&mut image, ZONE_DEVICE_DATA, 0);
    image
}

/// A tail page other than the first (`prep_compound_tail`, refcount 0).
fn tail_image(head: u64) -> Image {
    let mut image = common_image();
    set64(&mut image, COMPOUND_HEAD, head + 1);
    set64(&mut image, ZONE_DEVICE_DATA, 0);
    set64(&mut image, MAPPING, TAIL_MAPPING);
    set32(&mut image, REFCOUNT, 0);
    image
}

/// The first tail page, after `prep_compound_head`: the order in `_flags_1`, the
/// folio's mapcounts and `_folio_nr_pages` over the tail's own fields.
fn first_tail_image(head: u64, order: u32) -> Image {
    let mut image = tail_image(head);
    let order = u64::from(order) & FOLIO_ORDER_MASK;
    set64(&mut image, FLAGS, PG_RESERVED | ZONE_FLAGS | order);
    set32(&mut image, FOLIO_LARGE_MAPCOUNT, -1);
    set32(&mut image, FOLIO_ENTIRE_MAPCOUNT, -1);
    set32(&mut image, FOLIO_NR_PAGES_MAPPED, 0);
    set32(&mut image, FOLIO_PINCOUNT, 0);
    set32(&mut image, FOLIO_NR_PAGES, 1 << order);
    image
}

/// A plain page of ZONE_DEVICE memory (the altmap's memmap pfns): `lru` empty,
/// pointing at itself.
fn plain_image(page: u64) -> Image {
    let mut image = common_image();
    set64(&mut image, LRU_NEXT, page + LRU_NEXT);
    set64(&mut image, LRU_PREV, page + LRU_NEXT);
    image
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

/// The page allocator handing out a page of DRAM (`prep_new_page`): the struct page
/// in DRAM's memmap (mapped at boot) gets no flags (ZONE_DMA32 is zone 0), no
/// compound head, mapcount -1 and one reference. Its other fields are not read.
pub fn prep_new_page(page: u64) {
    let p = page as *mut u64;
    let counts = u64::from((-1i32) as u32) | (1 << 32);
    // SAFETY: boot mapped DRAM's memmap read-write; `page` is the struct page of a
    // DRAM frame just allocated.
    unsafe {
        write_volatile(p.add((FLAGS / 8) as usize), 0);
        write_volatile(p.add((COMPOUND_HEAD / 8) as usize), 0);
        write_volatile(p.add((MAPCOUNT / 8) as usize), counts);
    }
}

/// `get_page`: `folio_get(page_folio(page))`, one atomic increment of the folio's
/// `_refcount` after reading the page's `compound_head`.
pub fn get_page(page: u64) {
    // SAFETY: `page` is the struct page of a DRAM frame, in DRAM's memmap (mapped
    // read-write at boot); the refcount is 4-byte aligned.
    unsafe {
        let head = read_volatile((page + COMPOUND_HEAD) as *const u64);
        let folio = if head & 1 != 0 { head - 1 } else { page };
        AtomicI32::from_ptr((folio + REFCOUNT) as *mut i32).fetch_add(1, Ordering::Relaxed);
    }
}
