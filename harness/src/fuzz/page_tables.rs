//! The page tables of `--mode vm`: built by the generator into the program's image,
//! then changed by the program itself while it runs.
//!
//! Every address space maps the code twice: at its physical address for S (U = 0)
//! and at `USER_ALIAS` above it for U (U = 1), both executable, so code always runs.
//! The data windows map the random data pages with random leaves: 4 KiB pages, a
//! 2 MiB and a 1 GiB superpage (aligned or not), and a window at the top of the
//! address space (negative, sign-extended addresses).

use crate::rng::XorShift64;

/// Where the tables live (physical), one 4 KiB page each: those the code's
/// translation needs at the top of the code's 1 MiB (where PMP lets S and U read
/// the code), those only data windows use after the data pages (where random PMP
/// regions go).
pub const PT_CODE_BASE: u64 = 0x800f_0000;
pub const PT_DATA_BASE: u64 = 0x8040_0000;
/// At most this many tables of each kind.
pub const PT_PAGES: usize = 16;
/// The random data pages the windows map.
pub const VM_DATA_BASE: u64 = 0x8020_0000;
pub const VM_DATA_PAGES: u64 = 16;
pub const VM_DATA_SIZE: u64 = VM_DATA_PAGES * PAGE;
/// U's view of the code: its physical address plus this (bit 37, valid in Sv39 and
/// Sv48). Shifting an address left and right by `ALIAS_SHIFT` takes it off again.
pub const USER_ALIAS: u64 = 1 << 37;
pub const ALIAS_SHIFT: i32 = 64 - 37;
/// What the code windows cover: code and the base data page.
const CODE_WINDOW: u64 = 0x8000_0000;
const CODE_WINDOW_PAGES: u64 = 0x101;

pub(super) const PAGE: u64 = 4096;
const V: u64 = 1;
const R: u64 = 1 << 1;
const W: u64 = 1 << 2;
const X: u64 = 1 << 3;
const U: u64 = 1 << 4;
const G: u64 = 1 << 5;
const A: u64 = 1 << 6;
const D: u64 = 1 << 7;

/// A data window: where it starts, the level of its leaves and how many it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// 16 pages of 4 KiB at 0x4000_0000.
    Pages,
    /// A 2 MiB leaf at 0x4020_0000 over the data pages.
    Mega,
    /// A 1 GiB leaf at 0x1_0000_0000 over the whole of DRAM's first gigabyte.
    Giga,
    /// 16 pages of 4 KiB at the lowest negative address.
    High,
}

pub const WINDOWS: [Window; 4] = [Window::Pages, Window::Mega, Window::Giga, Window::High];

impl Window {
    /// The virtual address of the window's first data byte (data page 0).
    pub fn data_va(self, sv48: bool) -> u64 {
        match self {
            Window::Pages => 0x4000_0000,
            Window::Mega => 0x4020_0000,
            Window::Giga => 0x1_0000_0000 + (VM_DATA_BASE - CODE_WINDOW),
            Window::High if sv48 => 0xffff_8000_0000_0000,
            Window::High => 0xffff_ffc0_0000_0000,
        }
    }
    fn leaf_level(self) -> usize {
        match self {
            Window::Pages | Window::High => 0,
            Window::Mega => 1,
            Window::Giga => 2,
        }
    }
}

/// A leaf the program may rewrite while it runs: where its PTE is, a virtual address
/// it maps (for `sfence.vma va`), and how to draw a new value.
#[derive(Clone, Copy, Debug)]
pub struct Leaf {
    pub pte_addr: u64,
    pub va: u64,
    level: usize,
    /// The PPN of an aligned mapping of this leaf (pages or superpage).
    aligned_ppn: u64,
    global_ok: bool,
}

/// The tables, as the generator builds them.
pub struct PageTables {
    pub sv48: bool,
    tables: Vec<[u64; 512]>,
    /// Each table's physical address.
    addrs: Vec<u64>,
    pub roots: Vec<usize>,
    /// Tables from this one on hold data-window entries only (PMP may cover them
    /// without stopping the code); they are at `PT_DATA_BASE`.
    first_data_table: usize,
    pub leaves: Vec<Leaf>,
}

impl PageTables {
    /// Random tables: one or two address spaces (two: global bits on code only, as
    /// G means "the same in every address space").
    pub fn random(rng: &mut XorShift64, sv48: bool, spaces: usize) -> Self {
        let mut pt = PageTables {
            sv48,
            tables: Vec::new(),
            addrs: Vec::new(),
            roots: Vec::new(),
            first_data_table: usize::MAX,
            leaves: Vec::new(),
        };
        for _ in 0..spaces {
            let root = pt.alloc();
            pt.roots.push(root);
        }
        let megapage_code = rng.below(2) == 0;
        let code_global = rng.below(2) == 0;
        for r in 0..spaces {
            pt.map_code(r, megapage_code, code_global);
        }
        pt.first_data_table = pt.tables.len();
        for r in 0..spaces {
            for window in WINDOWS {
                pt.map_window(rng, r, window, spaces == 1);
            }
        }
        pt
    }

    fn levels(&self) -> usize {
        if self.sv48 {
            4
        } else {
            3
        }
    }

    pub fn satp(&self, space: usize, asid: u16) -> u64 {
        let mode = if self.sv48 { 9 } else { 8 };
        (mode << 60) | (u64::from(asid) << 44) | (self.addrs[self.roots[space]] >> 12)
    }

    /// The two images: the code's tables at `PT_CODE_BASE`, the data windows' at
    /// `PT_DATA_BASE`.
    pub fn images(&self) -> [(u64, Vec<u8>); 2] {
        let bytes = |tables: &[[u64; 512]]| -> Vec<u8> {
            tables
                .iter()
                .flat_map(|t| t.iter().flat_map(|e| e.to_le_bytes()))
                .collect()
        };
        let (code, data) = self.tables.split_at(self.first_data_table);
        [(PT_CODE_BASE, bytes(code)), (PT_DATA_BASE, bytes(data))]
    }

    /// Where the data windows' tables are: what random PMP regions may cover.
    pub fn data_tables_area() -> (u64, u64) {
        (PT_DATA_BASE, PT_PAGES as u64 * PAGE)
    }

    fn alloc(&mut self) -> usize {
        let addr = match self.tables.len().checked_sub(self.first_data_table) {
            None => PT_CODE_BASE + self.tables.len() as u64 * PAGE,
            Some(n) => PT_DATA_BASE + n as u64 * PAGE,
        };
        assert!(
            addr < PT_CODE_BASE + PT_PAGES as u64 * PAGE
                || (PT_DATA_BASE..PT_DATA_BASE + PT_PAGES as u64 * PAGE).contains(&addr),
            "too many page tables"
        );
        self.tables.push([0; 512]);
        self.addrs.push(addr);
        self.tables.len() - 1
    }

    fn table_at(&self, addr: u64) -> usize {
        self.addrs.iter().position(|&a| a == addr).expect("a table")
    }

    /// The table and index of `va`'s entry at `level`, making the tables above it.
    fn slot(&mut self, space: usize, va: u64, level: usize) -> (usize, usize) {
        let mut table = self.roots[space];
        for l in (level + 1..self.levels()).rev() {
            let index = vpn(va, l);
            let pte = self.tables[table][index];
            table = if pte & V != 0 {
                self.table_at(pte >> 10 << 12)
            } else {
                let next = self.alloc();
                self.tables[table][index] = (self.addrs[next] >> 12 << 10) | V;
                next
            };
        }
        (table, vpn(va, level))
    }

    fn set(&mut self, space: usize, va: u64, level: usize, pte: u64) -> u64 {
        let (table, index) = self.slot(space, va, level);
        self.tables[table][index] = pte;
        self.addrs[table] + 8 * index as u64
    }

    /// The code window for S and its alias for U: RWX (the base data page is in
    /// it), accessed and dirty, so that fetches never fault.
    fn map_code(&mut self, space: usize, megapage: bool, global: bool) {
        let flags = V | R | W | X | A | D | if global { G } else { 0 };
        for (offset, user) in [(0, 0), (USER_ALIAS, U)] {
            if megapage {
                let pte = (CODE_WINDOW >> 12 << 10) | flags | user;
                self.set(space, CODE_WINDOW + offset, 1, pte);
            } else {
                for page in 0..CODE_WINDOW_PAGES {
                    let pa = CODE_WINDOW + page * PAGE;
                    self.set(space, pa + offset, 0, (pa >> 12 << 10) | flags | user);
                }
            }
        }
    }

    fn map_window(&mut self, rng: &mut XorShift64, space: usize, window: Window, global_ok: bool) {
        let level = window.leaf_level();
        let base = window.data_va(self.sv48);
        let (count, aligned_ppn) = match window {
            Window::Pages | Window::High => (VM_DATA_PAGES, 0),
            Window::Mega => (1, VM_DATA_BASE >> 12),
            Window::Giga => (1, CODE_WINDOW >> 12),
        };
        for page in 0..count {
            let va = base + page * PAGE;
            let mut leaf = Leaf {
                pte_addr: 0,
                va,
                level,
                aligned_ppn,
                global_ok,
            };
            let pte = leaf.random(rng);
            leaf.pte_addr = self.set(space, va, level, pte);
            self.leaves.push(leaf);
        }
    }
}

impl Leaf {
    /// A random leaf: mostly a valid readable and writable one, otherwise any of the
    /// ways a leaf can be wrong (invalid, reserved permissions or bits, A or D clear,
    /// a misaligned superpage). Never a pointer: it would make data a page table.
    pub fn random(&self, rng: &mut XorShift64) -> u64 {
        fn chance(rng: &mut XorShift64, percent: usize) -> bool {
            rng.below(100) < percent
        }
        const PERMS: [u64; 8] = [R | W, R | W, R | W, R, R | X, X, R | W | X, W];
        let perms = PERMS[rng.below(PERMS.len())];
        let ppn = match self.level {
            0 => (VM_DATA_BASE >> 12) + rng.below(VM_DATA_PAGES as usize) as u64,
            // A superpage: aligned, or misaligned by some pages (a page fault).
            _ if chance(rng, 80) => self.aligned_ppn,
            _ => self.aligned_ppn + 1 + rng.below(511) as u64,
        };
        let mut pte = (ppn << 10) | perms;
        pte |= if chance(rng, 95) { V } else { 0 };
        pte |= if chance(rng, 40) { U } else { 0 };
        pte |= if self.global_ok && chance(rng, 30) {
            G
        } else {
            0
        };
        pte |= if chance(rng, 85) { A } else { 0 };
        pte |= if chance(rng, 70) { D } else { 0 };
        pte |= (rng.below(4) as u64) << 8; // RSW: software's, ignored
        if chance(rng, 3) {
            pte |= 1 << (54 + rng.below(10)); // a reserved bit (or N/PBMT, not implemented)
        }
        pte
    }
}

fn vpn(va: u64, level: usize) -> usize {
    ((va >> (12 + 9 * level)) & 0x1ff) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks `va` in software through the built tables: the leaf PTE and its level.
    fn walk(pt: &PageTables, space: usize, va: u64) -> Option<(u64, usize)> {
        let mut table = pt.roots[space];
        for level in (0..pt.levels()).rev() {
            let pte = pt.tables[table][vpn(va, level)];
            if pte & V == 0 {
                return None;
            }
            if pte & (R | W | X) != 0 {
                return Some((pte, level));
            }
            table = pt.table_at(pte >> 10 << 12);
        }
        None
    }

    #[test]
    fn code_is_mapped_for_s_and_u_in_every_space() {
        for seed in 1..=20 {
            let mut rng = XorShift64::new(seed);
            let pt = PageTables::random(&mut rng, seed % 2 == 0, 1 + seed as usize % 2);
            for space in 0..pt.roots.len() {
                for pa in [0x8000_0000u64, 0x8000_5ffe, 0x8010_0ff8] {
                    let (s, _) = walk(&pt, space, pa).expect("code mapped for S");
                    let (u, _) = walk(&pt, space, pa + USER_ALIAS).expect("code mapped for U");
                    assert_eq!(s & (X | U | A), X | A, "S view {s:#x}");
                    assert_eq!(u & (X | U | A), X | U | A, "U view {u:#x}");
                }
            }
        }
    }

    #[test]
    fn data_leaves_are_where_the_walk_finds_them() {
        for seed in 1..=20 {
            let mut rng = XorShift64::new(seed);
            let spaces = 1 + seed as usize % 2;
            let pt = PageTables::random(&mut rng, seed % 2 == 1, spaces);
            assert_eq!(pt.leaves.len(), spaces * (2 * VM_DATA_PAGES as usize + 2));
            for leaf in &pt.leaves {
                let table = pt.table_at(leaf.pte_addr & !(PAGE - 1));
                let pte = pt.tables[table][(leaf.pte_addr % PAGE / 8) as usize];
                let found = (0..spaces).find_map(|s| walk(&pt, s, leaf.va).filter(|f| f.0 == pte));
                if pte & V != 0 && pte & (R | W | X) != 0 {
                    assert_eq!(found.map(|f| f.1), Some(leaf.level), "{leaf:?}");
                }
                // Two spaces: no data leaf is global.
                assert!(spaces == 1 || pte & G == 0);
            }
        }
    }
}
