use super::*;

fn optane() -> MemoryTiming {
    MemoryTiming::new(Profile::optane(), MemoryMap::default())
}

const DRAM_A: u64 = 0x8000_0000;
const PMEM_A: u64 = 0x1_0000_0000;

#[test]
fn reads_are_sequential_within_the_next_block_and_random_elsewhere() {
    let mut t = optane();
    // The first read of a region has nothing to follow: random.
    assert_eq!(t.read(PMEM_A, 1, 8, 0).unwrap().first, 305);
    assert_eq!(t.read(PMEM_A + 64, 1, 8, 1000).unwrap().first, 1000 + 169);
    assert_eq!(t.read(PMEM_A + 256, 1, 8, 2000).unwrap().first, 2000 + 169);
    assert_eq!(t.read(PMEM_A + 8192, 1, 8, 3000).unwrap().first, 3000 + 305);
    assert_eq!(t.read(DRAM_A, 1, 8, 4000).unwrap().first, 4000 + 101);
    assert_eq!(t.read(DRAM_A + 1024, 1, 8, 5000).unwrap().first, 5000 + 81);
    // Devices are not timed here.
    assert!(t.read(0x1000_0000, 1, 8, 0).is_none());
    assert_eq!(t.counters().regions[1].reads, 4);
    assert_eq!(t.counters().media_reads, 4);
}

#[test]
fn bandwidth_paces_beats_and_queues_bursts() {
    let mut t = optane();
    // 6.5 B/cycle: 8-byte beats every 8/6.5 cycles; a 4-beat burst holds the channel
    // for 32/6.5 cycles, so a second burst accepted at once starts after it.
    let a = t.read(PMEM_A, 4, 8, 0).unwrap();
    assert!((a.interval - 8.0 / 6.5).abs() < 1e-9);
    assert_eq!(a.beat_at(3), 305 + 3);
    let b = t.read(PMEM_A + 32, 4, 8, 0).unwrap();
    assert!(b.first > a.beat_at(3), "{b:?} after {a:?}");
    // DRAM at 19 B/cycle is limited by the bus: one beat per cycle.
    assert_eq!(t.read(DRAM_A, 4, 8, 0).unwrap().interval, 1.0);
}

#[test]
fn writes_are_durable_after_their_latency_and_the_channel() {
    let mut t = optane();
    assert_eq!(t.write(PMEM_A, 1, 8, 10, 11), Some(100));
    // Many back-to-back writes exceed 2.2 GB/s: they queue, and past the WPQ's 32
    // entries they stall.
    let mut last = 0;
    for i in 0..200 {
        last = t.write(PMEM_A + 8 * i, 1, 8, 20, 21).unwrap();
    }
    assert!(last >= 21 + (200.0 * 8.0 / 2.2) as u64 - 10, "{last}");
    let c = t.counters();
    assert_eq!(c.persisted_writes, 201);
    assert_eq!(c.wpq_peak, 32);
    assert!(c.wpq_stall_cycles > 0);
}

#[test]
fn partial_media_lines_are_read_modify_writes() {
    let mut t = optane();
    // Line 0 written whole (32 beats of 8 bytes), lines 1..5 partly: with 4 lines of
    // write combining, lines 0 and 1 are evicted by lines 4 and 5.
    for i in 0..32 {
        t.pmem_beat_written(PMEM_A + 8 * i, 8);
    }
    for line in 1..6u64 {
        t.pmem_beat_written(PMEM_A + 256 * line, 8);
    }
    let c = t.counters();
    assert_eq!(c.media_writes, 2);
    assert_eq!(c.media_rmw, 1);
    assert_eq!(c.media_reads, 1);
}
