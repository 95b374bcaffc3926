//! An AXI4 protocol checker (IHI 0022) for the SoC's master port, independent of
//! the slave model: it watches both directions of all five channels and trusts
//! neither side.
//!
//! Call [`ProtocolChecker::check`] once per clock cycle, for consecutive cycles,
//! with the signals both sides drove at that rising edge; `valid && ready` on a
//! channel is a transfer at that edge.
//!
//! What is checked:
//! - Handshakes (A3.2.1): a raised VALID stays high until its handshake, and the
//!   rest of the channel holds still meanwhile. READY may change freely.
//! - AR and AW (A3.4): burst size, type, length, alignment and the 4 KiB rule, as
//!   soon as VALID is high.
//! - W: beats belong to write bursts in AW order (AXI4 has no WID). Beats may come
//!   before their AW; they are checked when it arrives. WLAST must mark exactly the
//!   burst's last beat, and WSTRB may only enable the byte lanes of the beat's
//!   transfer (A3.4).
//! - R: a beat belongs to the oldest outstanding read burst of its RID (same-ID
//!   ordering, chapter A5); RLAST must mark exactly its last beat. Interleaving
//!   beats of different IDs is legal in AXI4 and not flagged.
//! - B: BID must name an outstanding write burst whose W data is complete; the
//!   oldest burst of that ID answers first.
//!
//! R and B are checked whenever VALID is high, not only at the handshake: a slave
//! may raise RVALID / BVALID only after the transfers they answer (A3.3.1), so an
//! early VALID is a violation even while READY holds it off. Response codes are
//! not checked: all four are legal.
//!
//! After a violation the run is meant to stop; the checker's state is then
//! unspecified.

use std::collections::VecDeque;
use std::fmt;
use thiserror::Error;

use super::error::{AxiRule, Channel};
use crate::model::{AxiMasterPort, AxiSlavePort};

/// Bytes on the data bus.
const BUS_BYTES: u64 = 8;
/// The widest AxSIZE the bus carries (log2 of `BUS_BYTES`).
const MAX_SIZE: u8 = 3;

/// A rule of the AXI4 protocol. Beat numbers count from 0.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum Rule {
    /// A3.2.1: VALID must stay high until the handshake.
    #[error("VALID dropped before READY")]
    ValidDropped,
    /// A3.2.1: the payload is held while VALID waits for READY.
    #[error("{field} changed from {was:#x} to {now:#x} while VALID waited for READY")]
    PayloadChanged {
        field: &'static str,
        was: u64,
        now: u64,
    },
    /// A request or W beat the burst rules forbid (A3.4; the same rules the slave
    /// enforces, named alike).
    #[error(transparent)]
    Burst(AxiRule),
    /// No read burst of this ID had its AR at an earlier edge and data still due.
    #[error("RID {id} matches no outstanding read burst")]
    RidUnknown { id: u8 },
    #[error("RLAST high on beat {beat} of a {beats}-beat burst")]
    RlastEarly { beat: u32, beats: u32 },
    #[error("RLAST low on beat {beat}, the last of the burst")]
    RlastMissing { beat: u32 },
    /// No write burst of this ID had its AW at an earlier edge and awaits its B.
    #[error("BID {id} matches no outstanding write burst")]
    BidUnknown { id: u8 },
    /// The oldest write burst of the BID has not had its last W beat at an earlier
    /// edge (A3.3.1: B depends on the last W handshake).
    #[error("B before the last W beat of its burst ({done} of {beats} beats transferred)")]
    BBeforeLastW { done: u32, beats: u32 },
}

/// A broken rule, where and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The edge of the signal or transfer that broke the rule. A W beat sent before
    /// its AW is checked when the AW arrives, so this can be earlier than the call
    /// that reports it.
    pub cycle: u64,
    pub channel: Channel,
    pub rule: Rule,
    /// AxID, RID or BID; for W, the AWID of the beat's burst once known.
    pub id: Option<u8>,
    /// Start address (AxADDR) of the burst concerned, when known.
    pub addr: Option<u64>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AXI protocol violation at cycle {} on {}: {}",
            self.cycle, self.channel, self.rule
        )?;
        match (self.id, self.addr) {
            (Some(id), Some(addr)) => write!(f, " (ID {id}, burst at {addr:#x})"),
            (Some(id), None) => write!(f, " (ID {id})"),
            (None, Some(addr)) => write!(f, " (burst at {addr:#x})"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for Violation {}

/// AxBURST decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Fixed,
    Incr,
    Wrap,
}

/// A legal burst from an address channel: what its beats must look like.
#[derive(Clone, Copy, Debug)]
struct Burst {
    id: u8,
    addr: u64,
    beats: u32,
    size: u8,
    kind: Kind,
}

impl Burst {
    /// Decodes an AR or AW request, or names the rule it breaks (A3.4.1).
    fn decode(id: u8, addr: u64, len: u8, size: u8, burst: u8) -> Result<Self, Rule> {
        if size > MAX_SIZE {
            return Err(Rule::Burst(AxiRule::SizeTooWide { size }));
        }
        let kind = match burst {
            0 => Kind::Fixed,
            1 => Kind::Incr,
            2 => Kind::Wrap,
            _ => return Err(Rule::Burst(AxiRule::ReservedBurst { burst })),
        };
        let b = Self {
            id,
            addr,
            beats: u32::from(len) + 1,
            size,
            kind,
        };
        match kind {
            Kind::Fixed if b.beats > 16 => {
                Err(Rule::Burst(AxiRule::FixedLength { beats: b.beats }))
            }
            Kind::Wrap if !matches!(b.beats, 2 | 4 | 8 | 16) => {
                Err(Rule::Burst(AxiRule::WrapLength { beats: b.beats }))
            }
            Kind::Wrap if !addr.is_multiple_of(b.bytes()) => {
                Err(Rule::Burst(AxiRule::WrapUnaligned {
                    addr,
                    bytes: 1 << size,
                }))
            }
            Kind::Incr => {
                // The last byte the burst covers; an unaligned start does not add
                // bytes at the end. Wrapping keeps a burst at the top of the address
                // space from overflowing: it then crosses, as it should.
                let span = u64::from(b.beats) * b.bytes();
                let last = b.aligned(addr).wrapping_add(span - 1);
                if last >> 12 != addr >> 12 {
                    return Err(Rule::Burst(AxiRule::Crosses4K { first: addr, last }));
                }
                Ok(b)
            }
            _ => Ok(b),
        }
    }

    fn bytes(&self) -> u64 {
        1 << self.size
    }

    /// `addr` rounded down to the transfer size.
    fn aligned(&self, addr: u64) -> u64 {
        addr & !(self.bytes() - 1)
    }

    /// The address of beat `n` (A3.4.1): FIXED repeats the start; INCR beats after
    /// the first are aligned; WRAP wraps within `beats * bytes`, a power of two.
    fn beat_addr(&self, n: u32) -> u64 {
        let step = u64::from(n) * self.bytes();
        match self.kind {
            Kind::Fixed => self.addr,
            Kind::Incr if n == 0 => self.addr,
            Kind::Incr => self.aligned(self.addr).wrapping_add(step),
            Kind::Wrap => {
                let window = u64::from(self.beats) * self.bytes();
                let base = self.addr & !(window - 1);
                base | (self.addr.wrapping_add(step) & (window - 1))
            }
        }
    }

    /// The byte lanes beat `n` may write (A3.4): from its address to the end of
    /// its size-aligned transfer, so narrow and unaligned beats use fewer lanes.
    fn lanes(&self, n: u32) -> u8 {
        let addr = self.beat_addr(n);
        let first = addr % BUS_BYTES;
        let last = (self.aligned(addr) + self.bytes() - 1) % BUS_BYTES;
        let up_to_last = (2u16 << last) - 1;
        let from_first = !((1u16 << first) - 1);
        (up_to_last & from_first) as u8
    }
}

/// A burst whose address was transferred and whose data (R) or response (B) is
/// still due.
#[derive(Clone, Copy, Debug)]
struct Outstanding {
    burst: Burst,
    /// Data beats transferred so far.
    done: u32,
}

impl Outstanding {
    fn data_complete(&self) -> bool {
        self.done == self.burst.beats
    }
}

/// A W beat as transferred; kept until its burst is known.
#[derive(Clone, Copy, Debug)]
struct WBeat {
    cycle: u64,
    strb: u8,
    last: bool,
}

/// Watches an AXI4 port and reports the first rule broken. See the module docs.
#[derive(Debug, Default)]
pub struct ProtocolChecker {
    /// Whether a channel was waiting for READY at the previous edge, and that edge's
    /// signals (kept only then: copying them at every edge was most of the checker's
    /// cost).
    stalled: bool,
    prev_m: AxiMasterPort,
    prev_s: AxiSlavePort,
    /// Read bursts from AR transfer to their last R beat, oldest first.
    reads: Vec<Outstanding>,
    /// Write bursts from AW transfer to their B, in AW order (the order W data
    /// fills them in).
    writes: Vec<Outstanding>,
    /// W beats transferred before their burst's AW, oldest first. Non-empty only
    /// while every burst in `writes` has its data.
    early_w: VecDeque<WBeat>,
}

impl ProtocolChecker {
    /// A checker for an idle port: nothing outstanding, nothing waiting.
    pub fn new() -> Self {
        Self::default()
    }

    /// Read bursts whose AR was transferred and whose last R beat was not.
    pub fn outstanding_reads(&self) -> usize {
        self.reads.len()
    }

    /// Write bursts whose AW was transferred and whose B was not.
    pub fn outstanding_writes(&self) -> usize {
        self.writes.len()
    }

    /// Checks the signals of the rising edge `cycle` (`m`: what the master drove,
    /// `s`: what the slave drove) and takes in its transfers.
    pub fn check(
        &mut self,
        cycle: u64,
        m: &AxiMasterPort,
        s: &AxiSlavePort,
    ) -> Result<(), Violation> {
        if self.stalled {
            self.check_stable(cycle, m, s)?;
        }
        self.stalled = (m.ar_valid && !s.ar_ready)
            || (m.aw_valid && !s.aw_ready)
            || (m.w_valid && !s.w_ready)
            || (s.r_valid && !m.r_ready)
            || (s.b_valid && !m.b_ready);
        if self.stalled {
            self.prev_m = *m;
            self.prev_s = *s;
        }

        let ar = m
            .ar_valid
            .then(|| Burst::decode(m.ar_id, m.ar_addr, m.ar_len, m.ar_size, m.ar_burst))
            .transpose()
            .map_err(|rule| violation(cycle, Channel::Ar, rule, m.ar_id, m.ar_addr))?;
        let aw = m
            .aw_valid
            .then(|| Burst::decode(m.aw_id, m.aw_addr, m.aw_len, m.aw_size, m.aw_burst))
            .transpose()
            .map_err(|rule| violation(cycle, Channel::Aw, rule, m.aw_id, m.aw_addr))?;
        if s.r_valid {
            self.check_r(cycle, s)?;
        }
        if s.b_valid {
            self.check_b(cycle, s)?;
        }

        // This edge's transfers. R and B answer bursts of earlier edges, so they
        // see the state before this edge's AR and AW. W goes before AW: a beat that
        // found no burst waits in `early_w`, which the AW then drains in order.
        if s.r_valid && m.r_ready {
            let i = self.oldest_read(s.r_id).expect("checked above");
            self.reads[i].done += 1;
            if self.reads[i].data_complete() {
                self.reads.remove(i);
            }
        }
        if s.b_valid && m.b_ready {
            let i = self.oldest_write(s.b_id).expect("checked above");
            self.writes.remove(i);
        }
        if m.w_valid && s.w_ready {
            let beat = WBeat {
                cycle,
                strb: m.w_strb,
                last: m.w_last,
            };
            match self.writes.iter_mut().find(|w| !w.data_complete()) {
                Some(w) => take_w_beat(w, beat)?,
                None => self.early_w.push_back(beat),
            }
        }
        if let (Some(burst), true) = (aw, s.aw_ready) {
            let mut w = Outstanding { burst, done: 0 };
            while !w.data_complete() {
                let Some(beat) = self.early_w.pop_front() else {
                    break;
                };
                take_w_beat(&mut w, beat)?;
            }
            self.writes.push(w);
        }
        if let (Some(burst), true) = (ar, s.ar_ready) {
            self.reads.push(Outstanding { burst, done: 0 });
        }
        Ok(())
    }

    /// A3.2.1 on all five channels: what waited for READY at the last edge is
    /// still valid and unchanged at this one.
    fn check_stable(
        &self,
        cycle: u64,
        m: &AxiMasterPort,
        s: &AxiSlavePort,
    ) -> Result<(), Violation> {
        let (pm, ps) = (&self.prev_m, &self.prev_s);
        let fail = |channel, id: Option<u8>, addr: Option<u64>| {
            move |rule| Violation {
                cycle,
                channel,
                rule,
                id,
                addr,
            }
        };
        if pm.ar_valid && !ps.ar_ready {
            held(m.ar_valid, &ar_payload(pm), &ar_payload(m)).map_err(fail(
                Channel::Ar,
                Some(pm.ar_id),
                Some(pm.ar_addr),
            ))?;
        }
        if pm.aw_valid && !ps.aw_ready {
            held(m.aw_valid, &aw_payload(pm), &aw_payload(m)).map_err(fail(
                Channel::Aw,
                Some(pm.aw_id),
                Some(pm.aw_addr),
            ))?;
        }
        if pm.w_valid && !ps.w_ready {
            held(m.w_valid, &w_payload(pm), &w_payload(m)).map_err(fail(Channel::W, None, None))?;
        }
        if ps.r_valid && !pm.r_ready {
            held(s.r_valid, &r_payload(ps), &r_payload(s)).map_err(fail(
                Channel::R,
                Some(ps.r_id),
                None,
            ))?;
        }
        if ps.b_valid && !pm.b_ready {
            held(s.b_valid, &b_payload(ps), &b_payload(s)).map_err(fail(
                Channel::B,
                Some(ps.b_id),
                None,
            ))?;
        }
        Ok(())
    }

    /// An R beat on offer must continue the oldest outstanding burst of its ID.
    fn check_r(&self, cycle: u64, s: &AxiSlavePort) -> Result<(), Violation> {
        let Some(i) = self.oldest_read(s.r_id) else {
            let rule = Rule::RidUnknown { id: s.r_id };
            return Err(Violation {
                cycle,
                channel: Channel::R,
                rule,
                id: Some(s.r_id),
                addr: None,
            });
        };
        let r = &self.reads[i];
        let (beat, beats) = (r.done, r.burst.beats);
        let rule = match (s.r_last, beat + 1 == beats) {
            (true, false) => Rule::RlastEarly { beat, beats },
            (false, true) => Rule::RlastMissing { beat },
            _ => return Ok(()),
        };
        Err(violation(cycle, Channel::R, rule, s.r_id, r.burst.addr))
    }

    /// A B on offer must answer the oldest outstanding write of its ID, whose data
    /// must be complete.
    fn check_b(&self, cycle: u64, s: &AxiSlavePort) -> Result<(), Violation> {
        let Some(i) = self.oldest_write(s.b_id) else {
            let rule = Rule::BidUnknown { id: s.b_id };
            return Err(Violation {
                cycle,
                channel: Channel::B,
                rule,
                id: Some(s.b_id),
                addr: None,
            });
        };
        let w = &self.writes[i];
        if w.data_complete() {
            return Ok(());
        }
        let rule = Rule::BBeforeLastW {
            done: w.done,
            beats: w.burst.beats,
        };
        Err(violation(cycle, Channel::B, rule, s.b_id, w.burst.addr))
    }

    fn oldest_read(&self, id: u8) -> Option<usize> {
        self.reads.iter().position(|r| r.burst.id == id)
    }

    fn oldest_write(&self, id: u8) -> Option<usize> {
        self.writes.iter().position(|w| w.burst.id == id)
    }
}

/// Checks one W beat against the next beat of burst `w` and counts it.
fn take_w_beat(w: &mut Outstanding, beat: WBeat) -> Result<(), Violation> {
    let b = w.burst;
    let n = w.done;
    let error = |rule| violation(beat.cycle, Channel::W, rule, b.id, b.addr);
    match (beat.last, n + 1 == b.beats) {
        (true, false) => {
            return Err(error(Rule::Burst(AxiRule::WlastEarly {
                beat: n,
                beats: b.beats,
            })))
        }
        (false, true) => return Err(error(Rule::Burst(AxiRule::WlastMissing { beat: n }))),
        _ => {}
    }
    let lanes = b.lanes(n);
    if beat.strb & !lanes != 0 {
        return Err(error(Rule::Burst(AxiRule::StrobeOutsideTransfer {
            strb: beat.strb,
            lanes,
            beat: n,
            addr: b.beat_addr(n),
        })));
    }
    w.done += 1;
    Ok(())
}

fn violation(cycle: u64, channel: Channel, rule: Rule, id: u8, addr: u64) -> Violation {
    Violation {
        cycle,
        channel,
        rule,
        id: Some(id),
        addr: Some(addr),
    }
}

/// A3.2.1 for one channel whose VALID waited for READY at the last edge: VALID is
/// still high and every payload field unchanged.
fn held(valid: bool, was: &[(&'static str, u64)], now: &[(&'static str, u64)]) -> Result<(), Rule> {
    if !valid {
        return Err(Rule::ValidDropped);
    }
    for (&(field, was), &(_, now)) in was.iter().zip(now) {
        if was != now {
            return Err(Rule::PayloadChanged { field, was, now });
        }
    }
    Ok(())
}

// Each channel's payload: every signal but VALID and READY, by its spec name.

fn ar_payload(m: &AxiMasterPort) -> [(&'static str, u64); 5] {
    [
        ("ARID", m.ar_id.into()),
        ("ARADDR", m.ar_addr),
        ("ARLEN", m.ar_len.into()),
        ("ARSIZE", m.ar_size.into()),
        ("ARBURST", m.ar_burst.into()),
    ]
}

fn aw_payload(m: &AxiMasterPort) -> [(&'static str, u64); 5] {
    [
        ("AWID", m.aw_id.into()),
        ("AWADDR", m.aw_addr),
        ("AWLEN", m.aw_len.into()),
        ("AWSIZE", m.aw_size.into()),
        ("AWBURST", m.aw_burst.into()),
    ]
}

fn w_payload(m: &AxiMasterPort) -> [(&'static str, u64); 3] {
    [
        ("WDATA", m.w_data),
        ("WSTRB", m.w_strb.into()),
        ("WLAST", m.w_last.into()),
    ]
}

fn r_payload(s: &AxiSlavePort) -> [(&'static str, u64); 4] {
    [
        ("RID", s.r_id.into()),
        ("RDATA", s.r_data),
        ("RRESP", s.r_resp.into()),
        ("RLAST", s.r_last.into()),
    ]
}

fn b_payload(s: &AxiSlavePort) -> [(&'static str, u64); 2] {
    [("BID", s.b_id.into()), ("BRESP", s.b_resp.into())]
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
