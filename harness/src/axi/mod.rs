//! The AXI4 slave that serves the SoC's master port from the system bus, and an
//! independent protocol checker watching both sides of every channel.

pub mod burst;
pub mod error;
pub mod protocol;
pub mod slave;

pub use burst::{Burst, BurstType};
pub use error::{AxiError, AxiRule, Channel};
pub use protocol::{ProtocolChecker, Rule, Violation};
pub use slave::{AxiSlave, Persistence, SlaveConfig, WriteBeat};

/// The AXI ID of the core's data port (loads, stores, AMOs, cbo.zero): `AXI_ID_DATA`
/// in rtl/pkg/cosim_pkg.sv. The fetch port and the walker use others.
pub const DATA_PORT_ID: u8 = 1;

/// AXI response codes (xRESP).
pub mod resp {
    pub const OKAY: u8 = 0;
    pub const EXOKAY: u8 = 1;
    pub const SLVERR: u8 = 2;
    pub const DECERR: u8 = 3;
}
