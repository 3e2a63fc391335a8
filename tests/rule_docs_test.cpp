// The examples in every rule's documentation are linted: the bad one must produce that rule's finding,
// the good one nothing at all.
#include <catch2/catch.hpp>

#include "engine/rule.h"
#include "test_support.h"

using namespace asynclint;

TEST_CASE("rule documentation examples behave as documented", "[docs]") {
  for (const Rule* rule : RuleRegistry::rules()) {
    const RuleMeta& meta = rule->meta();
    REQUIRE(!meta.examples.empty());
    bool has_bad = false, has_good = false;
    for (const auto& example : meta.examples) {
      DYNAMIC_SECTION(meta.id << " " << (example.is_bug ? "bad" : "good") << " example " << example.file_name) {
        LintRun run = testing::lint_sources({{"/nonexistent-doc-example/" + std::string(example.file_name), std::string(example.code)}});
        std::vector<std::string> rules;
        for (const auto& file : run.files)
          for (const auto& d : file.diagnostics) rules.push_back(d.rule_id);
        if (example.is_bug) {
          REQUIRE(rules.size() == 1);
          CHECK(rules[0] == meta.id);
        } else {
          CHECK(rules.empty());
        }
      }
      (example.is_bug ? has_bad : has_good) = true;
    }
    INFO(meta.id);
    CHECK(has_bad);
    CHECK(has_good);
  }
}
