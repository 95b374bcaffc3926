//! Unit tests of the AXI slave, driven signal by signal as the RTL would.

use super::*;
use crate::devices::{Htif, SimEvent};
use crate::memory::MemoryMap;

const DRAM: u64 = 0x8000_0000;
const PMEM: u64 = 0x1_0000_0000;
const FIXED: u8 = 0;
const INCR: u8 = 1;
const WRAP: u8 = 2;

/// A bench: the slave, its bus, and the master's signals that a test sets.
struct Tb {
    slave: AxiSlave,
    bus: SystemBus,
    m: AxiMasterPort,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RBeat {
    id: u8,
    data: u64,
    resp: u8,
    last: bool,
}

impl Tb {
    fn new(cfg: SlaveConfig) -> Self {
        Self {
            slave: AxiSlave::new(cfg),
            bus: SystemBus::new(MemoryMap::default()),
            m: AxiMasterPort::default(),
        }
    }

    fn default() -> Self {
        Self::new(SlaveConfig::default())
    }

    /// One cycle; returns what the slave drove during it.
    fn step(&mut self) -> AxiSlavePort {
        self.try_step().unwrap()
    }

    fn try_step(&mut self) -> Result<AxiSlavePort, AxiError> {
        let s = self.slave.outputs();
        self.slave.clock(&self.m, &s, &mut self.bus)?;
        Ok(s)
    }

    fn set_ar(&mut self, id: u8, addr: u64, len: u8, size: u8, burst: u8) {
        self.m.ar_valid = true;
        self.m.ar_id = id;
        self.m.ar_addr = addr;
        self.m.ar_len = len;
        self.m.ar_size = size;
        self.m.ar_burst = burst;
    }

    fn set_aw(&mut self, id: u8, addr: u64, len: u8, size: u8, burst: u8) {
        self.m.aw_valid = true;
        self.m.aw_id = id;
        self.m.aw_addr = addr;
        self.m.aw_len = len;
        self.m.aw_size = size;
        self.m.aw_burst = burst;
    }

    /// Drives AR until it is accepted; returns the cycle of the handshake.
    fn issue_ar(&mut self, id: u8, addr: u64, len: u8, size: u8, burst: u8) -> u64 {
        self.set_ar(id, addr, len, size, burst);
        loop {
            let cycle = self.slave.cycle();
            let s = self.step();
            if s.ar_ready {
                self.m.ar_valid = false;
                return cycle;
            }
        }
    }

    /// Drives AW until it is accepted.
    fn issue_aw(&mut self, id: u8, addr: u64, len: u8, size: u8, burst: u8) -> u64 {
        self.set_aw(id, addr, len, size, burst);
        loop {
            let cycle = self.slave.cycle();
            let s = self.step();
            if s.aw_ready {
                self.m.aw_valid = false;
                return cycle;
            }
        }
    }

    /// Drives W beats (data, strobe) until all are accepted; WLAST on the last.
    fn send_w(&mut self, beats: &[(u64, u8)]) {
        for (i, &(data, strb)) in beats.iter().enumerate() {
            self.m.w_valid = true;
            self.m.w_data = data;
            self.m.w_strb = strb;
            self.m.w_last = i + 1 == beats.len();
            while !self.step().w_ready {}
        }
        self.m.w_valid = false;
    }

    /// Collects R beats with RREADY high until `bursts` RLASTs.
    fn collect_r(&mut self, bursts: usize) -> Vec<RBeat> {
        self.m.r_ready = true;
        let mut got = Vec::new();
        let mut lasts = 0;
        for _ in 0..10_000 {
            let s = self.step();
            if s.r_valid {
                got.push(RBeat {
                    id: s.r_id,
                    data: s.r_data,
                    resp: s.r_resp,
                    last: s.r_last,
                });
                lasts += usize::from(s.r_last);
                if lasts == bursts {
                    self.m.r_ready = false;
                    return got;
                }
            }
        }
        panic!("read responses never came: {got:?}");
    }

    /// Waits for `n` B responses with BREADY high; returns (id, resp) in order.
    fn collect_b(&mut self, n: usize) -> Vec<(u8, u8)> {
        self.m.b_ready = true;
        let mut got = Vec::new();
        for _ in 0..10_000 {
            let s = self.step();
            if s.b_valid {
                got.push((s.b_id, s.b_resp));
                if got.len() == n {
                    self.m.b_ready = false;
                    return got;
                }
            }
        }
        panic!("write responses never came: {got:?}");
    }

    fn read(&mut self, id: u8, addr: u64, len: u8, size: u8, burst: u8) -> Vec<RBeat> {
        self.issue_ar(id, addr, len, size, burst);
        self.collect_r(1)
    }

    fn write(
        &mut self,
        id: u8,
        addr: u64,
        len: u8,
        size: u8,
        burst: u8,
        beats: &[(u64, u8)],
    ) -> u8 {
        self.issue_aw(id, addr, len, size, burst);
        self.send_w(beats);
        let b = self.collect_b(1);
        assert_eq!(b[0].0, id);
        b[0].1
    }

    fn mem(&self, addr: u64, len: usize) -> Vec<u8> {
        let mut v = vec![0; len];
        self.bus.read_bytes(PhysAddr(addr), &mut v).unwrap();
        v
    }

    fn fill(&mut self, addr: u64, len: usize) {
        let data: Vec<u8> = (0..len)
            .map(|i| (i as u8).wrapping_mul(7).wrapping_add(1))
            .collect();
        self.bus.write_bytes(PhysAddr(addr), &data).unwrap();
    }

    fn word(&self, addr: u64) -> u64 {
        self.bus.read_u64(PhysAddr(addr)).unwrap()
    }
}

fn data(beats: &[RBeat]) -> Vec<u64> {
    beats.iter().map(|b| b.data).collect()
}

#[test]
fn single_write_then_read() {
    let mut tb = Tb::default();
    let resp = tb.write(3, DRAM + 0x40, 0, 3, INCR, &[(0x1122_3344_5566_7788, 0xff)]);
    assert_eq!(resp, resp::OKAY);
    assert_eq!(tb.word(DRAM + 0x40), 0x1122_3344_5566_7788);
    let r = tb.read(5, DRAM + 0x40, 0, 3, INCR);
    assert_eq!(
        r,
        [RBeat {
            id: 5,
            data: 0x1122_3344_5566_7788,
            resp: resp::OKAY,
            last: true
        }]
    );
    assert!(tb.slave.is_idle());
}

#[test]
fn first_response_after_the_configured_latency() {
    for latency in [1u32, 2, 5] {
        let mut tb = Tb::new(SlaveConfig {
            latency,
            ..SlaveConfig::default()
        });
        let at = tb.issue_ar(0, DRAM, 0, 3, INCR);
        tb.m.r_ready = true;
        let first = loop {
            let cycle = tb.slave.cycle();
            if tb.step().r_valid {
                break cycle;
            }
        };
        assert_eq!(first - at, u64::from(latency), "read latency {latency}");

        let at = tb.issue_aw(0, DRAM, 0, 3, INCR);
        tb.m.w_valid = true;
        tb.m.w_strb = 0xff;
        tb.m.w_last = true;
        tb.m.b_ready = true;
        let b = loop {
            let cycle = tb.slave.cycle();
            let s = tb.step();
            if s.w_ready {
                tb.m.w_valid = false;
            }
            if s.b_valid {
                break cycle;
            }
        };
        assert_eq!(b - at, u64::from(latency.max(2)), "write latency {latency}");
    }
}

#[test]
fn latency_zero_means_one() {
    let tb = Tb::new(SlaveConfig {
        latency: 0,
        max_reads: 0,
        ..SlaveConfig::default()
    });
    assert_eq!(tb.slave.config().latency, 1);
    assert_eq!(tb.slave.config().max_reads, 1);
}

#[test]
fn incr_bursts() {
    let mut tb = Tb::default();
    let beats: Vec<(u64, u8)> = (0..8)
        .map(|i| (0x0101_0101_0101_0101 * (i + 1), 0xff))
        .collect();
    assert_eq!(tb.write(1, PMEM + 0x100, 7, 3, INCR, &beats), resp::OKAY);
    for (i, (d, _)) in beats.iter().enumerate() {
        assert_eq!(tb.word(PMEM + 0x100 + 8 * i as u64), *d);
    }
    let r = tb.read(2, PMEM + 0x100, 7, 3, INCR);
    assert_eq!(data(&r), beats.iter().map(|b| b.0).collect::<Vec<_>>());
    assert_eq!(r.iter().filter(|b| b.last).count(), 1);
    assert!(r[7].last);
    assert!(r.iter().all(|b| b.id == 2 && b.resp == resp::OKAY));
}

#[test]
fn wrap_bursts() {
    let mut tb = Tb::default();
    tb.fill(DRAM + 0x1000, 64);
    let words: Vec<u64> = (0..8).map(|i| tb.word(DRAM + 0x1000 + 8 * i)).collect();
    // A critical-word-first line refill starting at word 2.
    let r = tb.read(0, DRAM + 0x1010, 7, 3, WRAP);
    let expect: Vec<u64> = (2..10).map(|i| words[i % 8]).collect();
    assert_eq!(data(&r), expect);

    // A WRAP write of four 4-byte beats from the third word of a 16-byte window.
    let beats = [
        (0xaaaa_aaaa, 0x0f),
        (0xbbbb_bbbb_0000_0000, 0xf0),
        (0xcccc_cccc, 0x0f),
        (0xdddd_dddd_0000_0000, 0xf0),
    ];
    assert_eq!(tb.write(0, DRAM + 0x2008, 3, 2, WRAP, &beats), resp::OKAY);
    assert_eq!(tb.word(DRAM + 0x2000), 0xdddd_dddd_cccc_cccc);
    assert_eq!(tb.word(DRAM + 0x2008), 0xbbbb_bbbb_aaaa_aaaa);
}

#[test]
fn fixed_bursts() {
    let mut tb = Tb::default();
    let beats = [(1, 0xff), (2, 0xff), (3, 0xff)];
    assert_eq!(tb.write(0, DRAM + 0x80, 2, 3, FIXED, &beats), resp::OKAY);
    assert_eq!(tb.word(DRAM + 0x80), 3);
    assert_eq!(tb.word(DRAM + 0x88), 0);
    assert_eq!(data(&tb.read(0, DRAM + 0x80, 3, 3, FIXED)), [3, 3, 3, 3]);
}

#[test]
fn narrow_reads_use_the_address_lanes() {
    let mut tb = Tb::default();
    tb.bus
        .write_bytes(
            PhysAddr(DRAM),
            &[0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19],
        )
        .unwrap();
    // Bytes from 0x...6: lanes 6, 7, then 0, 1 of the next word.
    let r = tb.read(0, DRAM + 6, 3, 0, INCR);
    assert_eq!(data(&r), [0x16 << 48, 0x17 << 56, 0x18, 0x19 << 8]);
    // Unaligned 4-byte INCR: the first beat only carries 0x...5..0x...7.
    let r = tb.read(0, DRAM + 5, 1, 2, INCR);
    assert_eq!(data(&r), [0x1716_1500_0000_0000, 0x19_18]);
}

#[test]
fn narrow_writes_with_strobes() {
    let mut tb = Tb::default();
    tb.bus
        .write_bytes(PhysAddr(DRAM + 0x300), &[0xee; 16])
        .unwrap();
    // Halfwords at 0x302, 0x304, 0x306, 0x308; the third one writes only its high byte.
    let beats = [
        (0x0000_0000_bbaa_0000, 0x0c),
        (0x0000_ddcc_0000_0000, 0x30),
        (0x1100_0000_0000_0000, 0x80),
        (0x0000_0000_0000_3322, 0x03),
    ];
    assert_eq!(tb.write(0, DRAM + 0x302, 3, 1, INCR, &beats), resp::OKAY);
    assert_eq!(
        tb.mem(DRAM + 0x300, 12),
        [0xee, 0xee, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x11, 0x22, 0x33, 0xee, 0xee]
    );
    // A zero strobe writes nothing and is legal.
    assert_eq!(tb.write(0, DRAM + 0x300, 0, 3, INCR, &[(0, 0)]), resp::OKAY);
    assert_eq!(tb.mem(DRAM + 0x300, 2), [0xee, 0xee]);
}

#[test]
fn in_order_by_default_across_ids() {
    let mut tb = Tb::default();
    tb.fill(DRAM, 0x100);
    tb.issue_ar(0, DRAM, 7, 3, INCR);
    tb.issue_ar(1, DRAM + 0x40, 0, 3, INCR);
    tb.issue_ar(2, DRAM + 0x80, 0, 3, INCR);
    let ids: Vec<u8> = tb.collect_r(3).iter().map(|b| b.id).collect();
    assert_eq!(ids, [0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
}

/// Three reads (a long one, then two single beats) with reordering on.
fn reordered_reads(seed: u64) -> Vec<RBeat> {
    let mut tb = Tb::new(SlaveConfig {
        reorder: true,
        seed,
        ..SlaveConfig::default()
    });
    tb.fill(DRAM, 0x100);
    tb.issue_ar(0, DRAM, 7, 3, INCR);
    tb.issue_ar(1, DRAM + 0x40, 0, 3, INCR);
    tb.issue_ar(2, DRAM + 0x80, 0, 3, INCR);
    tb.issue_ar(1, DRAM + 0x48, 0, 3, INCR);
    let r = tb.collect_r(4);
    // Whatever the order, each burst returns its own data, and ID 1's two reads
    // come back in issue order.
    let id0: Vec<u64> = (0..8).map(|i| tb.word(DRAM + 8 * i)).collect();
    let of = |id| {
        r.iter()
            .filter(|b| b.id == id)
            .map(|b| b.data)
            .collect::<Vec<_>>()
    };
    assert_eq!(of(0), id0);
    assert_eq!(of(1), [tb.word(DRAM + 0x40), tb.word(DRAM + 0x48)]);
    assert_eq!(of(2), [tb.word(DRAM + 0x80)]);
    r
}

#[test]
fn reorders_across_ids_and_keeps_same_id_order() {
    let mut reordered = 0;
    for seed in 1..=32 {
        let r = reordered_reads(seed);
        assert_eq!(r.len(), 11);
        let singles: Vec<u8> = r.iter().filter(|b| b.id != 0).map(|b| b.id).collect();
        let pos = |id| singles.iter().position(|&s| s == id).unwrap();
        if pos(2) < pos(1) {
            reordered += 1;
        }
        // Bursts are not interleaved: the 8 beats of ID 0 are contiguous.
        let first0 = r.iter().position(|b| b.id == 0).unwrap();
        assert!(r[first0..first0 + 8].iter().all(|b| b.id == 0));
        // Same seed, same order.
        assert_eq!(r, reordered_reads(seed));
    }
    assert!(reordered > 0, "reordering never happened");
    assert!(reordered < 32, "reordering always happened");
}

/// Two single-beat reads of different IDs, the second issued a cycle later, under a
/// jitter of up to 8 cycles: which comes back first.
fn first_id_with_jitter(seed: u64) -> u8 {
    let mut tb = Tb::new(SlaveConfig {
        reorder: true,
        jitter: 8,
        seed,
        ..SlaveConfig::default()
    });
    tb.fill(DRAM, 0x100);
    tb.issue_ar(1, DRAM, 0, 3, INCR);
    tb.issue_ar(2, DRAM + 0x40, 0, 3, INCR);
    let r = tb.collect_r(2);
    assert_eq!(
        r[0].data,
        tb.word(if r[0].id == 1 { DRAM } else { DRAM + 0x40 })
    );
    r[0].id
}

#[test]
fn jitter_lets_a_later_read_overtake_an_earlier_one() {
    let firsts: Vec<u8> = (1..=32).map(first_id_with_jitter).collect();
    assert!(firsts.contains(&1), "the earlier read never came first");
    assert!(firsts.contains(&2), "the later read never overtook");
    // Same seed, same timing.
    assert_eq!(
        firsts,
        (1..=32).map(first_id_with_jitter).collect::<Vec<_>>()
    );
}

#[test]
fn same_id_reads_keep_their_order_with_reordering() {
    let mut tb = Tb::new(SlaveConfig {
        reorder: true,
        seed: 99,
        ..SlaveConfig::default()
    });
    for i in 0..4u64 {
        tb.bus.write_u64(PhysAddr(DRAM + 8 * i), i).unwrap();
    }
    for i in 0..4u64 {
        tb.issue_ar(7, DRAM + 8 * i, 0, 3, INCR);
    }
    assert_eq!(data(&tb.collect_r(4)), [0, 1, 2, 3]);
}

#[test]
fn writes_of_several_ids() {
    for seed in 1..=16 {
        let mut tb = Tb::new(SlaveConfig {
            reorder: true,
            seed,
            ..SlaveConfig::default()
        });
        // Issue four AWs (IDs 4, 5, 4, 6), then their data, then take the Bs.
        let ids = [4u8, 5, 4, 6];
        for (i, &id) in ids.iter().enumerate() {
            tb.issue_aw(id, DRAM + 0x10 * i as u64, 0, 3, INCR);
        }
        for i in 0..4u64 {
            tb.send_w(&[(100 + i, 0xff)]);
        }
        let b = tb.collect_b(4);
        let order: Vec<u8> = b.iter().map(|x| x.0).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, [4, 4, 5, 6]);
        assert!(b.iter().all(|x| x.1 == resp::OKAY));
        for i in 0..4u64 {
            assert_eq!(tb.word(DRAM + 0x10 * i), 100 + i);
        }
        assert!(tb.slave.is_idle());
    }
}

#[test]
fn r_backpressure_holds_data_stable() {
    let mut tb = Tb::default();
    tb.fill(DRAM, 64);
    tb.issue_ar(9, DRAM, 3, 3, INCR);
    // RREADY low: once offered, the beat stays put.
    let mut offered = None;
    for _ in 0..20 {
        let s = tb.step();
        if s.r_valid {
            match offered {
                None => offered = Some(s),
                Some(o) => {
                    assert_eq!(
                        (o.r_valid, o.r_id, o.r_data, o.r_resp, o.r_last),
                        (s.r_valid, s.r_id, s.r_data, s.r_resp, s.r_last)
                    );
                }
            }
        }
    }
    let o = offered.expect("a beat was offered");
    assert_eq!(o.r_data, tb.word(DRAM));
    assert!(!o.r_last);
    // Taking beats one every other cycle still gives all four, in order.
    let mut got = Vec::new();
    while got.len() < 4 {
        tb.m.r_ready = !tb.m.r_ready;
        let s = tb.step();
        if s.r_valid && tb.m.r_ready {
            got.push(s.r_data);
        }
    }
    let expect: Vec<u64> = (0..4).map(|i| tb.word(DRAM + 8 * i)).collect();
    assert_eq!(got, expect);
}

#[test]
fn b_backpressure_holds_response_stable() {
    let mut tb = Tb::default();
    tb.issue_aw(2, PMEM + 0x2_0000_0000, 0, 3, INCR); // past pmem: DECERR
    tb.send_w(&[(1, 0xff)]);
    let mut seen = 0;
    for _ in 0..10 {
        let s = tb.step();
        if s.b_valid {
            seen += 1;
            assert_eq!((s.b_id, s.b_resp), (2, resp::DECERR));
        }
    }
    assert!(seen >= 5);
    assert_eq!(tb.collect_b(1), [(2, resp::DECERR)]);
    assert!(tb.slave.is_idle());
}

#[test]
fn address_channels_stall_when_full() {
    let mut tb = Tb::new(SlaveConfig {
        max_reads: 2,
        max_writes: 1,
        ..SlaveConfig::default()
    });
    tb.issue_ar(0, DRAM, 0, 3, INCR);
    tb.issue_ar(1, DRAM, 0, 3, INCR);
    tb.set_ar(2, DRAM, 0, 3, INCR);
    for _ in 0..10 {
        assert!(!tb.step().ar_ready);
    }
    assert_eq!(tb.slave.outstanding_reads(), 2);
    // Draining one read frees a slot; the third AR is then accepted.
    tb.m.r_ready = true;
    let mut accepted = false;
    for _ in 0..10 {
        let s = tb.step();
        accepted |= s.ar_ready;
        if s.ar_ready {
            tb.m.ar_valid = false;
        }
    }
    assert!(accepted);

    tb.issue_aw(0, DRAM, 0, 3, INCR);
    tb.set_aw(1, DRAM, 0, 3, INCR);
    for _ in 0..5 {
        assert!(!tb.step().aw_ready);
    }
}

#[test]
fn w_waits_for_aw() {
    let mut tb = Tb::default();
    tb.m.w_valid = true;
    tb.m.w_strb = 0xff;
    tb.m.w_last = true;
    for _ in 0..5 {
        assert!(!tb.step().w_ready);
    }
    tb.m.w_valid = false;
}

#[test]
fn decode_errors() {
    let mut tb = Tb::default();
    let r = tb.read(1, 0x4000_0000, 3, 3, INCR);
    assert_eq!(r.len(), 4);
    assert!(r.iter().all(|b| b.resp == resp::DECERR && b.data == 0));
    assert!(r[3].last);
    // The last DRAM page reads fine; the write burst after it is DECERR.
    let end = DRAM + (256 << 20);
    assert!(tb
        .read(1, end - 0x20, 3, 3, INCR)
        .iter()
        .all(|b| b.resp == resp::OKAY));
    assert_eq!(
        tb.write(1, end, 1, 3, INCR, &[(1, 0xff), (2, 0xff)]),
        resp::DECERR
    );
    // SIMCTRL refuses unknown registers with SLVERR.
    assert_eq!(
        tb.write(1, 0x1000_0100, 0, 3, INCR, &[(1, 0xff)]),
        resp::SLVERR
    );
}

#[test]
fn device_writes_raise_events_through_axi() {
    let mut tb = Tb::default();
    tb.bus
        .set_htif(Some(Htif::new(PhysAddr(DRAM + 0x1000), None)));
    assert_eq!(
        tb.write(0, 0x1000_0000, 0, 0, INCR, &[(u64::from(b'!'), 0x01)]),
        resp::OKAY
    );
    assert_eq!(
        tb.write(0, 0x1000_0010, 0, 3, INCR, &[(42, 0xff)]),
        resp::OKAY
    );
    assert_eq!(
        tb.write(0, DRAM + 0x1000, 0, 2, INCR, &[(7, 0x0f)]),
        resp::OKAY
    );
    let events: Vec<SimEvent> = tb.bus.drain_events().collect();
    assert_eq!(
        events,
        [
            SimEvent::Console(b'!'),
            SimEvent::Phase(42),
            SimEvent::HostWrote {
                addr: DRAM + 0x1000,
                value: 0
            },
            SimEvent::Exit(3)
        ]
    );
}

/// Runs a write whose W beats break a rule; returns the error.
fn w_error(len: u8, size: u8, burst: u8, addr: u64, beats: &[(u64, u8, bool)]) -> AxiError {
    let mut tb = Tb::default();
    tb.issue_aw(6, addr, len, size, burst);
    for &(data, strb, last) in beats {
        tb.m.w_valid = true;
        tb.m.w_data = data;
        tb.m.w_strb = strb;
        tb.m.w_last = last;
        loop {
            match tb.try_step() {
                Ok(s) if s.w_ready => break,
                Ok(_) => {}
                Err(e) => return e,
            }
        }
    }
    panic!("no error");
}

#[test]
fn wlast_errors() {
    let e = w_error(3, 3, INCR, DRAM, &[(0, 0xff, false), (0, 0xff, true)]);
    assert_eq!(e.channel, Channel::W);
    assert_eq!(e.rule, AxiRule::WlastEarly { beat: 1, beats: 4 });
    assert_eq!(e.id, 6);
    let msg = e.to_string();
    assert!(
        msg.contains("on W at cycle") && msg.contains("WLAST high on beat 1"),
        "{msg}"
    );

    let e = w_error(1, 3, INCR, DRAM, &[(0, 0xff, false), (0, 0xff, false)]);
    assert_eq!(e.rule, AxiRule::WlastMissing { beat: 1 });
}

#[test]
fn strobe_outside_the_transfer_is_an_error() {
    // A byte write at 0x...1 may only use lane 1.
    let e = w_error(0, 0, INCR, DRAM + 1, &[(0, 0x03, true)]);
    assert_eq!(
        e.rule,
        AxiRule::StrobeOutsideTransfer {
            strb: 0x03,
            lanes: 0x02,
            beat: 0,
            addr: DRAM + 1
        }
    );
}

fn ar_error(addr: u64, len: u8, size: u8, burst: u8) -> AxiError {
    let mut tb = Tb::default();
    tb.set_ar(1, addr, len, size, burst);
    tb.try_step().unwrap_err()
}

fn aw_error(addr: u64, len: u8, size: u8, burst: u8) -> AxiError {
    let mut tb = Tb::default();
    tb.set_aw(1, addr, len, size, burst);
    tb.try_step().unwrap_err()
}

#[test]
fn address_channel_errors() {
    let e = ar_error(DRAM, 2, 3, WRAP);
    assert_eq!(
        (e.channel, e.rule),
        (Channel::Ar, AxiRule::WrapLength { beats: 3 })
    );
    let e = aw_error(DRAM + 4, 3, 3, WRAP);
    assert_eq!(
        (e.channel, e.rule),
        (
            Channel::Aw,
            AxiRule::WrapUnaligned {
                addr: DRAM + 4,
                bytes: 8
            }
        )
    );
    let e = ar_error(DRAM + 0xff0, 3, 3, INCR);
    assert_eq!(
        e.rule,
        AxiRule::Crosses4K {
            first: DRAM + 0xff0,
            last: DRAM + 0x100f
        }
    );
    assert!(e.to_string().contains("on AR at cycle 0"), "{e}");
    assert_eq!(
        aw_error(DRAM, 0, 4, INCR).rule,
        AxiRule::SizeTooWide { size: 4 }
    );
    assert_eq!(
        ar_error(DRAM, 0, 3, 3).rule,
        AxiRule::ReservedBurst { burst: 3 }
    );
    assert_eq!(
        ar_error(DRAM, 16, 3, FIXED).rule,
        AxiRule::FixedLength { beats: 17 }
    );
}

#[test]
fn steady_state_does_not_grow() {
    // Many overlapping transactions: the queues never exceed their reserved capacity.
    let mut tb = Tb::default();
    let cap = (tb.slave.reads.capacity(), tb.slave.writes.capacity());
    tb.m.r_ready = true;
    tb.m.b_ready = true;
    for i in 0..200u64 {
        tb.issue_ar((i % 4) as u8, DRAM + 64 * (i % 16), 7, 3, WRAP);
        tb.issue_aw((i % 3) as u8, DRAM + 8 * (i % 16), 0, 3, INCR);
        tb.send_w(&[(i, 0xff)]);
    }
    for _ in 0..1000 {
        tb.step();
    }
    assert!(tb.slave.is_idle());
    assert_eq!((tb.slave.reads.capacity(), tb.slave.writes.capacity()), cap);
}

#[test]
fn a_power_failure_loses_exactly_the_writes_not_yet_durable() {
    // Latency 9: a write is durable 9 cycles after its address was accepted.
    let mut tb = Tb::new(SlaveConfig {
        latency: 9,
        ..SlaveConfig::default()
    });
    tb.bus.write_u64(PhysAddr(PMEM), 0x1111).unwrap();
    tb.bus.write_u64(PhysAddr(PMEM + 8), 0x2222).unwrap();
    // Acknowledged: durable.
    assert_eq!(tb.write(1, PMEM, 0, 3, INCR, &[(0xaaaa, 0xff)]), resp::OKAY);
    // Data in, not yet acknowledged: lost, and the old value comes back.
    tb.issue_aw(1, PMEM + 8, 0, 3, INCR);
    tb.send_w(&[(0xbbbb, 0xff)]);
    // A DRAM write is no business of the persistence domain.
    tb.issue_aw(2, DRAM, 0, 3, INCR);
    tb.send_w(&[(0xcccc, 0xff)]);
    assert_eq!(tb.word(PMEM + 8), 0xbbbb);
    assert_eq!(tb.slave.power_fail(&mut tb.bus, Persistence::Adr), 1);
    assert_eq!(tb.word(PMEM), 0xaaaa);
    assert_eq!(tb.word(PMEM + 8), 0x2222);
    assert!(tb.slave.is_idle());
}

#[test]
fn under_eadr_a_write_whose_data_arrived_survives_a_power_failure() {
    let mut tb = Tb::new(SlaveConfig {
        latency: 9,
        ..SlaveConfig::default()
    });
    tb.issue_aw(1, PMEM + 8, 0, 3, INCR);
    tb.send_w(&[(0xbbbb, 0xff)]);
    assert_eq!(tb.slave.power_fail(&mut tb.bus, Persistence::Eadr), 0);
    assert_eq!(tb.word(PMEM + 8), 0xbbbb);
}
