// Inputs the fuzz targets (fuzz/) found crashing or misbehaving, kept under tests/regressions/<target>/ and
// run again here the way that target runs them: no exception may escape, and the result must be sane.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "../fuzz/explain_limits.h"
#include "engine/baseline.h"
#include "engine/config.h"
#include "loop/explain.h"
#include "lsp/server.h"
#include "lsp/transport.h"
#include "syntax/language.h"
#include "syntax/parse.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace asynclint;

namespace {


std::vector<fs::path> regressions(const std::string& target) {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(testing::source_dir()) / "tests" / "regressions" / target;
  if (fs::exists(dir))
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// As fuzz/lint_fuzzer.cpp: the same text as a JavaScript and a TypeScript file of one project.
void lint_as_fuzzed(const std::string& text) {
  const std::vector<InputFile> files{{"/nonexistent-asynclint-fuzz/input.js", text}, {"/nonexistent-asynclint-fuzz/input.ts", text}};
  LintRun run;
  REQUIRE_NOTHROW(run = testing::lint_sources(files));
  CHECK(run.files.size() + run.notices.size() == files.size());
  for (const auto& report : run.files) {
    const std::size_t length = report.source ? report.source->text().size() : 0;
    for (const auto& d : report.diagnostics) {
      CHECK(d.start_byte <= d.end_byte);
      CHECK(d.end_byte <= length);
      CHECK(d.start.line >= 1);
    }
  }
}

// As fuzz/explain_fuzzer.cpp: small limits, so a runaway program stops quickly.
void explain_as_fuzzed(const std::string& source) {
  const loop::ExplainLimits limits = fuzzing::explain_limits();
  loop::ExplainResult result;
  REQUIRE_NOTHROW(result = loop::explain_program(source, LanguageId::JavaScript, limits));
  if (!result.supported) CHECK_FALSE(result.unsupported_message.empty());
}

// As fuzz/config_fuzzer.cpp: accepted, or refused with a message naming the file.
void load_config_as_fuzzed(const std::string& text) {
  std::string error;
  std::optional<Config> config;
  REQUIRE_NOTHROW(config = parse_config(text, "/project/asynclint.json", error));
  if (!config) CHECK(error.rfind("/project/asynclint.json: ", 0) == 0);
}

// As fuzz/lsp_fuzzer.cpp: the first byte is the read size, the rest a client's byte stream.
void serve_as_fuzzed(const std::string& input) {
  using namespace asynclint::lsp;
  if (input.empty()) return;
  const std::size_t chunk = 1 + static_cast<unsigned char>(input[0]) % 64;
  std::size_t position = 1;
  FrameReader reader(
      [&](char* buffer, std::size_t capacity) -> long {
        const std::size_t n = std::min({capacity, chunk, input.size() - position});
        std::copy_n(input.data() + position, n, buffer);
        position += n;
        return static_cast<long>(n);
      },
      64 * 1024);
  Server server([](const Json& message) { (void)message.dump(-1, ' ', false, Json::error_handler_t::replace); });
  for (bool more = true; more && !server.exit_requested();) {
    Frame frame = reader.next();
    if (frame.kind == Frame::Kind::Message) {
      Json message = Json::parse(frame.body, nullptr, false);
      if (message.is_discarded()) server.handle_transport_error("not JSON", true);
      else server.handle(message);
    } else if (frame.kind == Frame::Kind::End) {
      more = false;
    } else {
      server.handle_transport_error(frame.error, false);
    }
  }
  server.run_due_work(Clock::now() + std::chrono::hours(1));
}

}  // namespace

TEST_CASE("fuzz regressions: every kept input runs cleanly through its target", "[fuzz]") {
  const std::pair<const char*, void (*)(const std::string&)> targets[] = {
      {"lint", &lint_as_fuzzed}, {"explain", &explain_as_fuzzed}, {"config", &load_config_as_fuzzed}, {"lsp", &serve_as_fuzzed}};
  std::size_t count = 0;
  for (const auto& [target, run_as_fuzzed] : targets) {
    for (const auto& file : regressions(target)) {
      INFO("tests/regressions/" << target << "/" << file.filename().string());
      run_as_fuzzed(testing::read_file(file));
      ++count;
    }
  }
  CHECK(count >= 1);
}

TEST_CASE("fuzz regressions: a number JSON cannot hold is a configuration error, not an internal error", "[fuzz]") {
  // The config fuzzer's find: nlohmann::json reports 1e999 as out_of_range, not as a parse_error.
  std::string error;
  auto config = parse_config(testing::read_file(fs::path(testing::source_dir()) / "tests/regressions/config/number-overflow-1e999.json"),
                             "/project/asynclint.json", error);
  CHECK_FALSE(config.has_value());
  CHECK(error.find("/project/asynclint.json: a number is too large") == 0);
  CHECK(error.find("1e999") != std::string::npos);

  // The baseline file is read the same way.
  const fs::path baseline = fs::temp_directory_path() / ("asynclint-baseline-" + std::to_string(::getpid()) + ".json");
  std::ofstream(baseline) << R"({ "src/a.js": { "floating-promise": { "count": 1e999 } } })";
  error.clear();
  auto loaded = load_baseline(baseline.string(), error);
  fs::remove(baseline);
  CHECK_FALSE(loaded.has_value());
  CHECK(error.find("malformed JSON") != std::string::npos);
}

// tree-sitter's error recovery ran for minutes on this 5 KB input (stray NUL bytes among code; 3.5 minutes
// and 14 million nodes in a plain parse): the explain fuzzer's first hang. Every parse is now bounded.
TEST_CASE("fuzz regressions: a parse whose error recovery runs away is cut off, and real files are not", "[fuzz]") {
  const std::string runaway =
      testing::read_file(fs::path(testing::source_dir()) / "tests/regressions/explain/parser-error-recovery-runs-away.js");
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, ts_language(LanguageId::JavaScript));
  TSTree* tree = parse_bounded(parser, nullptr, runaway);
  CHECK(tree == nullptr);
  if (tree) ts_tree_delete(tree);

  const loop::ExplainResult result = loop::explain_program(runaway, LanguageId::JavaScript, fuzzing::explain_limits());
  CHECK_FALSE(result.supported);
  CHECK(result.unsupported_message.find("the parser gave up") != std::string::npos);

  // The bound is far from what real code needs: every fixture and example parses within it.
  std::size_t parsed = 0;
  for (const char* folder : {"fixtures", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(testing::source_dir()) / folder)) {
      const auto language = entry.is_regular_file() ? language_for_path(entry.path().string()) : std::nullopt;
      if (!language) continue;
      ts_parser_set_language(parser, ts_language(*language));
      TSTree* fixture = parse_bounded(parser, nullptr, testing::read_file(entry.path()));
      INFO(entry.path().string());
      CHECK(fixture != nullptr);
      if (fixture) ts_tree_delete(fixture);
      ++parsed;
    }
  }
  CHECK(parsed > 100);
  ts_parser_delete(parser);
}
