//! The Verilator runtime, compiled by this crate's build script. It has no Rust API:
//! depending on it links `verilated.cpp` (and the FST writer with the `fst` feature)
//! and hands its include directories to the model build through `DEP_VERILATED_INCLUDE`.
