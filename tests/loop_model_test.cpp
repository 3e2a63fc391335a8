// The event-loop model against Node itself: every fixtures/loop/*.js program is run by `node` and by
// explain_program, and the two stdouts must be identical (or the program declares itself unsupported).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <map>
#include <cstdlib>
#include <unistd.h>

#include "loop/explain.h"
#include "test_support.h"

namespace fs = std::filesystem;
using asynclint::LanguageId;
namespace testing = asynclint::testing;
using asynclint::loop::explain_program;
using asynclint::loop::ExplainLimits;

namespace {

// stdout of `node FILE` for every program (stderr discarded; the exit code does not matter, only what was
// printed), four node processes at a time: starting node dominates the test's time.
std::map<std::string, std::string> run_node_on_all(const std::vector<fs::path>& files) {
  const fs::path out_dir = fs::temp_directory_path() / ("asynclint-loop-" + std::to_string(::getpid()));
  fs::create_directories(out_dir);
  std::string list;
  for (const auto& f : files) list += testing::shell_quote(f.string()) + " ";
  const std::string cmd = "for f in " + list + "; do printf '%s\\0' \"$f\"; done | xargs -0 -P 4 -I{} sh -c " +
                          testing::shell_quote("node \"$1\" > " + testing::shell_quote(out_dir.string()) + "/\"$(basename \"$1\")\".out 2>/dev/null") + " _ {}";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::map<std::string, std::string> outputs;
  for (const auto& f : files) outputs[f.filename().string()] = testing::read_file(out_dir / (f.filename().string() + ".out"));
  fs::remove_all(out_dir);
  return outputs;
}

bool node_available() {
  FILE* pipe = popen("node --version 2>/dev/null", "r");
  if (!pipe) return false;
  char buf[64] = {};
  const bool ok = fgets(buf, sizeof buf, pipe) != nullptr && buf[0] == 'v';
  pclose(pipe);
  return ok;
}

std::vector<fs::path> loop_programs() {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(asynclint::testing::source_dir()) / "fixtures" / "loop";
  if (fs::exists(dir))
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.is_regular_file() && entry.path().extension() == ".js") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("loop model: every fixtures/loop program prints what node prints", "[loop]") {
  REQUIRE(node_available());  // node is required: the model is judged against it
  const auto files = loop_programs();
  REQUIRE(files.size() >= 30);
  std::size_t matched = 0, refused = 0;
  const auto node_outputs = run_node_on_all(files);
  for (const auto& file : files) {
    const std::string source = testing::read_file(file);
    const bool declared_unsupported = source.rfind("// loop-model: unsupported", 0) == 0;
    INFO("program: " << file.filename().string());
    const auto result = explain_program(source, LanguageId::JavaScript);
    if (declared_unsupported) {
      CHECK_FALSE(result.supported);
      // a refusal names the line of the construct (not a limit or an internal error)
      CHECK(result.unsupported_message.rfind("line ", 0) == 0);
      CHECK(result.unsupported_message.find("not modelled") != std::string::npos);
      ++refused;
      continue;
    }
    INFO("model says: " << (result.supported ? "supported" : result.unsupported_message));
    CHECK(result.supported);
    const std::string expected = node_outputs.at(file.filename().string());
    CHECK(result.output == expected);
    if (result.supported && result.output == expected) ++matched;
  }
  WARN("loop model: " << matched << " of " << files.size() << " programs match node; " << refused << " declared unsupported");
}

TEST_CASE("loop model: the trace names each callback with its line and the queues", "[loop]") {
  const auto r = explain_program(
      "setTimeout(() => console.log('t'), 10);\n"
      "Promise.resolve().then(() => console.log('p'));\n"
      "process.nextTick(() => console.log('n'));\n"
      "console.log('s');\n",
      LanguageId::JavaScript);
  REQUIRE(r.supported);
  CHECK(r.output == "s\nn\np\nt\n");
  REQUIRE(r.steps.size() == 4);
  CHECK(r.steps[0].what == "run main script");
  CHECK(r.steps[1].what == "nextTick: nextTick callback (line 3)");
  CHECK(r.steps[1].line == 3);
  CHECK(r.steps[1].microtasks == std::vector<std::string>{"then callback (line 2)"});
  CHECK(r.steps[1].timers.size() == 1);
  CHECK(r.steps[2].what == "microtask: then callback (line 2)");
  CHECK(r.steps[3].line == 1);
}

TEST_CASE("loop model: refuses what it does not model, naming the construct and line", "[loop]") {
  auto refused = [](const std::string& src) { return explain_program(src, LanguageId::JavaScript); };
  auto r = refused("console.log(1);\nconst o = { get x() { return 1; } };\no.x = 2;\n");
  CHECK_FALSE(r.supported);
  CHECK(r.output == "1\n");
  CHECK(r.unsupported_message ==
        "line 3: assigning to a property that has only a getter is not modelled (ignored in sloppy code, a TypeError in strict code)");
  r = refused("const o = {};\nObject.defineProperty(o, 'x', { value: 1 });\no.x = 2;\n");
  CHECK(r.unsupported_message ==
        "line 3: assigning to a read-only property is not modelled (ignored in sloppy code, a TypeError in strict code)");
  r = refused("const net = require('net');\n");
  CHECK_FALSE(r.supported);
  CHECK(r.unsupported_message == "line 1: `require('net')` is not modelled (only events, fs and timers/promises are)");
  r = refused("require('fs').readFile(__filename, (err) => {\n  if (err) throw err;\n});\n");
  CHECK_FALSE(r.supported);
  CHECK(r.unsupported_message.rfind("line 2: the error of fs.readFile depends on the machine", 0) == 0);
  r = refused("console.log(Date.now());");
  CHECK_FALSE(r.supported);
  r = refused("\n\nconsole.log(/a/.test('a'));");
  CHECK(r.unsupported_message == "line 3: regular expressions are not modelled");
  r = refused("console.log(Math.random());");
  CHECK_FALSE(r.supported);
  r = refused("class A { #secret = 1; }\n");
  CHECK(r.unsupported_message == "line 1: private names are not modelled");
  r = refused("class P extends Promise {}\nP.resolve(1);\n");
  CHECK(r.unsupported_message == "line 2: Promise.resolve called on a subclass of Promise (P) is not modelled");
  r = refused("class P extends Promise {}\nconst all = P.all;\nall.call(P, []);\n");
  CHECK(r.unsupported_message == "line 3: Promise.all called on a subclass of Promise (P) is not modelled");
  // Promise.resolve without a constructor as `this` is a TypeError, not a promise
  r = refused("const { resolve } = Promise;\ntry { resolve(1); } catch (e) { console.log(e.message); }\n");
  CHECK(r.supported);
  CHECK(r.output == "PromiseResolve called on non-object\n");
  r = refused("console.log('a-b'.replace(/-/, '+'));\n");
  CHECK(r.unsupported_message == "line 1: regular expressions are not modelled");
  r = refused("const { setTimeout: sleep } = require('timers/promises');\nsleep(10, 1, { ref: false });\n");
  CHECK(r.unsupported_message == "line 2: the options of timers/promises setTimeout (signal, ref) are not modelled");
  r = refused("const t = setTimeout(() => {}, 10);\nt.refresh();\n");
  CHECK(r.unsupported_message == "line 2: the property `refresh` of a built-in object is not modelled");
  r = refused("process.on('uncaughtException', () => {});\n");
  CHECK(r.unsupported_message == "line 1: the process event 'uncaughtException' is not modelled");
  r = refused("const { EventEmitter } = require('events');\nconsole.log(Object.keys(new EventEmitter()));\n");
  CHECK(r.unsupported_message == "line 2: the own properties of an EventEmitter (or process) are not modelled");
}

TEST_CASE("loop model: runaway programs stop with a clear message", "[loop]") {
  ExplainLimits limits;
  limits.max_steps = 100'000;
  auto r = explain_program("console.log('a');\nwhile (true) {}\n", LanguageId::JavaScript, limits);
  CHECK_FALSE(r.supported);
  CHECK(r.output == "a\n");
  CHECK(r.unsupported_message == "stopped after 100,000 steps: the program does not terminate");

  r = explain_program("function again() { queueMicrotask(again); }\nagain();\n", LanguageId::JavaScript, limits);
  CHECK_FALSE(r.supported);
  CHECK(r.unsupported_message == "stopped after 100,000 steps: the program does not terminate");

  r = explain_program("const f = () => Promise.resolve().then(f);\nf();\n", LanguageId::JavaScript, limits);
  CHECK_FALSE(r.supported);

  r = explain_program("function f(n) { return f(n + 1) + 1; }\nf(0);\n", LanguageId::JavaScript);
  CHECK_FALSE(r.supported);
  CHECK(r.unsupported_message.find("recurses too deeply") != std::string::npos);

  r = explain_program("async function f(n) { await null; return f(n + 1); }\nf(0);\n", LanguageId::JavaScript, limits);
  CHECK_FALSE(r.supported);

  r = explain_program("setInterval(() => {}, 1000);\n", LanguageId::JavaScript);
  CHECK_FALSE(r.supported);
  CHECK(r.unsupported_message == "stopped after 86,400 seconds of virtual time: the program does not terminate");

  ExplainLimits small;
  small.max_heap_objects = 5000;
  r = explain_program("const a = []; for (;;) a.push({});\n", LanguageId::JavaScript, small);
  CHECK_FALSE(r.supported);
  CHECK(r.unsupported_message.find("objects") != std::string::npos);
}
