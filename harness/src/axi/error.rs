//! Master protocol errors the slave cannot serve: each stops the run with the cycle,
//! the channel and the rule broken.

use std::fmt;
use thiserror::Error;

/// The five AXI channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    Ar,
    Aw,
    W,
    R,
    B,
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Ar => "AR",
            Channel::Aw => "AW",
            Channel::W => "W",
            Channel::R => "R",
            Channel::B => "B",
        })
    }
}

/// The rule a master broke (AXI4 spec, IHI 0022).
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum AxiRule {
    #[error("AxSIZE {size} ({} bytes) is wider than the 8-byte data bus", 1u32 << size)]
    SizeTooWide { size: u8 },
    #[error("AxBURST {burst} is reserved")]
    ReservedBurst { burst: u8 },
    #[error("WRAP burst of {beats} beats; AxLEN+1 must be 2, 4, 8 or 16")]
    WrapLength { beats: u32 },
    #[error("WRAP burst start address {addr:#x} is not aligned to its {bytes}-byte transfers")]
    WrapUnaligned { addr: u64, bytes: u32 },
    #[error("FIXED burst of {beats} beats; at most 16 are allowed")]
    FixedLength { beats: u32 },
    #[error("INCR burst [{first:#x}, {last:#x}] crosses a 4 KiB boundary")]
    Crosses4K { first: u64, last: u64 },
    #[error("WLAST low on beat {beat}, the last of the burst")]
    WlastMissing { beat: u32 },
    #[error("WLAST high on beat {beat} of a {beats}-beat burst")]
    WlastEarly { beat: u32, beats: u32 },
    #[error("WSTRB {strb:#04x} enables lanes outside the transfer's lanes {lanes:#04x} (beat {beat} at {addr:#x})")]
    StrobeOutsideTransfer {
        strb: u8,
        lanes: u8,
        beat: u32,
        addr: u64,
    },
}

/// A protocol violation seen by the slave at a clock edge.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
#[error("AXI protocol violation on {channel} at cycle {cycle} (id {id}, burst address {addr:#x}): {rule}")]
pub struct AxiError {
    /// The slave's cycle count at the edge where the transfer happened.
    pub cycle: u64,
    pub channel: Channel,
    /// ID and start address of the burst concerned.
    pub id: u8,
    pub addr: u64,
    pub rule: AxiRule,
}
