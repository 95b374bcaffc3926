//! Software models of the RTL's translation caches (`rtl/mmu/tlb.sv` and the page-walk
//! cache), written to the same contract so that, fed the same accesses, they predict
//! the RTL's hits, misses, victims and flush counts exactly.
//!
//! [`Tlb`]: fully associative leaf entries of any page size, tagged by ASID unless
//! global, tree-PLRU replacement. [`WalkCacheModel`]: fully associative non-leaf
//! entries, so a walk can skip the levels above the deepest hit.

use crate::geometry::{va_vpn, Mode, VPN_FIELD_BITS, VPN_MASK};
use crate::plru::TreePlru;
use crate::pte::Pte;
use crate::walk::Access;
use alloc::vec;
use alloc::vec::Vec;

/// VPN bits an entry at `level` compares: those at and above `9 * level`.
const fn tag_mask(level: u8) -> u64 {
    (VPN_MASK << (VPN_FIELD_BITS * level as u32)) & VPN_MASK
}

/// Do the leaf's A/D bits let the access through without an update? The RTL treats an
/// entry that fails this as a miss, and the walk then faults or updates A/D.
pub const fn ad_sufficient(pte: u64, store: bool) -> bool {
    let p = Pte(pte);
    p.a() && (!store || p.d())
}

/// One TLB entry: a leaf translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TlbEntry {
    /// `VA[47:12]` of any address in the page; the low `9 * level` bits are ignored.
    pub vpn: u64,
    /// 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB.
    pub level: u8,
    pub asid: u16,
    pub global: bool,
    /// The leaf PTE value.
    pub pte: u64,
}

impl TlbEntry {
    /// The entry a walk of `va` that ended in `leaf` at `level` produces.
    pub const fn new(va: u64, level: u8, asid: u16, global: bool, leaf: u64) -> TlbEntry {
        TlbEntry {
            vpn: va_vpn(va),
            level,
            asid,
            global,
            pte: leaf,
        }
    }

    /// Does this entry map `va` for `asid`?
    pub const fn matches(&self, va: u64, asid: u16) -> bool {
        (self.global || self.asid == asid) && self.covers(va)
    }

    /// Does the page contain `va` (whatever the ASID)?
    pub const fn covers(&self, va: u64) -> bool {
        (self.vpn ^ va_vpn(va)) & tag_mask(self.level) == 0
    }

    /// Physical address of `va` through this entry.
    pub const fn translate(&self, va: u64) -> u64 {
        let low = !tag_mask(self.level) & VPN_MASK;
        let ppn = (Pte(self.pte).ppn() & !low) | (va_vpn(va) & low);
        (ppn << 12) | (va & 0xfff)
    }
}

/// A fully associative TLB with tree-PLRU replacement.
#[derive(Clone, Debug)]
pub struct Tlb {
    slots: Vec<Option<TlbEntry>>,
    plru: TreePlru,
}

impl Tlb {
    /// # Panics
    /// When `entries` is not a power of two >= 2 ([`TreePlru::valid_ways`]).
    pub fn new(entries: usize) -> Tlb {
        Tlb {
            slots: vec![None; entries],
            plru: TreePlru::new(entries),
        }
    }

    pub fn entries(&self) -> usize {
        self.slots.len()
    }

    /// The valid entry at `index`, if any.
    pub fn entry(&self, index: usize) -> Option<&TlbEntry> {
        self.slots.get(index).and_then(Option::as_ref)
    }

    pub fn valid_count(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    pub fn plru(&self) -> &TreePlru {
        &self.plru
    }

    /// The lowest-index valid entry that maps `va` for `asid`; no side effect.
    pub fn find(&self, va: u64, asid: u16) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.is_some_and(|e| e.matches(va, asid)))
    }

    /// The RTL's hit rule: a matching entry whose A/D bits suffice for `access` is a
    /// hit and is touched; anything else is a miss (`None`) and touches nothing. The
    /// caller still checks R/W/X/U on the entry: a permission fault is a used hit.
    pub fn lookup(&mut self, va: u64, asid: u16, access: Access) -> Option<usize> {
        let i = self.find(va, asid)?;
        let pte = self.slots[i].map_or(0, |e| e.pte);
        if !ad_sufficient(pte, access == Access::Store) {
            return None;
        }
        self.plru.touch(i);
        Some(i)
    }

    /// Marks `index` most recently used.
    pub fn touch(&mut self, index: usize) {
        self.plru.touch(index);
    }

    /// Where a fill with no matching entry goes: the lowest invalid slot, else the
    /// PLRU victim.
    pub fn victim(&self) -> usize {
        self.slots
            .iter()
            .position(Option::is_none)
            .unwrap_or_else(|| self.plru.victim())
    }

    /// Inserts `entry` over an entry that already maps its page for its ASID (so a
    /// refill after an A/D update never duplicates), else at the victim; touches it.
    pub fn fill(&mut self, entry: TlbEntry) -> usize {
        let va = entry.vpn << 12;
        let i = self.find(va, entry.asid).unwrap_or_else(|| self.victim());
        self.slots[i] = Some(entry);
        self.plru.touch(i);
        i
    }

    /// `sfence.vma` with rs1 (`vaddr`) and rs2 (`asid`) given or x0 (`None`): with an
    /// ASID, global entries stay. PLRU bits do not change. Returns entries invalidated.
    pub fn flush(&mut self, vaddr: Option<u64>, asid: Option<u16>) -> usize {
        let mut n = 0;
        for slot in &mut self.slots {
            let Some(e) = slot else { continue };
            let va_ok = vaddr.is_none_or(|va| e.covers(va));
            let asid_ok = asid.is_none_or(|a| !e.global && e.asid == a);
            if va_ok && asid_ok {
                *slot = None;
                n += 1;
            }
        }
        n
    }
}

/// A page-walk-cache entry: the pointer PTE at `level` on the path of the tagged VA,
/// i.e. where the table of `level - 1` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WalkCacheEntry {
    pub mode: Mode,
    pub asid: u16,
    /// Level of the non-leaf PTE (1 ..= levels - 1).
    pub level: u8,
    /// `VA[47:12]`; its bits from `9 * level` up (`VA[47 : 12+9*level]`) are the tag.
    pub vpn: u64,
    /// Physical page of the next table.
    pub ppn: u64,
}

impl WalkCacheEntry {
    pub const fn new(mode: Mode, asid: u16, level: u8, va: u64, next_table_ppn: u64) -> Self {
        WalkCacheEntry {
            mode,
            asid,
            level,
            vpn: va_vpn(va),
            ppn: next_table_ppn,
        }
    }

    /// Is this the pointer on the path of `va` in this address space?
    pub fn matches(&self, mode: Mode, asid: u16, va: u64) -> bool {
        self.mode == mode
            && self.asid == asid
            && (self.vpn ^ va_vpn(va)) & tag_mask(self.level) == 0
    }

    /// Same tag: the entry a fill of `other` must replace.
    fn same_tag(&self, other: &WalkCacheEntry) -> bool {
        self.level == other.level && self.matches(other.mode, other.asid, other.vpn << 12)
    }
}

/// A fully associative page-walk cache of pointer entries with tree-PLRU replacement.
/// Entries belong to one ASID (G on pointers is not used) and survive only a full
/// flush.
#[derive(Clone, Debug)]
pub struct WalkCacheModel {
    slots: Vec<Option<WalkCacheEntry>>,
    plru: TreePlru,
}

impl WalkCacheModel {
    /// # Panics
    /// When `entries` is not a power of two >= 2 ([`TreePlru::valid_ways`]).
    pub fn new(entries: usize) -> WalkCacheModel {
        WalkCacheModel {
            slots: vec![None; entries],
            plru: TreePlru::new(entries),
        }
    }

    pub fn entries(&self) -> usize {
        self.slots.len()
    }

    pub fn entry(&self, index: usize) -> Option<&WalkCacheEntry> {
        self.slots.get(index).and_then(Option::as_ref)
    }

    pub fn valid_count(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    pub fn plru(&self) -> &TreePlru {
        &self.plru
    }

    /// The matching entry of the lowest level (the walk resumes in the table it points
    /// to, at `level - 1`), touched; lowest index among equals.
    pub fn lookup_deepest(
        &mut self,
        mode: Mode,
        asid: u16,
        va: u64,
    ) -> Option<(usize, WalkCacheEntry)> {
        let mut best: Option<(usize, WalkCacheEntry)> = None;
        for (i, slot) in self.slots.iter().enumerate() {
            let Some(e) = slot else { continue };
            if e.matches(mode, asid, va) && best.is_none_or(|(_, b)| e.level < b.level) {
                best = Some((i, *e));
            }
        }
        if let Some((i, _)) = best {
            self.plru.touch(i);
        }
        best
    }

    pub fn victim(&self) -> usize {
        self.slots
            .iter()
            .position(Option::is_none)
            .unwrap_or_else(|| self.plru.victim())
    }

    /// Inserts `entry` over one with the same tag, else at the victim; touches it.
    pub fn fill(&mut self, entry: WalkCacheEntry) -> usize {
        let i = self
            .slots
            .iter()
            .position(|s| s.is_some_and(|e| e.same_tag(&entry)))
            .unwrap_or_else(|| self.victim());
        self.slots[i] = Some(entry);
        self.plru.touch(i);
        i
    }

    /// Invalidates every entry (any `sfence.vma`); PLRU bits stay. Returns how many.
    pub fn flush_all(&mut self) -> usize {
        let n = self.valid_count();
        self.slots.iter_mut().for_each(|s| *s = None);
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pte::{A, D, R, W, X};

    const KB4: u64 = 1 << 12;
    const MB2: u64 = 1 << 21;
    const GB1: u64 = 1 << 30;

    fn leaf(ppn: u64) -> u64 {
        Pte::leaf(ppn, R | W | X | A | D).bits()
    }

    fn e(va: u64, level: u8, asid: u16, global: bool) -> TlbEntry {
        TlbEntry::new(va, level, asid, global, leaf(va_vpn(va)))
    }

    #[test]
    fn ad_sufficient_rule() {
        assert!(ad_sufficient(A, false));
        assert!(!ad_sufficient(A, true));
        assert!(ad_sufficient(A | D, true));
        assert!(!ad_sufficient(D, false));
        assert!(!ad_sufficient(0, false));
    }

    #[test]
    fn match_by_level_and_asid() {
        let small = e(0x1234_5000, 0, 7, false);
        assert!(small.matches(0x1234_5fff, 7));
        assert!(!small.matches(0x1234_6000, 7));
        assert!(!small.matches(0x1234_5000, 8));

        // A 2 MiB entry ignores the low 9 VPN bits, whatever the stored vpn holds.
        let mid = TlbEntry::new(0x4000_0000 + 0x1f_f000, 1, 7, false, leaf(0x8_0000));
        assert!(mid.matches(0x4000_0000, 7));
        assert!(mid.matches(0x401f_ffff, 7));
        assert!(!mid.matches(0x4020_0000, 7));
        assert_eq!(mid.translate(0x4012_3456), 0x8012_3456);

        let big = e(0x80_0000_0000, 3, 1, true);
        assert!(big.matches(0xff_ffff_ffff, 99)); // global: any ASID
        assert!(!big.matches(0x100_0000_0000, 1));
        // VA bits above 47 do not take part (Sv39 upper-half addresses).
        let hi = e(0xffff_ffc0_0000_0000, 2, 0, false);
        assert!(hi.matches(0x0000_ffc0_0000_1234, 0));
    }

    #[test]
    fn lookup_picks_lowest_index_and_touches_only_on_a_usable_hit() {
        let mut t = Tlb::new(4);
        // A 2 MiB page, then the 1 GiB page around it (the 2 MiB entry does not map
        // the 1 GiB page's VA, so it is not replaced): both map 0x4020_0000.
        assert_eq!(t.fill(e(0x4020_0000, 1, 0, false)), 0);
        assert_eq!(t.fill(e(0x4000_0000, 2, 0, false)), 1);
        assert_eq!(t.find(0x4000_0000, 0), Some(1));
        assert_eq!(t.find(0x4020_0000, 0), Some(0), "the lowest index wins");
        assert_eq!(t.lookup(0x4020_0000, 0, Access::Load), Some(0));
        assert_eq!(t.plru().bits(), [true, true, false]);
        // A fill that both map replaces the lowest.
        assert_eq!(t.fill(e(0x4020_1000, 0, 0, false)), 0);
        assert_eq!(t.entry(0).unwrap().level, 0);

        // A/D insufficient: a miss, no touch.
        t.fill(TlbEntry::new(
            0x9000,
            0,
            0,
            false,
            Pte::leaf(9, R | W | A).bits(),
        ));
        let bits = t.plru().bits().to_vec();
        assert_eq!(t.find(0x9000, 0), Some(2));
        assert_eq!(t.lookup(0x9000, 0, Access::Store), None);
        assert_eq!(t.plru().bits(), bits);
        assert_eq!(t.lookup(0x9000, 0, Access::Load), Some(2));
        assert_eq!(t.lookup(0x9000, 1, Access::Load), None); // other ASID
        assert_eq!(t.lookup(0xa000, 0, Access::Fetch), None);
    }

    #[test]
    fn victim_is_lowest_invalid_then_plru() {
        let mut t = Tlb::new(4);
        for k in 0..4 {
            assert_eq!(t.victim(), k as usize);
            assert_eq!(t.fill(e(k * KB4, 0, 0, false)), k as usize);
        }
        // Full after fills 0,1,2,3: PLRU order 0, 2, 1, 3.
        let mut order = std::vec::Vec::new();
        for k in 4..8 {
            order.push(t.fill(e(k * KB4, 0, 0, false)));
        }
        assert_eq!(order, [0, 2, 1, 3]);
        // A flushed slot is refilled first, whatever PLRU says.
        assert_eq!(t.flush(Some(6 * KB4), None), 1);
        assert_eq!(t.victim(), 1);
    }

    #[test]
    fn eight_entry_victims_after_hits() {
        let mut t = Tlb::new(8);
        for k in 0..8 {
            t.fill(e(k * KB4, 0, 0, false));
        }
        // Hits on 6 3 3 0 5 1 (after the fills' touches 0..7).
        for k in [6u64, 3, 3, 0, 5, 1] {
            assert_eq!(t.lookup(k * KB4, 0, Access::Load), Some(k as usize));
        }
        let mut p = TreePlru::new(8);
        for w in (0..8).chain([6, 3, 3, 0, 5, 1]) {
            p.touch(w);
        }
        assert_eq!(t.plru(), &p);
        assert_eq!(t.victim(), 7);
        assert_eq!(t.fill(e(100 * KB4, 0, 0, false)), 7);
        assert_eq!(t.fill(e(101 * KB4, 0, 0, false)), 2);
        assert_eq!(t.find(2 * KB4, 0), None);
    }

    #[test]
    fn fill_overwrites_a_duplicate() {
        let mut t = Tlb::new(4);
        let old = TlbEntry::new(0x5000, 0, 3, false, Pte::leaf(5, R | W | A).bits());
        assert_eq!(t.fill(e(0x1000, 0, 3, false)), 0);
        assert_eq!(t.fill(old), 1);
        assert_eq!(t.fill(e(0x2000, 0, 3, false)), 2);
        // The store's refill after the D update lands on the same slot.
        let new = TlbEntry {
            pte: old.pte | D,
            ..old
        };
        assert_eq!(t.fill(new), 1);
        assert_eq!(t.entry(1), Some(&new));
        assert_eq!(t.valid_count(), 3);
        assert_eq!(t.plru().victim(), 3);
        // Same page, other ASID: no match, a new slot.
        assert_eq!(t.fill(TlbEntry { asid: 4, ..new }), 3);
        // A global entry matches any ASID, so a fill for any ASID replaces it.
        let mut t = Tlb::new(2);
        t.fill(e(0x7000, 0, 1, true));
        assert_eq!(t.fill(e(0x7000, 0, 2, false)), 0);
        assert_eq!(t.valid_count(), 1);
        // A 4 KiB fill inside a cached 2 MiB page replaces the 2 MiB entry.
        let mut t = Tlb::new(2);
        t.fill(e(0x20_0000, 1, 0, false));
        assert_eq!(t.fill(e(0x20_5000, 0, 0, false)), 0);
        assert_eq!(t.entry(0).unwrap().level, 0);
    }

    /// Entries: 0 global page A (asid 1), 1 page A asid 1, 2 page A asid 2,
    /// 3 page B asid 1, 4 global 2 MiB page C, 5 page B asid 2.
    fn populated() -> Tlb {
        let (a, b, c) = (0x1000, 0x2000, 0x40_0000);
        let mut t = Tlb::new(8);
        for entry in [
            e(a, 0, 1, true),
            e(a, 0, 1, false),
            e(a, 0, 2, false),
            e(b, 0, 1, false),
            e(c, 1, 5, true),
            e(b, 0, 2, false),
        ] {
            // Fill over a victim without the duplicate rule, as a test fixture.
            let i = t.victim();
            t.slots[i] = Some(entry);
        }
        t
    }

    fn valid(t: &Tlb) -> std::vec::Vec<usize> {
        (0..t.entries()).filter(|&i| t.entry(i).is_some()).collect()
    }

    #[test]
    fn sfence_forms() {
        let mut t = populated();
        t.touch(3);
        let bits = t.plru().bits().to_vec();
        assert_eq!(t.flush(None, None), 6);
        assert_eq!(valid(&t), []);
        assert_eq!(t.plru().bits(), bits, "flush leaves PLRU alone");

        // rs1 only: every entry of that page, global or not, any ASID.
        let mut t = populated();
        assert_eq!(t.flush(Some(0x1abc), None), 3);
        assert_eq!(valid(&t), [3, 4, 5]);
        // ... and superpages containing the address.
        assert_eq!(t.flush(Some(0x5f_f000), None), 1);
        assert_eq!(valid(&t), [3, 5]);

        // rs2 only: non-global entries of that ASID.
        let mut t = populated();
        assert_eq!(t.flush(None, Some(1)), 2);
        assert_eq!(valid(&t), [0, 2, 4, 5]);
        assert_eq!(t.flush(None, Some(5)), 0, "globals stay");

        // Both: non-global entries of that ASID and page.
        let mut t = populated();
        assert_eq!(t.flush(Some(0x1000), Some(1)), 1);
        assert_eq!(valid(&t), [0, 2, 3, 4, 5]);
        assert_eq!(t.flush(Some(0x40_0000), Some(5)), 0);
        assert_eq!(t.flush(Some(0x2000), Some(2)), 1);
        assert_eq!(valid(&t), [0, 2, 3, 4]);
    }

    #[test]
    fn translate_through_entries() {
        let t = TlbEntry::new(GB1 * 3, 2, 0, false, Pte::leaf(0x40_0000, R | A).bits());
        assert_eq!(
            t.translate(GB1 * 3 + 0x1234_5678),
            (0x40_0000 << 12) + 0x1234_5678
        );
        let t = TlbEntry::new(MB2 + KB4, 0, 0, false, Pte::leaf(0x8_0000, R | A).bits());
        assert_eq!(t.translate(MB2 + KB4 + 0x10), 0x8000_0010);
    }

    #[test]
    fn walk_cache_deepest_hit() {
        let mut c = WalkCacheModel::new(4);
        let va = 0x7f_c020_3000; // Sv48 address below 512 GiB
        assert_eq!(c.lookup_deepest(Mode::Sv48, 1, va), None);
        assert_eq!(
            c.fill(WalkCacheEntry::new(Mode::Sv48, 1, 3, va, 0x8_0001)),
            0
        );
        assert_eq!(
            c.fill(WalkCacheEntry::new(Mode::Sv48, 1, 1, va, 0x8_0003)),
            1
        );
        assert_eq!(
            c.fill(WalkCacheEntry::new(Mode::Sv48, 1, 2, va, 0x8_0002)),
            2
        );
        let (i, hit) = c.lookup_deepest(Mode::Sv48, 1, va + 0x1000).unwrap();
        assert_eq!((i, hit.level, hit.ppn), (1, 1, 0x8_0003));
        assert_eq!(c.plru().bits(), [true, false, true], "the hit was touched");
        // Outside the level-1 entry's 2 MiB but inside the level-2 entry's 1 GiB.
        let (_, hit) = c.lookup_deepest(Mode::Sv48, 1, va + MB2).unwrap();
        assert_eq!(hit.level, 2);
        // Outside the 1 GiB: only the root pointer.
        let (_, hit) = c.lookup_deepest(Mode::Sv48, 1, va - GB1).unwrap();
        assert_eq!(hit.level, 3);
        // Other ASID or mode: nothing.
        assert_eq!(c.lookup_deepest(Mode::Sv48, 2, va), None);
        assert_eq!(c.lookup_deepest(Mode::Sv39, 1, va), None);
    }

    #[test]
    fn walk_cache_fill_and_flush() {
        let mut c = WalkCacheModel::new(2);
        let e1 = WalkCacheEntry::new(Mode::Sv39, 0, 1, 0x4000_0000, 0x8_0010);
        assert_eq!(c.fill(e1), 0);
        // Same tag (another VA in the same 2 MiB region): overwrite.
        let e1b = WalkCacheEntry::new(Mode::Sv39, 0, 1, 0x401f_f000, 0x8_0020);
        assert_eq!(c.fill(e1b), 0);
        assert_eq!(c.valid_count(), 1);
        // Same region, other level, mode or ASID: different tags.
        assert_eq!(c.fill(WalkCacheEntry { level: 2, ..e1 }), 1);
        assert_eq!(c.plru().victim(), 0);
        assert_eq!(c.fill(WalkCacheEntry { asid: 9, ..e1 }), 0);
        assert_eq!(
            c.fill(WalkCacheEntry {
                mode: Mode::Sv48,
                ..e1
            }),
            1
        );
        assert_eq!(c.valid_count(), 2);
        let bits = c.plru().bits().to_vec();
        assert_eq!(c.flush_all(), 2);
        assert_eq!(c.valid_count(), 0);
        assert_eq!(c.plru().bits(), bits);
        assert_eq!(c.victim(), 0);
    }

    #[test]
    fn eight_entry_walk_cache_victims() {
        let mut c = WalkCacheModel::new(8);
        for k in 0..8u64 {
            c.fill(WalkCacheEntry::new(Mode::Sv39, 0, 1, k * MB2, k));
        }
        let order: std::vec::Vec<usize> = (8..16u64)
            .map(|k| c.fill(WalkCacheEntry::new(Mode::Sv39, 0, 1, k * MB2, k)))
            .collect();
        assert_eq!(order, [0, 4, 2, 6, 1, 5, 3, 7]);
    }
}
