// Unit tests of "can this promise reject?" (analyzer/semantic/rejection.h): each source of a promise, how
// chains pass a rejection on or stop it, how async bodies and executors are read, and how values are
// followed through variables and fields. Expectations follow the language's semantics, case by case.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "parsed_source.h"
#include "semantic/rejection.h"

using namespace asynclint;
using testing::Parsed;

namespace {

// The answer for the expression of the `index`-th expression statement of a function named `name`
// (statements are counted at the function body's own level).
RejectionFact statement_fact(const Parsed& p, std::string_view name, int index = 0) {
  TSNode function = p.function_declaration(name);
  INFO("function " << name);
  REQUIRE_FALSE(ts_node_is_null(function));
  TSNode body = p.syntax().field(function, Field::body);
  int seen = 0;
  for (std::uint32_t i = 0; i < ts_node_named_child_count(body); ++i) {
    TSNode statement = ts_node_named_child(body, i);
    if (!p.syntax().is(statement, Kind::expression_statement)) continue;
    if (seen++ == index) return p.model().rejections().of_expression(p.syntax().first_named_child(statement));
  }
  FAIL("no such statement");
  return {};
}

Rejects answer_of(const Parsed& p, std::string_view name, int index = 0) { return statement_fact(p, name, index).answer; }

Rejects function_answer(const Parsed& p, std::string_view name) {
  TSNode function = p.function_declaration(name);
  INFO("function " << name);
  REQUIRE_FALSE(ts_node_is_null(function));
  return p.model().rejections().of_function(function).answer;
}

}  // namespace

TEST_CASE("rejection: sources that cannot reject, and sources that can", "[rejection]") {
  Parsed p(
      "function resolved() { Promise.resolve(); Promise.resolve(42); Promise.resolve(fetch('/x')); }\n"
      "function settled() { Promise.allSettled([fetch('/a'), fetch('/b')]); }\n"
      "function rejected() { Promise.reject(new Error('no')); }\n"
      "function network() { fetch('/x'); globalThis.fetch('/y'); }\n"
      "function unknown() { db.query('select 1'); }\n"
      "function all() { Promise.all([Promise.resolve(1), 2]); Promise.all([Promise.resolve(1), fetch('/z')]); Promise.all(jobs); }\n"
      "function dynamic() { import('./plugin.js'); }\n");
  REQUIRE_FALSE(p.has_error());
  CHECK(answer_of(p, "resolved", 0) == Rejects::No);
  CHECK(answer_of(p, "resolved", 1) == Rejects::No);
  CHECK(answer_of(p, "resolved", 2) == Rejects::Yes);  // resolving with a promise adopts its rejection
  CHECK(answer_of(p, "settled") == Rejects::No);
  CHECK(answer_of(p, "rejected") == Rejects::Yes);
  CHECK(answer_of(p, "network", 0) == Rejects::Yes);
  CHECK(answer_of(p, "network", 1) == Rejects::Yes);
  CHECK(answer_of(p, "unknown") == Rejects::Maybe);
  CHECK(answer_of(p, "all", 0) == Rejects::No);
  CHECK(answer_of(p, "all", 1) == Rejects::Yes);
  CHECK(answer_of(p, "all", 2) == Rejects::Maybe);
  CHECK(answer_of(p, "dynamic") == Rejects::Maybe);
}

TEST_CASE("rejection: executors", "[rejection]") {
  Parsed p(
      "function resolveOnly() { new Promise((resolve) => setTimeout(resolve, 10)); }\n"
      "function unusedReject() { new Promise((resolve, reject) => { resolve(1); }); }\n"
      "function callsReject() { new Promise((resolve, reject) => { stream.on('error', (e) => reject(e)); }); }\n"
      "function handsRejectOn() { new Promise((resolve, reject) => { stream.on('error', reject); }); }\n"
      "function throws() { new Promise((resolve) => { if (!ready) throw new Error('not ready'); resolve(); }); }\n"
      "function caughtThrow() { new Promise((resolve) => { try { parse(); } catch (e) {} resolve(); }); }\n"
      "function deferred() { let done; const p = new Promise((r) => { done = r; }); p; }\n"
      "function unseen() { new Promise(executor); }\n"
      "function localExecutor() { new Promise(wait); }\n"
      "function wait(resolve) { setTimeout(resolve, 5); }\n"
      "function guardedSetup() { new Promise((resolve, reject) => { try { resolve(connect()); } catch (e) { reject(e); } }); }\n"
      "function guardedThrow() { new Promise((resolve, reject) => { try { if (!url) throw new Error('no url'); resolve(); } catch (e) { reject(e); } }); }\n"
      "function guardedParse() { new Promise((resolve, reject) => { try { resolve(JSON.parse(text)); } catch (e) { reject(e); } }); }\n"
      "function rejectsLater() { new Promise((resolve, reject) => { try { socket.on('error', (e) => reject(e)); } catch (e) { resolve(); } }); }\n");
  REQUIRE_FALSE(p.has_error());
  // reject only in the catch of a try whose calls could throw synchronously: not a visible reason.
  CHECK(answer_of(p, "guardedSetup") == Rejects::No);
  CHECK(answer_of(p, "guardedThrow") == Rejects::Yes);
  CHECK(answer_of(p, "guardedParse") == Rejects::Yes);
  CHECK(answer_of(p, "rejectsLater") == Rejects::Yes);
  CHECK(answer_of(p, "resolveOnly") == Rejects::No);
  CHECK(answer_of(p, "unusedReject") == Rejects::No);
  CHECK(answer_of(p, "callsReject") == Rejects::Yes);
  CHECK(answer_of(p, "handsRejectOn") == Rejects::Yes);
  CHECK(answer_of(p, "throws") == Rejects::Yes);
  CHECK(answer_of(p, "caughtThrow") == Rejects::No);
  CHECK(answer_of(p, "deferred") == Rejects::No);
  CHECK(answer_of(p, "unseen") == Rejects::Maybe);
  CHECK(answer_of(p, "localExecutor") == Rejects::No);
  CHECK(statement_fact(p, "callsReject").reason == "its executor calls reject (line 3)");
}

TEST_CASE("rejection: a literal argument can rule out the branch that rejects", "[rejection]") {
  Parsed p(
      "async function share(enabled, opts) {\n"
      "  if (enabled) { if (!opts.stream) throw new Error('no stream'); return start(opts); }\n"
      "  else { stop(); return false; }\n"
      "}\n"
      "async function mute(silent) { if (!silent) await fetch('https://api.example/mute'); }\n"
      "function off() { share(false, {}); }\n"
      "function on() { share(true, {}); }\n"
      "function either(flag) { share(flag, {}); }\n"
      "function quiet() { mute(true); }\n"
      "function loud() { mute(false); }\n"
      "function twice() { share(false, {}); share(true, {}); }\n");
  REQUIRE_FALSE(p.has_error());
  CHECK(answer_of(p, "off") == Rejects::No);
  CHECK(statement_fact(p, "off").reason.find("cannot reject with the arguments given here") != std::string::npos);
  CHECK(answer_of(p, "on") == Rejects::Yes);
  CHECK(answer_of(p, "either") == Rejects::Yes);
  CHECK(answer_of(p, "quiet") == Rejects::No);
  CHECK(answer_of(p, "loud") == Rejects::Yes);
  // The narrowed reading is not cached as the function's own answer.
  CHECK(answer_of(p, "twice", 0) == Rejects::No);
  CHECK(answer_of(p, "twice", 1) == Rejects::Yes);
}

TEST_CASE("rejection: chains stop or pass on a rejection", "[rejection]") {
  Parsed p(
      "function caught() { db.load().catch(() => {}); db.load().catch(noop); }\n"
      "function rethrows() { db.load().catch((e) => { throw wrap(e); }); }\n"
      "function emptyCatch() { db.load().catch(); db.load().catch(null); }\n"
      "function twoArgs() { db.load().then(show, report); db.load().then(show, undefined); }\n"
      "function afterCatch() { db.load().catch(noop).then((r) => r.size); }\n"
      "function thenReturnsRequest() { Promise.resolve().then(() => fetch('/x')); }\n"
      "function thenReturnsUnknown() { Promise.resolve().then(() => telemetry.record()); }\n"
      "function thenThrows() { Promise.resolve().then(() => { throw new Error('x'); }); }\n"
      "function thenAsync() { Promise.resolve().then(async () => { await db.save(); }); }\n"
      "function finallyPasses() { db.load().finally(cleanup); Promise.resolve().finally(() => { throw e; }); }\n");
  REQUIRE_FALSE(p.has_error());
  CHECK(answer_of(p, "caught", 0) == Rejects::No);
  CHECK(answer_of(p, "caught", 1) == Rejects::No);  // a handler out of sight is not assumed to rethrow
  CHECK(answer_of(p, "rethrows") == Rejects::Yes);
  CHECK(answer_of(p, "emptyCatch", 0) == Rejects::Maybe);
  CHECK(answer_of(p, "emptyCatch", 1) == Rejects::Maybe);
  CHECK(answer_of(p, "twoArgs", 0) == Rejects::No);
  CHECK(answer_of(p, "twoArgs", 1) == Rejects::Maybe);
  CHECK(answer_of(p, "afterCatch") == Rejects::No);  // a synchronous throw in the callback is not counted
  CHECK(answer_of(p, "thenReturnsRequest") == Rejects::Yes);
  CHECK(answer_of(p, "thenReturnsUnknown") == Rejects::No);
  CHECK(answer_of(p, "thenThrows") == Rejects::Yes);
  CHECK(answer_of(p, "thenAsync") == Rejects::Maybe);
  CHECK(answer_of(p, "finallyPasses", 0) == Rejects::Maybe);
  CHECK(answer_of(p, "finallyPasses", 1) == Rejects::Yes);
}

TEST_CASE("rejection: async bodies", "[rejection]") {
  Parsed p(
      "async function bare() { await x(); }\n"
      "async function caught() { try { await x(); } catch (e) { log(e); } }\n"
      "async function onlyFinally() { try { await x(); } finally { done(); } }\n"
      "async function thrower() { throw new Error('no'); }\n"
      "async function handled() { await x().catch(h); }\n"
      "async function emptyCatch() { await x().catch(); }\n"
      "async function nullCatch() { await x().catch(null); }\n"
      "async function loop(ys) { for await (const y of ys) { use(y); } }\n"
      "async function nestedOnly() { const g = async () => { await x(); }; function h() { throw e; } }\n"
      "async function inHandler() { try { a(); } catch (e) { await report(e); } }\n"
      "async function throwCaught() { try { throw new Error('x'); } catch (e) {} }\n"
      "async function nestedTry() { try { try { await x(); } finally { f(); } } catch (e) {} }\n"
      "async function noAwait() { sync(); return 1; }\n"
      "async function loopCaught(ys) { try { for await (const y of ys) {} } catch (e) {} }\n"
      "async function inFinallyOfCaught() { try { a(); } catch (e) {} finally { await cleanup(); } }\n"
      "async function returnInTry() { try { return db.load(); } catch (e) { return null; } }\n"
      "async function returnAwaitInTry() { try { return await db.load(); } catch (e) { return null; } }\n"
      "async function exitsFinally() { try { await shutdown(); } finally { process.exit(1); } }\n"
      "async function awaitsQuiet() { await quiet(); await Promise.resolve(); }\n"
      "async function quiet() { try { await x(); } catch {} }\n"
      "async function awaitsParameter(ready) { await ready; }\n"
      "async function misparsed() { await (0, api.load)(id); }\n"
      "async function returnsCallback(resolve) { return resolve(1); }\n"
      "function plain() { return db.load(); }\n"
      "function plainChain() { return db.load().catch(noop); }\n");
  REQUIRE_FALSE(p.has_error());
  CHECK(function_answer(p, "bare") == Rejects::Maybe);
  CHECK(function_answer(p, "caught") == Rejects::No);
  CHECK(function_answer(p, "onlyFinally") == Rejects::Maybe);
  CHECK(function_answer(p, "thrower") == Rejects::Yes);
  CHECK(function_answer(p, "handled") == Rejects::No);
  CHECK(function_answer(p, "emptyCatch") == Rejects::Maybe);
  CHECK(function_answer(p, "nullCatch") == Rejects::Maybe);
  CHECK(function_answer(p, "loop") == Rejects::Maybe);
  CHECK(function_answer(p, "nestedOnly") == Rejects::No);
  CHECK(function_answer(p, "inHandler") == Rejects::Maybe);
  CHECK(function_answer(p, "throwCaught") == Rejects::No);
  CHECK(function_answer(p, "nestedTry") == Rejects::No);
  CHECK(function_answer(p, "noAwait") == Rejects::No);
  CHECK(function_answer(p, "loopCaught") == Rejects::No);
  CHECK(function_answer(p, "inFinallyOfCaught") == Rejects::Maybe);
  CHECK(function_answer(p, "returnInTry") == Rejects::Maybe);  // `return p` in a try is not caught
  CHECK(function_answer(p, "returnAwaitInTry") == Rejects::No);
  CHECK(function_answer(p, "exitsFinally") == Rejects::No);
  CHECK(function_answer(p, "awaitsQuiet") == Rejects::No);
  CHECK(function_answer(p, "awaitsParameter") == Rejects::Untraced);
  CHECK(function_answer(p, "misparsed") == Rejects::Maybe);
  CHECK(function_answer(p, "returnsCallback") == Rejects::No);
  CHECK(function_answer(p, "plain") == Rejects::Maybe);
  CHECK(function_answer(p, "plainChain") == Rejects::No);
  CHECK(p.model().rejections().of_function(p.function_declaration("thrower")).reason == "it throws (line 4)");
}

TEST_CASE("rejection: values followed through variables, fields and `this` aliases", "[rejection]") {
  Parsed p(
      "function constant() { const p = Promise.resolve(); p.then(f); }\n"
      "function single() { let p; p = Promise.allSettled(jobs); p.then(f); }\n"
      "function two() { let p = Promise.resolve(); if (c) p = fetch('/x'); p.then(f); }\n"
      "function compound() { let p = Promise.resolve(); p += 1; p.then(f); }\n"
      "function parameter(p) { p.then(f); }\n"
      "function property() { device.lost.then(f); }\n"
      "class Service {\n"
      "  ready = new Promise((resolve) => { this.markReady = resolve; });\n"
      "  constructor() { this.loading = fetch('/config'); }\n"
      "  m() { this.ready.then(f); this.loading.then(f); this.unknown.then(f); }\n"
      "  async save() { await db.save(); }\n"
      "  n() { const self = this; function inner() { self.save(); } inner(); }\n"
      "}\n");
  REQUIRE_FALSE(p.has_error());
  CHECK(answer_of(p, "constant", 0) == Rejects::No);
  CHECK(answer_of(p, "single", 1) == Rejects::No);
  CHECK(answer_of(p, "two", 0) == Rejects::Yes);
  CHECK(answer_of(p, "compound", 1) == Rejects::Untraced);
  CHECK(answer_of(p, "parameter") == Rejects::Untraced);
  CHECK(answer_of(p, "property") == Rejects::Untraced);
  const RejectionModel& rejections = p.model().rejections();
  CHECK(rejections.of_expression(p.call("this.ready.then(f)")).answer == Rejects::No);
  CHECK(rejections.of_expression(p.call("this.loading.then(f)")).answer == Rejects::Yes);
  CHECK(rejections.of_expression(p.call("this.unknown.then(f)")).answer == Rejects::Untraced);
  CHECK(rejections.of_expression(p.call("self.save()")).answer == Rejects::Maybe);
}

TEST_CASE("rejection: imported callees are left to the project index", "[rejection]") {
  Parsed p(
      "import { save } from './store';\n"
      "import * as jobs from './jobs';\n"
      "async function relay() { await save(); await jobs.run(); }\n"
      "async function mixed() { await save(); throw new Error('x'); }\n",
      LanguageId::TypeScript);
  REQUIRE_FALSE(p.has_error());
  const RejectionFact relay = p.model().rejections().of_function(p.function_declaration("relay"));
  CHECK(relay.answer == Rejects::No);
  CHECK(relay.depends_on_imports(Rejects::Yes));
  REQUIRE(relay.imports.size() == 2);
  CHECK(relay.imports[0].module == "./store");
  CHECK(relay.imports[0].name == "save");
  CHECK(relay.imports[1].module == "./jobs");
  CHECK(relay.imports[1].name == "run");
  const RejectionFact mixed = p.model().rejections().of_function(p.function_declaration("mixed"));
  CHECK(mixed.answer == Rejects::Yes);
  CHECK(mixed.imports.empty());  // already rejecting: nothing left to ask
}
