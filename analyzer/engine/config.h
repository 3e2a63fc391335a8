#pragma once
// asynclint.json: rule severities and options. The nearest file found by walking up from a linted
// file's folder applies to it (as oxlint's nested configs do: the nearest one wins, and only what it
// `extends` is merged in), unless --config names one file for all; command-line --rule settings go on top.
//
// Merge order, later wins: each file named in `extends` (in order, each with its own extends and overrides
// merged the same way), then the file's own "rules" ("reportUnusedSuppressions" first), then each of its
// `overrides` whose `files` globs match the linted file (relative to the folder of the file that declares
// them), then --rule. ignorePatterns are not inherited: each file's own, relative to its folder.
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.h"
#include "semantic/runtime.h"

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
  // Where the file's code runs, when the configuration says ("node", "browser"); nullopt ("auto") leaves it
  // to the evidence in the file (semantic/runtime.h).
  std::optional<FileRuntime::Kind> runtime;

  nlohmann::json to_json() const;  // what --print-config shows
};

struct RuleOverride {
  std::string rule_id;
  Severity severity;
};

// One set of rule entries ("rules" of a file, or of one of its overrides), validated when read.
struct RuleLayer {
  std::string where;          // for messages: "/p/asynclint.json" or "/p/asynclint.json: overrides[1]"
  nlohmann::json rules;       // rule id → entry, as written
  std::string base_directory;           // overrides: the folder their globs are relative to
  std::vector<std::string> file_globs;  // overrides: gitignore-style globs; empty for a file's own rules
  std::optional<std::string> runtime;   // "auto", "node" or "browser", when the layer sets it
};

// An asynclint.json as written, with its `extends` chain flattened into layers in merge order.
struct ConfigSource {
  std::string path;
  std::string directory;
  std::vector<std::string> ignore_patterns;
  std::vector<RuleLayer> layers;
  std::vector<std::string> files_read;  // this file and every file it extends (an editor watches them)
};

// Built-in defaults: each rule at its default severity and default options.
Config default_config();
// Parses asynclint.json text (JSON with comments and trailing commas), reading the files it extends. On
// error returns nullopt and sets `error` to a message naming the file (with line and column for a syntax
// error), the key and what is wrong.
std::optional<ConfigSource> parse_config_source(const std::string& text, const std::string& path, std::string& error);
// The configuration a source gives `file_path` (absolute or relative to the current directory): its
// overrides applied where their globs match. Without a path, only the layers that apply to every file.
Config config_for_file(const ConfigSource& source, const std::optional<std::string>& file_path);
// parse_config_source, then the layers that apply to every file.
std::optional<Config> parse_config(const std::string& text, const std::string& path, std::string& error);
// "unknown rule 'floating-promises': did you mean 'floating-promise'?" (or where to find the list).
std::string unknown_rule_message(std::string_view id);
// Applies --rule ID=SEV settings; false with `error` set for an unknown rule.
bool apply_overrides(Config& config, const std::vector<RuleOverride>& overrides, std::string& error);

class ConfigResolver {
 public:
  ConfigResolver(std::optional<std::string> forced_path, std::vector<RuleOverride> overrides)
      : forced_path_(std::move(forced_path)), overrides_(std::move(overrides)) {}
  // The configuration for a file; nullptr with `error` set when a config file is malformed.
  // Files that the same overrides match share one Config object.
  std::shared_ptr<const Config> for_file(const std::string& file_path, std::string& error);
  // Every configuration file read so far, those reached through `extends` included (an editor watches them).
  std::vector<std::string> files_read();

 private:
  std::shared_ptr<const ConfigSource> load(const std::string& config_path, std::string& error);
  std::shared_ptr<const Config> resolve(const std::shared_ptr<const ConfigSource>& source, const std::string& file_path,
                                        std::string& error);
  std::optional<std::string> forced_path_;
  std::vector<RuleOverride> overrides_;
  std::mutex mutex_;
  std::shared_ptr<const ConfigSource> defaults_ = std::make_shared<const ConfigSource>();
  std::map<std::string, std::shared_ptr<const ConfigSource>> by_directory_;
  std::map<std::string, std::shared_ptr<const ConfigSource>> by_file_;
  // (source, which of its layers apply) → the configuration
  std::map<std::pair<const ConfigSource*, std::vector<bool>>, std::shared_ptr<const Config>> resolved_;
};

}  // namespace asynclint
