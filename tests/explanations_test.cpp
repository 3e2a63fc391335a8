// Each rule's execution-order explanation: the event-loop model runs the rule's scenario, and the steps
// must name the right lines in the order the code really runs (the model decides the order; these
// expectations are written from how Node runs such code, not copied from the program's output).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "test_support.h"

using asynclint::Diagnostic;
using asynclint::InputFile;
using asynclint::testing::lint_sources;

namespace {

// The only finding of `rule` in a one-file run.
Diagnostic only_finding(const std::string& file, const std::string& code, const std::string& rule) {
  auto run = lint_sources({InputFile{file, code}});
  std::vector<Diagnostic> found;
  for (const auto& f : run.files)
    for (const auto& d : f.diagnostics)
      if (d.rule_id == rule) found.push_back(d);
  REQUIRE(found.size() == 1);
  return found.front();
}

// "line:message-start" per step, to compare order and places at a glance.
std::vector<std::string> steps(const std::vector<asynclint::ExplanationStep>& explanation) {
  std::vector<std::string> out;
  for (const auto& s : explanation) out.push_back(std::to_string(s.start.line) + "@" + std::to_string(s.time_ms) + ": " + s.message.substr(0, 30));
  return out;
}
std::vector<std::string> steps(const Diagnostic& d) { return steps(d.explanation); }

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("explanation: async-foreach runs the line after forEach before any callback resumes", "[explain]") {
  const auto d = only_finding("a.js",
                              "async function notifyAll(users) {\n"   // 1
                              "  users.forEach(async (user) => {\n"  // 2
                              "    await send(user);\n"              // 3
                              "  });\n"                              // 4
                              "  console.log('notified');\n"         // 5
                              "}\n"
                              "async function send() {}\n",
                              "async-foreach");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() >= 7);
  const auto& x = d.explanation;
  CHECK(x[0].start.line == 2);  // forEach calls the callback per element
  for (int i = 1; i <= 3; ++i) {
    CHECK(x[i].start.line == 3);  // each callback suspends at its await, during forEach
    CHECK(x[i].time_ms == 0);
    CHECK(x[i].nesting == 1);
  }
  CHECK(x[4].start.line == 2);  // forEach returns
  CHECK(mentions(x[4].message, "still pending"));
  CHECK(x[5].start.line == 5);  // the next line runs at once
  CHECK(x[5].time_ms == 0);
  // later, the callbacks resume; the failing one is unhandled and ends the process
  CHECK(x[6].time_ms > 0);
  CHECK(mentions(x.back().message, "unhandled rejection"));
  CHECK(x.back().start.line == 3);
}

TEST_CASE("explanation: floating-promise returns before the dropped promise settles", "[explain]") {
  const auto d = only_finding("b.js",
                              "async function save(o) { await fs.writeFile('order.json', o); } import fs from 'node:fs/promises';\n"  // 1
                              "function handle(order) {\n"           // 2
                              "  save(order);\n"                     // 3
                              "  console.log('saved?');\n"           // 4
                              "}\n",                                  // 5
                              "floating-promise");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 5);
  CHECK(d.explanation[0].start.line == 3);
  CHECK(d.explanation[1].start.line == 3);
  CHECK(d.explanation[2].start.line == 4);  // the next statement, at time 0
  CHECK(d.explanation[2].time_ms == 0);
  CHECK(d.explanation[3].start.line == 5);  // handle() returns (its closing brace), still at time 0
  CHECK(mentions(d.explanation[3].message, "handle() returns"));
  CHECK(d.explanation[4].time_ms == 100);  // the rejection comes later, with no handler
  CHECK(mentions(d.explanation[4].message, "unhandled rejection"));
}

TEST_CASE("explanation: missing-catch passes the rejection through then() to an unhandled promise", "[explain]") {
  const auto d = only_finding("c.js",
                              "const api = require('axios'); function load() {\n"  // 1
                              "  api.get('/x').then((r) => console.log(r));\n"     // 2
                              "}\n",
                              "missing-catch");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 4);
  CHECK(d.explanation[1].start.line == 2);
  CHECK(mentions(d.explanation[1].message, "without a rejection handler"));
  CHECK(d.explanation[2].start.line == 3);
  CHECK(d.explanation[3].time_ms == 100);
  CHECK(mentions(d.explanation[3].message, "unhandled rejection"));
}

TEST_CASE("explanation: missing-catch on an async timer callback", "[explain]") {
  const auto d = only_finding("d.js",
                              "setTimeout(async () => {\n"  // 1
                              "  await flush();\n"         // 2
                              "}, 1000);\n"
                              "async function flush() { await fs.rm('spool', { recursive: true }); }\n"
                              "import fs from 'node:fs/promises';\n",
                              "missing-catch");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 3);
  CHECK(d.explanation[0].start.line == 1);
  CHECK(d.explanation[1].start.line == 2);
  CHECK(d.explanation[1].time_ms > d.explanation[0].time_ms);  // the callback runs later, when the timer fires
  CHECK(d.explanation[2].time_ms == d.explanation[1].time_ms + 100);
  CHECK(mentions(d.explanation[2].message, "unhandled rejection"));
}

TEST_CASE("explanation: sequential-await is a timeline of T, 2T, 3T; the fix, run apart, takes T", "[explain]") {
  const auto d = only_finding("e.js",
                              "async function page(id) {\n"         // 1
                              "  const a = await getUser(id);\n"    // 2
                              "  const b = await getOrders(id);\n"  // 3
                              "  const c = await getTeams(id);\n"   // 4
                              "  return [a, b, c];\n"
                              "}\n"
                              "async function getUser(id) { return fetch(`/u/${id}`, { signal: AbortSignal.timeout(1) }); }\n"
                              "async function getOrders(id) { return fetch(`/o/${id}`, { signal: AbortSignal.timeout(1) }); }\n"
                              "async function getTeams(id) { return fetch(`/t/${id}`, { signal: AbortSignal.timeout(1) }); }\n",
                              "sequential-await");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 7);
  const std::vector<std::uint32_t> lines{2, 2, 3, 3, 4, 4};
  const std::vector<std::uint64_t> times{0, 100, 100, 200, 200, 300};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(d.explanation[i].start.line == lines[i]);
    CHECK(d.explanation[i].time_ms == times[i]);
  }
  CHECK(mentions(d.explanation[6].message, "done after 300 ms"));
  // The code as written has no Promise.all: the fix is not on its timeline.
  for (const auto& step : d.explanation) CHECK_FALSE(mentions(step.message, "Promise.all"));
  // The fix, on a clock of its own: the three start at 0 ms and finish together at 100 ms.
  INFO(Catch::Detail::stringify(steps(d.fixed_explanation)));
  REQUIRE(d.fixed_explanation.size() == 7);
  const std::vector<std::uint32_t> fixed_lines{2, 3, 4, 2, 3, 4};
  const std::vector<std::uint64_t> fixed_times{0, 0, 0, 100, 100, 100};
  for (std::size_t i = 0; i < fixed_lines.size(); ++i) {
    CHECK(d.fixed_explanation[i].start.line == fixed_lines[i]);
    CHECK(d.fixed_explanation[i].time_ms == fixed_times[i]);
  }
  CHECK(mentions(d.fixed_explanation[6].message, "Promise.all"));
  CHECK(mentions(d.fixed_explanation[6].message, "done after 100 ms"));
}

TEST_CASE("explanation: unbounded-promise-all starts everything in one tick; the fix, run apart, keeps 5 in flight", "[explain]") {
  const auto d = only_finding("f.js",
                              "import { Pool } from 'pg'; const db = new Pool(); export async function importAll(req) {\n"
                              "  await Promise.all(req.body.rows.map((row) => db.query('insert', row)));\n"  // 2
                              "}\n",
                              "unbounded-promise-all");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 2);
  CHECK(d.explanation[0].start.line == 2);
  CHECK(d.explanation[0].time_ms == 0);
  CHECK(mentions(d.explanation[0].message, ": 20 operations were started in the same tick"));
  CHECK(mentions(d.explanation[1].message, "with 20 in flight at the peak"));
  CHECK(d.explanation[1].time_ms == 100);
  REQUIRE(d.fixed_explanation.size() == 2);
  CHECK(mentions(d.fixed_explanation[0].message, ": 5 operations start"));
  CHECK(d.fixed_explanation[1].time_ms == 400);  // 20 operations of 100 ms, 5 at a time
  CHECK(mentions(d.fixed_explanation[1].message, "all done after 400 ms with at most 5 in flight"));
}

TEST_CASE("explanation: fetch-without-abort in Node waits for undici's 300 s timeout; the fix, run apart, ends at the signal's", "[explain]") {
  const auto d = only_finding("g.js",
                              "const fs = require('fs');\n"
                              "async function load() {\n"
                              "  const res = await fetch('https://api.example/items');\n"  // 3
                              "  return res.json();\n"
                              "}\n",
                              "fetch-without-abort");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 2);
  CHECK(d.explanation[0].time_ms == 0);
  CHECK(d.explanation[1].time_ms == 300000);
  CHECK(mentions(d.explanation[1].message, "fetch failed"));
  for (const auto& step : d.explanation) {
    CHECK(step.start.line == 3);
    CHECK_FALSE(mentions(step.message, "AbortSignal"));  // the code as written has no signal
  }
  REQUIRE(d.fixed_explanation.size() == 2);
  CHECK(mentions(d.fixed_explanation[0].message, "AbortSignal.timeout(10000)"));
  CHECK(d.fixed_explanation[1].time_ms == 10000);
  CHECK(mentions(d.fixed_explanation[1].message, "TimeoutError"));
}

TEST_CASE("explanation: fetch-without-abort in a browser stays pending, with nothing to end it", "[explain]") {
  const auto d = only_finding("h.js",
                              "async function load() {\n"
                              "  const res = await fetch('https://api.example/items');\n"  // 2
                              "  document.title = 'loaded';\n"
                              "}\n",
                              "fetch-without-abort");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 2);
  CHECK(mentions(d.explanation[1].message, "still pending"));
  CHECK(d.explanation[1].time_ms <= 1);  // nothing is left to run once the main script (1 ms in the model) ends
  CHECK(d.fixed_explanation.size() == 2);
}

TEST_CASE("explanation: missing-catch follows the code's own interval and says when an event's callback runs", "[explain]") {
  const auto interval = only_finding("i.js",
                                     "const fs = require('fs');\n"
                                     "const EVERY_MINUTE = 60 * 1000;\n"
                                     "setInterval(async () => {\n"            // 3
                                     "  await fs.promises.rm('spool');\n"     // 4
                                     "}, EVERY_MINUTE);\n",
                                     "missing-catch");
  INFO(Catch::Detail::stringify(steps(interval)));
  REQUIRE(interval.explanation.size() == 3);
  CHECK(mentions(interval.explanation[0].message, "every 60000 ms"));
  CHECK(interval.explanation[1].time_ms == 60000);  // the first call, when the interval has passed
  CHECK(interval.explanation[2].time_ms == 60100);
  CHECK(interval.fixed_explanation.empty());

  const auto separators = only_finding("j.js",
                                       "const fs = require('fs');\n"
                                       "setTimeout(async () => { await fs.promises.rm('spool'); }, 1_500);\n",
                                       "missing-catch");
  REQUIRE(separators.explanation.size() == 3);
  CHECK(separators.explanation[1].time_ms == 1500);

  const auto event = only_finding("k.js",
                                  "const fs = require('fs');\n"
                                  "process.stdin.on('data', async () => { await fs.promises.rm('spool'); });\n",
                                  "missing-catch");
  REQUIRE(event.explanation.size() == 3);
  CHECK(mentions(event.explanation[0].message, "when the event is emitted"));
}
