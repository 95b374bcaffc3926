//! The harness's vmemmap checks catch a wrong image: each test builds a real image
//! with the firmware, sees it pass, plants one fault of the kind a check exists for
//! (a PTE flag, an alias, a frame outside the altmap, a missing reference, a head
//! page field, a wrong layout in the firmware's report), sees the check name it,
//! and sees the image pass again once the fault is undone.

use cosim::memory::{MemoryMap, PhysAddr};
use cosim::sim::RunConfig;
use cosim::vmemmap::{
    build, leaves, verify, Built, Expected, Leaf, Mode, VmemmapConfig, VmemmapResult,
};

const PAGE: u64 = 4096;

fn built(mode: Mode, compound_shift: u32, paging: u64) -> Built {
    let config = VmemmapConfig {
        mode,
        compound_shift,
        pmem_size: 256 << 20,
        paging,
        struct_page_size: 64,
        iterations: 64,
        seed: 1,
    };
    let cfg = RunConfig {
        memory_map: MemoryMap::new(256 << 20, 256 << 20).unwrap(),
        ..RunConfig::default()
    };
    let b = build(cosim::firmware::image("vmemmap"), config, &cfg)
        .unwrap_or_else(|e| panic!("{config:?}: {e}"));
    if let Err(e) = verify(&b) {
        panic!("the unchanged image of {config:?} fails: {e}");
    }
    b
}

fn expected(b: &Built) -> Expected {
    Expected::new(&b.config, b.sim.bus().map())
}

/// The leaf that maps kernel virtual address `va`.
fn leaf(b: &Built, va: u64) -> Leaf {
    leaves(
        b.sim.bus(),
        b.result.satp,
        va & !(PAGE - 1),
        (va & !(PAGE - 1)) + 1,
    )
    .unwrap()
    .remove(0)
}

/// The physical address behind kernel virtual address `va`.
fn pa(b: &Built, va: u64) -> u64 {
    let l = leaf(b, va);
    let size = if l.level == 0 { PAGE } else { 2 << 20 };
    l.pa + (va & (size - 1))
}

fn read(b: &Built, pa: u64) -> u64 {
    b.sim.bus().read_u64(PhysAddr(pa)).unwrap()
}

fn write(b: &mut Built, pa: u64, value: u64) {
    b.sim.bus_mut().write_u64(PhysAddr(pa), value).unwrap();
}

/// Replaces the word at `pa` with `change(old)`, asserts the checks fail naming
/// `want`, restores it and asserts they pass again.
fn assert_caught(b: &mut Built, pa: u64, change: impl Fn(u64) -> u64, want: &str) {
    let old = read(b, pa);
    write(b, pa, change(old));
    let err = match verify(b) {
        Ok(_) => panic!(
            "a wrong image passed (word at {pa:#x}: {old:#x} -> {:#x}); want \"{want}\"",
            change(old)
        ),
        Err(e) => e.to_string(),
    };
    assert!(err.contains(want), "want \"{want}\" in: {err}");
    write(b, pa, old);
    if let Err(e) = verify(b) {
        panic!("the restored image fails: {e}");
    }
}

const X: u64 = 1 << 3;
const U: u64 = 1 << 4;
const G: u64 = 1 << 5;
const A: u64 = 1 << 6;

#[test]
fn pte_flags_must_be_page_kernel() {
    let mut b = built(Mode::Dax, 21, 8);
    let e = expected(&b);
    let l = leaf(&b, e.pfn_to_page(e.first_data_pfn + 512));
    let &(leaf_pte, _) = l.ptes.last().unwrap();
    // A U page is already refused by the kernel-mode walk itself.
    for (bit, want) in [
        (X, "is not PAGE_KERNEL"),
        (U, "U page"),
        (G, "is not PAGE_KERNEL"),
    ] {
        assert_caught(&mut b, leaf_pte, |v| v ^ bit, want);
    }
    // D cleared, a software (RSW) bit set: the walk accepts both, Linux sets neither.
    assert_caught(&mut b, leaf_pte, |v| v & !(1 << 7), "is not PAGE_KERNEL");
    assert_caught(&mut b, leaf_pte, |v| v | 1 << 8, "is not PAGE_KERNEL");
    let (pointer, _) = l.ptes[l.ptes.len() - 2];
    // A pointer with A set is refused by the walk; G is legal there, Linux sets only V.
    assert_caught(&mut b, pointer, |v| v | A, "non-leaf with A/D/U");
    assert_caught(&mut b, pointer, |v| v | G, "is not a plain pointer");
}

#[test]
fn dax_aliases_must_follow_the_first_tail() {
    let mut b = built(Mode::Dax, 21, 8);
    let e = expected(&b);
    let first = e.pfn_to_page(e.first_data_pfn);
    let second = e.pfn_to_page(e.first_data_pfn + 512);
    let head_pte = *leaf(&b, first).ptes.last().unwrap();
    // Vmemmap page 5 of the first compound page on its head's frame.
    let page5 = leaf(&b, first + 5 * PAGE).ptes.last().unwrap().0;
    assert_caught(&mut b, page5, |_| head_pte.1, "not the first tail's");
    // The second compound page's head on the first one's head frame.
    let head2 = leaf(&b, second).ptes.last().unwrap().0;
    assert_caught(&mut b, head2, |_| head_pte.1, "serves the compound pages");
    // The first tail on the head's own frame.
    let tail = leaf(&b, first + PAGE).ptes.last().unwrap().0;
    assert_caught(&mut b, tail, |_| head_pte.1, "share frame");
}

#[test]
fn unoptimized_frames_are_never_shared() {
    let mut b = built(Mode::Base, 21, 9);
    let e = expected(&b);
    let first = e.pfn_to_page(e.first_data_pfn);
    let frame0 = leaf(&b, first).ptes.last().unwrap().1;
    let page1 = leaf(&b, first + PAGE).ptes.last().unwrap().0;
    assert_caught(&mut b, page1, |_| frame0, "no frame is shared");
}

#[test]
fn altmap_frames_must_lie_in_the_reserved_window() {
    let mut b = built(Mode::Altmap, 21, 8);
    let e = expected(&b);
    let block = leaf(&b, e.pfn_to_page(e.first_data_pfn));
    assert_eq!(block.level, 1, "the altmap is mapped with 2 MiB blocks");
    let &(pmd, pte) = block.ptes.last().unwrap();
    let (lo, hi) = e.altmap_window.unwrap();
    // The block moved to the data behind the window, or into DRAM.
    let ppn_of = |pa: u64| pa >> 12 << 10;
    let flags = pte & 0x3ff;
    assert_caught(
        &mut b,
        pmd,
        |_| ppn_of(hi * PAGE) | flags,
        "altmap's window",
    );
    assert_caught(
        &mut b,
        pmd,
        |_| ppn_of(0x8800_0000) | flags,
        "altmap's window",
    );
    assert!(
        lo * PAGE > b.sim.bus().map().pmem.base.0,
        "the info block is outside"
    );
}

#[test]
fn reused_frames_carry_one_reference_per_mapping() {
    let mut b = built(Mode::Dax, 21, 8);
    let e = expected(&b);
    let tail_frame = leaf(&b, e.pfn_to_page(e.first_data_pfn) + PAGE).pa;
    // The struct page of the first tail's frame, in DRAM's memmap: 1 + 6 reuses.
    let counts = pa(&b, e.pfn_to_page(tail_frame / PAGE) + 0x30);
    assert_eq!(read(&b, counts) >> 32, 7, "get_page once per reuse");
    assert_caught(&mut b, counts, |v| v - (1 << 32), "has refcount 6");
}

#[test]
fn head_pages_carry_pgmap_zone_order_and_one_reference() {
    let mut b = built(Mode::Dax, 21, 8);
    let e = expected(&b);
    let head = e.pfn_to_page(e.first_data_pfn + 512);
    let flags = pa(&b, head);
    let pgmap = pa(&b, head + 0x08);
    let counts = pa(&b, head + 0x30);
    let mapping = pa(&b, head + 0x18);
    assert_caught(&mut b, pgmap, |v| v + 8, "pgmap");
    assert_caught(&mut b, flags, |v| v & !(3 << 62), "flags");
    assert_caught(&mut b, flags, |v| v & !(1 << 6), "flags");
    assert_caught(&mut b, counts, |v| v + (1 << 32), "refcount 2 (want 1)");
    assert_caught(&mut b, counts, |v| v + 1, "mapcount 0 (want -1)");
    assert_caught(&mut b, mapping, |v| v ^ 0x40, "mapping");
    let first_tail = head + 64;
    let tail_flags = pa(&b, first_tail);
    let nr_pages = pa(&b, first_tail + 0x20);
    assert_caught(&mut b, tail_flags, |v| v + 1, "tail struct page");
    assert_caught(&mut b, nr_pages, |v| v * 2, "tail struct page");
}

#[test]
fn the_firmware_report_must_match_linux_layout() {
    type Field = fn(&mut VmemmapResult) -> &mut u64;
    let fields: [(Field, &str); 4] = [
        (|r| &mut r.vmemmap_start, "vmemmap_start"),
        (|r| &mut r.vmemmap_start_pfn, "vmemmap_start_pfn"),
        (|r| &mut r.device_start_pfn, "device_start_pfn"),
        (|r| &mut r.first_data_pfn, "first_data_pfn"),
    ];
    let mut b = built(Mode::Dax, 21, 9);
    for (field, name) in fields {
        *field(&mut b.result) += 0x1000;
        let err = verify(&b).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            err.contains(&format!("{name} =")),
            "want {name} in: {err:?}"
        );
        *field(&mut b.result) -= 0x1000;
    }
    assert!(verify(&b).is_ok());
}
