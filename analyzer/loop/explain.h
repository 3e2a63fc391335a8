#pragma once
// The embedded event-loop model: an interpreter for a subset of JavaScript that predicts the console output
// of a small program, and the order in which its callbacks run, exactly as Node 20 runs a CommonJS main
// module. See analyzer/loop/README.md for the subset and the queue rules.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/language.h"

namespace asynclint::loop {

// One callback run by the event loop (or the main script), with the queues as they were when it started.
struct TraceStep {
  std::uint32_t line = 0;  // 1-based source line of the function that runs (1 for the main script)
  std::string what;        // "run main script", "microtask: then callback (line 7)", "timer 10ms fired (line 3)"
  // call_stack: what ran; the queues: as this step left them (what is waiting to run next)
  std::vector<std::string> call_stack, next_ticks, microtasks, timers, immediates, pending_io;
};

// A step a scenario program recorded with __step (see scenario.h), stamped by the model.
struct ScenarioStep {
  std::uint32_t byte_offset = 0;  // where it happens in the real file the scenario describes
  std::string message;
  std::uint64_t time_ms = 0;      // virtual time
  std::uint32_t nesting = 0;
};

struct ExplainResult {
  bool supported = true;
  std::string unsupported_message;  // "line 12: generators are not modelled", or why the simulation stopped
  std::string output;               // exactly what `node FILE` prints to stdout
  std::vector<TraceStep> steps;
  std::vector<ScenarioStep> scenario_steps;  // scenario mode only
  // Orders the trace shows that Node does not promise (a race the model settles one way): said, not hidden.
  std::vector<std::string> warnings;
};

struct ExplainLimits {
  std::uint64_t max_steps = 2'000'000;
  std::uint64_t max_virtual_ms = 24ull * 3600 * 1000;
  std::size_t max_heap_objects = 1'000'000;
  std::size_t max_call_depth = 2000;
  std::size_t max_trace_steps = 10'000;  // steps recorded in the trace (the simulation itself goes on)
  bool scenario = false;                 // enables the __step family of host functions (scenario.h)
};

ExplainResult explain_program(std::string_view source, LanguageId language, const ExplainLimits& limits = {});

}  // namespace asynclint::loop
