// Every explanation checked against real Node: each finding in fixtures/<rule>/ carries the scenario
// programs its explanations came from (the code as written, and the fix when the rule shows one). Each
// program runs in `node` with the scenario host of tests/explain_node/host.js, and the steps Node records
// must be the model's steps: the same places, the same texts, in the same order, at the same virtual times.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/rule.h"
#include "loop/scenario.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace asynclint;

namespace {

// One explanation to check: the program, and what the model said it does.
struct Case {
  std::string name;  // "fixtures/missing-catch/timers.js:12 missing-catch (fixed)"
  std::string program;
  std::string source;  // the linted file's text, to place Node's byte offsets
  std::vector<ExplanationStep> model_steps;
};

// "line:column nesting@time text" per step, for both sides.
std::string describe(std::uint32_t line, std::uint32_t column, std::uint32_t nesting, std::uint64_t time, const std::string& text) {
  return std::to_string(line) + ":" + std::to_string(column) + " " + std::to_string(nesting) + "@" + std::to_string(time) + " " + text;
}

LineColumn place(const std::string& source, std::uint64_t offset) {
  LineColumn at{1, 1};
  offset = std::min<std::uint64_t>(offset, source.size());
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (source[i] == '\n') {
      ++at.line;
      line_start = i + 1;
    }
  // Columns count UTF-16 code units, as the engine's positions do; the fixtures' code before a finding's
  // places is ASCII in practice, and a multi-byte character shows up as a mismatch rather than passing.
  at.column = static_cast<std::uint32_t>(offset - line_start + 1);
  return at;
}

// A program with its texts and the byte offsets of its steps taken out: findings of one shape differ only
// in those, and one of each shape is run (starting node once per finding would dominate the suite's time).
// Every other number stays: a delay or a count changes what runs when.
std::string shape_of(const std::string& program) {
  static const std::regex kStrings(R"("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')");
  static const std::regex kOffsets(R"(((?:__step|__unhandled)\(|__atEnd\([A-Za-z_$][\w$]*, )[0-9]+)");
  return std::regex_replace(std::regex_replace(program, kStrings, "S"), kOffsets, "$1N");
}

// Runs every case's program in node, four at a time; returns each one's stdout.
std::vector<std::string> run_in_node(const std::vector<Case>& cases) {
  const fs::path dir = fs::temp_directory_path() / ("asynclint-explain-node-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string host = testing::read_file(testing::source_dir() + "/tests/explain_node/host.js");
  std::string list;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const fs::path file = dir / (std::to_string(i) + ".js");
    std::ofstream out(file, std::ios::binary);
    out << host << '\n' << loop::scenario_prelude() << cases[i].program << "\n__hostMainDone();\n";
    list += testing::shell_quote(file.string()) + " ";
  }
  const std::string command = "for f in " + list + "; do printf '%s\\0' \"$f\"; done | xargs -0 -P 4 -I{} sh -c " +
                              testing::shell_quote("node \"$1\" > \"$1.out\" 2>/dev/null; exit 0") + " _ {}";
  REQUIRE(std::system(command.c_str()) == 0);
  std::vector<std::string> outputs;
  for (std::size_t i = 0; i < cases.size(); ++i) outputs.push_back(testing::read_file(dir / (std::to_string(i) + ".js.out")));
  fs::remove_all(dir);
  return outputs;
}

}  // namespace

TEST_CASE("every fixture finding's explanations are what Node does with the same scenario", "[explain][node]") {
  std::vector<Case> cases;
  std::set<std::string> shapes;
  std::size_t findings = 0;
  std::map<std::string, std::size_t> explained_by_rule, fixed_by_rule;
  for (const auto& entry : fs::directory_iterator(testing::source_dir() + "/fixtures")) {
    if (!entry.is_directory() || entry.path().filename() == "loop") continue;
    WalkOptions walk;
    walk.use_ignore_files = false;
    const WalkResult walked = discover_files({entry.path().string()}, walk);
    std::vector<InputFile> inputs;
    for (const auto& file : walked.files) inputs.push_back({file, std::nullopt});
    ConfigResolver configs(std::nullopt, {});
    LintOptions options;
    options.threads = 2;
    options.keep_scenario_programs = true;
    std::string error;
    const LintRun run = lint_files(inputs, configs, options, error);
    REQUIRE(error.empty());
    for (const auto& file : run.files) {
      const std::string source = testing::read_file(file.path);
      for (const auto& d : file.diagnostics) {
        const std::string name = fs::relative(file.path, testing::source_dir()).string() + ":" + std::to_string(d.start.line) + " " + d.rule_id;
        if (d.scenario_program.empty()) continue;
        INFO(name);
        // The model ran every scenario a rule wrote: an empty explanation would be a scenario it refused.
        CHECK(!d.explanation.empty());
        CHECK(d.fixed_scenario_program.empty() == d.fixed_explanation.empty());
        ++findings;
        if (shapes.insert(shape_of(d.scenario_program)).second) {
          cases.push_back({name, d.scenario_program, source, d.explanation});
          ++explained_by_rule[d.rule_id];
        }
        if (!d.fixed_scenario_program.empty() && shapes.insert(shape_of(d.fixed_scenario_program)).second) {
          cases.push_back({name + " (fixed)", d.fixed_scenario_program, source, d.fixed_explanation});
          ++fixed_by_rule[d.rule_id];
        }
      }
    }
  }
  // Every rule that explains its findings is checked on its fixtures.
  for (const Rule* rule : RuleRegistry::rules()) {
    if (rule->meta().reported_by_engine) continue;
    INFO("rule " << rule->meta().id);
    CHECK(explained_by_rule[std::string(rule->meta().id)] >= 1);
  }
  for (const char* rule : {"fetch-without-abort", "sequential-await", "unbounded-promise-all"}) {
    INFO("rule " << rule << " shows its fix");
    CHECK(fixed_by_rule[rule] >= 1);
  }

  const std::vector<std::string> outputs = run_in_node(cases);
  std::size_t agreed = 0, steps = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    INFO(c.name << "\n" << c.program);
    nlohmann::json recorded = nlohmann::json::parse(outputs[i], nullptr, false);
    REQUIRE(recorded.is_array());
    std::vector<std::string> node_said, model_said;
    for (const auto& step : recorded) {
      const LineColumn at = place(c.source, step["offset"].get<std::uint64_t>());
      node_said.push_back(describe(at.line, at.column, step["nesting"].get<std::uint32_t>(), step["time"].get<std::uint64_t>(),
                                   step["text"].get<std::string>()));
    }
    for (const auto& step : c.model_steps)
      model_said.push_back(describe(step.start.line, step.start.column, step.nesting, step.time_ms, step.message));
    CHECK(model_said == node_said);
    if (model_said == node_said) ++agreed;
    steps += model_said.size();
  }
  WARN("explanations checked against node: " << agreed << " of " << cases.size() << " programs agree (" << steps << " steps; "
                                              << findings << " findings, one program per shape)");
}
