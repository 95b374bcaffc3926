//! Physical memory behind the AXI port: typed addresses, sparse page-backed storage,
//! the memory map, and the system bus that routes accesses to memories and devices.

pub mod addr;
pub mod bus;
pub mod pmem_image;
pub mod region;
pub mod sparse;
pub mod timing;

pub use addr::PhysAddr;
pub use bus::{BusError, SystemBus};
pub use pmem_image::{ImageError, PmemImage};
pub use region::{MapError, MemoryMap, Region, RegionKind};
pub use sparse::SparseMemory;
