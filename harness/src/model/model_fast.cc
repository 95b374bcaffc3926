// The speed-optimized model: its verilated sources (unity build, listed by build.rs in
// model_fast_unity.h) and the bridge functions that need Rust types.
#define VM_TRACE 0
#include "model_fast_unity.h"
#include "cosim/src/model/shim_impl.h"

namespace cosim {
std::unique_ptr<SocModel> new_fast_model() { return std::make_unique<VerilatedSoc<Vsoc_fast>>(); }
std::unique_ptr<SocModel> new_traced_model(rust::Str fst_path, uint64_t from_cycle) {
  return make_traced_model(std::string(fst_path), from_cycle);
}
} // namespace cosim
