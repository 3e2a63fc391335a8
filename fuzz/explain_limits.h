#pragma once
// The event-loop model's limits for fuzzing: small enough that every input finishes in milliseconds. Shared
// by fuzz/explain_fuzzer.cpp and tests/fuzz_regressions_test.cpp, which replays that target's finds.
#include "loop/explain.h"

namespace asynclint::fuzzing {

inline loop::ExplainLimits explain_limits() {
  loop::ExplainLimits limits;
  limits.max_steps = 20'000;
  limits.max_heap_objects = 20'000;
  limits.max_virtual_ms = 60'000;
  limits.max_call_depth = 200;
  limits.max_trace_steps = 1'000;
  return limits;
}

}  // namespace asynclint::fuzzing
