// The C++ side of the model bridge (see bridge.rs): one abstract SoC model, with a
// fast and a traced implementation, each in its own translation unit together with
// its verilated sources.
#pragma once
#include "rust/cxx.h"
#include <cstdint>
#include <memory>

namespace cosim {

struct AxiSlavePort;
struct SocOutputs;

class SocModel {
public:
  virtual ~SocModel() = default;
  virtual void reset(uint64_t boot_addr, uint32_t cycles) = 0;
  virtual void cycle(const AxiSlavePort &inputs, SocOutputs &outputs) = 0;
  virtual void finish() = 0;
};

std::unique_ptr<SocModel> new_fast_model();
std::unique_ptr<SocModel> new_traced_model(rust::Str fst_path, uint64_t from_cycle);

// Implemented by the traced translation unit, without Rust types in its signature.
std::unique_ptr<SocModel> make_traced_model(const std::string &fst_path, uint64_t from_cycle);

} // namespace cosim
