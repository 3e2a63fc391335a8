// libFuzzer target: the event-loop model's interpreter (explain_program) on arbitrary JavaScript, with
// limits small enough that every input finishes in milliseconds: a runaway program must stop with a
// message, never crash, hang or exhaust memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "explain_limits.h"
#include "loop/explain.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace asynclint;
  const loop::ExplainLimits limits = fuzzing::explain_limits();
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  const loop::ExplainResult result = loop::explain_program(source, LanguageId::JavaScript, limits);
  // A refusal always says why; a finished simulation recorded its trace within the limit.
  if (!result.supported && result.unsupported_message.empty()) std::abort();
  if (result.steps.size() > limits.max_trace_steps) std::abort();
  return 0;
}
