#pragma once
// Helpers shared by the C++ tests: lint in-memory sources or folders with the real engine.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/file_walker.h"
#include "engine/linter.h"

namespace asynclint::testing {

inline std::string source_dir() { return ASYNCLINT_SOURCE_DIR; }

// A file's bytes, as they are (empty when it cannot be read).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// `s` as one word for `sh -c`.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Lints in-memory files as one project with the built-in defaults (plus overrides).
inline LintRun lint_sources(const std::vector<InputFile>& files, std::vector<RuleOverride> overrides = {}, unsigned threads = 1) {
  ConfigResolver configs(std::nullopt, std::move(overrides));
  LintOptions options;
  options.threads = threads;
  std::string error;
  LintRun run = lint_files(files, configs, options, error);
  if (!error.empty()) throw std::runtime_error(error);
  return run;
}

// "rule@line" for every finding, in output order: compact, readable in a failed assertion.
inline std::vector<std::string> finding_keys(const LintRun& run) {
  std::vector<std::string> keys;
  for (const auto& file : run.files)
    for (const auto& d : file.diagnostics) keys.push_back(d.rule_id + "@" + std::to_string(d.start.line));
  return keys;
}

}  // namespace asynclint::testing
