// SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rules with their full documentation,
// results with one location each (relative URI under %SRCROOT%), 1-based regions in UTF-16 columns,
// GitHub's own line-hash fingerprint plus one of ours, notifications for files not linted.
// Byte-for-byte deterministic: no timestamps, everything sorted.
#include <algorithm>
#include <fstream>
#include <tuple>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/rule.h"
#include "report/report.h"
#include "report/rule_docs.h"

namespace asynclint {

namespace {

constexpr const char* kInformationUri = "https://github.com/asynclint/asynclint";
constexpr std::size_t kMaxResults = 25000;  // GitHub's limit per run
constexpr std::size_t kMaxFlowSteps = 10000;  // GitHub's limit per code flow

std::string sarif_level(Severity severity) { return severity == Severity::Error ? "error" : "warning"; }

// A relative path as a URI reference: forward slashes, and percent-encoding of what URIs do not allow.
std::string uri_of(const std::string& path) {
  std::string out;
  std::string_view view = path;
  while (view.substr(0, 2) == "./") view.remove_prefix(2);
  for (unsigned char c : view) {
    if (std::isalnum(c) || std::string_view("-._~/!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Our own fingerprint: the rule, the file and the finding's line with white space removed, plus how many
// identical ones came before it in the file. Edits elsewhere in the file do not change it.
std::string own_fingerprint(const std::string& rule, const std::string& path, std::string_view line, std::map<std::string, int>& seen) {
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a 64
  auto mix = [&](std::string_view text) {
    for (unsigned char c : text) {
      if (c == ' ' || c == '\t' || c == '\r') continue;
      hash = (hash ^ c) * 1099511628211ull;
    }
    hash = (hash ^ 0xff) * 1099511628211ull;
  };
  mix(rule);
  mix(path);
  mix(line);
  std::ostringstream key;
  key << std::hex << hash;
  return key.str() + ":" + std::to_string(++seen[key.str()]);
}

nlohmann::ordered_json rule_descriptor(const Rule& rule) {
  const RuleMeta& meta = rule.meta();
  const std::string id(meta.id);
  std::string first_paragraph(meta.description.substr(0, meta.description.find("\n\n")));
  const std::string documentation = rule_documentation(rule);
  const bool correctness = meta.default_severity == Severity::Error;
  nlohmann::ordered_json descriptor;
  descriptor["id"] = id;
  std::string name;
  for (std::size_t i = 0; i < id.size(); ++i) name += (i == 0 || id[i - 1] == '-') ? static_cast<char>(std::toupper(id[i])) : id[i];
  name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
  descriptor["name"] = name;
  descriptor["shortDescription"] = {{"text", std::string(meta.summary)}};
  descriptor["fullDescription"] = {{"text", first_paragraph}};
  descriptor["help"] = {{"text", documentation}, {"markdown", documentation}};
  descriptor["helpUri"] = rule_documentation_url(id);
  descriptor["defaultConfiguration"] = {{"level", sarif_level(meta.default_severity)}};
  descriptor["properties"] = {{"tags", correctness ? nlohmann::ordered_json{"async", "promise", "correctness"}
                                                   : nlohmann::ordered_json{"async", "performance", "reliability"}},
                              {"precision", correctness ? "high" : "medium"},
                              {"problem.severity", correctness ? "error" : "warning"}};
  return descriptor;
}

nlohmann::ordered_json physical_location(const std::string& path, const Diagnostic* d) {
  nlohmann::ordered_json location;
  location["physicalLocation"]["artifactLocation"] = {{"uri", uri_of(path)}, {"uriBaseId", "%SRCROOT%"}};
  if (d) {
    // SARIF regions are 1-based with an exclusive end column, which is how asynclint counts too.
    location["physicalLocation"]["region"] = {{"startLine", d->start.line},
                                              {"startColumn", d->start.column},
                                              {"endLine", d->end.line},
                                              {"endColumn", d->end.column}};
  }
  return location;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::vector<std::string> github_line_hashes(std::string_view utf8) {
  // GitHub's upload action (codeql-action, src/fingerprints.ts): a rolling hash over the next 100
  // non-blank UTF-16 code units from the start of each line, line ends normalised to \n, then an EOF
  // marker (65535) and zero padding; a hash seen before on an earlier line gets ":2", ":3", …
  constexpr int kBlock = 100;
  constexpr std::uint64_t kMod = 37;
  std::uint64_t first_mod = 1;
  for (int i = 0; i < kBlock; ++i) first_mod *= kMod;  // wraps mod 2^64, as Long.multiply does
  std::uint32_t window[kBlock] = {};
  long long line_numbers[kBlock];
  std::fill(std::begin(line_numbers), std::end(line_numbers), -1);
  std::uint64_t hash = 0;
  int index = 0;
  long long line_number = 0;
  bool line_start = true, previous_cr = false;
  std::map<std::string, int> counts;
  std::vector<std::string> hashes{""};  // 1-based
  auto output = [&] {
    std::ostringstream hex;
    hex << std::hex << hash;
    const std::string value = hex.str();
    const int count = ++counts[value];
    if (hashes.size() <= static_cast<std::size_t>(line_numbers[index])) hashes.resize(line_numbers[index] + 1);
    hashes[line_numbers[index]] = value + ":" + std::to_string(count);
    line_numbers[index] = -1;
  };
  auto update = [&](std::uint32_t current) {
    const std::uint32_t begin = window[index];
    window[index] = current;
    hash = kMod * hash + current - first_mod * begin;
    index = (index + 1) % kBlock;
  };
  auto process = [&](std::uint32_t current) {
    if (current == ' ' || current == '\t' || (previous_cr && current == '\n')) {
      previous_cr = false;
      return;
    }
    if (current == '\r') {
      current = '\n';
      previous_cr = true;
    } else {
      previous_cr = false;
    }
    if (line_numbers[index] != -1) output();
    if (line_start) {
      line_start = false;
      line_numbers[index] = ++line_number;
    }
    if (current == '\n') line_start = true;
    update(current);
  };
  // UTF-8 → UTF-16 code units, as the action reads the file (a BOM is a character like any other).
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  while (p < end) {
    std::uint32_t cp = *p;
    int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
    if (extra) cp &= (0x3F >> extra);
    ++p;
    for (int i = 0; i < extra && p < end; ++i, ++p) cp = (cp << 6) | (*p & 0x3F);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      process(0xD800 + (cp >> 10));
      process(0xDC00 + (cp & 0x3FF));
    } else {
      process(cp);
    }
  }
  process(65535);
  for (int i = 0; i < kBlock; ++i) {
    if (line_numbers[index] != -1) output();
    update(0);
  }
  return hashes;
}

void write_sarif(std::ostream& out, const LintRun& run, const SarifOptions& options) {
  const auto& registry = RuleRegistry::rules();
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  std::map<std::string, std::size_t> rule_index;
  for (std::size_t i = 0; i < registry.size(); ++i) {
    rules.push_back(rule_descriptor(*registry[i]));
    rule_index[std::string(registry[i]->meta().id)] = i;
  }

  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  nlohmann::ordered_json notifications = nlohmann::ordered_json::array();
  std::size_t total = 0, dropped = 0, truncated_flows = 0;
  // One explanation as a SARIF code flow, cut at GitHub's limit (counted for the run's notification).
  const auto code_flow = [&truncated_flows](const std::vector<ExplanationStep>& explanation, const std::string& what) {
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    std::size_t order = 0;
    for (const auto& step : explanation) {
      if (order == kMaxFlowSteps) {
        ++truncated_flows;
        break;
      }
      Diagnostic at;
      at.start = at.end = step.start;
      at.end.column = step.start.column + 1;
      nlohmann::ordered_json location = physical_location(step.path, &at);
      location["message"] = {{"text", "[" + std::to_string(step.time_ms) + " ms] " + step.message}};
      steps.push_back({{"location", location}, {"executionOrder", ++order}, {"nestingLevel", step.nesting}});
    }
    return nlohmann::ordered_json{{"message", {{"text", what}}}, {"threadFlows", {{{"locations", steps}}}}};
  };
  for (const auto& file : run.files) {
    if (file.has_syntax_errors) {
      // Where the file first fails to parse; an error with --error-on-syntax, otherwise a warning.
      Diagnostic at;
      std::string text = file.path + ": syntax errors; the code around them was linted, nothing inside them";
      if (const auto& syntax = file.first_syntax_error) {
        at.start = syntax->start;
        at.end = syntax->end.line == syntax->start.line && syntax->end.column <= syntax->start.column
                     ? LineColumn{syntax->start.line, syntax->start.column + 1}  // a missing token has no width
                     : syntax->end;
        text = file.path + ":" + std::to_string(syntax->start.line) + ":" + std::to_string(syntax->start.column) + ": Parsing error: " +
               syntax->message + "; the code around it was linted, nothing inside it";
      }
      notifications.push_back({{"level", run.syntax_errors_fail ? "error" : "warning"},
                               {"message", {{"text", text}}},
                               {"locations", {physical_location(file.path, file.first_syntax_error ? &at : nullptr)}}});
    }
    if (file.diagnostics.empty() && (file.suppressed.empty() || !options.include_suppressed)) continue;
    const std::string text = read_file(file.path);
    const std::vector<std::string> line_hashes = github_line_hashes(text);
    std::map<std::string, int> seen;
    auto result_of = [&](const Diagnostic& d) {
      nlohmann::ordered_json result;
      result["ruleId"] = d.rule_id;
      if (auto found = rule_index.find(d.rule_id); found != rule_index.end()) result["ruleIndex"] = found->second;
      result["level"] = sarif_level(d.severity);
      result["message"] = {{"text", d.message}};
      result["locations"] = {physical_location(file.path, &d)};
      nlohmann::ordered_json fingerprints;
      if (d.start.line < line_hashes.size()) fingerprints["primaryLocationLineHash"] = line_hashes[d.start.line];
      const std::string_view line = file.source && d.start.line - 1 < file.source->line_count() ? file.source->line_text(d.start.line - 1) : "";
      fingerprints["asynclintFingerprint/v1"] = own_fingerprint(d.rule_id, uri_of(file.path), line, seen);
      result["partialFingerprints"] = fingerprints;
      if (!d.related.empty()) {
        nlohmann::ordered_json related = nlohmann::ordered_json::array();
        int id = 1;
        for (const auto& location : d.related) {
          Diagnostic at;
          at.start = at.end = location.start;
          at.end.column = location.start.column + 1;
          nlohmann::ordered_json entry = physical_location(location.path, &at);
          entry["id"] = id++;
          entry["message"] = {{"text", location.message}};
          related.push_back(entry);
        }
        result["relatedLocations"] = related;
      }
      if (!d.explanation.empty()) {
        // Each explanation as a code flow of its own, one thread-flow location per simulated step: the code
        // as written first, then the fixed code when the rule has a fix to show.
        nlohmann::ordered_json flows = nlohmann::ordered_json::array();
        flows.push_back(code_flow(d.explanation, "The code as written, step by step, simulated by asynclint's event-loop model"));
        if (!d.fixed_explanation.empty())
          flows.push_back(code_flow(d.fixed_explanation,
                                    "The same code with the suggested fix, simulated separately (its clock starts again at 0 ms)"));
        result["codeFlows"] = flows;
      }
      return result;
    };
    // Reported and (on request) suppressed findings, in one position order.
    std::vector<std::pair<const Diagnostic*, const SuppressedDiagnostic*>> entries;
    for (const auto& d : file.diagnostics) entries.push_back({&d, nullptr});
    if (options.include_suppressed)
      for (const auto& s : file.suppressed) entries.push_back({&s.diagnostic, &s});
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return std::tie(a.first->start.line, a.first->start.column, a.first->rule_id) <
             std::tie(b.first->start.line, b.first->start.column, b.first->rule_id);
    });
    for (const auto& [d, s] : entries) {
      if (++total > kMaxResults) {
        ++dropped;
        continue;
      }
      nlohmann::ordered_json result = result_of(*d);
      if (s) {
        nlohmann::ordered_json suppression = {{"kind", s->kind == SuppressedDiagnostic::Kind::InSource ? "inSource" : "external"}};
        if (!s->justification.empty()) suppression["justification"] = s->justification;
        result["suppressions"] = {suppression};
      }
      results.push_back(result);
    }
  }
  for (const auto& notice : run.notices)
    notifications.push_back({{"level", "error"},
                             {"message", {{"text", notice.path + ": " + notice.message}}},
                             {"locations", {physical_location(notice.path, nullptr)}}});
  if (truncated_flows)
    notifications.push_back({{"level", "warning"},
                             {"message", {{"text", "GitHub accepts at most 10,000 steps per code flow: " + std::to_string(truncated_flows) +
                                                   " explanations were cut after their first 10,000 steps"}}}});
  if (dropped)
    notifications.push_back({{"level", "warning"},
                             {"message", {{"text", "GitHub accepts at most 25,000 results per run: the first 25,000 (by file, then position) are "
                                                   "included and " + std::to_string(dropped) + " were left out"}}}});

  nlohmann::ordered_json invocation;
  invocation["executionSuccessful"] = true;
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  nlohmann::ordered_json sarif_run;
  sarif_run["tool"]["driver"] = {{"name", "asynclint"},
                                 {"version", ASYNCLINT_VERSION},
                                 {"semanticVersion", ASYNCLINT_VERSION},
                                 {"informationUri", kInformationUri},
                                 {"rules", rules}};
  if (!options.automation_id.empty()) sarif_run["automationDetails"] = {{"id", options.automation_id}};
  sarif_run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", options.source_root_uri}}}};
  sarif_run["columnKind"] = "utf16CodeUnits";
  sarif_run["invocations"] = {invocation};
  sarif_run["results"] = results;

  nlohmann::ordered_json document;
  document["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  document["version"] = "2.1.0";
  document["runs"] = {sarif_run};
  out << document.dump(2) << '\n';
}

}  // namespace asynclint
