// Unit tests of inline suppression comments: parsing every directive form, and applying directives
// to findings (including reporting the ones that suppress nothing).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/suppressions.h"
#include "syntax/source_text.h"
#include "../test_support.h"

using namespace asynclint;

namespace {

bool is_our_rule(std::string_view id) {
  return id == "floating-promise" || id == "missing-catch" || id == "async-foreach";
}

struct Parse {
  bool ok = false;
  SuppressionDirective directive{};
  std::vector<std::string> unknown;
};

Parse parse(std::string_view comment) {
  Parse result;
  result.directive.type = SuppressionDirective::Type::Enable;  // overwritten on success
  result.ok = parse_suppression(comment, &is_our_rule, result.directive, result.unknown);
  return result;
}

std::string type_name(SuppressionDirective::Type type) {
  switch (type) {
    case SuppressionDirective::Type::NextLine: return "NextLine";
    case SuppressionDirective::Type::Line: return "Line";
    case SuppressionDirective::Type::Disable: return "Disable";
    case SuppressionDirective::Type::Enable: return "Enable";
    case SuppressionDirective::Type::File: return "File";
  }
  return "?";
}

using Rules = std::vector<std::string>;

SuppressionDirective directive(SuppressionDirective::Type type, Rules rules, std::uint32_t comment_start,
                               std::uint32_t comment_end, std::uint32_t target_line = 0) {
  SuppressionDirective d{};
  d.type = type;
  d.rules = std::move(rules);
  d.rule_used.assign(d.rules.empty() ? 1 : d.rules.size(), false);
  d.comment_start = comment_start;
  d.comment_end = comment_end;
  // The tests' files have lines of 10 bytes ("line 001;\n"): byte_of_line() and these positions agree.
  d.comment_start_at = {comment_start / 10 + 1, comment_start % 10 + 1};
  d.comment_end_at = {comment_end / 10 + 1, comment_end % 10 + 1};
  d.target_line = target_line;
  return d;
}

Diagnostic finding(const std::string& rule, std::uint32_t line, std::uint32_t start_byte) {
  Diagnostic d;
  d.rule_id = rule;
  d.severity = Severity::Error;
  d.message = rule + " finding";
  d.start_byte = start_byte;
  d.end_byte = start_byte + 1;
  d.start = {line, 1};
  d.end = {line, 2};
  return d;
}

// "rule@line" for what is left, in order.
std::vector<std::string> keys(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) out.push_back(d.rule_id + "@" + std::to_string(d.start.line));
  return out;
}

// A source of `lines` lines of 10 bytes each ("line NNN;\n"): line L starts at byte 10 * (L - 1).
std::uint32_t byte_of_line(std::uint32_t line) { return 10 * (line - 1); }

}  // namespace

// ------------------------------------------------------------------------------------------------
// parse_suppression
// ------------------------------------------------------------------------------------------------

TEST_CASE("parse_suppression: every directive form", "[suppressions]") {
  SECTION("disable-next-line with one rule") {
    Parse r = parse("// asynclint-disable-next-line floating-promise");
    REQUIRE(r.ok);
    CHECK(type_name(r.directive.type) == "NextLine");
    CHECK(r.directive.rules == Rules{"floating-promise"});
    CHECK(r.directive.rule_used == std::vector<bool>{false});
    CHECK_FALSE(r.directive.from_eslint_spelling);
    CHECK(r.unknown.empty());
  }
  SECTION("disable-line with two rules") {
    Parse r = parse("// asynclint-disable-line missing-catch, async-foreach");
    REQUIRE(r.ok);
    CHECK(type_name(r.directive.type) == "Line");
    CHECK(r.directive.rules == Rules{"missing-catch", "async-foreach"});
    CHECK(r.directive.rule_used == std::vector<bool>{false, false});
  }
  SECTION("comma without spaces") {
    Parse r = parse("/* asynclint-disable floating-promise,missing-catch */");
    REQUIRE(r.ok);
    CHECK(type_name(r.directive.type) == "Disable");
    CHECK(r.directive.rules == Rules{"floating-promise", "missing-catch"});
  }
  SECTION("block disable and enable of every rule") {
    Parse disable = parse("/* asynclint-disable */");
    REQUIRE(disable.ok);
    CHECK(type_name(disable.directive.type) == "Disable");
    CHECK(disable.directive.rules.empty());
    CHECK(disable.directive.rule_used == std::vector<bool>{false});
    Parse enable = parse("/* asynclint-enable */");
    REQUIRE(enable.ok);
    CHECK(type_name(enable.directive.type) == "Enable");
    CHECK(enable.directive.rules.empty());
  }
  SECTION("enable of one rule") {
    Parse r = parse("/* asynclint-enable floating-promise */");
    REQUIRE(r.ok);
    CHECK(type_name(r.directive.type) == "Enable");
    CHECK(r.directive.rules == Rules{"floating-promise"});
  }
  SECTION("disable-file with and without a rule") {
    Parse all = parse("// asynclint-disable-file");
    REQUIRE(all.ok);
    CHECK(type_name(all.directive.type) == "File");
    CHECK(all.directive.rules.empty());
    Parse one = parse("/* asynclint-disable-file async-foreach */");
    REQUIRE(one.ok);
    CHECK(type_name(one.directive.type) == "File");
    CHECK(one.directive.rules == Rules{"async-foreach"});
  }
  SECTION("disable-next-line with no rule: every rule") {
    Parse r = parse("// asynclint-disable-next-line");
    REQUIRE(r.ok);
    CHECK(type_name(r.directive.type) == "NextLine");
    CHECK(r.directive.rules.empty());
  }
  SECTION("a JSDoc-style multi-line block comment") {
    Parse r = parse("/**\n * asynclint-disable floating-promise\n */");
    REQUIRE(r.ok);
    CHECK(type_name(r.directive.type) == "Disable");
    CHECK(r.directive.rules == Rules{"floating-promise"});
  }
  SECTION("the asynclint/ prefix") {
    Parse r = parse("// asynclint-disable-next-line asynclint/floating-promise, asynclint/missing-catch");
    REQUIRE(r.ok);
    CHECK(r.directive.rules == Rules{"floating-promise", "missing-catch"});
  }
}

TEST_CASE("parse_suppression: the reason after -- is not a rule list", "[suppressions]") {
  Parse r = parse("// asynclint-disable-line floating-promise -- missing-catch, no-console: legacy code");
  REQUIRE(r.ok);
  CHECK(r.directive.rules == Rules{"floating-promise"});
  CHECK(r.unknown.empty());
  Parse tight = parse("// asynclint-disable-next-line floating-promise--why");
  REQUIRE(tight.ok);
  CHECK(tight.directive.rules == Rules{"floating-promise"});
  Parse reason_only = parse("// asynclint-disable-next-line -- everything here is intentional");
  REQUIRE(reason_only.ok);
  CHECK(reason_only.directive.rules.empty());
  CHECK(reason_only.unknown.empty());
  Parse block = parse("/* asynclint-disable async-foreach -- see ticket 12 */");
  REQUIRE(block.ok);
  CHECK(block.directive.rules == Rules{"async-foreach"});
}

TEST_CASE("parse_suppression: eslint spelling", "[suppressions]") {
  SECTION("naming our rule, bare or prefixed, alongside foreign rules") {
    Parse prefixed = parse("// eslint-disable-next-line asynclint/floating-promise, no-console");
    REQUIRE(prefixed.ok);
    CHECK(prefixed.directive.from_eslint_spelling);
    CHECK(type_name(prefixed.directive.type) == "NextLine");
    CHECK(prefixed.directive.rules == Rules{"floating-promise"});
    CHECK(prefixed.unknown.empty());  // foreign names are ESLint's business
    Parse bare = parse("/* eslint-disable missing-catch */");
    REQUIRE(bare.ok);
    CHECK(type_name(bare.directive.type) == "Disable");
    CHECK(bare.directive.rules == Rules{"missing-catch"});
    Parse line = parse("// eslint-disable-line @typescript-eslint/no-floating-promises, floating-promise");
    REQUIRE(line.ok);
    CHECK(type_name(line.directive.type) == "Line");
    CHECK(line.directive.rules == Rules{"floating-promise"});
  }
  SECTION("naming only foreign rules, or none: ignored") {
    Parse foreign = parse("// eslint-disable-next-line no-console, @typescript-eslint/no-floating-promises");
    CHECK_FALSE(foreign.ok);
    CHECK(foreign.unknown.empty());
    Parse none = parse("// eslint-disable-next-line");
    CHECK_FALSE(none.ok);
    CHECK(none.unknown.empty());
    Parse block = parse("/* eslint-disable */");
    CHECK_FALSE(block.ok);
    Parse enable = parse("/* eslint-enable no-console */");
    CHECK_FALSE(enable.ok);
  }
  SECTION("eslint has no disable-file") {
    Parse r = parse("// eslint-disable-file floating-promise");
    CHECK_FALSE(r.ok);
  }
}

TEST_CASE("parse_suppression: unknown rule names are collected", "[suppressions]") {
  Parse all_unknown = parse("// asynclint-disable-next-line no-such-rule");
  CHECK_FALSE(all_unknown.ok);
  CHECK(all_unknown.unknown == Rules{"no-such-rule"});
  Parse mixed = parse("// asynclint-disable-line floating-promise, bogus, asynclint/also-bogus");
  REQUIRE(mixed.ok);
  CHECK(mixed.directive.rules == Rules{"floating-promise"});
  CHECK(mixed.unknown == Rules{"bogus", "also-bogus"});
  CHECK(mixed.directive.rule_used.size() == 1);
}

TEST_CASE("parse_suppression: comments that are not directives", "[suppressions]") {
  for (const char* comment : {"// just a comment", "// TODO asynclint-disable-next-line floating-promise",
                              "// asynclint-disablefoo floating-promise", "// asynclint-disable-next-linefloating-promise",
                              "// asynclint-enabled", "// asynclint-", "/**/", "/* */", "// eslint-config: x",
                              "# asynclint-disable", "asynclint-disable"}) {
    INFO(comment);
    Parse r = parse(comment);
    CHECK_FALSE(r.ok);
    CHECK(r.unknown.empty());
  }
}

// ------------------------------------------------------------------------------------------------
// apply_suppressions
// ------------------------------------------------------------------------------------------------

TEST_CASE("apply_suppressions: next-line and line", "[suppressions]") {
  std::vector<SuppressionDirective> directives{
      directive(SuppressionDirective::Type::NextLine, {"floating-promise"}, byte_of_line(1), byte_of_line(1) + 5, 2),
      directive(SuppressionDirective::Type::Line, {}, byte_of_line(5), byte_of_line(5) + 5, 5),
  };
  std::vector<Diagnostic> diagnostics{
      finding("floating-promise", 2, byte_of_line(2)), finding("missing-catch", 2, byte_of_line(2) + 1),
      finding("floating-promise", 3, byte_of_line(3)), finding("async-foreach", 5, byte_of_line(5)),
      finding("missing-catch", 5, byte_of_line(5) + 2)};
  apply_suppressions(directives, diagnostics, Severity::Warn);
  CHECK(keys(diagnostics) == std::vector<std::string>{"missing-catch@2", "floating-promise@3"});
  CHECK(directives[0].rule_used == std::vector<bool>{true});
  CHECK(directives[1].rule_used == std::vector<bool>{true});
}

TEST_CASE("apply_suppressions: block disable and enable", "[suppressions]") {
  SECTION("enable of one rule after disable of every rule") {
    std::vector<SuppressionDirective> directives{
        directive(SuppressionDirective::Type::Disable, {}, byte_of_line(2), byte_of_line(2) + 5),
        directive(SuppressionDirective::Type::Enable, {"floating-promise"}, byte_of_line(6), byte_of_line(6) + 5),
    };
    std::vector<Diagnostic> diagnostics{
        finding("floating-promise", 1, byte_of_line(1)),  // before the block
        finding("floating-promise", 4, byte_of_line(4)),  // inside: suppressed
        finding("missing-catch", 4, byte_of_line(4) + 1),  // inside: suppressed
        finding("floating-promise", 8, byte_of_line(8)),  // re-enabled
        finding("missing-catch", 9, byte_of_line(9)),     // still disabled
    };
    apply_suppressions(directives, diagnostics, Severity::Warn);
    CHECK(keys(diagnostics) == std::vector<std::string>{"floating-promise@1", "floating-promise@8"});
  }
  SECTION("disable of one rule, then enable of every rule") {
    std::vector<SuppressionDirective> directives{
        directive(SuppressionDirective::Type::Disable, {"missing-catch"}, byte_of_line(2), byte_of_line(2) + 5),
        directive(SuppressionDirective::Type::Enable, {}, byte_of_line(6), byte_of_line(6) + 5),
    };
    std::vector<Diagnostic> diagnostics{finding("missing-catch", 3, byte_of_line(3)), finding("floating-promise", 3, byte_of_line(3) + 1),
                                        finding("missing-catch", 7, byte_of_line(7))};
    apply_suppressions(directives, diagnostics, Severity::Warn);
    CHECK(keys(diagnostics) == std::vector<std::string>{"floating-promise@3", "missing-catch@7"});
  }
  SECTION("a disable without an enable runs to the end of the file; directives are sorted first") {
    std::vector<SuppressionDirective> directives{
        directive(SuppressionDirective::Type::Disable, {"async-foreach"}, byte_of_line(10), byte_of_line(10) + 5),
        directive(SuppressionDirective::Type::Enable, {"async-foreach"}, byte_of_line(5), byte_of_line(5) + 5),
        directive(SuppressionDirective::Type::Disable, {"async-foreach"}, byte_of_line(3), byte_of_line(3) + 5),
    };
    std::vector<Diagnostic> diagnostics{finding("async-foreach", 4, byte_of_line(4)), finding("async-foreach", 7, byte_of_line(7)),
                                        finding("async-foreach", 20, byte_of_line(20))};
    apply_suppressions(directives, diagnostics, Severity::Warn);
    CHECK(keys(diagnostics) == std::vector<std::string>{"async-foreach@7"});
  }
}

TEST_CASE("apply_suppressions: file-wide", "[suppressions]") {
  std::vector<SuppressionDirective> directives{
      directive(SuppressionDirective::Type::File, {"missing-catch"}, byte_of_line(9), byte_of_line(9) + 5)};
  std::vector<Diagnostic> diagnostics{finding("missing-catch", 1, byte_of_line(1)), finding("floating-promise", 2, byte_of_line(2)),
                                      finding("missing-catch", 10, byte_of_line(10))};
  apply_suppressions(directives, diagnostics, Severity::Warn);
  CHECK(keys(diagnostics) == std::vector<std::string>{"floating-promise@2"});

  std::vector<SuppressionDirective> everything{directive(SuppressionDirective::Type::File, {}, byte_of_line(1), byte_of_line(1) + 5)};
  std::vector<Diagnostic> more{finding("missing-catch", 3, byte_of_line(3)), finding("async-foreach", 4, byte_of_line(4))};
  apply_suppressions(everything, more, Severity::Warn);
  CHECK(more.empty());
}

TEST_CASE("apply_suppressions: unused directives are reported at the configured severity", "[suppressions]") {
  auto make_directives = [] {
    return std::vector<SuppressionDirective>{
        directive(SuppressionDirective::Type::NextLine, {"floating-promise", "missing-catch"}, byte_of_line(3) + 2, byte_of_line(3) + 8, 4),
        directive(SuppressionDirective::Type::Disable, {}, byte_of_line(6), byte_of_line(6) + 4),
        directive(SuppressionDirective::Type::Enable, {}, byte_of_line(7), byte_of_line(7) + 4),
    };
  };
  SECTION("warn") {
    auto directives = make_directives();
    std::vector<Diagnostic> diagnostics{finding("floating-promise", 4, byte_of_line(4))};
    apply_suppressions(directives, diagnostics, Severity::Warn);
    REQUIRE(diagnostics.size() == 2);
    const Diagnostic& unused_rule = diagnostics[0];
    CHECK(unused_rule.rule_id == "unused-suppression");
    CHECK(unused_rule.severity == Severity::Warn);
    CHECK(unused_rule.message == "This suppression of 'missing-catch' suppresses nothing; remove it.");
    CHECK(unused_rule.start_byte == byte_of_line(3) + 2);
    CHECK(unused_rule.end_byte == byte_of_line(3) + 8);
    CHECK(unused_rule.start.line == 3);
    CHECK(unused_rule.start.column == 3);
    CHECK(unused_rule.end.column == 9);
    const Diagnostic& unused_block = diagnostics[1];
    CHECK(unused_block.rule_id == "unused-suppression");
    CHECK(unused_block.message == "This suppression comment suppresses nothing; remove it.");
    CHECK(unused_block.start.line == 6);
    CHECK(unused_block.start.column == 1);
  }
  SECTION("error") {
    auto directives = make_directives();
    std::vector<Diagnostic> diagnostics;
    apply_suppressions(directives, diagnostics, Severity::Error);
    REQUIRE(diagnostics.size() == 3);  // two names of the next-line directive, the block; never the enable
    for (const auto& d : diagnostics) {
      CHECK(d.rule_id == "unused-suppression");
      CHECK(d.severity == Severity::Error);
    }
    CHECK(diagnostics[0].message == "This suppression of 'floating-promise' suppresses nothing; remove it.");
    CHECK(diagnostics[1].message == "This suppression of 'missing-catch' suppresses nothing; remove it.");
  }
  SECTION("off reports nothing but still suppresses") {
    auto directives = make_directives();
    std::vector<Diagnostic> diagnostics{finding("floating-promise", 4, byte_of_line(4)), finding("async-foreach", 8, byte_of_line(8))};
    apply_suppressions(directives, diagnostics, Severity::Off);
    CHECK(keys(diagnostics) == std::vector<std::string>{"async-foreach@8"});
  }
  SECTION("no directives, no change") {
    std::vector<SuppressionDirective> none;
    std::vector<Diagnostic> diagnostics{finding("floating-promise", 4, byte_of_line(4))};
    apply_suppressions(none, diagnostics, Severity::Error);
    CHECK(keys(diagnostics) == std::vector<std::string>{"floating-promise@4"});
  }
}

// ------------------------------------------------------------------------------------------------
// End to end through the engine
// ------------------------------------------------------------------------------------------------

TEST_CASE("suppression comments through lint_sources", "[suppressions]") {
  SECTION("next-line, line, eslint spelling, unknown names and unused directives") {
    LintRun run = testing::lint_sources({{"/virtual/suppress/a.ts",
                                          std::string("async function f() { await Promise.reject(new Error('io')); }\n"                                      // 1
                                                      "// asynclint-disable-next-line floating-promise -- on purpose\n"  // 2
                                                      "f();\n"                                                         // 3
                                                      "f();\n"                                                         // 4
                                                      "f(); // asynclint-disable-line floating-promise\n"              // 5
                                                      "// eslint-disable-next-line asynclint/floating-promise\n"       // 6
                                                      "f();\n"                                                         // 7
                                                      "// eslint-disable-next-line no-console\n"                       // 8
                                                      "f();\n"                                                         // 9
                                                      "// asynclint-disable-next-line missing-catch\n"                 // 10
                                                      "const x = 1;\n"                                                 // 11
                                                      "// asynclint-disable-next-line bogus-rule\n"                    // 12
                                                      "f();\n"                                                         // 13
                                                      "done();\n")}});                                                 // 14
    CHECK(testing::finding_keys(run) == std::vector<std::string>{"floating-promise@4", "floating-promise@9", "unused-suppression@10",
                                                                 "unused-suppression@12", "floating-promise@13"});
    REQUIRE(run.files.size() == 1);
    for (const auto& d : run.files[0].diagnostics) {
      if (d.rule_id != "unused-suppression") continue;
      CHECK(d.severity == Severity::Warn);
      if (d.start.line == 12) CHECK_THAT(d.message, Catch::Contains("'bogus-rule' is not an asynclint rule"));
      if (d.start.line == 10) CHECK_THAT(d.message, Catch::Contains("'missing-catch'"));
    }
  }
  SECTION("block disable / enable of one rule, and file-wide") {
    LintRun run = testing::lint_sources({{"/virtual/suppress/b.js",
                                          std::string("async function f() { await Promise.reject(new Error('io')); }\n"      // 1
                                                      "/* asynclint-disable */\n"      // 2
                                                      "f();\n"                         // 3
                                                      "Promise.reject(new Error('x')).then(g);\n"                   // 4
                                                      "/* asynclint-enable floating-promise */\n"  // 5
                                                      "f();\n"                         // 6
                                                      "Promise.reject(new Error('x')).then(g);\n")}});              // 7
    CHECK(testing::finding_keys(run) == std::vector<std::string>{"floating-promise@6"});
    LintRun file_wide = testing::lint_sources({{"/virtual/suppress/c.js",
                                                std::string("async function f() { await Promise.reject(new Error('io')); }\n"
                                                            "f();\n"
                                                            "Promise.reject(new Error('x')).then(g);\n"
                                                            "// asynclint-disable-file floating-promise\n")}});
    CHECK(testing::finding_keys(file_wide) == std::vector<std::string>{"missing-catch@3"});
  }
}
