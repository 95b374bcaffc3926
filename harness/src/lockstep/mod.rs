//! Lockstep: every instruction the RTL retires steps an independent reference ISS,
//! and the first difference stops the run with both states.
//!
//! The reference sits behind one trait ([`ReferenceModel`]); [`Rv64emuReference`] is
//! the implementation over the `rv64emu` crate. Where the reference cannot know what
//! the RTL saw (timing-dependent counters, device registers, the host's HTIF writes),
//! a named [`SyncRule`] copies the RTL's value into the reference; every application
//! is counted and reported, and nothing else is ever overridden.

mod access;
mod bus_writes;
mod checker;
mod clint_model;
mod divergence;
mod extra_csrs;
mod interrupts;
mod pmp;
mod reference;
mod rules;
mod rv64emu_ref;
mod translation;

pub use checker::Lockstep;
pub use divergence::{Divergence, Mismatch};
pub use pmp::Pmp;
pub use reference::{RefStep, ReferenceModel};
pub use rules::SyncRule;
pub use rv64emu_ref::Rv64emuReference;
