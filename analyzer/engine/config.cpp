#include "engine/config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/ignore_rules.h"
#include "engine/rule.h"
#include "project/jsonc.h"
#include "project/project_index.h"

namespace fs = std::filesystem;

namespace asynclint {

namespace {

// Levenshtein distance, for "did you mean" (a handful of short candidates: no need for anything faster).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The closest candidate when it is close enough to be a typo of `word`.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3)) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace

std::string unknown_rule_message(std::string_view id) {
  std::vector<std::string> ids;
  for (const Rule* rule : RuleRegistry::rules()) ids.emplace_back(rule->meta().id);
  if (auto suggestion = closest(id, ids)) return "unknown rule '" + std::string(id) + "': did you mean '" + *suggestion + "'?";
  return "unknown rule '" + std::string(id) + "' (asynclint --rules lists them)";
}

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
    error = where + ": " + unknown_rule_message(id);
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

// The rule whose severity says how suppression comments that suppress nothing are reported: the one the
// engine reports itself (rules/unused-suppression.cpp). Config::unused_suppressions mirrors its severity.
std::optional<std::size_t> engine_reported_rule_index() {
  const auto& rules = RuleRegistry::rules();
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i]->meta().reported_by_engine) return i;
  return std::nullopt;
}

void mirror_unused_suppressions(Config& config) {
  if (auto index = engine_reported_rule_index(); index && *index < config.rules.size())
    config.unused_suppressions = config.rules[*index].severity;
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
  mirror_unused_suppressions(config);
  return config;
}

namespace {

// "path:line:column: what is wrong" for the parser's error, instead of the library's own wording.
std::string syntax_error_message(const std::string& path, const std::string& text, const nlohmann::json::parse_error& e) {
  const std::string what = e.what();
  const auto has = [&](const char* part) { return what.find(part) != std::string::npos; };
  std::string message;
  if (has("invalid comment")) message = "unterminated /* comment";
  else if (has("missing closing quote")) message = "unterminated string";
  else if (has("control character")) message = "a control character (such as a tab or line break) inside a string must be escaped";
  else if (has("invalid string")) message = "invalid string (check its \\ escapes)";
  else if (has("while parsing object key")) message = "expected a property name";
  else if (has("while parsing object separator")) message = "expected ':' after the property name";
  else if (has("while parsing object") && has("end of input")) message = "unexpected end of file: expected ',' or '}'";
  else if (has("while parsing object")) message = "expected ',' or '}'";
  else if (has("while parsing array") && has("end of input")) message = "unexpected end of file: expected ',' or ']'";
  else if (has("while parsing array")) message = "expected ',' or ']'";
  else if (has("; expected end of input")) message = "unexpected text after the end of the configuration";
  else if (has("invalid literal") || has("invalid number")) message = "expected a value (strings take double quotes; true, false and null are lower case)";
  else if (has("end of input")) message = text.find_first_not_of(" \t\r\n") == std::string::npos ? "the file is empty: expected a JSON object" : "unexpected end of file: expected a value";
  else message = "expected a value";
  // Where the offending token starts. The parser reports the last character it read (e.byte, 1-based):
  // the end of a string token, the character after a bad literal's start, or the end of the text.
  std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
  const auto opening_quote_before = [&](std::size_t end) {  // the '"' that opens the string ending before `end`
    for (std::size_t i = end; i-- > 0;) {
      if (text[i] != '"') continue;
      std::size_t backslashes = 0;
      while (i > backslashes && text[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return end;
  };
  const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-' || c == '_'; };
  if (has("missing closing quote")) {
    at = opening_quote_before(at);
  } else if (at < text.size() && text[at] == '"') {
    at = opening_quote_before(at);
  } else if (has("invalid literal") || has("invalid number")) {
    while (at > 0 && is_word(text[at - 1])) --at;
  }
  // The column counts characters (UTF-8 sequences), not bytes.
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

constexpr std::size_t kMaxExtendsDepth = 32;
constexpr std::size_t kMaxConfigBytes = 1024 * 1024;  // an asynclint.json is a few hundred bytes

std::string engine_reported_rule_id() {
  for (const Rule* rule : RuleRegistry::rules())
    if (rule->meta().reported_by_engine) return std::string(rule->meta().id);
  return "";
}

// `chain`: the files being read, outermost first, to report a cycle of `extends` rather than loop.
std::optional<ConfigSource> parse_source(const std::string& text, const std::string& path, std::vector<std::string>& chain,
                                         std::string& error) {
  nlohmann::json document;
  const std::string jsonc = without_trailing_commas(text);
  try {
    document = nlohmann::json::parse(jsonc, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    error = syntax_error_message(path, jsonc, e);
    return std::nullopt;
  } catch (const nlohmann::json::exception& e) {  // out_of_range for a number like 1e999
    // The library says "number overflow parsing '1e999'": keep the number, not the wording.
    const std::string what = e.what();
    const std::size_t quote = what.find('\'');
    error = path + ": a number is too large" + (quote == std::string::npos ? std::string() : ": " + what.substr(quote));
    return std::nullopt;
  }
  if (!document.is_object()) {
    error = path + ": the configuration must be a JSON object";
    return std::nullopt;
  }
  ConfigSource source;
  source.path = path;
  source.directory = fs::path(path).parent_path().string();
  source.files_read.push_back(path);
  Config scratch = default_config();  // every layer is checked here, whether or not a file ever matches it
  const auto check_layer = [&](const RuleLayer& layer) {
    for (const auto& [id, entry] : layer.rules.items())
      if (!apply_rule_entry(scratch, layer.where, id, entry, error)) return false;
    return true;
  };
  static const std::vector<std::string> kKeys = {"$schema", "extends", "rules", "overrides", "ignorePatterns", "reportUnusedSuppressions", "runtime"};
  // "runtime": where the code runs, for what findings say happens to an unhandled rejection.
  const auto read_runtime = [&error](const std::string& where, const nlohmann::json& value, std::optional<std::string>& out) {
    if (!value.is_string() || (value != "auto" && value != "node" && value != "browser")) {
      error = where + ": \"runtime\" must be \"auto\", \"node\" or \"browser\"";
      return false;
    }
    out = value.get<std::string>();
    return true;
  };
  RuleLayer own{path, nlohmann::json::object(), "", {}};
  std::vector<RuleLayer> overrides;
  for (const auto& [key, value] : document.items()) {
    if (key == "$schema") continue;
    if (key == "runtime") {
      if (!read_runtime(path, value, own.runtime)) return std::nullopt;
    } else if (key == "rules") {
      if (!value.is_object()) {
        error = path + ": \"rules\" must be an object mapping rule ids to severities";
        return std::nullopt;
      }
      for (const auto& [id, entry] : value.items()) own.rules[id] = entry;
    } else if (key == "reportUnusedSuppressions") {
      // The older spelling of "rules": {"unused-suppression": …}; a "rules" entry, read after it, wins.
      Severity severity{};
      if (!value.is_string() || !parse_severity(value.get<std::string>(), severity)) {
        error = path + ": \"reportUnusedSuppressions\" must be \"off\", \"warn\" or \"error\"";
        return std::nullopt;
      }
      const std::string id = engine_reported_rule_id();
      if (!id.empty() && !own.rules.contains(id)) own.rules[id] = value;
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
        source.ignore_patterns.push_back(pattern.get<std::string>());
      }
    } else if (key == "extends") {
      std::vector<std::string> targets;
      if (value.is_string()) targets.push_back(value.get<std::string>());
      else if (value.is_array() && std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); }))
        for (const auto& target : value) targets.push_back(target.get<std::string>());
      else {
        error = path + ": \"extends\" must be a path to another asynclint.json, or an array of them";
        return std::nullopt;
      }
      for (const auto& target : targets) {
        std::error_code ec;
        const fs::path resolved = (fs::path(source.directory) / target).lexically_normal();
        const std::string canonical = fs::weakly_canonical(resolved, ec).string();
        if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
          std::string cycle;
          for (auto it = std::find(chain.begin(), chain.end(), canonical); it != chain.end(); ++it) cycle += *it + " → ";
          error = path + ": \"extends\": " + target + " leads back to itself (" + cycle + canonical + ")";
          return std::nullopt;
        }
        if (chain.size() >= kMaxExtendsDepth) {
          error = path + ": \"extends\": more than " + std::to_string(kMaxExtendsDepth) + " files deep";
          return std::nullopt;
        }
        if (!fs::is_regular_file(resolved, ec) || fs::file_size(resolved, ec) > kMaxConfigBytes) {
          error = path + ": \"extends\": cannot read " + target + " (" + resolved.string() + " is not a readable configuration file)";
          return std::nullopt;
        }
        // At most kMaxConfigBytes, whatever the size says (files under /proc say 0).
        std::ifstream in(resolved, std::ios::binary);
        std::string base_text(kMaxConfigBytes + 1, '\0');
        in.read(base_text.data(), static_cast<std::streamsize>(base_text.size()));
        base_text.resize(static_cast<std::size_t>(in.gcount()));
        if (in.bad() || base_text.size() > kMaxConfigBytes) {
          error = path + ": \"extends\": cannot read " + resolved.string();
          return std::nullopt;
        }
        chain.push_back(canonical);
        auto base = parse_source(base_text, resolved.string(), chain, error);
        chain.pop_back();
        if (!base) return std::nullopt;
        for (auto& layer : base->layers) source.layers.push_back(std::move(layer));
        for (auto& file : base->files_read) source.files_read.push_back(std::move(file));
      }
    } else if (key == "overrides") {
      if (!value.is_array()) {
        error = path + ": \"overrides\" must be an array of { \"files\": [globs], \"rules\": {…} }";
        return std::nullopt;
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& entry = value[i];
        const std::string where = path + ": overrides[" + std::to_string(i) + "]";
        if (!entry.is_object()) {
          error = where + ": must be an object { \"files\": [globs], \"rules\": {…} }";
          return std::nullopt;
        }
        RuleLayer layer{where, nlohmann::json::object(), source.directory, {}};
        for (const auto& [override_key, override_value] : entry.items()) {
          if (override_key == "files") {
            if (override_value.is_string()) layer.file_globs.push_back(override_value.get<std::string>());
            else if (override_value.is_array())
              for (const auto& glob : override_value) {
                if (!glob.is_string()) break;
                layer.file_globs.push_back(glob.get<std::string>());
              }
            if (layer.file_globs.empty() || (override_value.is_array() && layer.file_globs.size() != override_value.size())) {
              error = where + ": \"files\" must be a non-empty array of glob strings (relative to " + source.directory + ")";
              return std::nullopt;
            }
          } else if (override_key == "rules") {
            if (!override_value.is_object()) {
              error = where + ": \"rules\" must be an object mapping rule ids to severities";
              return std::nullopt;
            }
            layer.rules = override_value;
          } else if (override_key == "runtime") {
            if (!read_runtime(where, override_value, layer.runtime)) return std::nullopt;
          } else {
            error = where + ": unknown key \"" + override_key + "\" (expected \"files\", \"rules\", \"runtime\")";
            return std::nullopt;
          }
        }
        if (layer.file_globs.empty()) {
          error = where + ": \"files\" is missing: an override applies to the files its globs match";
          return std::nullopt;
        }
        overrides.push_back(std::move(layer));
      }
    } else {
      std::string expected;
      for (std::size_t i = 1; i < kKeys.size(); ++i) expected += (i > 1 ? ", \"" : "\"") + kKeys[i] + "\"";
      auto suggestion = closest(key, kKeys);
      error = path + ": unknown key \"" + key + "\"" + (suggestion ? ": did you mean \"" + *suggestion + "\"?" : "") + " (expected " + expected + ")";
      return std::nullopt;
    }
  }
  for (const auto& layer : source.layers)
    if (!check_layer(layer)) return std::nullopt;
  if (!check_layer(own)) return std::nullopt;
  for (const auto& layer : overrides)
    if (!check_layer(layer)) return std::nullopt;
  source.layers.push_back(std::move(own));
  for (auto& layer : overrides) source.layers.push_back(std::move(layer));
  return source;
}

// Whether an override's globs match a file: gitignore syntax relative to the folder that declares them
// (a glob without '/' matches the name at any depth, "tests/" everything below tests/, "!" excludes).
bool layer_matches(const RuleLayer& layer, const std::string& absolute_file) {
  if (layer.file_globs.empty()) return true;
  IgnoreRules rules;
  std::string text;
  for (std::string glob : layer.file_globs) {
    if (glob.rfind("./", 0) == 0) glob.erase(0, 2);
    text += glob + "\n";
  }
  rules.add_file(normalize_path(layer.base_directory).substr(1), text);
  return rules.is_ignored_or_inside_ignored_directory(absolute_file.substr(1), false);
}

Config config_with_layers(const ConfigSource& source, const std::vector<bool>& applies) {
  Config config = default_config();
  config.path = source.path;
  config.directory = source.directory;
  config.ignore_patterns = source.ignore_patterns;
  std::string ignored_error;  // every layer was checked when the file was read
  for (std::size_t i = 0; i < source.layers.size(); ++i) {
    if (!applies[i]) continue;
    if (const auto& runtime = source.layers[i].runtime)
      config.runtime = *runtime == "node"      ? std::optional(FileRuntime::Kind::Node)
                       : *runtime == "browser" ? std::optional(FileRuntime::Kind::Browser)
                                               : std::nullopt;
    for (const auto& [id, entry] : source.layers[i].rules.items()) apply_rule_entry(config, source.layers[i].where, id, entry, ignored_error);
  }
  mirror_unused_suppressions(config);
  return config;
}

std::vector<bool> layers_for(const ConfigSource& source, const std::optional<std::string>& file_path) {
  std::vector<bool> applies;
  const std::string absolute = file_path ? normalize_path(*file_path) : "";
  for (const auto& layer : source.layers) applies.push_back(layer.file_globs.empty() || (file_path && layer_matches(layer, absolute)));
  return applies;
}

}  // namespace

std::optional<ConfigSource> parse_config_source(const std::string& text, const std::string& path, std::string& error) {
  std::error_code ec;
  std::vector<std::string> chain{fs::weakly_canonical(fs::path(path), ec).string()};
  return parse_source(text, path, chain, error);
}

Config config_for_file(const ConfigSource& source, const std::optional<std::string>& file_path) {
  return config_with_layers(source, layers_for(source, file_path));
}

std::optional<Config> parse_config(const std::string& text, const std::string& path, std::string& error) {
  auto source = parse_config_source(text, path, error);
  if (!source) return std::nullopt;
  return config_for_file(*source, std::nullopt);
}

bool apply_overrides(Config& config, const std::vector<RuleOverride>& overrides, std::string& error) {
  for (const auto& override_ : overrides) {
    std::uint16_t index = 0;
    if (!RuleRegistry::find(override_.rule_id, &index)) {
      error = "--rule: " + unknown_rule_message(override_.rule_id);
      return false;
    }
    config.rules[index].severity = override_.severity;
  }
  mirror_unused_suppressions(config);
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
  out["runtime"] = !runtime ? "auto" : *runtime == FileRuntime::Kind::Node ? "node" : "browser";
  return out;
}

std::shared_ptr<const ConfigSource> ConfigResolver::load(const std::string& config_path, std::string& error) {
  if (auto found = by_file_.find(config_path); found != by_file_.end()) return found->second;
  std::ifstream in(config_path, std::ios::binary);
  if (!in) {
    error = config_path + ": cannot read the configuration file";
    return nullptr;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto source = parse_config_source(buffer.str(), config_path, error);
  if (!source) return nullptr;
  auto shared = std::make_shared<const ConfigSource>(std::move(*source));
  by_file_[config_path] = shared;
  return shared;
}

std::shared_ptr<const Config> ConfigResolver::resolve(const std::shared_ptr<const ConfigSource>& source, const std::string& file_path,
                                                      std::string& error) {
  std::vector<bool> applies = layers_for(*source, file_path);
  auto key = std::make_pair(source.get(), applies);
  if (auto found = resolved_.find(key); found != resolved_.end()) return found->second;
  Config config = config_with_layers(*source, applies);
  if (!apply_overrides(config, overrides_, error)) return nullptr;
  auto shared = std::make_shared<const Config>(std::move(config));
  resolved_.emplace(std::move(key), shared);
  return shared;
}

std::vector<std::string> ConfigResolver::files_read() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> files;
  for (const auto& [path, source] : by_file_) files.insert(files.end(), source->files_read.begin(), source->files_read.end());
  return files;
}

std::shared_ptr<const Config> ConfigResolver::for_file(const std::string& file_path, std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (forced_path_) {
    auto source = load(*forced_path_, error);
    return source ? resolve(source, file_path, error) : nullptr;
  }
  std::error_code ec;
  fs::path directory = fs::absolute(fs::path(file_path), ec).parent_path();
  std::vector<std::string> visited;
  std::shared_ptr<const ConfigSource> result;
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
  if (!result) result = defaults_;
  for (const auto& key : visited) by_directory_[key] = result;
  return resolve(result, file_path, error);
}

}  // namespace asynclint
