//! The system bus: decodes a physical address to DRAM, pmem or a device, and offers
//! the two kinds of access the harness needs: one beat of the 64-bit AXI data bus
//! (for the AXI slave, every cycle) and plain byte ranges (for the ELF loader and
//! host-side checks, which must not have device side effects).

use super::addr::PhysAddr;
use super::region::{MemoryMap, Region, RegionKind};
use super::sparse::SparseMemory;
use crate::devices::htif::Htif;
use crate::devices::simctrl::SimCtrl;
use crate::devices::SimEvent;
use std::collections::VecDeque;
use thiserror::Error;

/// Width of the AXI data bus in bytes.
pub const BUS_BYTES: u64 = 8;

/// Why an access could not be served.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum BusError {
    /// Nothing is mapped at the address (AXI DECERR).
    #[error("no memory or device at {addr}")]
    Unmapped { addr: PhysAddr },
    /// A device refused the access (AXI SLVERR).
    #[error("{device} refused the access at {addr}: {reason}")]
    Device {
        device: RegionKind,
        addr: PhysAddr,
        reason: &'static str,
    },
    /// A host-side byte range that is not wholly inside DRAM or pmem.
    #[error("range [{start}, +{len:#x}) is not backed by DRAM or pmem")]
    NotMemory { start: PhysAddr, len: u64 },
}

/// Which target an address decodes to, with the offset inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Dram(u64),
    Pmem(u64),
    SimCtrl(u64),
    Unmapped,
}

/// Everything behind the SoC's AXI port, plus the queue of events the devices raise
/// for the simulation loop.
pub struct SystemBus {
    map: MemoryMap,
    dram: SparseMemory,
    pmem: SparseMemory,
    simctrl: SimCtrl,
    htif: Option<Htif>,
    events: VecDeque<SimEvent>,
}

impl SystemBus {
    /// Empty (all-zero) memories laid out as `map`; no HTIF until [`Self::set_htif`].
    pub fn new(map: MemoryMap) -> Self {
        Self {
            map,
            dram: SparseMemory::new(map.dram.size),
            pmem: SparseMemory::new(map.pmem.size),
            simctrl: SimCtrl,
            htif: None,
            // Events are rare; a little room avoids any growth in a normal run.
            events: VecDeque::with_capacity(64),
        }
    }

    /// The memory map this bus decodes.
    pub fn map(&self) -> &MemoryMap {
        &self.map
    }

    /// Watches `tohost` writes from now on (or stops, with `None`).
    pub fn set_htif(&mut self, htif: Option<Htif>) {
        self.htif = htif;
    }

    /// The HTIF configuration, if any.
    pub fn htif(&self) -> Option<Htif> {
        self.htif
    }

    /// DRAM storage, e.g. for statistics.
    pub fn dram(&self) -> &SparseMemory {
        &self.dram
    }

    /// pmem storage, e.g. for saving an image.
    /// Replaces pmem's contents (a pmem image); `None` when the sizes differ.
    pub fn set_pmem(&mut self, memory: SparseMemory) -> Option<()> {
        (memory.size() == self.pmem.size()).then(|| self.pmem = memory)
    }

    pub fn pmem(&self) -> &SparseMemory {
        &self.pmem
    }

    #[inline]
    fn decode(&self, addr: u64) -> Target {
        // DRAM first: it takes nearly every access.
        let off = addr.wrapping_sub(self.map.dram.base.raw());
        if off < self.map.dram.size {
            return Target::Dram(off);
        }
        let off = addr.wrapping_sub(self.map.pmem.base.raw());
        if off < self.map.pmem.size {
            return Target::Pmem(off);
        }
        let off = addr.wrapping_sub(self.map.simctrl.base.raw());
        if off < self.map.simctrl.size {
            return Target::SimCtrl(off);
        }
        Target::Unmapped
    }

    /// Reads one beat of size `2^size` bytes at `addr` (size <= 3). The result is laid
    /// out on the byte lanes of the 64-bit bus (the byte at address `a` on lane
    /// `a % 8`); lanes outside the transfer are zero.
    #[inline]
    pub fn read_beat(&mut self, addr: PhysAddr, size: u8) -> Result<u64, BusError> {
        let word = addr.raw() & !(BUS_BYTES - 1);
        let data = match self.decode(word) {
            Target::Dram(off) => self.dram.read_word(off),
            Target::Pmem(off) => self.pmem.read_word(off),
            Target::SimCtrl(off) => self.simctrl.read(off),
            Target::Unmapped => return Err(BusError::Unmapped { addr }),
        };
        Ok(data & lane_mask(byte_lanes(addr.raw(), size)))
    }

    /// Writes the lanes of `data` selected by `strb` to the 8-byte word holding `addr`.
    #[inline]
    pub fn write_beat(&mut self, addr: PhysAddr, data: u64, strb: u8) -> Result<(), BusError> {
        let word = addr.raw() & !(BUS_BYTES - 1);
        match self.decode(word) {
            Target::Dram(off) => self.dram.write_word(off, data, lane_mask(strb)),
            Target::Pmem(off) => self.pmem.write_word(off, data, lane_mask(strb)),
            Target::SimCtrl(off) => {
                return self
                    .simctrl
                    .write(off, data, strb, &mut self.events)
                    .map_err(|reason| BusError::Device {
                        device: RegionKind::SimCtrl,
                        addr,
                        reason,
                    })
            }
            Target::Unmapped => return Err(BusError::Unmapped { addr }),
        }
        // Copy out the (small, Copy) config so that the service can borrow the bus.
        if let Some(htif) = self.htif {
            if htif.touched_by(word, strb) {
                htif.service(self);
            }
        }
        Ok(())
    }

    /// The memory region and offset for a host-side range, which must lie in one
    /// memory. Ranges spanning DRAM and pmem (adjacent when DRAM is 2 GiB) are split
    /// by the callers below.
    fn host_chunk(&self, addr: PhysAddr, len: u64) -> Result<(Region, u64, u64), BusError> {
        let not_memory = BusError::NotMemory { start: addr, len };
        let region = self
            .map
            .memories()
            .into_iter()
            .find(|r| r.offset_of(addr).is_some())
            .ok_or(not_memory)?;
        let off = addr - region.base;
        Ok((region, off, len.min(region.size - off)))
    }

    /// Checks that all of `[addr, addr + len)` is DRAM or pmem before touching any.
    fn check_host_range(&self, addr: PhysAddr, len: u64) -> Result<(), BusError> {
        let not_memory = BusError::NotMemory { start: addr, len };
        if addr.checked_add(len).is_none() {
            return Err(not_memory);
        }
        let (mut at, mut left) = (addr, len);
        while left > 0 {
            let (_, _, n) = self.host_chunk(at, left).map_err(|_| not_memory)?;
            at = at + n;
            left -= n;
        }
        Ok(())
    }

    fn memory_mut(&mut self, kind: RegionKind) -> &mut SparseMemory {
        match kind {
            RegionKind::Pmem => &mut self.pmem,
            _ => &mut self.dram,
        }
    }

    fn memory(&self, kind: RegionKind) -> &SparseMemory {
        match kind {
            RegionKind::Pmem => &self.pmem,
            _ => &self.dram,
        }
    }

    /// Host-side read of memory (DRAM or pmem only; no device side effects).
    pub fn read_bytes(&self, addr: PhysAddr, buf: &mut [u8]) -> Result<(), BusError> {
        self.check_host_range(addr, buf.len() as u64)?;
        let mut done = 0usize;
        while done < buf.len() {
            let (region, off, n) =
                self.host_chunk(addr + done as u64, (buf.len() - done) as u64)?;
            let n = n as usize;
            self.memory(region.kind).read(off, &mut buf[done..done + n]);
            done += n;
        }
        Ok(())
    }

    /// Host-side write of memory (DRAM or pmem only; does not trigger HTIF).
    pub fn write_bytes(&mut self, addr: PhysAddr, data: &[u8]) -> Result<(), BusError> {
        self.check_host_range(addr, data.len() as u64)?;
        let mut done = 0usize;
        while done < data.len() {
            let (region, off, n) =
                self.host_chunk(addr + done as u64, (data.len() - done) as u64)?;
            let n = n as usize;
            self.memory_mut(region.kind)
                .write(off, &data[done..done + n]);
            done += n;
        }
        Ok(())
    }

    /// Host-side zeroing of `len` bytes of memory, without allocating untouched pages.
    pub fn zero_bytes(&mut self, addr: PhysAddr, len: u64) -> Result<(), BusError> {
        self.check_host_range(addr, len)?;
        let mut done = 0u64;
        while done < len {
            let (region, off, n) = self.host_chunk(addr + done, len - done)?;
            self.memory_mut(region.kind).zero(off, n);
            done += n;
        }
        Ok(())
    }

    /// Host-side little-endian 64-bit read.
    pub fn read_u64(&self, addr: PhysAddr) -> Result<u64, BusError> {
        let mut b = [0; 8];
        self.read_bytes(addr, &mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    /// Host-side little-endian 64-bit write.
    pub fn write_u64(&mut self, addr: PhysAddr, value: u64) -> Result<(), BusError> {
        self.write_bytes(addr, &value.to_le_bytes())
    }

    /// True when a device raised an event since the last drain: one load and compare,
    /// cheap enough to ask every cycle.
    #[inline]
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// The oldest pending event.
    pub fn pop_event(&mut self) -> Option<SimEvent> {
        self.events.pop_front()
    }

    /// All pending events, oldest first.
    pub fn drain_events(&mut self) -> impl Iterator<Item = SimEvent> + '_ {
        self.events.drain(..)
    }

    /// Queues an event for the loop (used by devices serviced through the bus).
    pub fn push_event(&mut self, event: SimEvent) {
        self.events.push_back(event);
    }
}

/// The byte lanes (one bit per lane) that a beat of `2^size` bytes at `addr` uses on
/// the 64-bit bus: from `addr` up to the end of its `2^size`-aligned container, so an
/// unaligned first beat of an INCR burst only uses its upper lanes (AXI A3.4.3).
#[inline]
pub fn byte_lanes(addr: u64, size: u8) -> u8 {
    debug_assert!(size <= 3);
    let bytes = 1u32 << size;
    let container = (addr as u32) & 7 & !(bytes - 1);
    let first = (addr as u32) & 7;
    let all = (((1u32 << bytes) - 1) << container) as u8;
    all & (0xffu8 << first)
}

/// Expands a strobe (one bit per byte lane) to a 64-bit mask of whole bytes.
#[inline]
pub fn lane_mask(strb: u8) -> u64 {
    LANE_MASKS[strb as usize]
}

// A table beats a loop on the per-beat path; 2 KiB, built at compile time.
static LANE_MASKS: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut s = 0;
    while s < 256 {
        let mut m = 0u64;
        let mut lane = 0;
        while lane < 8 {
            if s & (1 << lane) != 0 {
                m |= 0xff << (8 * lane);
            }
            lane += 1;
        }
        t[s] = m;
        s += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::region::MemoryMap;

    fn bus() -> SystemBus {
        SystemBus::new(MemoryMap::default())
    }

    #[test]
    fn lanes_follow_axi_rules() {
        assert_eq!(byte_lanes(0x1000, 3), 0xff);
        assert_eq!(byte_lanes(0x1003, 0), 0x08);
        assert_eq!(byte_lanes(0x1006, 1), 0xc0);
        assert_eq!(byte_lanes(0x1004, 2), 0xf0);
        // Unaligned: from the address to the end of the 4-byte container.
        assert_eq!(byte_lanes(0x1005, 2), 0xe0);
        assert_eq!(byte_lanes(0x1003, 3), 0xf8);
        assert_eq!(lane_mask(0x81), 0xff00_0000_0000_00ff);
        assert_eq!(lane_mask(0), 0);
        assert_eq!(lane_mask(0xff), !0);
    }

    #[test]
    fn beats_route_to_dram_and_pmem() {
        let mut b = bus();
        b.write_beat(PhysAddr(0x8000_0008), 0x0102_0304_0506_0708, 0xff)
            .unwrap();
        b.write_beat(PhysAddr(0x1_0000_0010), 0xdead_beef, 0x0f)
            .unwrap();
        assert_eq!(
            b.read_beat(PhysAddr(0x8000_0008), 3).unwrap(),
            0x0102_0304_0506_0708
        );
        assert_eq!(b.read_u64(PhysAddr(0x1_0000_0010)).unwrap(), 0xdead_beef);
        assert_eq!(b.dram().resident_pages(), 1);
        assert_eq!(b.pmem().resident_pages(), 1);
    }

    #[test]
    fn narrow_beats_use_their_lanes() {
        let mut b = bus();
        b.write_bytes(PhysAddr(0x8000_0000), &[0, 1, 2, 3, 4, 5, 6, 7])
            .unwrap();
        // Byte at 0x8000_0005 sits on lane 5; the other lanes read as zero.
        assert_eq!(
            b.read_beat(PhysAddr(0x8000_0005), 0).unwrap(),
            0x0000_0500_0000_0000
        );
        assert_eq!(
            b.read_beat(PhysAddr(0x8000_0004), 2).unwrap(),
            0x0706_0504_0000_0000
        );
        // A halfword store on lanes 2..3.
        b.write_beat(PhysAddr(0x8000_0002), 0xffff_ffff_abcd_ffff, 0x0c)
            .unwrap();
        let mut back = [0; 8];
        b.read_bytes(PhysAddr(0x8000_0000), &mut back).unwrap();
        assert_eq!(back, [0, 1, 0xcd, 0xab, 4, 5, 6, 7]);
    }

    #[test]
    fn unmapped_addresses_decode_error() {
        let mut b = bus();
        for a in [0u64, 0x0200_0000, 0x7fff_fff8, 0x9000_0000, 0x2_0000_0000] {
            assert_eq!(
                b.read_beat(PhysAddr(a), 3),
                Err(BusError::Unmapped { addr: PhysAddr(a) })
            );
            assert!(b.write_beat(PhysAddr(a), 1, 0xff).is_err());
        }
        assert!(b.read_beat(PhysAddr(0x8fff_fff8), 3).is_ok());
    }

    #[test]
    fn host_ranges_must_be_memory() {
        let mut b = bus();
        let mut buf = [0; 16];
        assert!(b.read_bytes(PhysAddr(0x8fff_fff8), &mut buf).is_err());
        assert!(b.write_bytes(PhysAddr(0x1000_0000), &[1]).is_err());
        assert!(b.write_bytes(PhysAddr(u64::MAX), &[1, 2]).is_err());
        // A failed write changes nothing.
        assert_eq!(b.dram().resident_pages(), 0);
        b.write_bytes(PhysAddr(0x8fff_fff8), &[7; 8]).unwrap();
        b.zero_bytes(PhysAddr(0x8000_0000), 256 << 20).unwrap();
        assert_eq!(b.read_u64(PhysAddr(0x8fff_fff8)).unwrap(), 0);
    }

    #[test]
    fn host_ranges_may_span_adjacent_memories() {
        // 2 GiB of DRAM ends exactly where pmem begins.
        let mut b = SystemBus::new(MemoryMap::new(2 << 30, 4096).unwrap());
        let data: Vec<u8> = (1..=32).collect();
        b.write_bytes(PhysAddr(0xffff_fff0), &data).unwrap();
        let mut back = [0; 32];
        b.read_bytes(PhysAddr(0xffff_fff0), &mut back).unwrap();
        assert_eq!(&back[..], &data[..]);
        assert_eq!(b.read_beat(PhysAddr(0x1_0000_0000), 0).unwrap(), 17);
    }

    #[test]
    fn simctrl_writes_raise_events_and_reads_are_zero() {
        let mut b = bus();
        assert!(!b.has_events());
        b.write_beat(PhysAddr(0x1000_0000), u64::from(b'A'), 0x01)
            .unwrap();
        assert_eq!(b.read_beat(PhysAddr(0x1000_0008), 3).unwrap(), 0);
        assert!(b.has_events());
        assert_eq!(b.pop_event(), Some(SimEvent::Console(b'A')));
        assert!(!b.has_events());
        let err = b.write_beat(PhysAddr(0x1000_0ff8), 1, 0xff).unwrap_err();
        assert!(matches!(err, BusError::Device { .. }), "{err}");
    }
}
