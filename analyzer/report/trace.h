#pragma once
// How `asynclint explain` shows a simulated run: the predicted output, then one block per step with the
// queues as they were when it started (text), or the same as data (JSON).
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "loop/explain.h"

namespace asynclint {

void write_trace_text(std::ostream& out, const std::string& path, const loop::ExplainResult& result);
nlohmann::json trace_to_json(const std::string& path, const loop::ExplainResult& result);

}  // namespace asynclint
