// The published JSON schema for asynclint.json must describe exactly the rules and options the binary
// accepts, so editors validate what the linter validates.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/config.h"
#include "engine/rule.h"
#include "test_support.h"

using namespace asynclint;

TEST_CASE("schema/asynclint.schema.json lists every rule and every rule option", "[schema]") {
  std::ifstream in(testing::source_dir() + "/schema/asynclint.schema.json");
  REQUIRE(in);
  const nlohmann::json schema = nlohmann::json::parse(in);
  const auto& rules = schema["properties"]["rules"]["properties"];
  CHECK(rules.size() == RuleRegistry::rules().size());
  for (const Rule* rule : RuleRegistry::rules()) {
    const std::string id(rule->meta().id);
    INFO("rule " << id);
    REQUIRE(rules.contains(id));
    const auto& entry = rules[id];
    if (rule->meta().options.empty()) {
      CHECK(entry["$ref"] == "#/definitions/ruleWithoutOptions");
      continue;
    }
    const auto& options = entry["oneOf"][1]["items"][1]["properties"];
    CHECK(options.size() == rule->meta().options.size());
    for (const auto& option : rule->meta().options) {
      INFO("option " << option.name);
      REQUIRE(options.contains(std::string(option.name)));
      CHECK(options[std::string(option.name)]["default"] == option.default_value);
    }
  }
}

TEST_CASE("schema/asynclint.schema.json describes exactly the top-level keys the binary accepts", "[schema]") {
  std::ifstream in(testing::source_dir() + "/schema/asynclint.schema.json");
  REQUIRE(in);
  const nlohmann::json schema = nlohmann::json::parse(in);
  CHECK(schema["additionalProperties"] == false);
  // A value of the right type for each key; every one must be accepted.
  const std::map<std::string, std::string> samples = {
      {"$schema", R"("./schema.json")"},
      {"rules", R"({"floating-promise": "warn"})"},
      {"ignorePatterns", R"(["dist/"])"},
      {"reportUnusedSuppressions", R"("off")"},
      {"overrides", R"([{"files": ["tests/**"], "rules": {"sequential-await": "off"}, "runtime": "node"}])"},
      {"extends", R"([])"},
      {"runtime", R"("browser")"},
  };
  for (const auto& [key, value] : schema["properties"].items()) {
    INFO("key " << key);
    REQUIRE(samples.count(key));
    std::string error;
    CHECK(parse_config("{\"" + key + "\": " + samples.at(key) + "}", "/project/asynclint.json", error).has_value());
    CHECK(error.empty());
  }
  CHECK(schema["properties"].size() == samples.size());
  // An override's rules are the same rules, options included.
  CHECK(schema["properties"]["overrides"]["items"]["properties"]["rules"]["$ref"] == "#/properties/rules");
  CHECK(schema["properties"]["overrides"]["items"]["required"] == nlohmann::json::array({"files"}));
}
