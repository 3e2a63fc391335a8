// The published JSON schema for asynclint.json must describe exactly the rules and options the binary
// accepts, so editors validate what the linter validates.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

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
