//! Sparse, page-backed byte storage for one memory region.
//!
//! A region of up to 1 TiB (pmem) cannot be allocated up front, and a hash map per
//! access is too slow for the per-cycle path. So the index is a two-level table:
//! a directory of lazily allocated leaf tables, each holding lazily allocated
//! 4 KiB pages. A lookup is two array indexings; untouched memory reads as zero and
//! costs nothing but its directory slot (8 bytes per 4 MiB).

/// Size of one backing page.
pub const PAGE_SIZE: usize = 4096;
const PAGE_SHIFT: u32 = 12;
/// Pages per leaf table: 1024 pages (4 MiB of memory, 8 KiB of table).
const LEAF_BITS: u32 = 10;
const LEAF_PAGES: usize = 1 << LEAF_BITS;

type Page = [u8; PAGE_SIZE];
type Leaf = [Option<Box<Page>>; LEAF_PAGES];

/// Zero-initialized, lazily allocated storage of `size` bytes addressed by offset.
///
/// Offsets are region-relative; callers (the bus) check bounds before calling, and
/// the methods here panic on an out-of-range offset, which is a harness bug.
pub struct SparseMemory {
    size: u64,
    dir: Vec<Option<Box<Leaf>>>,
    resident: usize,
}

impl SparseMemory {
    /// Storage for `size` bytes; nothing but the directory is allocated.
    pub fn new(size: u64) -> Self {
        let pages = size.div_ceil(PAGE_SIZE as u64);
        let leaves = pages.div_ceil(LEAF_PAGES as u64) as usize;
        let mut dir = Vec::with_capacity(leaves);
        dir.resize_with(leaves, || None);
        Self {
            size,
            dir,
            resident: 0,
        }
    }

    /// Size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Page numbers of the pages that have backing storage, in increasing order.
    pub fn resident_page_numbers(&self) -> impl Iterator<Item = u64> + '_ {
        self.dir.iter().enumerate().flat_map(|(l, leaf)| {
            leaf.iter().flat_map(move |leaf| {
                leaf.iter()
                    .enumerate()
                    .filter(|(_, page)| page.is_some())
                    .map(move |(p, _)| ((l as u64) << LEAF_BITS) | p as u64)
            })
        })
    }

    /// Number of 4 KiB pages that have backing storage (were written with non-zero data).
    pub fn resident_pages(&self) -> usize {
        self.resident
    }

    #[inline]
    fn page(&self, page_number: u64) -> Option<&Page> {
        let leaf = self.dir[(page_number >> LEAF_BITS) as usize].as_deref()?;
        leaf[(page_number as usize) & (LEAF_PAGES - 1)].as_deref()
    }

    #[inline]
    fn page_mut(&mut self, page_number: u64) -> &mut Page {
        let leaf = self.dir[(page_number >> LEAF_BITS) as usize].get_or_insert_with(new_leaf);
        let slot = &mut leaf[(page_number as usize) & (LEAF_PAGES - 1)];
        if slot.is_none() {
            self.resident += 1;
        }
        slot.get_or_insert_with(new_page)
    }

    #[inline]
    fn check(&self, offset: u64, len: u64) {
        assert!(
            offset <= self.size && len <= self.size - offset,
            "sparse memory access [{offset:#x}, +{len:#x}) outside {:#x} bytes",
            self.size
        );
    }

    /// The little-endian 64-bit word at `offset` (a multiple of 8).
    #[inline]
    pub fn read_word(&self, offset: u64) -> u64 {
        debug_assert!(offset.is_multiple_of(8) && offset < self.size);
        match self.page(offset >> PAGE_SHIFT) {
            Some(page) => {
                let at = (offset as usize) & (PAGE_SIZE - 1);
                u64::from_le_bytes(page[at..at + 8].try_into().unwrap())
            }
            None => 0,
        }
    }

    /// Replaces the bits of the word at `offset` (a multiple of 8) selected by `mask`.
    #[inline]
    pub fn write_word(&mut self, offset: u64, data: u64, mask: u64) {
        debug_assert!(offset.is_multiple_of(8) && offset < self.size);
        // Zeros into an untouched page change nothing: stay sparse (firmware that
        // clears a large pmem range must not allocate all of it).
        if data & mask == 0 && self.page(offset >> PAGE_SHIFT).is_none() {
            return;
        }
        let page = self.page_mut(offset >> PAGE_SHIFT);
        let at = (offset as usize) & (PAGE_SIZE - 1);
        let bytes: &mut [u8; 8] = (&mut page[at..at + 8]).try_into().unwrap();
        let old = u64::from_le_bytes(*bytes);
        *bytes = ((old & !mask) | (data & mask)).to_le_bytes();
    }

    /// Copies `buf.len()` bytes starting at `offset` into `buf`.
    pub fn read(&self, offset: u64, buf: &mut [u8]) {
        self.check(offset, buf.len() as u64);
        let mut done = 0;
        while done < buf.len() {
            let at = offset + done as u64;
            let in_page = (at as usize) & (PAGE_SIZE - 1);
            let n = (PAGE_SIZE - in_page).min(buf.len() - done);
            let dst = &mut buf[done..done + n];
            match self.page(at >> PAGE_SHIFT) {
                Some(page) => dst.copy_from_slice(&page[in_page..in_page + n]),
                None => dst.fill(0),
            }
            done += n;
        }
    }

    /// Copies `data` into memory starting at `offset`.
    pub fn write(&mut self, offset: u64, data: &[u8]) {
        self.check(offset, data.len() as u64);
        let mut done = 0;
        while done < data.len() {
            let at = offset + done as u64;
            let in_page = (at as usize) & (PAGE_SIZE - 1);
            let n = (PAGE_SIZE - in_page).min(data.len() - done);
            let src = &data[done..done + n];
            if src.iter().any(|&b| b != 0) || self.page(at >> PAGE_SHIFT).is_some() {
                self.page_mut(at >> PAGE_SHIFT)[in_page..in_page + n].copy_from_slice(src);
            }
            done += n;
        }
    }

    /// Sets `len` bytes starting at `offset` to zero without allocating.
    pub fn zero(&mut self, offset: u64, len: u64) {
        self.check(offset, len);
        let mut done = 0u64;
        while done < len {
            let at = offset + done;
            let in_page = (at as usize) & (PAGE_SIZE - 1);
            let n = ((PAGE_SIZE - in_page) as u64).min(len - done) as usize;
            if self.page(at >> PAGE_SHIFT).is_some() {
                self.page_mut(at >> PAGE_SHIFT)[in_page..in_page + n].fill(0);
            }
            done += n as u64;
        }
    }
}

// Built through a zeroed Vec so that neither goes through the stack.
fn new_page() -> Box<Page> {
    vec![0u8; PAGE_SIZE].into_boxed_slice().try_into().unwrap()
}

fn new_leaf() -> Box<Leaf> {
    let mut v = Vec::with_capacity(LEAF_PAGES);
    v.resize_with(LEAF_PAGES, || None);
    v.into_boxed_slice()
        .try_into()
        .unwrap_or_else(|_| unreachable!())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_pages_are_listed_in_order() {
        let mut m = SparseMemory::new(1 << 40);
        for offset in [(1u64 << 39) + 5, 4096 * 3, 0] {
            m.write(offset, &[1]);
        }
        let pages: Vec<u64> = m.resident_page_numbers().collect();
        assert_eq!(pages, vec![0, 3, (1 << 39) / 4096]);
    }

    #[test]
    fn untouched_memory_reads_zero_and_costs_nothing() {
        let m = SparseMemory::new(1 << 40);
        assert_eq!(m.read_word(0), 0);
        assert_eq!(m.read_word((1 << 40) - 8), 0);
        let mut buf = [0xaa; 16];
        m.read(0x1234_5678, &mut buf);
        assert_eq!(buf, [0; 16]);
        assert_eq!(m.resident_pages(), 0);
        // 1 TiB / 4 MiB directory slots.
        assert_eq!(m.dir.len(), 1 << 18);
    }

    #[test]
    fn word_writes_merge_under_mask() {
        let mut m = SparseMemory::new(1 << 20);
        m.write_word(0x100, 0x1122_3344_5566_7788, !0);
        m.write_word(0x100, 0xffff_ffff_ffff_ffff, 0x0000_0000_ff00_00ff);
        assert_eq!(m.read_word(0x100), 0x1122_3344_ff66_77ff);
        assert_eq!(m.resident_pages(), 1);
    }

    #[test]
    fn zero_writes_do_not_allocate() {
        let mut m = SparseMemory::new(1 << 30);
        m.write_word(0x8000, 0, !0);
        m.write(0x10_0000, &[0; 10000]);
        m.zero(0, 1 << 30);
        assert_eq!(m.resident_pages(), 0);
        m.write_word(0x8000, 5, !0);
        m.zero(0x8000, 8);
        assert_eq!(m.read_word(0x8000), 0);
    }

    #[test]
    fn byte_copies_cross_pages() {
        let mut m = SparseMemory::new(1 << 24);
        let data: Vec<u8> = (0..10000u32).map(|i| (i % 251) as u8 + 1).collect();
        m.write(0xff0, &data);
        let mut back = vec![0; data.len()];
        m.read(0xff0, &mut back);
        assert_eq!(back, data);
        assert_eq!(m.resident_pages(), 4); // 0xff0..0x3700 touches pages 0..=3
        assert_eq!(
            m.read_word(0xff0),
            u64::from_le_bytes(data[..8].try_into().unwrap())
        );
    }

    #[test]
    #[should_panic(expected = "outside")]
    fn out_of_range_is_a_bug() {
        let m = SparseMemory::new(4096);
        let mut buf = [0; 8];
        m.read(4092, &mut buf);
    }
}
