//! cosim: a co-simulation harness for our RV64 SoC. The verilated RTL (`model`) is
//! driven cycle by cycle (`sim`) against a Rust memory model behind its AXI4 port
//! (`axi`, `memory`, `devices`), with programs loaded from ELF files (`loader`).

pub mod axi;
pub mod bench;
pub mod calibrate;
pub mod counters;
pub mod devices;
pub mod firmware;
pub mod fnv;
pub mod fuzz;
pub mod input;
pub mod linux;
pub mod loader;
pub mod lockstep;
pub mod memory;
pub mod mmu;
pub mod model;
pub mod mutants;
pub mod nightly;
pub mod output;
pub mod pool;
pub mod programs;
pub mod report;
pub(crate) mod rng;
pub mod signals;
pub mod sim;
pub mod symbols;
pub mod vmemmap;
