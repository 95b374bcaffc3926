//! Devices the harness models behind the AXI port, and the events they raise for the
//! simulation loop.

pub mod clint;
pub mod console_input;
pub mod event;
pub mod htif;
pub mod simctrl;

pub use clint::{CLINT_BASE, CLINT_MSIP, CLINT_MTIME, CLINT_MTIMECMP, CLINT_SIZE};
pub use console_input::ConsoleInput;
pub use event::SimEvent;
pub use htif::{Htif, HtifCommand};
pub use simctrl::{SimCtrl, SIMCTRL_BASE, SIMCTRL_SIZE};
