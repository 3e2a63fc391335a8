#include "engine/config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/rule.h"

namespace fs = std::filesystem;

namespace asynclint {

namespace {

bool option_value_matches(const RuleOption& option, const nlohmann::json& value) {
  switch (option.type) {
    case RuleOption::Type::Boolean: return value.is_boolean();
    case RuleOption::Type::Integer: return value.is_number_integer() && value.get<long long>() >= 0;
    case RuleOption::Type::StringList:
      if (!value.is_array()) return false;
      for (const auto& item : value)
        if (!item.is_string()) return false;
      return true;
  }
  return false;
}

std::string_view option_type_name(RuleOption::Type type) {
  switch (type) {
    case RuleOption::Type::Boolean: return "a boolean";
    case RuleOption::Type::Integer: return "a non-negative integer";
    case RuleOption::Type::StringList: return "an array of strings";
  }
  return "a value";
}

bool apply_rule_entry(Config& config, const std::string& where, const std::string& id, const nlohmann::json& entry,
                      std::string& error) {
  std::uint16_t index = 0;
  const Rule* rule = RuleRegistry::find(id, &index);
  if (!rule) {
    error = where + ": unknown rule '" + id + "' (asynclint --rules lists them)";
    return false;
  }
  RuleSetting& setting = config.rules[index];
  const nlohmann::json* severity = &entry;
  const nlohmann::json* options = nullptr;
  if (entry.is_array()) {
    if (entry.empty() || entry.size() > 2) {
      error = where + ": rule '" + id + "' takes \"off\" | \"warn\" | \"error\", or [severity, {options}]";
      return false;
    }
    severity = &entry[0];
    if (entry.size() == 2) options = &entry[1];
  }
  // Integers go through long long: get<int>() would wrap 4294967297 into 1, a valid severity.
  std::string severity_text = severity->is_string() ? severity->get<std::string>()
                              : severity->is_number_integer() ? std::to_string(severity->get<long long>()) : std::string("?");
  if (!parse_severity(severity_text, setting.severity)) {
    error = where + ": rule '" + id + "': severity must be \"off\", \"warn\" or \"error\", not " + severity->dump();
    return false;
  }
  if (options) {
    if (!options->is_object()) {
      error = where + ": rule '" + id + "': options must be an object, not " + options->dump();
      return false;
    }
    for (const auto& [name, value] : options->items()) {
      const RuleOption* declared = nullptr;
      for (const auto& option : rule->meta().options)
        if (option.name == name) declared = &option;
      if (!declared) {
        std::string known;
        for (const auto& option : rule->meta().options) known += (known.empty() ? "" : ", ") + std::string(option.name);
        error = where + ": rule '" + id + "' has no option '" + name + "'" +
                (known.empty() ? std::string(" (it takes no options)") : " (options: " + known + ")");
        return false;
      }
      if (!option_value_matches(*declared, value)) {
        error = where + ": rule '" + id + "': option '" + name + "' must be " + std::string(option_type_name(declared->type)) +
                ", not " + value.dump();
        return false;
      }
      setting.options[name] = value;
    }
  }
  return true;
}

}  // namespace

Config default_config() {
  Config config;
  for (const Rule* rule : RuleRegistry::rules()) {
    RuleSetting setting;
    setting.severity = rule->meta().default_severity;
    for (const auto& option : rule->meta().options) setting.options[std::string(option.name)] = option.default_value;
    config.rules.push_back(std::move(setting));
  }
  return config;
}

std::optional<Config> parse_config(const std::string& text, const std::string& path, std::string& error) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for a number like 1e999
    error = path + ": malformed JSON: " + e.what();
    return std::nullopt;
  }
  if (!document.is_object()) {
    error = path + ": the configuration must be a JSON object";
    return std::nullopt;
  }
  Config config = default_config();
  config.path = path;
  config.directory = fs::path(path).parent_path().string();
  for (const auto& [key, value] : document.items()) {
    if (key == "$schema") continue;
    if (key == "rules") {
      if (!value.is_object()) {
        error = path + ": \"rules\" must be an object mapping rule ids to severities";
        return std::nullopt;
      }
      for (const auto& [id, entry] : value.items())
        if (!apply_rule_entry(config, path, id, entry, error)) return std::nullopt;
    } else if (key == "reportUnusedSuppressions") {
      if (!value.is_string() || !parse_severity(value.get<std::string>(), config.unused_suppressions)) {
        error = path + ": \"reportUnusedSuppressions\" must be \"off\", \"warn\" or \"error\"";
        return std::nullopt;
      }
    } else if (key == "ignorePatterns") {
      if (!value.is_array()) {
        error = path + ": \"ignorePatterns\" must be an array of strings";
        return std::nullopt;
      }
      for (const auto& pattern : value) {
        if (!pattern.is_string()) {
          error = path + ": \"ignorePatterns\" must be an array of strings";
          return std::nullopt;
        }
        config.ignore_patterns.push_back(pattern.get<std::string>());
      }
    } else {
      error = path + ": unknown key \"" + key + "\" (expected \"rules\", \"ignorePatterns\", \"reportUnusedSuppressions\")";
      return std::nullopt;
    }
  }
  return config;
}

bool apply_overrides(Config& config, const std::vector<RuleOverride>& overrides, std::string& error) {
  for (const auto& override_ : overrides) {
    std::uint16_t index = 0;
    if (!RuleRegistry::find(override_.rule_id, &index)) {
      error = "--rule: unknown rule '" + override_.rule_id + "' (asynclint --rules lists them)";
      return false;
    }
    config.rules[index].severity = override_.severity;
  }
  return true;
}

nlohmann::json Config::to_json() const {
  nlohmann::json out;
  out["configFile"] = path.empty() ? nlohmann::json(nullptr) : nlohmann::json(path);
  nlohmann::json rule_settings = nlohmann::json::object();
  const auto& registry = RuleRegistry::rules();
  for (std::size_t i = 0; i < registry.size() && i < rules.size(); ++i)
    rule_settings[std::string(registry[i]->meta().id)] = {std::string(severity_name(rules[i].severity)), rules[i].options};
  out["rules"] = rule_settings;
  out["reportUnusedSuppressions"] = std::string(severity_name(unused_suppressions));
  out["ignorePatterns"] = ignore_patterns;
  return out;
}

std::shared_ptr<const Config> ConfigResolver::load(const std::string& config_path, std::string& error) {
  if (auto found = by_file_.find(config_path); found != by_file_.end()) return found->second;
  std::ifstream in(config_path, std::ios::binary);
  if (!in) {
    error = config_path + ": cannot read the configuration file";
    return nullptr;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto config = parse_config(buffer.str(), config_path, error);
  if (!config) return nullptr;
  if (!apply_overrides(*config, overrides_, error)) return nullptr;
  auto shared = std::make_shared<const Config>(std::move(*config));
  by_file_[config_path] = shared;
  return shared;
}

std::shared_ptr<const Config> ConfigResolver::for_file(const std::string& file_path, std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (forced_path_) return load(*forced_path_, error);
  std::error_code ec;
  fs::path directory = fs::absolute(fs::path(file_path), ec).parent_path();
  std::vector<std::string> visited;
  std::shared_ptr<const Config> result;
  for (fs::path dir = directory;; dir = dir.parent_path()) {
    const std::string key = dir.string();
    if (auto found = by_directory_.find(key); found != by_directory_.end()) {
      result = found->second;
      break;
    }
    visited.push_back(key);
    fs::path candidate = dir / "asynclint.json";
    if (fs::is_regular_file(candidate, ec)) {
      result = load(candidate.string(), error);
      if (!result) return nullptr;
      break;
    }
    if (dir == dir.parent_path()) break;
  }
  if (!result) {
    Config defaults = default_config();
    if (!apply_overrides(defaults, overrides_, error)) return nullptr;
    result = std::make_shared<const Config>(std::move(defaults));
  }
  for (const auto& key : visited) by_directory_[key] = result;
  return result;
}

}  // namespace asynclint
