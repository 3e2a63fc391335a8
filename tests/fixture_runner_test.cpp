// The fixture runner: every folder fixtures/<rule-id>/ is linted as one project with every rule on, and
// the findings must be exactly the ones announced by `expect:` comments (fixtures/README.md).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "engine/rule.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace asynclint;

namespace {

struct Annotations {
  std::multiset<std::string> expected;  // "path:line rule"
  std::map<std::string, int> buggy_by_rule, clean_by_rule;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void read_annotations(const std::string& path, Annotations& annotations) {
  static const std::regex kAnnotation(R"((expect|ok):\s*([a-z][a-z-]*(?:\s*,\s*[a-z][a-z-]*)*))");
  std::istringstream lines(read_file(path));
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    // Annotations live in comments; look only after the first comment opener on the line.
    std::size_t comment = line.find("//");
    const std::size_t block = line.find("/*");
    if (block != std::string::npos && (comment == std::string::npos || block < comment)) comment = block;
    if (comment == std::string::npos) continue;
    const std::string tail = line.substr(comment);
    for (std::sregex_iterator it(tail.begin(), tail.end(), kAnnotation), end; it != end; ++it) {
      const bool is_expect = (*it)[1] == "expect";
      std::string list = (*it)[2];
      std::regex comma(R"(\s*,\s*)");
      for (std::sregex_token_iterator rule(list.begin(), list.end(), comma, -1), stop; rule != stop; ++rule) {
        if (is_expect) {
          annotations.expected.insert(path + ":" + std::to_string(number) + " " + rule->str());
          annotations.buggy_by_rule[rule->str()]++;
        } else {
          annotations.clean_by_rule[rule->str()]++;
        }
      }
    }
  }
}

std::vector<std::string> fixture_folders() {
  std::vector<std::string> folders;
  for (const auto& entry : fs::directory_iterator(testing::source_dir() + "/fixtures"))
    if (entry.is_directory() && entry.path().filename() != "loop") folders.push_back(entry.path().filename().string());
  std::sort(folders.begin(), folders.end());
  return folders;
}

}  // namespace

TEST_CASE("every fixture folder is named after a rule and every rule has fixtures", "[fixtures]") {
  const auto folders = fixture_folders();
  for (const auto& folder : folders) {
    INFO("fixtures/" << folder);
    CHECK(RuleRegistry::find(folder) != nullptr);
  }
  for (const Rule* rule : RuleRegistry::rules()) {
    // The engine reports unused suppressions while applying comments: tests/unit/suppressions_test.cpp.
    if (rule->meta().reported_by_engine) continue;
    INFO("rule " << rule->meta().id);
    CHECK(std::find(folders.begin(), folders.end(), std::string(rule->meta().id)) != folders.end());
  }
}

TEST_CASE("fixtures report exactly what their comments announce", "[fixtures]") {
  Annotations all;
  for (const auto& folder : fixture_folders()) {
    {  // one folder = one project
      INFO("fixtures/" << folder);
      WalkOptions walk;
      walk.use_ignore_files = false;
      WalkResult walked = discover_files({testing::source_dir() + "/fixtures/" + folder}, walk);
      REQUIRE(!walked.files.empty());
      Annotations annotations;
      std::vector<InputFile> inputs;
      for (const auto& file : walked.files) {
        read_annotations(file, annotations);
        inputs.push_back({file, std::nullopt});
      }
      ConfigResolver configs(std::nullopt, {});
      LintOptions options;
      options.threads = 2;
      std::string error;
      LintRun run = lint_files(inputs, configs, options, error);
      REQUIRE(error.empty());
      CHECK(run.notices.empty());
      std::multiset<std::string> actual;
      std::map<std::string, std::string> messages;
      for (const auto& file : run.files)
        for (const auto& d : file.diagnostics) {
          const std::string key = file.path + ":" + std::to_string(d.start.line) + " " + d.rule_id;
          actual.insert(key);
          messages[key] = d.message;
        }
      for (const auto& key : actual) {
        if (annotations.expected.count(key) >= actual.count(key)) continue;
        FAIL_CHECK("unannounced finding " << key << "\n    " << messages[key]);
      }
      for (const auto& key : annotations.expected) {
        if (actual.count(key) >= annotations.expected.count(key)) continue;
        FAIL_CHECK("announced finding did not appear: " << key);
      }
      for (const auto& [rule, count] : annotations.buggy_by_rule) all.buggy_by_rule[rule] += count;
      for (const auto& [rule, count] : annotations.clean_by_rule) all.clean_by_rule[rule] += count;
    }
  }
  // Every rule is held to at least 50 buggy and 50 clean samples.
  for (const Rule* rule : RuleRegistry::rules()) {
    if (rule->meta().reported_by_engine) continue;
    const std::string id(rule->meta().id);
    INFO("rule " << id << ": " << all.buggy_by_rule[id] << " buggy, " << all.clean_by_rule[id] << " clean samples");
    CHECK(all.buggy_by_rule[id] >= 50);
    CHECK(all.clean_by_rule[id] >= 50);
  }
}
