#pragma once
// asynclint.json: rule severities and options. The nearest file found by walking up from a linted
// file's folder applies to it (as oxlint's nested configs do: the nearest one wins, no merging), unless
// --config names one file for all; command-line --rule settings go on top.
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/diagnostic.h"

namespace asynclint {

struct RuleSetting {
  Severity severity = Severity::Off;
  nlohmann::json options = nlohmann::json::object();  // every declared option, defaults filled in
};

struct Config {
  std::string path;                 // the asynclint.json it came from; empty for the built-in defaults
  std::string directory;            // its folder: ignorePatterns are relative to it
  std::vector<RuleSetting> rules;   // by rule index (RuleRegistry order)
  Severity unused_suppressions = Severity::Warn;
  std::vector<std::string> ignore_patterns;

  nlohmann::json to_json() const;  // what --print-config shows
};

struct RuleOverride {
  std::string rule_id;
  Severity severity;
};

// Built-in defaults: each rule at its default severity and default options.
Config default_config();
// Parses asynclint.json text (comments allowed). On error returns nullopt and sets `error` to a message
// naming the file, the key and what is wrong.
std::optional<Config> parse_config(const std::string& text, const std::string& path, std::string& error);
// Applies --rule ID=SEV settings; false with `error` set for an unknown rule.
bool apply_overrides(Config& config, const std::vector<RuleOverride>& overrides, std::string& error);

class ConfigResolver {
 public:
  ConfigResolver(std::optional<std::string> forced_path, std::vector<RuleOverride> overrides)
      : forced_path_(std::move(forced_path)), overrides_(std::move(overrides)) {}
  // The configuration for a file; nullptr with `error` set when a config file is malformed.
  std::shared_ptr<const Config> for_file(const std::string& file_path, std::string& error);

 private:
  std::shared_ptr<const Config> load(const std::string& config_path, std::string& error);
  std::optional<std::string> forced_path_;
  std::vector<RuleOverride> overrides_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Config>> by_directory_;
  std::map<std::string, std::shared_ptr<const Config>> by_file_;
};

}  // namespace asynclint
