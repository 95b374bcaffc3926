//! Checks every mapping of the device's vmemmap against Linux 6.12, from the
//! harness's own walk of the page tables:
//!
//! - every leaf is exactly `PAGE_KERNEL` (V R W A D G: no X, no U, no reserved or
//!   Svpbmt bits), every entry above it a plain pointer (V only);
//! - which frame each page maps: optimized (dax), the head's vmemmap page has a
//!   frame of its own, the first tail's another, and every further page of the
//!   compound page maps the first tail's (across sections for 1 GiB pages); no frame
//!   serves two compound pages. Not optimized, no frame is mapped twice;
//! - where the frames are: with an altmap inside the device's reserved window
//!   `[base + reserve, base + data offset)`, otherwise in DRAM;
//! - the references `get_page` took: a DRAM frame mapped by n PTEs has a refcount
//!   of n in DRAM's own memmap (one from the page allocator, one per reuse), and a
//!   2 MiB block one on its first page.

use super::census::Leaf;
use super::expected::Expected;
use super::struct_pages::Reader;
use crate::memory::{PhysAddr, SystemBus};
use std::collections::HashMap;

const PAGE: u64 = 4096;
/// `PAGE_KERNEL`: V R W G A D.
pub const PAGE_KERNEL: u64 = 0x01 | 0x02 | 0x04 | 0x20 | 0x40 | 0x80;
/// A pointer to the next table: V alone.
const PAGE_TABLE: u64 = 0x01;
/// The flag bits, RSW included.
const FLAG_BITS: u64 = 0x3ff;
/// PBMT, N and the reserved bits.
const HIGH_BITS: u64 = 0x3ff << 54;
/// The struct page word holding `_mapcount` (low half) and `_refcount` (high half).
const COUNTS: u64 = 0x30;

/// Checks `leaves` (the device's vmemmap range) as the module says.
pub fn check(
    bus: &SystemBus,
    satp: u64,
    expected: &Expected,
    leaves: &[Leaf],
) -> Result<(), String> {
    check_flags(leaves)?;
    let frames = frame_users(leaves);
    check_aliases(expected, leaves, &frames)?;
    check_placement(bus, expected, &frames)?;
    check_references(bus, satp, expected, leaves, &frames)
}

fn check_flags(leaves: &[Leaf]) -> Result<(), String> {
    for leaf in leaves {
        let (&(leaf_addr, pte), pointers) = leaf.ptes.split_last().ok_or("empty walk")?;
        if pte & FLAG_BITS != PAGE_KERNEL || pte & HIGH_BITS != 0 {
            return Err(format!(
                "vmemmap {:#x}: leaf PTE {pte:#x} at {leaf_addr:#x} is not PAGE_KERNEL (flags {:#x}, want {PAGE_KERNEL:#x})",
                leaf.va,
                pte & FLAG_BITS
            ));
        }
        for &(addr, e) in pointers {
            if e & FLAG_BITS != PAGE_TABLE || e & HIGH_BITS != 0 {
                return Err(format!(
                    "vmemmap {:#x}: table entry {e:#x} at {addr:#x} is not a plain pointer",
                    leaf.va
                ));
            }
        }
    }
    Ok(())
}

/// For each 4 KiB frame, the vmemmap pages that map it (a 2 MiB block: its pages).
fn frame_users(leaves: &[Leaf]) -> HashMap<u64, Vec<u64>> {
    let mut users: HashMap<u64, Vec<u64>> = HashMap::new();
    for leaf in leaves {
        let pages = if leaf.level == 0 { 1 } else { 512 };
        for k in 0..pages {
            users
                .entry(leaf.pa / PAGE + k)
                .or_default()
                .push(leaf.va + k * PAGE);
        }
    }
    users
}

fn check_aliases(
    e: &Expected,
    leaves: &[Leaf],
    users: &HashMap<u64, Vec<u64>>,
) -> Result<(), String> {
    if !e.optimized {
        return match users.iter().find(|(_, pages)| pages.len() > 1) {
            Some((frame, pages)) => Err(format!(
                "frame {:#x} is mapped by vmemmap pages {:#x} and {:#x}; without the optimization no frame is shared",
                frame * PAGE,
                pages[0],
                pages[1]
            )),
            None => Ok(()),
        };
    }
    let frame_of: HashMap<u64, u64> = leaves
        .iter()
        .filter(|l| l.level == 0)
        .map(|l| (l.va, l.pa / PAGE))
        .collect();
    let lookup = |va: u64| {
        frame_of.get(&va).copied().ok_or_else(|| {
            format!("vmemmap page {va:#x} of an optimized device is not a 4 KiB mapping")
        })
    };
    let nr = e.pages_per_compound();
    let vmemmap_pages = nr * e.struct_page_size / PAGE;
    let mut owner: HashMap<u64, u64> = HashMap::new();
    let mut head = e.first_data_pfn;
    while head < e.device_end_pfn {
        let base = e.pfn_to_page(head);
        let head_frame = lookup(base)?;
        let tail_frame = lookup(base + PAGE)?;
        if head_frame == tail_frame {
            return Err(format!(
                "compound page at pfn {head:#x}: head and first tail vmemmap pages share frame {:#x}",
                head_frame * PAGE
            ));
        }
        for k in 2..vmemmap_pages {
            let frame = lookup(base + k * PAGE)?;
            if frame != tail_frame {
                return Err(format!(
                    "compound page at pfn {head:#x}: vmemmap page {k} ({:#x}) maps frame {:#x}, not the first tail's {:#x}",
                    base + k * PAGE,
                    frame * PAGE,
                    tail_frame * PAGE
                ));
            }
        }
        for frame in [head_frame, tail_frame] {
            if let Some(other) = owner.insert(frame, head) {
                return Err(format!(
                    "frame {:#x} serves the compound pages at pfn {other:#x} and {head:#x}",
                    frame * PAGE
                ));
            }
        }
        head += nr;
    }
    Ok(())
}

fn check_placement(
    bus: &SystemBus,
    e: &Expected,
    users: &HashMap<u64, Vec<u64>>,
) -> Result<(), String> {
    let dram = bus.map().dram;
    for &frame in users.keys() {
        let ok = match e.altmap_window {
            Some((lo, hi)) => (lo..hi).contains(&frame),
            None => dram.contains_range(PhysAddr(frame * PAGE), PAGE),
        };
        if !ok {
            let want = match e.altmap_window {
                Some((lo, hi)) => {
                    format!("the altmap's window [{:#x}, {:#x})", lo * PAGE, hi * PAGE)
                }
                None => "DRAM".to_string(),
            };
            return Err(format!(
                "vmemmap frame {:#x} lies outside {want}",
                frame * PAGE
            ));
        }
    }
    Ok(())
}

fn check_references(
    bus: &SystemBus,
    satp: u64,
    e: &Expected,
    leaves: &[Leaf],
    users: &HashMap<u64, Vec<u64>>,
) -> Result<(), String> {
    if e.altmap_window.is_some() {
        return Ok(());
    }
    let mut reader = Reader::new(bus, satp);
    for leaf in leaves {
        let frame = leaf.pa / PAGE;
        // A block's pages other than the first carry no reference of their own.
        if leaf.level == 0 && users[&frame][0] != leaf.va {
            continue;
        }
        let want = if leaf.level == 0 {
            users[&frame].len() as u64
        } else {
            1
        };
        let page = e.pfn_to_page(frame);
        let refcount = (reader.word(page + COUNTS)? >> 32) as u32;
        if u64::from(refcount) != want {
            return Err(format!(
                "frame {:#x} (struct page {page:#x} in DRAM's memmap) has refcount {refcount}; it is mapped {want} time(s)",
                leaf.pa
            ));
        }
    }
    Ok(())
}
