// The C++ side of the model bridge (see bridge.rs): one abstract SoC model, with a
// fast and a traced implementation, each in its own translation unit together with
// its verilated sources.
#pragma once
#include "rust/cxx.h"
#include <cstdint>
#include <memory>
#include <string>

namespace cosim {

struct AxiSlavePort;
struct SocOutputs;
struct AssertionFailure;

class SocModel {
public:
  virtual ~SocModel() = default;
  virtual void reset(uint64_t boot_addr, uint32_t cycles) = 0;
  virtual void cycle(const AxiSlavePort &inputs, SocOutputs &outputs) = 0;
  virtual AssertionFailure assertion_failure() const = 0;
  virtual void finish() = 0;
};

std::unique_ptr<SocModel> new_fast_model();
std::unique_ptr<SocModel> new_traced_model(rust::Str fst_path, uint64_t from_cycle);
std::unique_ptr<SocModel> new_checked_model();

// Implemented by the traced translation unit, without Rust types in its signature.
std::unique_ptr<SocModel> make_traced_model(const std::string &fst_path, uint64_t from_cycle);
std::unique_ptr<SocModel> make_checked_model();

// The assertions that failed in the model being evaluated on this thread: an
// assertion's action (the DPI function cosim_assertion_failed, model_fast.cc) records
// the first one here.
struct AssertionLog {
  bool failed = false;
  std::string file;
  int line = 0;
  std::string message;
};
extern thread_local AssertionLog *current_assertion_log;

} // namespace cosim
