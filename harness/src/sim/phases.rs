//! Phases of a run, as the program marks them by writing a number to SIMCTRL's PHASE
//! register: every counter is snapshot at each marker, so each phase gets the events,
//! cycles and instructions that happened between its marker and the next (or the end).

use crate::counters::Counters;
use crate::memory::timing::MemCounters;

/// One phase: from its marker to the next marker or the end of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phase {
    /// The value written to PHASE.
    pub marker: u64,
    pub cycles: u64,
    pub instret: u64,
    pub counters: Counters,
    /// The memory model's counters, under a timing profile.
    pub memory: Option<MemCounters>,
}

/// The state at one marker.
#[derive(Clone, Debug)]
pub(super) struct Snapshot {
    pub marker: u64,
    pub cycle: u64,
    pub instret: u64,
    pub counters: Counters,
    pub memory: Option<MemCounters>,
}

/// The phases between consecutive snapshots, the last one ending at `end`.
pub(super) fn phases(snapshots: &[Snapshot], end: &Snapshot) -> Vec<Phase> {
    snapshots
        .iter()
        .zip(snapshots.iter().skip(1).chain(std::iter::once(end)))
        .map(|(from, to)| Phase {
            marker: from.marker,
            cycles: to.cycle - from.cycle,
            instret: to.instret - from.instret,
            counters: to.counters.since(&from.counters),
            memory: match (&from.memory, &to.memory) {
                (Some(a), Some(b)) => Some(b.since(a)),
                _ => None,
            },
        })
        .collect()
}
