//! Devices the harness models behind the AXI port, and the events they raise for the
//! simulation loop.

pub mod event;
pub mod htif;
pub mod simctrl;

pub use event::SimEvent;
pub use htif::{Htif, HtifCommand};
pub use simctrl::{SimCtrl, SIMCTRL_BASE, SIMCTRL_SIZE};
