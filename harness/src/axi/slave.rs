//! The AXI4 slave in front of the system bus.
//!
//! Each cycle the loop calls [`AxiSlave::outputs`] (registered state only, never a
//! combinational function of the master's signals, so there is no loop through the
//! model), runs the model one cycle, then [`AxiSlave::clock`] with both sides' signals
//! as seen at the rising edge: `valid && ready` on a channel is a transfer at that edge.
//!
//! Behaviour:
//! - AR and AW are accepted while fewer than `max_reads` / `max_writes` bursts are
//!   outstanding (a burst is outstanding from its address handshake to its last R
//!   beat / its B handshake).
//! - W beats go to the oldest write burst whose data is incomplete (AXI4 has no WID).
//!   WREADY is only raised once that burst's AW has been accepted, which the spec
//!   allows; it costs one cycle per burst when AW and the first W come together.
//! - The first R beat is offered `latency` cycles after the AR handshake, then one
//!   beat per cycle; B is offered `latency` cycles after the AW handshake and at
//!   least one cycle after the last W beat. Read bursts are not interleaved.
//! - Bursts of the same ID respond in order (an AXI rule). Across IDs, responses go
//!   in acceptance order, or with `reorder` in a seeded pseudo-random order among the
//!   bursts that are ready.
//! - With `jitter`, each burst's first response is delayed by a further seeded
//!   0..=jitter cycles.
//! - An unmapped beat reads as 0 with DECERR; a write burst answers DECERR if any of
//!   its beats was unmapped (SLVERR for a device that refused a beat).
//! - R and B payloads are registered and stay stable until their handshake.
//!
//! Memory is read when an R beat is staged and written when a W beat is accepted.
//!
//! With a timing model ([`AxiSlave::with_timing`]), DRAM and pmem bursts take the
//! model's latencies and bandwidths instead of the fixed latency (see
//! [`crate::memory::timing`]); other addresses keep the fixed latency.

use super::burst::Burst;
use super::error::{AxiError, AxiRule, Channel};
use super::resp;
use crate::memory::bus::byte_lanes;
use crate::memory::timing::{MemCounters, MemoryTiming, ReadSchedule};
use crate::memory::{BusError, PhysAddr, SystemBus};
use crate::model::{AxiMasterPort, AxiSlavePort};
use crate::rng::XorShift64;

/// Where the persistence domain begins (what survives a power failure).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Persistence {
    /// Asynchronous DRAM refresh: writes accepted by the memory controller's write
    /// pending queue.
    #[default]
    Adr,
    /// Extended ADR: the whole memory system (and the caches, once the SoC has
    /// some): every write whose data has reached the memory.
    Eadr,
}

/// Mixed into the seed of the jitter's generator.
const JITTER_STREAM: u64 = 0x6a69_7474_6572;

/// How the slave behaves; timing beyond a fixed latency belongs to the region
/// timing models built on top.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaveConfig {
    /// Cycles from an address handshake to the first response; at least 1, since
    /// the outputs are registered (0 is treated as 1).
    pub latency: u32,
    /// Read bursts outstanding at most (AR accepted, last R beat not yet taken).
    pub max_reads: usize,
    /// Write bursts outstanding at most (AW accepted, B not yet taken).
    pub max_writes: usize,
    /// Respond out of order across IDs.
    pub reorder: bool,
    /// Seed of the reordering choices and of the jitter: same seed, same order.
    pub seed: u64,
    /// Each burst's response comes up to this many cycles later than its latency
    /// says (seeded, uniform): with `reorder`, responses of different IDs overtake
    /// each other in ever-changing ways.
    pub jitter: u32,
}

impl SlaveConfig {
    /// The default slave with `jitter` cycles of seeded extra latency and, when
    /// there is jitter, responses reordered across IDs: bus orderings the fixed
    /// latency never produces.
    pub fn jittered(jitter: u32, seed: u64) -> Self {
        Self {
            jitter,
            reorder: jitter > 0,
            seed,
            ..Self::default()
        }
    }
}

impl Default for SlaveConfig {
    fn default() -> Self {
        Self {
            latency: 2,
            max_reads: 8,
            max_writes: 8,
            reorder: false,
            seed: 1,
            jitter: 0,
        }
    }
}

/// An accepted read burst waiting for the R channel.
#[derive(Clone, Copy, Debug)]
struct ReadTxn {
    id: u8,
    burst: Burst,
    /// First cycle in which its first beat may be offered.
    ready_at: u64,
    /// When each beat may be offered, under a timing model.
    schedule: Option<ReadSchedule>,
}

/// The read burst whose beats are on the R channel.
#[derive(Clone, Copy, Debug)]
struct ActiveRead {
    txn: ReadTxn,
    /// The beat being offered (or next to be offered).
    beat: u32,
}

/// An accepted write burst, until its B handshake.
#[derive(Clone, Debug)]
struct WriteTxn {
    id: u8,
    burst: Burst,
    accepted_at: u64,
    beats_done: u32,
    /// Worst response of the beats so far.
    resp: u8,
    data_done: bool,
    /// First cycle in which B may be offered (valid once `data_done`): from then on
    /// the write is in the persistence domain (ADR: accepted by the write pending
    /// queue), and a power failure no longer undoes it.
    ready_at: u64,
    /// The pmem words its beats overwrote (address, old value), so that a power
    /// failure before `ready_at` can take the write back.
    undo: Vec<(u64, u64)>,
}

/// A W beat the slave took: the burst's ID, the 8-byte word it wrote, its strobes and
/// data (on the byte lanes, as on the bus). Recorded for the lockstep, which matches
/// the data port's beats with the reference's stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteBeat {
    pub id: u8,
    pub word: u64,
    pub strb: u8,
    pub data: u64,
    /// The bus took it (OKAY); an error response wrote nothing.
    pub landed: bool,
}

/// An AXI4 slave serving a [`SystemBus`].
pub struct AxiSlave {
    cfg: SlaveConfig,
    /// Index of the cycle whose outputs `out` holds.
    cycle: u64,
    /// Read bursts not yet started, in acceptance order.
    reads: Vec<ReadTxn>,
    active_read: Option<ActiveRead>,
    /// Write bursts in AW order; data completes in this order, B may not.
    writes: Vec<WriteTxn>,
    /// Index in `writes` of the burst whose B is being offered.
    b_slot: usize,
    rng: XorShift64,
    jitter_rng: XorShift64,
    /// Reused list of candidates for the next response (no allocation per cycle).
    candidates: Vec<usize>,
    out: AxiSlavePort,
    timing: Option<MemoryTiming>,
    /// The W beats taken since [`Self::take_written`] last emptied it, when recording.
    written: Option<Vec<WriteBeat>>,
}

impl AxiSlave {
    /// An idle slave; its first outputs accept addresses and offer nothing.
    pub fn new(cfg: SlaveConfig) -> Self {
        let cfg = SlaveConfig {
            latency: cfg.latency.max(1),
            max_reads: cfg.max_reads.max(1),
            max_writes: cfg.max_writes.max(1),
            ..cfg
        };
        let mut slave = Self {
            cfg,
            cycle: 0,
            reads: Vec::with_capacity(cfg.max_reads),
            active_read: None,
            writes: Vec::with_capacity(cfg.max_writes),
            b_slot: 0,
            rng: XorShift64::new(cfg.seed),
            jitter_rng: XorShift64::new(cfg.seed ^ JITTER_STREAM),
            candidates: Vec::with_capacity(cfg.max_reads.max(cfg.max_writes)),
            out: AxiSlavePort::default(),
            timing: None,
            written: None,
        };
        slave.out.ar_ready = true;
        slave.out.aw_ready = true;
        slave
    }

    /// A slave whose DRAM and pmem follow a timing model.
    pub fn with_timing(cfg: SlaveConfig, timing: MemoryTiming) -> Self {
        let mut slave = Self::new(cfg);
        slave.timing = Some(timing);
        slave
    }

    /// The memory model's counters, when it has a timing model.
    /// From now on, record every W beat taken (see [`Self::take_written`]).
    pub fn record_writes(&mut self) {
        self.written.get_or_insert_with(Vec::new);
    }

    /// The W beats taken since the last call, oldest first (none unless recording).
    pub fn take_written(&mut self, into: &mut Vec<WriteBeat>) {
        if let Some(w) = self.written.as_mut() {
            into.append(w);
        }
    }

    pub fn memory_counters(&self) -> Option<&MemCounters> {
        self.timing.as_ref().map(MemoryTiming::counters)
    }

    /// The configuration in force (after clamping).
    pub fn config(&self) -> &SlaveConfig {
        &self.cfg
    }

    /// Cycles clocked so far.
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    /// Read bursts accepted and not yet fully returned.
    pub fn outstanding_reads(&self) -> usize {
        self.reads.len() + usize::from(self.active_read.is_some())
    }

    /// Write bursts accepted and not yet answered on B.
    pub fn outstanding_writes(&self) -> usize {
        self.writes.len()
    }

    /// True when nothing is in flight.
    pub fn is_idle(&self) -> bool {
        self.outstanding_reads() == 0 && self.outstanding_writes() == 0
    }

    /// What the slave drives this cycle: a function of its own state only.
    #[inline]
    pub fn outputs(&self) -> AxiSlavePort {
        self.out
    }

    /// Takes the transfers of one rising edge (`m`: the master's signals, `s`: what
    /// [`Self::outputs`] returned for this cycle) and computes the next outputs.
    /// An `Err` is a master protocol violation; the run must stop there.
    pub fn clock(
        &mut self,
        m: &AxiMasterPort,
        s: &AxiSlavePort,
        bus: &mut SystemBus,
    ) -> Result<(), AxiError> {
        debug_assert_eq!(*s, self.out, "clock() must get this cycle's outputs()");
        let now = self.cycle;

        if s.r_valid && m.r_ready {
            self.out.r_valid = false;
            if s.r_last {
                self.active_read = None;
            } else if let Some(a) = self.active_read.as_mut() {
                a.beat += 1;
            }
        }
        if s.b_valid && m.b_ready {
            self.out.b_valid = false;
            self.writes.remove(self.b_slot);
        }
        // W before AW: WREADY was raised for bursts accepted at earlier edges.
        if s.w_ready && m.w_valid {
            self.take_w_beat(m, bus, now)?;
        }
        if s.ar_ready && m.ar_valid {
            let burst = Burst::new(m.ar_addr, m.ar_len, m.ar_size, m.ar_burst).map_err(|rule| {
                AxiError {
                    cycle: now,
                    channel: Channel::Ar,
                    id: m.ar_id,
                    addr: m.ar_addr,
                    rule,
                }
            })?;
            let schedule = self
                .timing
                .as_mut()
                .and_then(|t| t.read(burst.addr, burst.beats(), 1 << burst.size, now));
            let delay = self.jitter();
            self.reads.push(ReadTxn {
                id: m.ar_id,
                burst,
                ready_at: delay + schedule.map_or(now + u64::from(self.cfg.latency), |s| s.first),
                schedule,
            });
        }
        if s.aw_ready && m.aw_valid {
            let burst = Burst::new(m.aw_addr, m.aw_len, m.aw_size, m.aw_burst).map_err(|rule| {
                AxiError {
                    cycle: now,
                    channel: Channel::Aw,
                    id: m.aw_id,
                    addr: m.aw_addr,
                    rule,
                }
            })?;
            self.writes.push(WriteTxn {
                id: m.aw_id,
                burst,
                accepted_at: now,
                beats_done: 0,
                resp: resp::OKAY,
                data_done: false,
                ready_at: u64::MAX,
                undo: Vec::new(),
            });
        }

        self.cycle = now + 1;
        self.out.ar_ready = self.outstanding_reads() < self.cfg.max_reads;
        self.out.aw_ready = self.writes.len() < self.cfg.max_writes;
        self.out.w_ready = self.writes.iter().any(|w| !w.data_done);
        if !self.out.r_valid {
            self.stage_r(bus);
        }
        if !self.out.b_valid {
            self.stage_b();
        }
        Ok(())
    }

    fn take_w_beat(
        &mut self,
        m: &AxiMasterPort,
        bus: &mut SystemBus,
        now: u64,
    ) -> Result<(), AxiError> {
        let latency = u64::from(self.cfg.latency);
        let Some(w) = self.writes.iter_mut().find(|w| !w.data_done) else {
            unreachable!("WREADY is only high while a write burst awaits data");
        };
        let beat = w.beats_done;
        let beats = w.burst.beats();
        let addr = w.burst.beat_addr(beat);
        let error = |rule| AxiError {
            cycle: now,
            channel: Channel::W,
            id: w.id,
            addr: w.burst.addr,
            rule,
        };
        let last = beat + 1 == beats;
        if m.w_last && !last {
            return Err(error(AxiRule::WlastEarly { beat, beats }));
        }
        if last && !m.w_last {
            return Err(error(AxiRule::WlastMissing { beat }));
        }
        let lanes = byte_lanes(addr, w.burst.size);
        if m.w_strb & !lanes != 0 {
            return Err(error(AxiRule::StrobeOutsideTransfer {
                strb: m.w_strb,
                lanes,
                beat,
                addr,
            }));
        }
        let word = addr & !7;
        if bus.map().pmem.contains_range(PhysAddr(word), 8) {
            if let Ok(old) = bus.read_u64(PhysAddr(word)) {
                w.undo.push((word, old));
            }
        }
        let beat_resp = match bus.write_beat(PhysAddr(addr), m.w_data, m.w_strb) {
            Ok(()) => resp::OKAY,
            Err(e) => error_resp(e),
        };
        if let Some(written) = self.written.as_mut() {
            written.push(WriteBeat {
                id: w.id,
                word,
                strb: m.w_strb,
                data: m.w_data,
                landed: beat_resp == resp::OKAY,
            });
        }
        w.resp = w.resp.max(beat_resp);
        w.beats_done += 1;
        let (burst, accepted_at) = (w.burst, w.accepted_at);
        if let Some(t) = self.timing.as_mut() {
            t.pmem_beat_written(addr, (m.w_strb.count_ones()).max(1));
        }
        if last {
            let delay = self.jitter();
            let timed = self.timing.as_mut().and_then(|t| {
                t.write(burst.addr, burst.beats(), 1 << burst.size, accepted_at, now)
            });
            let w = self
                .writes
                .iter_mut()
                .find(|w| !w.data_done)
                .expect("the burst just completed");
            w.data_done = true;
            w.ready_at = delay + timed.unwrap_or((accepted_at + latency).max(now + 1));
        }
        Ok(())
    }

    /// Puts the next R beat on the channel, starting a new burst if none is active.
    fn stage_r(&mut self, bus: &mut SystemBus) {
        if self.active_read.is_none() {
            let cycle = self.cycle;
            self.candidates.clear();
            for (i, r) in self.reads.iter().enumerate() {
                if !self.cfg.reorder && i > 0 {
                    break;
                }
                let oldest_of_id = !self.reads[..i].iter().any(|o| o.id == r.id);
                if r.ready_at <= cycle && oldest_of_id {
                    self.candidates.push(i);
                }
            }
            let Some(i) = self.choose() else {
                return;
            };
            let txn = self.reads.remove(i);
            self.active_read = Some(ActiveRead { txn, beat: 0 });
        }
        let Some(a) = self.active_read else {
            return;
        };
        // Under a timing model, beats follow the region's bandwidth.
        if a.txn
            .schedule
            .is_some_and(|s| s.beat_at(a.beat) > self.cycle)
        {
            return;
        }
        let burst = a.txn.burst;
        let addr = burst.beat_addr(a.beat);
        let (data, r_resp) = match bus.read_beat(PhysAddr(addr), burst.size) {
            Ok(data) => (data, resp::OKAY),
            Err(e) => (0, error_resp(e)),
        };
        self.out.r_valid = true;
        self.out.r_id = a.txn.id;
        self.out.r_data = data;
        self.out.r_resp = r_resp;
        self.out.r_last = a.beat + 1 == burst.beats();
    }

    /// Offers the next B response, if a write burst is ready for one.
    fn stage_b(&mut self) {
        let cycle = self.cycle;
        self.candidates.clear();
        for (i, w) in self.writes.iter().enumerate() {
            if !self.cfg.reorder && i > 0 {
                break;
            }
            // Data completes in AW order, so an older write of the same ID is done
            // whenever this one is; it must still answer first.
            let oldest_of_id = !self.writes[..i].iter().any(|o| o.id == w.id);
            if w.data_done && w.ready_at <= cycle && oldest_of_id {
                self.candidates.push(i);
            }
        }
        let Some(i) = self.choose() else {
            return;
        };
        let w = &self.writes[i];
        self.b_slot = i;
        self.out.b_valid = true;
        self.out.b_id = w.id;
        self.out.b_resp = w.resp;
    }

    /// A power failure at the current cycle: every pmem write not yet in the
    /// persistence domain is taken back, newest first; what was in it stays. Under ADR
    /// the domain starts at the write pending queue (a write is in once its durable
    /// cycle has come); under eADR it is the whole memory system, so a write is in
    /// once all its data has reached the memory. Returns how many write bursts were
    /// lost.
    pub fn power_fail(&mut self, bus: &mut SystemBus, persistence: Persistence) -> usize {
        let now = self.cycle;
        let mut lost = 0;
        for w in self.writes.iter().rev() {
            let durable = match persistence {
                Persistence::Adr => w.data_done && w.ready_at <= now,
                Persistence::Eadr => w.data_done,
            };
            if durable {
                continue;
            }
            lost += usize::from(!w.undo.is_empty());
            for &(word, old) in w.undo.iter().rev() {
                let _ = bus.write_u64(PhysAddr(word), old);
            }
        }
        self.writes.clear();
        lost
    }

    /// A burst's extra delay under `jitter` (from its own generator, so that jitter
    /// does not change the reordering choices' sequence).
    fn jitter(&mut self) -> u64 {
        match self.cfg.jitter {
            0 => 0,
            j => self.jitter_rng.below(j as usize + 1) as u64,
        }
    }

    /// Picks one of `candidates`: the only one, or a seeded random one. The generator
    /// only advances on a real choice, so runs without contention stay comparable.
    fn choose(&mut self) -> Option<usize> {
        match self.candidates.len() {
            0 => None,
            1 => Some(self.candidates[0]),
            n => Some(self.candidates[self.rng.below(n)]),
        }
    }
}

fn error_resp(e: BusError) -> u8 {
    match e {
        BusError::Unmapped { .. } => resp::DECERR,
        BusError::Device { .. } | BusError::NotMemory { .. } => resp::SLVERR,
    }
}

#[cfg(test)]
#[path = "slave_tests.rs"]
mod tests;
