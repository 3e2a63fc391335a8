// Every suggestion is tested as input → expected output: fixtures/<rule>/suggestions/NAME.input.EXT is
// linted, the first suggestion of each finding applied through the fix engine, and the result must equal
// NAME.output.EXT byte for byte and parse without errors.
#include <catch2/catch.hpp>

#include <tree_sitter/api.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "engine/fixes.h"
#include "syntax/language.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace asynclint;

namespace {
// Fixture annotations (`// expect: rule`) differ between an input (which has findings) and its output
// (which has none); everything else must match byte for byte.
std::string without_annotations(const std::string& text) {
  static const std::regex kBlock(R"(/\* *(expect|ok):[^*]*\*/ ?)");
  static const std::regex kLine(R"( *// *(expect|ok):[^\n]*)");
  return std::regex_replace(std::regex_replace(text, kBlock, ""), kLine, "");
}

bool parses_cleanly(const std::string& text, LanguageId language) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, ts_language(language));
  TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<std::uint32_t>(text.size()));
  const bool clean = !ts_node_has_error(ts_tree_root_node(tree));
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  return clean;
}
}  // namespace

TEST_CASE("suggestions turn each input into its expected output, which parses", "[suggestions]") {
  int pairs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::source_dir() + "/fixtures")) {
    const std::string name = entry.path().filename().string();
    const auto marker = name.find(".input.");
    if (!entry.is_regular_file() || marker == std::string::npos) continue;
    const fs::path expected_path = entry.path().parent_path() / (name.substr(0, marker) + ".output." + name.substr(marker + 7));
    INFO(entry.path().string());
    REQUIRE(fs::exists(expected_path));
    ++pairs;
    const std::string input = testing::read_file(entry.path());
    // The pair's folder config applies (as in the fixture runner), so lint it in place on disk.
    LintRun run = testing::lint_sources({{entry.path().string(), std::nullopt}});
    REQUIRE(run.files.size() == 1);
    const LanguageId language = language_for_path(entry.path().string()).value_or(LanguageId::JavaScript);
    FixOutcome outcome = apply_fixes(input, language, run.files[0].diagnostics, /*include_suggestions=*/true);
    CHECK(outcome.rejected_reason.empty());
    CHECK(without_annotations(outcome.text) == without_annotations(testing::read_file(expected_path)));
    CHECK(parses_cleanly(outcome.text, language));
  }
  CHECK(pairs >= 5);
}

TEST_CASE("the fix engine applies a suggestion atomically and never near a syntax error", "[suggestions]") {
  const std::string text = "async function f() {\n  load();\n  load(;\n}\nasync function load() {}\n";
  Diagnostic clean_site, broken_site;
  clean_site.suggestions.push_back({"await", {{23, 23, "await "}}});
  broken_site.suggestions.push_back({"await", {{33, 33, "await "}}});
  FixOutcome outcome = apply_fixes(text, LanguageId::JavaScript, {clean_site, broken_site}, true);
  CHECK(outcome.applied == 1);
  CHECK(outcome.skipped == 1);
  CHECK(outcome.text == "async function f() {\n  await load();\n  load(;\n}\nasync function load() {}\n");

  // Without --fix-suggestions only safe suggestions apply.
  CHECK(apply_fixes(text, LanguageId::JavaScript, {clean_site}, false).applied == 0);

  // Overlapping suggestions: the second waits for the next run.
  Diagnostic first, second;
  first.suggestions.push_back({"a", {{0, 5, "let"}}});
  second.suggestions.push_back({"b", {{3, 8, "B"}, {20, 20, "x"}}});
  FixOutcome overlapping = apply_fixes("const a = 1;\nconst b = 2;\n", LanguageId::JavaScript, {first, second}, true);
  CHECK(overlapping.applied == 1);
  CHECK(overlapping.skipped == 1);

  // A result that would not parse is thrown away whole.
  Diagnostic breaking;
  breaking.suggestions.push_back({"break it", {{0, 0, "}}}"}}});
  FixOutcome rejected = apply_fixes("let a = 1;\n", LanguageId::JavaScript, {breaking}, true);
  CHECK(rejected.applied == 0);
  CHECK(rejected.text == "let a = 1;\n");
  CHECK_FALSE(rejected.rejected_reason.empty());
}

TEST_CASE("unified diffs of applied edits", "[suggestions]") {
  const std::string before = "a\nb\nc\nd\n";
  const std::vector<TextEdit> edits{{2, 3, "B"}, {6, 7, "D"}};
  CHECK(unified_diff("x.js", before, edits) == "--- a/x.js\n+++ b/x.js\n@@ -2,1 +2,1 @@\n-b\n+B\n@@ -4,1 +4,1 @@\n-d\n+D\n");
  const std::vector<TextEdit> grow{{0, 1, "a1\na2"}};
  CHECK(unified_diff("x.js", before, grow) == "--- a/x.js\n+++ b/x.js\n@@ -1,1 +1,2 @@\n-a\n+a1\n+a2\n");
}

namespace {
std::map<std::string, int> findings_by_rule(const LintRun& run) {
  std::map<std::string, int> counts;
  for (const auto& file : run.files)
    for (const auto& d : file.diagnostics) ++counts[d.rule_id];
  return counts;
}
}  // namespace

// A suggestion fixes its finding and breaks nothing: applied alone to its file, the result parses as well as
// the input did, the finding it was offered for is gone, and no rule reports more than before (the issue
// this guards against: forEach rewritten into an unbounded Promise.all, a `void` that hides a crash).
TEST_CASE("every suggestion of every fixture and example fixes its finding without a new one", "[suggestions]") {
  std::size_t tried = 0;
  std::map<std::string, std::size_t> tried_by_description;
  for (const std::string root : {"/fixtures", "/examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(testing::source_dir() + root)) {
      if (!entry.is_regular_file()) continue;
      const std::string path = entry.path().string();
      const auto language = language_for_path(path);
      if (!language || path.find("/fixtures/loop/") != std::string::npos) continue;
      const std::string input = testing::read_file(entry.path());
      LintRun before = testing::lint_sources({{path, input}});
      if (before.files.size() != 1) continue;
      const auto counts_before = findings_by_rule(before);
      const bool input_parses = parses_cleanly(input, *language);
      for (const Diagnostic& finding : before.files[0].diagnostics) {
        for (const Suggestion& suggestion : finding.suggestions) {
          INFO(path << ":" << finding.start.line << " " << finding.rule_id << ": " << suggestion.description);
          Diagnostic alone = finding;
          alone.suggestions = {suggestion};
          FixOutcome outcome = apply_fixes(input, *language, {alone}, /*include_suggestions=*/true);
          if (!input_parses && outcome.applied == 0) continue;  // next to a syntax error: never applied
          REQUIRE(outcome.applied == 1);
          ++tried;
          ++tried_by_description[finding.rule_id + ": " + suggestion.description];
          if (input_parses) CHECK(parses_cleanly(outcome.text, *language));
          LintRun after = testing::lint_sources({{path, outcome.text}});
          REQUIRE(after.files.size() == 1);
          auto counts_after = findings_by_rule(after);
          INFO(outcome.text);
          CHECK(counts_after[finding.rule_id] < counts_before.at(finding.rule_id));
          for (const auto& [rule, count] : counts_after) {
            INFO("rule " << rule);
            CHECK(count <= (counts_before.count(rule) ? counts_before.at(rule) : 0));
          }
        }
      }
    }
  }
  // Every kind of suggestion the rules offer is exercised.
  std::ostringstream kinds;
  for (const auto& [description, count] : tried_by_description) kinds << count << "  " << description << "\n";
  INFO(kinds.str());
  CHECK(tried >= 100);
  CHECK(tried_by_description.size() >= 9);
}
