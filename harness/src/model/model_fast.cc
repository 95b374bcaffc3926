// The speed-optimized model: its verilated sources (unity build, listed by build.rs in
// model_fast_unity.h) and the bridge functions that need Rust types. A mutant build
// (COSIM_MUTANT, `cosim mutants`) has only the checked model: COSIM_CHECKED_ONLY.
#ifndef COSIM_CHECKED_ONLY
#define VM_TRACE 0
#include "model_fast_unity.h"
#include "cosim/src/model/shim_impl.h"
#else
#include "cosim/src/model/bridge.rs.h"
#include "cosim/src/model/shim.h"
#endif

namespace cosim {
thread_local AssertionLog *current_assertion_log = nullptr;
} // namespace cosim

// The action of every failed `COSIM_ASSERT` (imported by cosim_pkg, for both models;
// C linkage, as the DPI header declares it).
extern "C" void cosim_assertion_failed(const char *file, int line, const char *message) {
  cosim::AssertionLog *log = cosim::current_assertion_log;
  if (log == nullptr || log->failed) return;
  log->failed = true;
  log->file = file;
  log->line = line;
  log->message = message;
}

namespace cosim {
#ifndef COSIM_CHECKED_ONLY
std::unique_ptr<SocModel> new_fast_model() { return std::make_unique<VerilatedSoc<Vsoc_fast>>(); }
#else
std::unique_ptr<SocModel> new_fast_model() { return make_checked_model(); }
#endif
std::unique_ptr<SocModel> new_traced_model(rust::Str fst_path, uint64_t from_cycle) {
  return make_traced_model(std::string(fst_path), from_cycle);
}
std::unique_ptr<SocModel> new_checked_model() { return make_checked_model(); }
} // namespace cosim
