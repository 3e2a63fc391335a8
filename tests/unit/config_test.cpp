// Unit tests of asynclint.json: parsing, validation messages, defaults, --rule overrides and the
// nearest-file resolver.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "engine/config.h"
#include "engine/rule.h"

namespace fs = std::filesystem;
using namespace asynclint;

namespace {

std::uint16_t rule_index(std::string_view id) {
  std::uint16_t index = 0;
  REQUIRE(RuleRegistry::find(id, &index) != nullptr);
  return index;
}

std::string severity_of(const Config& config, std::string_view id) {
  return std::string(severity_name(config.rules.at(rule_index(id)).severity));
}

const char* kPath = "/project/asynclint.json";

// parse_config that must fail; returns the error message.
std::string error_of(const std::string& text) {
  std::string error;
  auto config = parse_config(text, kPath, error);
  CHECK_FALSE(config.has_value());
  CHECK_FALSE(error.empty());
  return error;
}

Config parsed(const std::string& text) {
  std::string error;
  auto config = parse_config(text, kPath, error);
  INFO(error);
  REQUIRE(config.has_value());
  return *config;
}

// A fresh directory under the system temp dir, removed at the end of the test.
class TempTree {
 public:
  TempTree() {
    static std::atomic<int> counter{0};
    root_ = fs::temp_directory_path() / ("asynclint-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const fs::path& root() const { return root_; }
  fs::path write(const std::string& relative, const std::string& text) const {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return path;
  }

 private:
  fs::path root_;
};

}  // namespace

TEST_CASE("default_config: every rule at its default severity with default options", "[config]") {
  const Config config = default_config();
  const auto& rules = RuleRegistry::rules();
  REQUIRE(rules.size() >= 3);
  REQUIRE(config.rules.size() == rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    INFO(rules[i]->meta().id);
    CHECK(config.rules[i].severity == rules[i]->meta().default_severity);
    CHECK(config.rules[i].options.size() == rules[i]->meta().options.size());
    for (const auto& option : rules[i]->meta().options) {
      INFO(option.name);
      REQUIRE(config.rules[i].options.contains(std::string(option.name)));
      CHECK(config.rules[i].options.at(std::string(option.name)) == option.default_value);
    }
  }
  CHECK(severity_of(config, "floating-promise") == "error");
  CHECK(severity_of(config, "missing-catch") == "error");
  CHECK(severity_of(config, "async-foreach") == "error");
  const nlohmann::json expected_options = {{"ignoreVoid", true},
                                           {"ignoreIIFE", false},
                                           {"allowForKnownSafeCalls", nlohmann::json::array()},
                                           {"reportNonRejecting", false},
                                           {"reportUnprovenRejections", false}};
  CHECK(config.rules[rule_index("floating-promise")].options == expected_options);
  CHECK(config.rules[rule_index("missing-catch")].options == nlohmann::json{{"reportUnprovenRejections", false}});
  CHECK(config.unused_suppressions == Severity::Warn);
  CHECK(config.path.empty());
  CHECK(config.ignore_patterns.empty());
}

TEST_CASE("parse_config accepts comments, severities by name and number, and the array form", "[config]") {
  SECTION("comments and severity names") {
    const Config config = parsed(R"({
      // line comment
      "$schema": "https://example.invalid/asynclint.schema.json",
      "rules": {
        "floating-promise": "off", /* block comment */
        "missing-catch": "warn",
        "async-foreach": "error"
      }
    })");
    CHECK(severity_of(config, "floating-promise") == "off");
    CHECK(severity_of(config, "missing-catch") == "warn");
    CHECK(severity_of(config, "async-foreach") == "error");
    CHECK(config.path == kPath);
    CHECK(config.directory == "/project");
  }
  SECTION("severities 0, 1, 2") {
    const Config config = parsed(R"({"rules": {"floating-promise": 0, "missing-catch": 1, "async-foreach": 2}})");
    CHECK(severity_of(config, "floating-promise") == "off");
    CHECK(severity_of(config, "missing-catch") == "warn");
    CHECK(severity_of(config, "async-foreach") == "error");
  }
  SECTION("unlisted rules keep their defaults") {
    const Config config = parsed(R"({"rules": {"missing-catch": "off"}})");
    CHECK(severity_of(config, "missing-catch") == "off");
    CHECK(severity_of(config, "floating-promise") == "error");
    CHECK(severity_of(config, "async-foreach") == "error");
    CHECK(config.unused_suppressions == Severity::Warn);
  }
  SECTION("array form with options; missing options keep their defaults") {
    const Config config = parsed(
        R"({"rules": {"floating-promise": ["warn", {"ignoreVoid": false, "allowForKnownSafeCalls": ["logEvent", "metrics.flush"]}],
                      "missing-catch": ["off"]}})");
    const RuleSetting& setting = config.rules[rule_index("floating-promise")];
    CHECK(setting.severity == Severity::Warn);
    CHECK(setting.options.at("ignoreVoid") == false);
    CHECK(setting.options.at("ignoreIIFE") == false);
    CHECK(setting.options.at("allowForKnownSafeCalls") == nlohmann::json::array({"logEvent", "metrics.flush"}));
    CHECK(severity_of(config, "missing-catch") == "off");
  }
  SECTION("array form with a numeric severity") {
    const Config config = parsed(R"({"rules": {"floating-promise": [1, {"ignoreIIFE": true}]}})");
    CHECK(severity_of(config, "floating-promise") == "warn");
    CHECK(config.rules[rule_index("floating-promise")].options.at("ignoreIIFE") == true);
  }
  SECTION("reportUnusedSuppressions and ignorePatterns") {
    const Config config = parsed(R"({"reportUnusedSuppressions": "error", "ignorePatterns": ["dist/**", "*.min.js"]})");
    CHECK(config.unused_suppressions == Severity::Error);
    CHECK(config.ignore_patterns == std::vector<std::string>{"dist/**", "*.min.js"});
    CHECK(parsed(R"({"reportUnusedSuppressions": "off"})").unused_suppressions == Severity::Off);
  }
  SECTION("an empty object is the defaults") {
    const Config config = parsed("{}");
    CHECK(config.rules.size() == default_config().rules.size());
    CHECK(severity_of(config, "floating-promise") == "error");
  }
}

TEST_CASE("parse_config rejects bad input with a message naming the problem", "[config]") {
  SECTION("malformed JSON: the file, line and column, and what was expected, in words") {
    CHECK(error_of("{\n  \"rules\": {\n    \"floating-promise\": \"off\",\n    ,\n  }\n}") ==
          std::string(kPath) + ":4:5: expected a property name");
    CHECK(error_of("{\n  \"rules\": {\n    \"floating-promise\" \"off\"\n  }\n}") ==
          std::string(kPath) + ":3:24: expected ':' after the property name");
    CHECK(error_of("{ \"rules\": { \"a\": 1 \"b\": 2 } }") == std::string(kPath) + ":1:21: expected ',' or '}'");
    CHECK(error_of("{ \"ignorePatterns\": [\"a\" \"b\"] }") == std::string(kPath) + ":1:26: expected ',' or ']'");
    CHECK(error_of("{ \"rules\": { 'floating-promise': \"off\" } }") == std::string(kPath) + ":1:14: expected a property name");
    CHECK_THAT(error_of("{ \"rules\": { \"floating-promise\": off } }"), Catch::EndsWith(":1:34: expected a value (strings take double quotes; true, false and null are lower case)"));
    CHECK(error_of("") == std::string(kPath) + ":1:1: the file is empty: expected a JSON object");
    CHECK(error_of("{\"rules\": ") == std::string(kPath) + ":1:11: unexpected end of file: expected a value");
    CHECK(error_of("{ /* open") == std::string(kPath) + ":1:10: unterminated /* comment");
    CHECK(error_of("{ \"rules\": \"x") == std::string(kPath) + ":1:12: unterminated string");
    CHECK(error_of("{} {}") == std::string(kPath) + ":1:4: unexpected text after the end of the configuration");
    // Columns count characters, not bytes.
    CHECK(error_of("{ \"é\" 1 }") == std::string(kPath) + ":1:7: expected ':' after the property name");
    CHECK_THAT(error_of("{ \"rules\": {}, \"x\": 1e999 }"), Catch::Contains("a number is too large"));
    // The library's own wording never reaches the user.
    CHECK_THAT(error_of("{,}"), !Catch::Contains("json.exception"));
  }
  SECTION("JSON with comments and trailing commas (as VS Code's JSONC)") {
    const Config config = parsed("{\n  // line\n  \"rules\": { \"floating-promise\": \"off\", /* block, with a comma */ },\n"
                                 "  \"ignorePatterns\": [\"a,\", \"]b\",],\n}\n");
    CHECK(severity_of(config, "floating-promise") == "off");
    CHECK(config.ignore_patterns == std::vector<std::string>{"a,", "]b"});
    // Only a comma after a value is a trailing comma: these stay errors.
    CHECK_THAT(error_of("{,}"), Catch::Contains("expected a property name"));
    CHECK_THAT(error_of("{ \"ignorePatterns\": [,] }"), Catch::Contains("expected a value"));
    CHECK_THAT(error_of("{ \"ignorePatterns\": [\"a\",,] }"), Catch::Contains("expected a value"));
  }
  SECTION("a misspelt rule or key gets a suggestion") {
    CHECK_THAT(error_of(R"({"rules": {"floating-promises": "error"}})"),
               Catch::EndsWith("unknown rule 'floating-promises': did you mean 'floating-promise'?"));
    CHECK_THAT(error_of(R"({"rules": {"sequentialawait": "error"}})"), Catch::EndsWith("did you mean 'sequential-await'?"));
    CHECK_THAT(error_of(R"({"rules": {"no-console": "error"}})"), Catch::EndsWith("unknown rule 'no-console' (asynclint --rules lists them)"));
    CHECK_THAT(error_of(R"({"rule": {}})"), Catch::Contains("unknown key \"rule\": did you mean \"rules\"?"));
    CHECK_THAT(error_of(R"({"override": []})"), Catch::Contains("did you mean \"overrides\"?"));
  }
  SECTION("not an object") {
    CHECK_THAT(error_of("[]"), Catch::Contains("must be a JSON object"));
    CHECK_THAT(error_of("\"rules\""), Catch::Contains("must be a JSON object"));
  }
  SECTION("unknown top-level key") {
    const std::string error = error_of(R"({"rulez": {}})");
    CHECK_THAT(error, Catch::Contains(kPath));
    CHECK_THAT(error, Catch::Contains("unknown key \"rulez\""));
  }
  SECTION("rules is not an object") {
    CHECK_THAT(error_of(R"({"rules": ["floating-promise"]})"), Catch::Contains("\"rules\" must be an object"));
  }
  SECTION("unknown rule") {
    const std::string error = error_of(R"({"rules": {"no-such-rule": "error"}})");
    CHECK_THAT(error, Catch::Contains(kPath));
    CHECK_THAT(error, Catch::Contains("unknown rule 'no-such-rule'"));
  }
  SECTION("unknown option") {
    const std::string error = error_of(R"({"rules": {"floating-promise": ["warn", {"bogus": true}]}})");
    CHECK_THAT(error, Catch::Contains("rule 'floating-promise' has no option 'bogus'"));
    CHECK_THAT(error, Catch::Contains("ignoreVoid"));
    CHECK_THAT(error_of(R"({"rules": {"sequential-await": ["warn", {"x": 1}]}})"),
               Catch::Contains("rule 'sequential-await' has no option 'x' (it takes no options)"));
  }
  SECTION("wrong option type") {
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": ["warn", {"ignoreVoid": "yes"}]}})"),
               Catch::Contains("option 'ignoreVoid' must be a boolean, not \"yes\""));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": ["warn", {"allowForKnownSafeCalls": [1]}]}})"),
               Catch::Contains("option 'allowForKnownSafeCalls' must be an array of strings"));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": ["warn", {"allowForKnownSafeCalls": "logEvent"}]}})"),
               Catch::Contains("option 'allowForKnownSafeCalls' must be an array of strings"));
  }
  SECTION("options that are not an object, arrays of the wrong length") {
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": ["warn", true]}})"), Catch::Contains("options must be an object"));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": []}})"), Catch::Contains("rule 'floating-promise' takes"));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": ["warn", {}, {}]}})"), Catch::Contains("rule 'floating-promise' takes"));
  }
  SECTION("bad severity") {
    const std::string error = error_of(R"({"rules": {"floating-promise": "loud"}})");
    CHECK_THAT(error, Catch::Contains("rule 'floating-promise': severity must be \"off\", \"warn\" or \"error\""));
    CHECK_THAT(error, Catch::Contains("\"loud\""));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": 3}})"), Catch::Contains("severity must be"));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": -1}})"), Catch::Contains("severity must be"));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": 1.5}})"), Catch::Contains("severity must be"));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": true}})"), Catch::Contains("severity must be"));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": ["loud", {}]}})"), Catch::Contains("severity must be"));
  }
  SECTION("an out-of-range integer severity is rejected, not wrapped") {
    // 4294967297 = 2^32 + 1: truncated to int it would read as 1 ("warn").
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": 4294967297}})"), Catch::Contains("severity must be"));
    CHECK_THAT(error_of(R"({"rules": {"floating-promise": 4294967296}})"), Catch::Contains("severity must be"));
  }
  SECTION("bad reportUnusedSuppressions and ignorePatterns") {
    CHECK_THAT(error_of(R"({"reportUnusedSuppressions": "sometimes"})"), Catch::Contains("\"reportUnusedSuppressions\" must be"));
    CHECK_THAT(error_of(R"({"reportUnusedSuppressions": true})"), Catch::Contains("\"reportUnusedSuppressions\" must be"));
    CHECK_THAT(error_of(R"({"ignorePatterns": "dist"})"), Catch::Contains("\"ignorePatterns\" must be an array of strings"));
    CHECK_THAT(error_of(R"({"ignorePatterns": ["dist", 3]})"), Catch::Contains("\"ignorePatterns\" must be an array of strings"));
  }
}

TEST_CASE("apply_overrides sets severities and rejects unknown rules", "[config]") {
  Config config = default_config();
  std::string error;
  REQUIRE(apply_overrides(config, {{"missing-catch", Severity::Off}, {"floating-promise", Severity::Warn}}, error));
  CHECK(error.empty());
  CHECK(severity_of(config, "missing-catch") == "off");
  CHECK(severity_of(config, "floating-promise") == "warn");
  CHECK(severity_of(config, "async-foreach") == "error");
  // Options are untouched by a severity override.
  CHECK(config.rules[rule_index("floating-promise")].options.at("ignoreVoid") == true);

  CHECK_FALSE(apply_overrides(config, {{"nope", Severity::Error}}, error));
  CHECK_THAT(error, Catch::Contains("unknown rule 'nope'"));
  CHECK_THAT(error, Catch::Contains("--rule"));
}

TEST_CASE("Config::to_json shows severities and options", "[config]") {
  const Config config = parsed(R"({"rules": {"floating-promise": ["warn", {"ignoreVoid": false}]}, "ignorePatterns": ["x"]})");
  const nlohmann::json json = config.to_json();
  CHECK(json.at("configFile") == kPath);
  CHECK(json.at("rules").at("floating-promise").at(0) == "warn");
  CHECK(json.at("rules").at("floating-promise").at(1).at("ignoreVoid") == false);
  CHECK(json.at("rules").at("missing-catch").at(0) == "error");
  CHECK(json.at("reportUnusedSuppressions") == "warn");
  CHECK(json.at("ignorePatterns") == nlohmann::json::array({"x"}));
  CHECK(default_config().to_json().at("configFile").is_null());
}

TEST_CASE("ConfigResolver finds the nearest asynclint.json and caches it", "[config]") {
  TempTree tree;
  const fs::path root_config = tree.write("asynclint.json", R"({"rules": {"floating-promise": "off"}})");
  const fs::path sub_config = tree.write("sub/asynclint.json", R"({"rules": {"missing-catch": "warn"}})");
  tree.write("sub/deep/er/file.ts", "");
  tree.write("other/file.ts", "");

  SECTION("nearest wins, without merging") {
    ConfigResolver resolver(std::nullopt, {});
    std::string error;
    auto deep = resolver.for_file((tree.root() / "sub/deep/er/file.ts").string(), error);
    REQUIRE(deep != nullptr);
    CHECK(error.empty());
    CHECK(deep->path == sub_config.string());
    CHECK(deep->directory == (tree.root() / "sub").string());
    CHECK(severity_of(*deep, "missing-catch") == "warn");
    CHECK(severity_of(*deep, "floating-promise") == "error");  // the root file's "off" is not merged in

    auto other = resolver.for_file((tree.root() / "other/file.ts").string(), error);
    REQUIRE(other != nullptr);
    CHECK(other->path == root_config.string());
    CHECK(severity_of(*other, "floating-promise") == "off");
    CHECK(severity_of(*other, "missing-catch") == "error");

    auto direct = resolver.for_file((tree.root() / "sub/x.ts").string(), error);
    REQUIRE(direct != nullptr);
    CHECK(direct->path == sub_config.string());
  }
  SECTION("the result is cached per directory and per file") {
    ConfigResolver resolver(std::nullopt, {});
    std::string error;
    auto first = resolver.for_file((tree.root() / "sub/deep/er/a.ts").string(), error);
    REQUIRE(first != nullptr);
    // Rewriting the file on disk (even into garbage) does not change what the resolver hands out.
    tree.write("sub/asynclint.json", "{ not json");
    auto second = resolver.for_file((tree.root() / "sub/deep/er/b.ts").string(), error);
    auto third = resolver.for_file((tree.root() / "sub/c.ts").string(), error);
    auto fourth = resolver.for_file((tree.root() / "sub/deep/d.ts").string(), error);
    CHECK(error.empty());
    CHECK(second.get() == first.get());
    CHECK(third.get() == first.get());
    CHECK(fourth.get() == first.get());
    // A new resolver reads the file again and reports it malformed.
    ConfigResolver fresh(std::nullopt, {});
    std::string fresh_error;
    CHECK(fresh.for_file((tree.root() / "sub/c.ts").string(), fresh_error) == nullptr);
    CHECK_THAT(fresh_error, Catch::Contains(sub_config.string()));
    CHECK_THAT(fresh_error, Catch::Contains("asynclint.json:1:3: expected a property name"));
  }
  SECTION("overrides apply on top of the file") {
    ConfigResolver resolver(std::nullopt, {{"floating-promise", Severity::Warn}});
    std::string error;
    auto config = resolver.for_file((tree.root() / "other/file.ts").string(), error);
    REQUIRE(config != nullptr);
    CHECK(severity_of(*config, "floating-promise") == "warn");
    ConfigResolver bad(std::nullopt, {{"nope", Severity::Warn}});
    CHECK(bad.for_file((tree.root() / "other/file.ts").string(), error) == nullptr);
    CHECK_THAT(error, Catch::Contains("unknown rule 'nope'"));
  }
  SECTION("a forced configuration applies to every file") {
    const fs::path forced = tree.write("forced.json", R"({"rules": {"async-foreach": "warn"}})");
    ConfigResolver resolver(forced.string(), {});
    std::string error;
    auto a = resolver.for_file((tree.root() / "sub/deep/er/file.ts").string(), error);
    auto b = resolver.for_file("/somewhere/else.ts", error);
    REQUIRE(a != nullptr);
    CHECK(a->path == forced.string());
    CHECK(b.get() == a.get());
    CHECK(severity_of(*a, "async-foreach") == "warn");
    CHECK(severity_of(*a, "missing-catch") == "error");
    ConfigResolver missing((tree.root() / "missing.json").string(), {});
    CHECK(missing.for_file("/x.ts", error) == nullptr);
    CHECK_THAT(error, Catch::Contains("cannot read"));
  }
  SECTION("no file up to the root: the built-in defaults") {
    TempTree bare;
    bool ancestor_has_config = false;
    for (fs::path dir = bare.root(); ; dir = dir.parent_path()) {
      if (fs::exists(dir / "asynclint.json")) ancestor_has_config = true;
      if (dir == dir.parent_path()) break;
    }
    if (ancestor_has_config) {
      WARN("an ancestor of the temp directory has an asynclint.json; skipping");
    } else {
      ConfigResolver resolver(std::nullopt, {{"missing-catch", Severity::Off}});
      std::string error;
      auto config = resolver.for_file((bare.root() / "a/b.ts").string(), error);
      REQUIRE(config != nullptr);
      CHECK(config->path.empty());
      CHECK(severity_of(*config, "floating-promise") == "error");
      CHECK(severity_of(*config, "missing-catch") == "off");
    }
  }
  SECTION("a malformed nearest file is an error, not a fallback to a farther one") {
    tree.write("broken/asynclint.json", R"({"rules": {"no-such-rule": "warn"}})");
    ConfigResolver resolver(std::nullopt, {});
    std::string error;
    CHECK(resolver.for_file((tree.root() / "broken/file.ts").string(), error) == nullptr);
    CHECK_THAT(error, Catch::Contains("unknown rule 'no-such-rule'"));
  }
}

TEST_CASE("overrides: later ones win, globs relative to the config file, and only for matching files", "[config]") {
  TempTree tree;
  tree.write("asynclint.json", R"({
    "rules": { "sequential-await": "error", "floating-promise": ["error", { "ignoreVoid": false }] },
    "overrides": [
      { "files": ["tests/**", "*.spec.ts"], "rules": { "sequential-await": "off", "floating-promise": "warn" } },
      { "files": "tests/e2e/", "rules": { "sequential-await": "warn" } },
      { "files": ["src/*.ts", "!src/keep.ts"], "rules": { "missing-catch": "off" } },
    ],
  })");
  ConfigResolver resolver(std::nullopt, {});
  std::string error;
  const auto at = [&](const std::string& relative) {
    auto config = resolver.for_file((tree.root() / relative).string(), error);
    INFO(error);
    REQUIRE(config != nullptr);
    return config;
  };
  CHECK(severity_of(*at("lib/a.ts"), "sequential-await") == "error");
  CHECK(severity_of(*at("tests/unit/a.ts"), "sequential-await") == "off");
  CHECK(severity_of(*at("tests/e2e/deep/a.ts"), "sequential-await") == "warn");  // the later override wins
  CHECK(severity_of(*at("lib/deep/x.spec.ts"), "sequential-await") == "off");    // no '/': any depth
  // A severity alone keeps the options set before it.
  const auto spec = at("tests/a.ts");
  CHECK(severity_of(*spec, "floating-promise") == "warn");
  CHECK(spec->rules[rule_index("floating-promise")].options.at("ignoreVoid") == false);
  CHECK(severity_of(*at("src/a.ts"), "missing-catch") == "off");
  CHECK(severity_of(*at("src/keep.ts"), "missing-catch") == "error");
  CHECK(severity_of(*at("src/sub/a.ts"), "missing-catch") == "error");  // "src/*.ts" is anchored to the folder
  // Files the same overrides match share one configuration.
  CHECK(at("tests/a.ts").get() == at("tests/b/c.ts").get());
  CHECK(at("lib/a.ts").get() != at("tests/a.ts").get());
  // --rule still goes on top of every override.
  ConfigResolver with_rule(std::nullopt, {{"sequential-await", Severity::Error}});
  CHECK(severity_of(*with_rule.for_file((tree.root() / "tests/a.ts").string(), error), "sequential-await") == "error");
}

TEST_CASE("extends: the base first, then the file's own rules, then its overrides; cycles are reported", "[config]") {
  TempTree tree;
  tree.write("asynclint.json", R"({
    "rules": { "sequential-await": "off", "fetch-without-abort": ["warn", { "timeoutMs": 5000 }] },
    "overrides": [{ "files": ["legacy/**", "*.old.ts"], "rules": { "missing-catch": "off" } }],
    "ignorePatterns": ["dist/"]
  })");
  tree.write("tests/asynclint.json", R"({ "extends": "../asynclint.json", "rules": { "floating-promise": "off" } })");
  ConfigResolver resolver(std::nullopt, {});
  std::string error;
  auto tests = resolver.for_file((tree.root() / "tests/a.test.ts").string(), error);
  INFO(error);
  REQUIRE(tests != nullptr);
  // The newcomer's case: turning one rule off in tests/ keeps what the root turned off.
  CHECK(severity_of(*tests, "floating-promise") == "off");
  CHECK(severity_of(*tests, "sequential-await") == "off");
  CHECK(tests->rules[rule_index("fetch-without-abort")].options.at("timeoutMs") == 5000);
  CHECK(tests->ignore_patterns.empty());  // not inherited
  // The base's overrides keep their globs relative to the base's folder.
  CHECK(severity_of(*resolver.for_file((tree.root() / "legacy/a.ts").string(), error), "missing-catch") == "off");
  tree.write("tests/legacy/asynclint.json", R"({ "extends": "../asynclint.json" })");
  ConfigResolver fresh(std::nullopt, {});
  CHECK(severity_of(*fresh.for_file((tree.root() / "tests/legacy/a.ts").string(), error), "missing-catch") == "error");
  // The extending file's own rules win over the base's overrides.
  tree.write("own/asynclint.json", R"({ "extends": ["../asynclint.json"], "rules": { "missing-catch": "warn" } })");
  CHECK(severity_of(*fresh.for_file((tree.root() / "own/a.old.ts").string(), error), "missing-catch") == "warn");
  CHECK(severity_of(*fresh.for_file((tree.root() / "tests/a.old.ts").string(), error), "missing-catch") == "off");

  SECTION("a cycle is an error naming the files") {
    tree.write("a/asynclint.json", R"({ "extends": "../b/asynclint.json" })");
    tree.write("b/asynclint.json", R"({ "extends": "../a/asynclint.json" })");
    ConfigResolver cyclic(std::nullopt, {});
    std::string cycle_error;
    CHECK(cyclic.for_file((tree.root() / "a/x.ts").string(), cycle_error) == nullptr);
    CHECK_THAT(cycle_error, Catch::Contains("leads back to itself"));
    CHECK_THAT(cycle_error, Catch::Contains((tree.root() / "b/asynclint.json").string()));
    tree.write("self/asynclint.json", R"({ "extends": "./asynclint.json" })");
    CHECK(cyclic.for_file((tree.root() / "self/x.ts").string(), cycle_error) == nullptr);
    CHECK_THAT(cycle_error, Catch::Contains("leads back to itself"));
  }
  SECTION("errors in an extended file name that file; a missing or unreadable base is an error") {
    tree.write("bad/base.json", R"({ "rules": { "floating-promis": "off" } })");
    tree.write("bad/asynclint.json", R"({ "extends": "base.json" })");
    tree.write("gone/asynclint.json", R"({ "extends": "nope.json" })");
    tree.write("dir/asynclint.json", R"({ "extends": "." })");
    tree.write("type/asynclint.json", R"({ "extends": 3 })");
    ConfigResolver broken(std::nullopt, {});
    std::string bad_error;
    CHECK(broken.for_file((tree.root() / "bad/x.ts").string(), bad_error) == nullptr);
    CHECK_THAT(bad_error, Catch::StartsWith((tree.root() / "bad/base.json").string()));
    CHECK_THAT(bad_error, Catch::EndsWith("did you mean 'floating-promise'?"));
    CHECK(broken.for_file((tree.root() / "gone/x.ts").string(), bad_error) == nullptr);
    CHECK_THAT(bad_error, Catch::Contains("cannot read nope.json"));
    CHECK(broken.for_file((tree.root() / "dir/x.ts").string(), bad_error) == nullptr);
    CHECK_THAT(bad_error, Catch::Contains("cannot read"));
    CHECK(broken.for_file((tree.root() / "type/x.ts").string(), bad_error) == nullptr);
    CHECK_THAT(bad_error, Catch::Contains("\"extends\" must be"));
  }
}

TEST_CASE("overrides are validated when the file is read, even where no file matches", "[config]") {
  CHECK_THAT(error_of(R"({"overrides": [{"files": ["x/**"], "rules": {"floating-promises": "off"}}]})"),
             Catch::Contains("overrides[0]: unknown rule 'floating-promises': did you mean 'floating-promise'?"));
  CHECK_THAT(error_of(R"({"overrides": [{"rules": {}}]})"), Catch::Contains("overrides[0]: \"files\" is missing"));
  CHECK_THAT(error_of(R"({"overrides": [{"files": [], "rules": {}}]})"), Catch::Contains("\"files\" must be a non-empty array"));
  CHECK_THAT(error_of(R"({"overrides": [{"files": ["a", 1]}]})"), Catch::Contains("\"files\" must be a non-empty array"));
  CHECK_THAT(error_of(R"({"overrides": [{"files": ["a"], "rulez": {}}]})"), Catch::Contains("overrides[0]: unknown key \"rulez\""));
  CHECK_THAT(error_of(R"({"overrides": {"files": ["a"]}})"), Catch::Contains("\"overrides\" must be an array"));
  CHECK_THAT(error_of(R"({"overrides": [{"files": ["a"], "rules": {"floating-promise": "loud"}}]})"), Catch::Contains("severity must be"));
}

TEST_CASE("runtime: auto by default, set at the top or per override, and checked", "[config]") {
  CHECK(!parsed("{}").runtime);
  CHECK(parsed(R"({ "runtime": "auto" })").runtime == std::nullopt);
  CHECK(parsed(R"({ "runtime": "node" })").runtime == FileRuntime::Kind::Node);
  CHECK(parsed(R"({ "runtime": "browser" })").to_json().at("runtime") == "browser");
  CHECK(error_of(R"({ "runtime": "deno" })").find("\"runtime\" must be \"auto\", \"node\" or \"browser\"") != std::string::npos);
  CHECK(error_of(R"({ "overrides": [{ "files": ["web/**"], "runtime": 1 }] })").find("overrides[0]: \"runtime\" must be") != std::string::npos);
  TempTree tree;
  tree.write("asynclint.json", R"({ "runtime": "node", "overrides": [{ "files": ["web/**"], "runtime": "browser" }, { "files": ["web/shared/"], "runtime": "auto" }] })");
  ConfigResolver resolver(std::nullopt, {});
  std::string error;
  CHECK(resolver.for_file((tree.root() / "server/a.ts").string(), error)->runtime == FileRuntime::Kind::Node);
  CHECK(resolver.for_file((tree.root() / "web/app.tsx").string(), error)->runtime == FileRuntime::Kind::Browser);
  CHECK(resolver.for_file((tree.root() / "web/shared/util.ts").string(), error)->runtime == std::nullopt);  // a later override wins
}
