#include "engine/baseline.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace asynclint {

namespace {
std::string key_for(const std::string& file, const std::string& baseline_directory) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec).lexically_normal();
  const fs::path base = fs::absolute(baseline_directory.empty() ? "." : baseline_directory, ec).lexically_normal();
  fs::path relative = absolute.lexically_relative(base);
  if (relative.empty()) relative = absolute;
  return relative.generic_string();
}
}  // namespace

std::optional<Baseline> load_baseline(const std::string& path, std::string& error) {
  Baseline baseline;
  std::ifstream in(path, std::ios::binary);
  if (!in) return baseline;
  std::stringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(buffer.str(), nullptr, true, true);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for a number like 1e999
    error = path + ": malformed JSON: " + e.what();
    return std::nullopt;
  }
  if (!document.is_object()) {
    error = path + ": expected an object mapping files to rules";
    return std::nullopt;
  }
  for (const auto& [file, rules] : document.items()) {
    if (!rules.is_object()) {
      error = path + ": \"" + file + "\" must map rule ids to { \"count\": N }";
      return std::nullopt;
    }
    for (const auto& [rule, entry] : rules.items()) {
      if (!entry.is_object() || !entry.contains("count") || !entry["count"].is_number_unsigned()) {
        error = path + ": \"" + file + "\" → \"" + rule + "\" must be { \"count\": N }";
        return std::nullopt;
      }
      baseline.accepted[file][rule] = entry["count"].get<std::size_t>();
    }
  }
  return baseline;
}

bool save_baseline(const std::string& path, const Baseline& baseline, std::string& error) {
  nlohmann::ordered_json document = nlohmann::ordered_json::object();
  for (const auto& [file, rules] : baseline.accepted) {  // std::map: sorted, so the file diffs cleanly
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    for (const auto& [rule, count] : rules)
      if (count > 0) entry[rule] = {{"count", count}};
    if (!entry.empty()) document[file] = entry;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << document.dump(2) << '\n';
  if (!out) {
    error = path + ": cannot write the suppressions file";
    return false;
  }
  return true;
}

Baseline count_findings(const LintRun& run, const std::string& baseline_directory, const std::set<std::string>& rules) {
  Baseline counts;
  for (const auto& file : run.files)
    for (const auto& d : file.diagnostics)
      if (rules.empty() || rules.count(d.rule_id)) ++counts.accepted[key_for(file.path, baseline_directory)][d.rule_id];
  return counts;
}

void record_findings(Baseline& baseline, const LintRun& run, const std::string& baseline_directory,
                     const std::set<std::string>& rules) {
  for (const auto& file : run.files) {
    auto entry = baseline.accepted.find(key_for(file.path, baseline_directory));
    if (entry == baseline.accepted.end()) continue;
    for (auto rule = entry->second.begin(); rule != entry->second.end();)
      rule = rules.empty() || rules.count(rule->first) ? entry->second.erase(rule) : std::next(rule);
    if (entry->second.empty()) baseline.accepted.erase(entry);
  }
  for (const auto& [file, by_rule] : count_findings(run, baseline_directory, rules).accepted)
    for (const auto& [rule, count] : by_rule) baseline.accepted[file][rule] = count;
}

BaselineOutcome apply_baseline(LintRun& run, const Baseline& baseline, const std::string& baseline_directory) {
  BaselineOutcome outcome;
  for (auto& file : run.files) {
    const std::string key = key_for(file.path, baseline_directory);
    auto accepted = baseline.accepted.find(key);
    if (accepted == baseline.accepted.end()) continue;
    std::map<std::string, std::size_t> found;
    for (const auto& d : file.diagnostics) ++found[d.rule_id];
    std::vector<Diagnostic> kept;
    for (auto& d : file.diagnostics) {
      auto rule = accepted->second.find(d.rule_id);
      if (rule != accepted->second.end() && found[d.rule_id] <= rule->second) {
        ++outcome.accepted;
        file.suppressed.push_back({std::move(d), SuppressedDiagnostic::Kind::External, "accepted by the baseline"});
        continue;
      }
      kept.push_back(std::move(d));
    }
    file.diagnostics = std::move(kept);
    for (const auto& [rule, count] : accepted->second)
      if (found[rule] < count)
        outcome.unused.push_back(key + ": " + rule + " (" + std::to_string(count) + " accepted, " + std::to_string(found[rule]) + " found)");
  }
  return outcome;
}

void prune_baseline(Baseline& baseline, const LintRun& run, const std::string& baseline_directory) {
  const Baseline current = count_findings(run, baseline_directory);
  for (const auto& file : run.files) {
    const std::string key = key_for(file.path, baseline_directory);
    auto entry = baseline.accepted.find(key);
    if (entry == baseline.accepted.end()) continue;
    auto now = current.accepted.find(key);
    for (auto rule = entry->second.begin(); rule != entry->second.end();) {
      std::size_t found = 0;
      if (now != current.accepted.end())
        if (auto n = now->second.find(rule->first); n != now->second.end()) found = n->second;
      rule->second = std::min(rule->second, found);
      rule = rule->second == 0 ? entry->second.erase(rule) : std::next(rule);
    }
    if (entry->second.empty()) baseline.accepted.erase(entry);
  }
  // Entries of files that no longer exist go too.
  for (auto entry = baseline.accepted.begin(); entry != baseline.accepted.end();) {
    std::error_code ec;
    const fs::path file = fs::path(baseline_directory.empty() ? "." : baseline_directory) / entry->first;
    entry = fs::exists(file, ec) ? std::next(entry) : baseline.accepted.erase(entry);
  }
}

}  // namespace asynclint
