#include "report/trace.h"

#include <sstream>

namespace asynclint {

namespace {

void write_queue(std::ostream& out, const char* name, const std::vector<std::string>& items) {
  out << "     " << name << ": ";
  if (items.empty()) {
    out << "(empty)\n";
    return;
  }
  for (std::size_t i = 0; i < items.size(); ++i) out << (i ? " | " : "") << items[i];
  out << '\n';
}

}  // namespace

void write_trace_text(std::ostream& out, const std::string& path, const loop::ExplainResult& result) {
  out << "Predicted output of `node " << path << "`:\n";
  if (result.output.empty()) out << "  (nothing)\n";
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) out << "  " << line << '\n';
  out << "\nExecution order (" << result.steps.size() << (result.steps.size() == 1 ? " step" : " steps") << "):\n";
  std::size_t number = 0;
  for (const auto& step : result.steps) {
    out << "  " << ++number << ". " << step.what;
    if (step.line) out << "  [line " << step.line << "]";
    out << '\n';
    write_queue(out, "call stack", step.call_stack);
    out << "     then waiting:\n";
    write_queue(out, "  nextTick queue", step.next_ticks);
    write_queue(out, "  microtask queue", step.microtasks);
    write_queue(out, "  timers", step.timers);
    write_queue(out, "  immediates", step.immediates);
    if (!step.pending_io.empty()) write_queue(out, "  I/O in progress", step.pending_io);
  }
  if (!result.supported) out << "\nNot modelled: " << result.unsupported_message << '\n';
}

nlohmann::json trace_to_json(const std::string& path, const loop::ExplainResult& result) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : result.steps)
    steps.push_back({{"line", step.line},
                     {"what", step.what},
                     {"callStack", step.call_stack},
                     {"nextTicks", step.next_ticks},
                     {"microtasks", step.microtasks},
                     {"timers", step.timers},
                     {"immediates", step.immediates},
                     {"pendingIo", step.pending_io}});
  nlohmann::json out = {{"file", path}, {"simulated", result.supported}, {"output", result.output}, {"steps", steps}};
  if (!result.supported) out["notModelled"] = result.unsupported_message;
  if (!result.warnings.empty()) out["races"] = result.warnings;
  return out;
}

}  // namespace asynclint
