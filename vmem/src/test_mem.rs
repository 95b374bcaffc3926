//! A tiny physical memory for the unit tests: sparse 64-bit words in a sorted `Vec`
//! (zero where never written), exact addresses that fail on the bus or that PMP
//! denies, a log of every access, and a page-table builder on top.

use crate::geometry::{page_size, vpn, Mode, Satp, PAGE_SHIFT, PTE_SIZE};
use crate::pte::Pte;
use crate::walk::PhysMemory;
use std::vec::Vec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    PmpCheck { pa: u64, write: bool },
    Read(u64),
    Write(u64, u64),
}

#[derive(Default)]
pub struct TestMem {
    words: Vec<(u64, u64)>,
    /// Addresses whose reads and writes fail on the bus.
    pub bus_error: Vec<u64>,
    /// (address, write) pairs that PMP denies to the walker.
    pub pmp_deny: Vec<(u64, bool)>,
    pub log: Vec<Event>,
    next_free_ppn: u64,
}

impl TestMem {
    /// Page tables are allocated from 0x8000_0000 up.
    pub fn new() -> TestMem {
        TestMem {
            next_free_ppn: 0x8_0000,
            ..TestMem::default()
        }
    }

    pub fn peek(&self, pa: u64) -> u64 {
        match self.words.binary_search_by_key(&pa, |w| w.0) {
            Ok(i) => self.words[i].1,
            Err(_) => 0,
        }
    }

    pub fn poke(&mut self, pa: u64, v: u64) {
        assert_eq!(pa % 8, 0, "unaligned test word");
        match self.words.binary_search_by_key(&pa, |w| w.0) {
            Ok(i) => self.words[i].1 = v,
            Err(i) => self.words.insert(i, (pa, v)),
        }
    }

    /// A fresh zeroed page-table page.
    pub fn alloc_table(&mut self) -> u64 {
        let ppn = self.next_free_ppn;
        self.next_free_ppn += 1;
        ppn
    }

    /// A new root table and the matching `satp`.
    pub fn new_root(&mut self, mode: Mode, asid: u16) -> u64 {
        let root = self.alloc_table();
        Satp::new(Some(mode), asid, root).bits()
    }

    /// Physical address of the PTE for `va` at `level`, creating pointer entries (with
    /// `table_flags` added) down to it.
    pub fn pte_addr(&mut self, satp: u64, va: u64, level: u8, table_flags: u64) -> u64 {
        let s = Satp::decode(satp).unwrap();
        let mode = s.mode.unwrap();
        let mut table = s.ppn;
        let mut l = mode.levels() - 1;
        loop {
            let addr = (table << PAGE_SHIFT) + vpn(va, l) * PTE_SIZE;
            if l == level {
                return addr;
            }
            let cur = Pte(self.peek(addr));
            table = if cur.v() {
                cur.ppn()
            } else {
                let next = self.alloc_table();
                self.poke(addr, Pte::table(next).bits() | table_flags);
                next
            };
            l -= 1;
        }
    }

    /// Writes the raw leaf `pte` for `va` at `level`; returns the PTE's address.
    pub fn map(&mut self, satp: u64, va: u64, level: u8, pte: u64) -> u64 {
        assert_eq!(va % page_size(level), 0, "test maps an unaligned VA");
        let addr = self.pte_addr(satp, va, level, 0);
        self.poke(addr, pte);
        addr
    }

    pub fn reads(&self) -> usize {
        self.log
            .iter()
            .filter(|e| matches!(e, Event::Read(_)))
            .count()
    }
}

impl PhysMemory for TestMem {
    fn read_u64(&mut self, pa: u64) -> Option<u64> {
        self.log.push(Event::Read(pa));
        if self.bus_error.contains(&pa) {
            return None;
        }
        Some(self.peek(pa))
    }

    fn write_u64(&mut self, pa: u64, v: u64) -> bool {
        self.log.push(Event::Write(pa, v));
        if self.bus_error.contains(&pa) {
            return false;
        }
        self.poke(pa, v);
        true
    }

    fn pte_access_allowed(&mut self, pa: u64, write: bool) -> bool {
        self.log.push(Event::PmpCheck { pa, write });
        !self.pmp_deny.contains(&(pa, write))
    }
}
