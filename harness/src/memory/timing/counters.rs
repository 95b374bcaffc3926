//! What the memory model counts (DESIGN.md §4): per region, and pmem's internals.

/// Accesses of one region.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegionCounters {
    /// Read and write bursts.
    pub reads: u64,
    pub writes: u64,
    pub read_bytes: u64,
    pub write_bytes: u64,
    /// Cycles its read or write channel was busy moving data.
    pub busy_cycles: u64,
}

/// Everything the memory model counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemCounters {
    /// DRAM, then pmem.
    pub regions: [RegionCounters; 2],
    /// pmem media lines read (reads, and the read half of read-modify-writes).
    pub media_reads: u64,
    /// pmem media lines written (lines leaving the write-combining buffer).
    pub media_writes: u64,
    /// Media writes of partly written lines (each also a media read).
    pub media_rmw: u64,
    /// Most writes waiting in the write pending queue at once.
    pub wpq_peak: u64,
    /// Cycles writes waited for a free write-pending-queue entry.
    pub wpq_stall_cycles: u64,
    /// pmem write bursts acknowledged: durable (in the ADR domain).
    pub persisted_writes: u64,
}

impl MemCounters {
    /// Counts of `self` minus those of an earlier snapshot (the peak stays the peak).
    pub fn since(&self, earlier: &MemCounters) -> MemCounters {
        self.zip_with(earlier, |a, b| a - b)
    }

    /// Counts of `self` plus `other` (the peak stays `self`'s).
    pub fn plus(&self, other: &MemCounters) -> MemCounters {
        self.zip_with(other, |a, b| a + b)
    }

    fn zip_with(&self, other: &MemCounters, op: fn(u64, u64) -> u64) -> MemCounters {
        let region = |a: &RegionCounters, b: &RegionCounters| RegionCounters {
            reads: op(a.reads, b.reads),
            writes: op(a.writes, b.writes),
            read_bytes: op(a.read_bytes, b.read_bytes),
            write_bytes: op(a.write_bytes, b.write_bytes),
            busy_cycles: op(a.busy_cycles, b.busy_cycles),
        };
        MemCounters {
            regions: [
                region(&self.regions[0], &other.regions[0]),
                region(&self.regions[1], &other.regions[1]),
            ],
            media_reads: op(self.media_reads, other.media_reads),
            media_writes: op(self.media_writes, other.media_writes),
            media_rmw: op(self.media_rmw, other.media_rmw),
            wpq_peak: self.wpq_peak,
            wpq_stall_cycles: op(self.wpq_stall_cycles, other.wpq_stall_cycles),
            persisted_writes: op(self.persisted_writes, other.persisted_writes),
        }
    }

    /// Every counter with its report/JSON name.
    pub fn named(&self) -> Vec<(&'static str, u64)> {
        let [d, p] = &self.regions;
        vec![
            ("dram_reads", d.reads),
            ("dram_writes", d.writes),
            ("dram_read_bytes", d.read_bytes),
            ("dram_write_bytes", d.write_bytes),
            ("dram_busy_cycles", d.busy_cycles),
            ("pmem_reads", p.reads),
            ("pmem_writes", p.writes),
            ("pmem_read_bytes", p.read_bytes),
            ("pmem_write_bytes", p.write_bytes),
            ("pmem_busy_cycles", p.busy_cycles),
            ("pmem_media_reads", self.media_reads),
            ("pmem_media_writes", self.media_writes),
            ("pmem_media_rmw", self.media_rmw),
            ("pmem_wpq_peak", self.wpq_peak),
            ("pmem_wpq_stall_cycles", self.wpq_stall_cycles),
            ("pmem_persisted_writes", self.persisted_writes),
        ]
    }
}
