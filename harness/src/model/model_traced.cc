// The model built with --trace-fst and --assert: for waveform runs, and without a
// waveform for checked (lockstep) runs.
#define VM_TRACE 1
#include "model_traced_unity.h"
#include "cosim/src/model/shim_impl.h"

namespace cosim {
std::unique_ptr<SocModel> make_traced_model(const std::string &fst_path, uint64_t from_cycle) {
  auto model = std::make_unique<VerilatedSoc<Vsoc_traced>>();
  model->open_trace(fst_path, from_cycle);
  return model;
}
std::unique_ptr<SocModel> make_checked_model() { return std::make_unique<VerilatedSoc<Vsoc_traced>>(); }
} // namespace cosim
