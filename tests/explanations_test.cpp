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
std::vector<std::string> steps(const Diagnostic& d) {
  std::vector<std::string> out;
  for (const auto& s : d.explanation) out.push_back(std::to_string(s.start.line) + "@" + std::to_string(s.time_ms) + ": " + s.message.substr(0, 30));
  return out;
}

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

TEST_CASE("explanation: sequential-await is a timeline of T, 2T, 3T against T with Promise.all", "[explain]") {
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
  REQUIRE(d.explanation.size() == 8);
  const std::vector<std::uint32_t> lines{2, 2, 3, 3, 4, 4};
  const std::vector<std::uint64_t> times{0, 100, 100, 200, 200, 300};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(d.explanation[i].start.line == lines[i]);
    CHECK(d.explanation[i].time_ms == times[i]);
  }
  CHECK(mentions(d.explanation[6].message, "done after 300 ms"));
  CHECK(mentions(d.explanation[7].message, "Promise.all"));
  CHECK(mentions(d.explanation[7].message, "done after 100 ms"));
}

TEST_CASE("explanation: unbounded-promise-all starts everything in one tick, a pool keeps 10 in flight", "[explain]") {
  const auto d = only_finding("f.js",
                              "import { Pool } from 'pg'; const db = new Pool(); export async function importAll(req) {\n"
                              "  await Promise.all(req.body.rows.map((row) => db.query('insert', row)));\n"  // 2
                              "}\n",
                              "unbounded-promise-all");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 3);
  CHECK(d.explanation[0].start.line == 2);
  CHECK(d.explanation[0].time_ms == 0);
  CHECK(mentions(d.explanation[0].message, ": 20 operations were started in the same tick"));
  CHECK(mentions(d.explanation[1].message, "with 20 in flight at the peak"));
  CHECK(mentions(d.explanation[2].message, "at most 5 in flight, all done after 400 ms"));
}

TEST_CASE("explanation: fetch-without-abort leaves the request pending with no timer to end it", "[explain]") {
  const auto d = only_finding("g.js",
                              "async function load() {\n"
                              "  const res = await fetch('https://api.example/items');\n"  // 2
                              "  return res.json();\n"
                              "}\n",
                              "fetch-without-abort");
  INFO(Catch::Detail::stringify(steps(d)));
  REQUIRE(d.explanation.size() == 3);
  CHECK(d.explanation[0].time_ms == 0);
  CHECK(mentions(d.explanation[1].message, "AbortSignal.timeout(10000)"));
  CHECK(d.explanation[1].time_ms == 10000);
  CHECK(mentions(d.explanation[2].message, "still pending"));
  for (const auto& s : d.explanation) CHECK(s.start.line == 2);
}
