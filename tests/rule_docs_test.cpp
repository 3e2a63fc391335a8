// The examples in every rule's documentation are linted: the bad one must produce that rule's finding,
// the good one nothing at all.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/rule.h"
#include "report/rule_docs.h"
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

// docs/rules/ is generated (`asynclint rule-docs docs/rules`) and committed, so that SARIF's helpUri and the
// editor's documentation links reach a page: it must say what the rules say now.
TEST_CASE("docs/rules/ holds each rule's current page, and nothing else", "[docs]") {
  const std::string directory = testing::source_dir() + "/docs/rules";
  const auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return in ? text.str() : std::string("<missing>");
  };
  std::set<std::string> expected{"README.md"};
  for (const Rule* rule : RuleRegistry::rules()) {
    const std::string name = std::string(rule->meta().id) + ".md";
    expected.insert(name);
    INFO("docs/rules/" << name << " is stale: run build/asynclint rule-docs docs/rules");
    CHECK(read(directory + "/" + name) == rule_page(*rule));
  }
  INFO("docs/rules/README.md is stale: run build/asynclint rule-docs docs/rules");
  CHECK(read(directory + "/README.md") == rule_pages_index());
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    INFO("docs/rules/" << entry.path().filename().string() << " is not a rule's page");
    CHECK(expected.count(entry.path().filename().string()) == 1);
  }
}

TEST_CASE("documentation links point at the rule's page, not at its source", "[docs]") {
  const std::string url = rule_documentation_url("floating-promise");
  CHECK(url.size() > std::string("/floating-promise.md").size());
  CHECK(url.compare(url.size() - std::string("/floating-promise.md").size(), std::string::npos, "/floating-promise.md") == 0);
  CHECK(url.rfind(ASYNCLINT_DOCS_URL, 0) == 0);  // under the base configured at build time
  CHECK(url.find(".cpp") == std::string::npos);
}
