#include "loop/scenario.h"

#include <cstdio>

namespace asynclint::loop {

namespace {
// Written in the subset itself, so operations are ordinary timers and promises to the model.
constexpr std::string_view kPrelude =
    "function __work(ms, failure) {\n"
    "  return new Promise((resolve, reject) => setTimeout(() => (failure ? reject(new Error(failure)) : resolve()), ms));\n"
    "}\n"
    "function __never() { return new Promise(() => {}); }\n";
}  // namespace

ScenarioOutcome run_scenario(std::string_view program) {
  ExplainLimits limits;
  limits.scenario = true;
  limits.max_steps = 200'000;
  limits.max_heap_objects = 100'000;
  limits.max_virtual_ms = 24ull * 3600 * 1000;
  std::string source(kPrelude);
  source += program;
  const ExplainResult result = explain_program(source, LanguageId::JavaScript, limits);
  ScenarioOutcome outcome;
  outcome.simulated = result.supported;
  outcome.error = result.unsupported_message;
  outcome.steps = result.scenario_steps;
  return outcome;
}

std::string js_string(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace asynclint::loop
