#include "loop/scenario.h"

#include <cstdio>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace asynclint::loop {

namespace {
// Written in the subset itself, so operations are ordinary timers and promises to the model.
constexpr std::string_view kPrelude =
    "function __work(ms, failure) {\n"
    "  return new Promise((resolve, reject) => setTimeout(() => (failure ? reject(new Error(failure)) : resolve()), ms));\n"
    "}\n"
    "function __never() { return new Promise(() => {}); }\n";
}  // namespace

namespace {
// Outcomes of programs already simulated. A scenario is a pure function of its text (the clock is virtual,
// nothing is random), and a language server lints the same file again on every keystroke: every finding
// above the edit keeps its byte offsets, so its scenario's text, and is not simulated again.
class OutcomeMemo {
 public:
  std::optional<ScenarioOutcome> find(const std::string& program) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = outcomes_.find(program);
    if (found == outcomes_.end()) return std::nullopt;
    return found->second;
  }
  void keep(std::string program, const ScenarioOutcome& outcome) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (outcomes_.size() >= kKept) outcomes_.clear();  // a simple bound: a later lint refills what it needs
    outcomes_.emplace(std::move(program), outcome);
  }

 private:
  static constexpr std::size_t kKept = 4096;
  std::mutex mutex_;
  std::unordered_map<std::string, ScenarioOutcome> outcomes_;
};

OutcomeMemo& outcome_memo() {
  static OutcomeMemo memo;
  return memo;
}

ScenarioOutcome simulate(std::string_view program);
}  // namespace

ScenarioOutcome run_scenario(std::string_view program) {
  std::string key(program);
  if (auto known = outcome_memo().find(key)) return std::move(*known);
  ScenarioOutcome outcome = simulate(program);
  outcome_memo().keep(std::move(key), outcome);
  return outcome;
}

namespace {
ScenarioOutcome simulate(std::string_view program) {
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
}  // namespace

std::string_view scenario_prelude() { return kPrelude; }

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
