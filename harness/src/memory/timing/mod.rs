//! The memory system's timing behind the AXI slave: per region (DRAM, pmem) a read
//! and a write channel with a latency and a bandwidth, and for pmem the device's
//! internals that its counters report (media lines, write combining, the write
//! pending queue). Everything is computed when a burst is accepted, in core cycles,
//! deterministically.
//!
//! - A read burst's first beat comes `latency` cycles after its address is accepted,
//!   or when the region's read channel is free, whichever is later; its beats then
//!   follow at the region's read bandwidth, which they occupy (so concurrent bursts
//!   queue). The latency is the sequential one when the burst starts in the same or
//!   the next `locality_bytes` block as the region's previous read, else the random
//!   one.
//! - A write burst is acknowledged (B) once it is in the persistence domain: its
//!   write latency after acceptance, and not before the write channel (bandwidth) has
//!   taken its bytes. When more than `wpq_entries` writes are waiting for the channel,
//!   a write also waits for a slot of the write pending queue (counted as stall
//!   cycles).
//! - pmem media: writes land in a write-combining buffer of `combining_lines` media
//!   lines (LRU); a line leaving it is one media write, preceded by a media read (a
//!   read-modify-write) unless all its bytes were written. A read counts one media
//!   read per line it touches.

mod counters;
mod profile;

pub use counters::{MemCounters, RegionCounters};
pub use profile::{MediaProfile, Profile, ProfileError, RegionProfile};

use crate::memory::{MemoryMap, PhysAddr};

/// A region's timing in cycles, and its channels' state.
#[derive(Clone, Debug)]
struct RegionTiming {
    seq_read: u64,
    rand_read: u64,
    write: u64,
    read_bytes_per_cycle: f64,
    write_bytes_per_cycle: f64,
    locality_shift: u32,
    /// Block of the previous read (for the sequential/random choice).
    last_read_block: Option<u64>,
    /// When each channel is free again (fractional cycles: bandwidth is not integral).
    read_free: f64,
    write_free: f64,
}

impl RegionTiming {
    fn new(p: &Profile, r: &RegionProfile) -> Self {
        Self {
            seq_read: p.cycles(r.seq_read_ns),
            rand_read: p.cycles(r.rand_read_ns),
            write: p.cycles(r.write_ns),
            read_bytes_per_cycle: p.bytes_per_cycle(r.read_gbps),
            write_bytes_per_cycle: p.bytes_per_cycle(r.write_gbps),
            locality_shift: r.locality_bytes.trailing_zeros(),
            last_read_block: None,
            read_free: 0.0,
            write_free: 0.0,
        }
    }
}

/// When a read burst's beats may be offered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReadSchedule {
    /// Cycle of the first beat.
    pub first: u64,
    /// Cycles between beats (at least one: the bus carries a beat per cycle).
    pub interval: f64,
}

impl ReadSchedule {
    /// Earliest cycle of beat `k`.
    pub fn beat_at(&self, k: u32) -> u64 {
        self.first
            .saturating_add((f64::from(k) * self.interval) as u64)
    }
}

/// pmem's write-combining buffer: (line, bytes written mask as a count of bytes)
/// in LRU order, most recent last.
#[derive(Clone, Debug, Default)]
struct Combining {
    lines: Vec<(u64, u64)>,
}

/// The timing of DRAM and pmem under one profile.
pub struct MemoryTiming {
    profile: Profile,
    map: MemoryMap,
    regions: [RegionTiming; 2],
    combining: Combining,
    counters: MemCounters,
}

/// Index of the region holding an address: 0 DRAM, 1 pmem.
const DRAM: usize = 0;
const PMEM: usize = 1;

impl MemoryTiming {
    pub fn new(profile: Profile, map: MemoryMap) -> Self {
        let regions = [
            RegionTiming::new(&profile, &profile.dram),
            RegionTiming::new(&profile, &profile.pmem),
        ];
        Self {
            profile,
            map,
            regions,
            combining: Combining::default(),
            counters: MemCounters::default(),
        }
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn counters(&self) -> &MemCounters {
        &self.counters
    }

    fn region_of(&self, addr: u64) -> Option<usize> {
        let [dram, pmem] = self.map.memories();
        if dram.contains_range(PhysAddr(addr), 1) {
            Some(DRAM)
        } else if pmem.contains_range(PhysAddr(addr), 1) {
            Some(PMEM)
        } else {
            None
        }
    }

    /// A read burst of `beats` beats of `bytes` each at `addr` accepted at `now`;
    /// `None` when `addr` is in no timed region (devices answer at the bus's pace).
    pub fn read(&mut self, addr: u64, beats: u32, bytes: u32, now: u64) -> Option<ReadSchedule> {
        let r = self.region_of(addr)?;
        let total = f64::from(beats * bytes);
        let line_bytes = self.profile.media.line_bytes;
        let t = &mut self.regions[r];
        let block = addr >> t.locality_shift;
        let sequential = t
            .last_read_block
            .is_some_and(|b| block == b || block == b + 1);
        t.last_read_block = Some(block);
        let latency = if sequential { t.seq_read } else { t.rand_read };
        let interval = (f64::from(bytes) / t.read_bytes_per_cycle).max(1.0);
        let first = now.saturating_add(latency).max(t.read_free.ceil() as u64);
        let busy = total / t.read_bytes_per_cycle;
        t.read_free = first as f64 + busy.max(f64::from(beats - 1) * interval);
        let c = &mut self.counters.regions[r];
        c.reads += 1;
        c.read_bytes += total as u64;
        c.busy_cycles += busy.ceil() as u64;
        if r == PMEM {
            let first_line = addr / line_bytes;
            let last_line = (addr + total as u64 - 1) / line_bytes;
            self.counters.media_reads += last_line - first_line + 1;
        }
        Some(ReadSchedule { first, interval })
    }

    /// A write burst at `addr` of `beats` beats of `bytes` each, accepted at `now`,
    /// whose last data beat arrived at `data_done`: the cycle from which its B (the
    /// write is durable) may be offered; `None` outside the timed regions.
    pub fn write(
        &mut self,
        addr: u64,
        beats: u32,
        bytes: u32,
        accepted: u64,
        data_done: u64,
    ) -> Option<u64> {
        let r = self.region_of(addr)?;
        let total = f64::from(beats * bytes);
        let wpq = self.profile.media.wpq_entries as f64;
        let t = &mut self.regions[r];
        let per_write = total / t.write_bytes_per_cycle;
        let start = t.write_free.max(data_done as f64);
        // Writes still queued for the channel beyond the WPQ's size wait for a slot.
        let backlog = ((start - data_done as f64) / per_write.max(f64::EPSILON)).floor();
        let stall = if backlog >= wpq {
            (start - data_done as f64 - (wpq - 1.0) * per_write).max(0.0)
        } else {
            0.0
        };
        t.write_free = start + per_write;
        let durable = accepted
            .saturating_add(t.write)
            .max(data_done.saturating_add(1))
            .max((start.ceil() as u64).saturating_add(stall.ceil() as u64));
        let c = &mut self.counters.regions[r];
        c.writes += 1;
        c.write_bytes += total as u64;
        c.busy_cycles += per_write.ceil() as u64;
        if r == PMEM {
            self.counters.persisted_writes += 1;
            self.counters.wpq_stall_cycles += stall.ceil() as u64;
            self.counters.wpq_peak = self.counters.wpq_peak.max((backlog + 1.0).min(wpq) as u64);
        }
        Some(durable)
    }

    /// One written beat of pmem (`bytes` bytes at `addr`): the write-combining buffer.
    pub fn pmem_beat_written(&mut self, addr: u64, bytes: u32) {
        if self.region_of(addr) != Some(PMEM) {
            return;
        }
        let line_bytes = self.profile.media.line_bytes;
        let line = addr / line_bytes;
        let lines = &mut self.combining.lines;
        if let Some(i) = lines.iter().position(|&(l, _)| l == line) {
            let (l, written) = lines.remove(i);
            lines.push((l, (written + u64::from(bytes)).min(line_bytes)));
            return;
        }
        let evicted = (lines.len() == self.profile.media.combining_lines).then(|| lines.remove(0));
        lines.push((line, u64::from(bytes).min(line_bytes)));
        if let Some((_, written)) = evicted {
            self.evict(written);
        }
    }

    fn evict(&mut self, written: u64) {
        self.counters.media_writes += 1;
        if written < self.profile.media.line_bytes {
            self.counters.media_reads += 1;
            self.counters.media_rmw += 1;
        }
    }
}

#[cfg(test)]
#[path = "timing_tests.rs"]
mod tests;
