// Unit tests of the per-file semantic model: scopes and bindings, imports, "produces a promise" and
// "can an async body reject". Sources are parsed and walked exactly as the engine does (linter.cpp).
#include <catch2/catch.hpp>

#include <tree_sitter/api.h>

#include <memory>
#include <string>
#include <string_view>

#include "parsed_source.h"
#include "semantic/semantic_model.h"
#include "syntax/kinds.h"
#include "syntax/language.h"
#include "syntax/source_text.h"
#include "syntax/syntax.h"

using namespace asynclint;

using testing::Parsed;

namespace {

std::string answer_name(PromiseFact::Answer answer) {
  switch (answer) {
    case PromiseFact::Answer::No: return "No";
    case PromiseFact::Answer::Yes: return "Yes";
    case PromiseFact::Answer::IfImportReturnsPromise: return "IfImportReturnsPromise";
  }
  return "?";
}

std::string kind_name_of(BindingKind kind) {
  switch (kind) {
    case BindingKind::Function: return "Function";
    case BindingKind::Class: return "Class";
    case BindingKind::Variable: return "Variable";
    case BindingKind::Parameter: return "Parameter";
    case BindingKind::Import: return "Import";
    case BindingKind::CatchParameter: return "CatchParameter";
  }
  return "?";
}

// produces_promise of the `occurrence`-th node (a call when `text` ends with `)`, else any expression).
std::string answer_for(const Parsed& p, std::string_view text, int occurrence = 0) {
  TSNode node = p.expression(text, occurrence);
  INFO("expression: " << text << " #" << occurrence);
  REQUIRE_FALSE(ts_node_is_null(node));
  return answer_name(p.model().produces_promise(node).answer);
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Names
// ------------------------------------------------------------------------------------------------

TEST_CASE("resolution: parameters, inner declarations, catch and for-of variables shadow an outer async function",
          "[semantic]") {
  const std::string source =
      "async function save() {}\n"
      "function byParameter(save) { save(); }\n"
      "function byLet() { let save = () => 1; { save(); } }\n"
      "function byCatch() { try {} catch (save) { save(); } }\n"
      "function byDestructured({ save }) { save(); }\n"
      "function byRenamed({ key: save }) { save(); }\n"
      "function byArray([save]) { save(); }\n"
      "function byDefault(save = null) { save(); }\n"
      "function byForOf(items) { for (const save of items) { save(); } }\n"
      "save();\n";
  for (LanguageId language : {LanguageId::JavaScript, LanguageId::TypeScript}) {
    DYNAMIC_SECTION("language " << language_name(language)) {
      Parsed p(source, language);
      REQUIRE_FALSE(p.has_error());
      struct Expectation {
        BindingKind kind;
        std::uint32_t declared_at;
      };
      const Expectation expected[] = {
          {BindingKind::Parameter, p.at("(save)") + 1},
          {BindingKind::Variable, p.at("let save") + 4},
          {BindingKind::CatchParameter, p.at("catch (save)") + 7},
          {BindingKind::Parameter, p.at("{ save }") + 2},
          {BindingKind::Parameter, p.at("key: save") + 5},
          {BindingKind::Parameter, p.at("[save]") + 1},
          {BindingKind::Parameter, p.at("(save = null)") + 1},
          {BindingKind::Variable, p.at("const save of") + 6},
          {BindingKind::Function, p.at("function save") + 9},
      };
      for (int i = 0; i < 9; ++i) {
        INFO("call #" << i);
        TSNode call = p.call("save()", i);
        REQUIRE_FALSE(ts_node_is_null(call));
        const Binding* binding = p.model().resolve(p.syntax().field(call, Field::function));
        REQUIRE(binding != nullptr);
        CHECK(kind_name_of(binding->kind) == kind_name_of(expected[i].kind));
        CHECK(binding->name == "save");
        CHECK(ts_node_start_byte(binding->declaration) == expected[i].declared_at);
        CHECK(answer_name(p.model().produces_promise(call).answer) == (i == 8 ? "Yes" : "No"));
      }
      CHECK(ts_node_is_null(p.call("save()", 9)));  // exactly nine calls
    }
  }
}

TEST_CASE("resolution: more shadowing forms", "[semantic]") {
  Parsed p(
      "async function save() {}\n"
      "items.map(save => save());\n"
      "function typed(save: () => void, other?: number) { save(); }\n"
      "function optional(save?: () => void) { save(); }\n"
      "const named = async function save2() {};\n"
      "function forIn(o) { for (var save in o) {} save(); }\n"
      "class Shadow { m(save) { save(); } }\n"
      "function catchDestructured() { try {} catch ({ save }) { save(); } }\n"
      "save();\n",
      LanguageId::TypeScript);
  REQUIRE_FALSE(p.has_error());
  const char* expected[] = {"Parameter", "Parameter", "Parameter", "Variable", "Parameter", "CatchParameter", "Function"};
  for (int i = 0; i < 7; ++i) {
    INFO("call #" << i);
    TSNode call = p.call("save()", i);
    REQUIRE_FALSE(ts_node_is_null(call));
    const Binding* binding = p.model().resolve(p.syntax().field(call, Field::function));
    REQUIRE(binding != nullptr);
    CHECK(kind_name_of(binding->kind) == expected[i]);
    CHECK(answer_name(p.model().produces_promise(call).answer) == (i == 6 ? "Yes" : "No"));
  }
  // A function expression's own name is visible only inside it.
  CHECK(p.model().resolve("save2", p.at("\nsave();") + 1) == nullptr);
}

TEST_CASE("resolution: function declarations are hoisted to the top of their scope", "[semantic]") {
  Parsed p(
      "main();\n"
      "async function main() {\n"
      "  helper();\n"
      "  inner();\n"
      "  function helper() { return 1; }\n"
      "  async function inner() {}\n"
      "}\n"
      "helper();\n");
  REQUIRE_FALSE(p.has_error());
  const Binding* main = p.model().resolve("main", 0);
  REQUIRE(main != nullptr);
  CHECK(kind_name_of(main->kind) == "Function");
  CHECK(main->scope == 0);
  CHECK(same_node(main->value, p.function_declaration("main")));
  CHECK(answer_for(p, "main()") == "Yes");

  const Binding* helper = p.model().resolve(p.syntax().field(p.call("helper()", 0), Field::function));
  REQUIRE(helper != nullptr);
  CHECK(kind_name_of(helper->kind) == "Function");
  CHECK(same_node(helper->value, p.function_declaration("helper")));
  CHECK(answer_for(p, "helper()", 0) == "No");
  CHECK(answer_for(p, "inner()") == "Yes");
  // helper is declared inside main: not visible at the top level.
  CHECK(p.model().resolve(p.syntax().field(p.call("helper()", 1), Field::function)) == nullptr);
}

TEST_CASE("resolution: var goes to the function scope, let and const stay in their block", "[semantic]") {
  Parsed p(
      "function outer(flag) {\n"
      "  if (flag) { var task = async () => {}; let local = async () => {}; }\n"
      "  for (var i = 0; i < 1; i++) {}\n"
      "  task();\n"
      "  local();\n"
      "  i;\n"
      "}\n"
      "{ var top = 1; const hidden = 2; }\n"
      "top;\n"
      "hidden;\n");
  REQUIRE_FALSE(p.has_error());
  const SemanticModel& m = p.model();
  const TSNode outer = p.function_declaration("outer");

  const Binding* task = m.resolve("task", p.at("task();"));
  REQUIRE(task != nullptr);
  CHECK(kind_name_of(task->kind) == "Variable");
  CHECK(m.scopes()[task->scope].kind == Kind::function_declaration);
  CHECK(same_node(m.scopes()[task->scope].node, outer));
  CHECK(answer_for(p, "task()") == "Yes");

  CHECK(m.resolve("local", p.at("local();")) == nullptr);
  CHECK(answer_for(p, "local()") == "No");
  const Binding* local = m.resolve("local", p.at("local = async"));
  REQUIRE(local != nullptr);
  CHECK(m.scopes()[local->scope].kind == Kind::statement_block);

  const Binding* i = m.resolve("i", p.at("i;"));
  REQUIRE(i != nullptr);
  CHECK(same_node(m.scopes()[i->scope].node, outer));

  const Binding* top = m.resolve("top", p.at("top;"));
  REQUIRE(top != nullptr);
  CHECK(top->scope == 0);
  CHECK(m.resolve("hidden", p.at("hidden;")) == nullptr);
}

TEST_CASE("resolution: scope_at and enclosing_function", "[semantic]") {
  Parsed p("function a() { const b = () => { x; }; y; }\nz;\n");
  REQUIRE_FALSE(p.has_error());
  const SemanticModel& m = p.model();
  CHECK(m.scope_at(p.at("z;")) == 0);
  CHECK(m.scopes()[m.scope_at(p.at("x;"))].kind == Kind::statement_block);
  TSNode x = p.find(Kind::identifier, "x");
  TSNode arrow = p.find(Kind::arrow_function, "() => { x; }");
  REQUIRE_FALSE(ts_node_is_null(arrow));
  CHECK(same_node(m.enclosing_function(x), arrow));
  CHECK(same_node(m.enclosing_function(p.find(Kind::identifier, "y")), p.function_declaration("a")));
  CHECK(ts_node_is_null(m.enclosing_function(p.find(Kind::identifier, "z"))));
  CHECK(same_node(m.enclosing_function(arrow), p.function_declaration("a")));
}

TEST_CASE("imports: ESM, CommonJS and dynamic import give Import bindings", "[semantic]") {
  Parsed p(
      "import def from './a';\n"
      "import { orig as alias, plain } from './b';\n"
      "import * as ns from './c';\n"
      "import other, { named } from './d';\n"
      "import { 'quoted-name' as quoted } from './q';\n"
      "const whole = require('./e');\n"
      "const { p, q: r } = require('./f');\n"
      "const member = require('./g').member;\n"
      "const notImport = compute('./h');\n"
      "async function load() {\n"
      "  const dyn = await import('./h');\n"
      "  const { readFile } = await import('fs/promises');\n"
      "  marker;\n"
      "}\n"
      "end;\n");
  REQUIRE_FALSE(p.has_error());
  const SemanticModel& m = p.model();
  const std::uint32_t end = p.at("end;");
  struct Expected {
    const char* name;
    const char* module;
    const char* imported;
  };
  const Expected top_level[] = {
      {"def", "./a", "default"}, {"alias", "./b", "orig"},   {"plain", "./b", "plain"}, {"ns", "./c", "*"},
      {"other", "./d", "default"}, {"named", "./d", "named"}, {"quoted", "./q", "quoted-name"},
      {"whole", "./e", "*"},      {"p", "./f", "p"},         {"r", "./f", "q"},          {"member", "./g", "member"},
  };
  for (const auto& e : top_level) {
    INFO(e.name);
    const Binding* b = m.resolve(e.name, end);
    REQUIRE(b != nullptr);
    CHECK(kind_name_of(b->kind) == "Import");
    CHECK(b->module == e.module);
    CHECK(b->imported == e.imported);
    CHECK(b->scope == 0);
  }
  CHECK(m.resolve("orig", end) == nullptr);
  CHECK(m.resolve("q", end) == nullptr);
  const Binding* not_import = m.resolve("notImport", end);
  REQUIRE(not_import != nullptr);
  CHECK(kind_name_of(not_import->kind) == "Variable");
  CHECK(not_import->module.empty());

  const std::uint32_t inside = p.at("marker;");
  const Binding* dyn = m.resolve("dyn", inside);
  REQUIRE(dyn != nullptr);
  CHECK(kind_name_of(dyn->kind) == "Import");
  CHECK(dyn->module == "./h");
  CHECK(dyn->imported == "*");
  const Binding* read_file = m.resolve("readFile", inside);
  REQUIRE(read_file != nullptr);
  CHECK(kind_name_of(read_file->kind) == "Import");
  CHECK(read_file->module == "fs/promises");
  CHECK(read_file->imported == "readFile");
  CHECK(m.resolve("dyn", end) == nullptr);  // declared inside load()
}

TEST_CASE("imports: import_of names the module and export a callee denotes", "[semantic]") {
  Parsed p(
      "import def from './a';\n"
      "import { orig as alias } from './b';\n"
      "import * as ns from './c';\n"
      "import { get } from 'axios';\n"
      "const whole = require('./e');\n"
      "const member = require('./g').member;\n"
      "def(); alias(); ns.f(); whole(); whole.g(); member(); get(); def.x();\n");
  REQUIRE_FALSE(p.has_error());
  auto question = [&](std::string_view call_text) {
    TSNode call = p.call(call_text);
    REQUIRE_FALSE(ts_node_is_null(call));
    ImportQuestion q = p.model().import_of(p.syntax().field(call, Field::function));
    return q.module + "|" + q.name;
  };
  CHECK(question("def()") == "./a|default");
  CHECK(question("alias()") == "./b|orig");
  CHECK(question("ns.f()") == "./c|f");
  CHECK(question("whole()") == "./e|default");
  CHECK(question("whole.g()") == "./e|g");
  CHECK(question("member()") == "./g|member");
  CHECK(question("get()") == "|");    // a package, not a project file
  // A member of a default import: the exporting file answers for `default.x` (a method of an exported class
  // or object, analyzer/project/exports.cpp).
  CHECK(question("def.x()") == "./a|default.x");
}

// ------------------------------------------------------------------------------------------------
// produces_promise
// ------------------------------------------------------------------------------------------------

TEST_CASE("produces_promise: local async functions and functions that return promises", "[semantic]") {
  SECTION("async function declaration") {
    Parsed p("async function flush() {}\nflush();\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("flush()"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "async function 'flush'");
    CHECK(same_node(fact.declaration, p.function_declaration("flush")));
    CHECK_FALSE(fact.is_async_iife);
  }
  SECTION("async arrow in a const, async function expression") {
    Parsed p("const go = async () => {};\nconst fe = async function () {};\nconst sync = () => 1;\ngo(); fe(); sync();\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("go()"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "async function 'go'");
    CHECK(answer_for(p, "fe()") == "Yes");
    CHECK(answer_for(p, "sync()") == "No");
  }
  SECTION("Promise<T> and PromiseLike<T> return annotations") {
    Parsed p(
        "function load(): Promise<number> { return cache.get(); }\n"
        "const like = (): PromiseLike<void> => thing;\n"
        "function list(): Array<number> { return []; }\n"
        "load(); like(); list();\n",
        LanguageId::TypeScript);
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("load()"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "'load' (declared to return a Promise)");
    CHECK(answer_for(p, "like()") == "Yes");
    CHECK(answer_for(p, "list()") == "No");
  }
  SECTION("a body that returns new Promise, or only promises") {
    Parsed p(
        "function wait(ms) { return new Promise((r) => setTimeout(r, ms)); }\n"
        "const delay = (ms) => new Promise((r) => setTimeout(r, ms));\n"
        "function mixed(x) { if (x) return new Promise(() => {}); return 0; }\n"
        "function guarded(x) { if (!x) return; return Promise.resolve(x); }\n"
        "function fallsThrough(x) { if (x) return Promise.resolve(x); log(x); }\n"
        "function bothPaths(x) { if (x) return Promise.resolve(x); return new Promise(() => {}); }\n"
        "function nested() { const f = () => { return 1; }; return Promise.resolve(f()); }\n"
        "function nothing() { return; }\n"
        "function recursive() { return recursive(); }\n"
        "wait(5); delay(5); mixed(1); guarded(1); fallsThrough(1); bothPaths(1); nested(); nothing(); recursive();\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("wait(5)"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "'wait' (returns new Promise())");
    CHECK(same_node(fact.declaration, p.function_declaration("wait")));
    CHECK(answer_for(p, "delay(5)") == "Yes");
    CHECK(answer_for(p, "mixed(1)") == "No");
    // A bare `return;` or falling off the end gives undefined on that path: not a promise (precision).
    CHECK(answer_for(p, "guarded(1)") == "No");
    CHECK(answer_for(p, "fallsThrough(1)") == "No");
    CHECK(answer_for(p, "bothPaths(1)") == "Yes");
    CHECK(answer_for(p, "nested()") == "Yes");
    CHECK(answer_for(p, "nothing()") == "No");
    CHECK(answer_for(p, "recursive()", 1) == "No");  // the top-level call; recursion stays unknown
  }
  SECTION("a body that returns a .then chain") {
    Parsed p("function chained() { return load().then((x) => x); }\nchained();\nsomething.then(f);\nx.finally(g);\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("chained()"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "'chained' (returns a promise chain)");
    PromiseFact chain = p.model().produces_promise(p.call("something.then(f)"));
    CHECK(answer_name(chain.answer) == "Yes");
    CHECK(chain.what == "a promise chain");
    CHECK(answer_for(p, "x.finally(g)") == "Yes");
  }
  SECTION("util.promisify and promisify") {
    Parsed p(
        "const util = require('util');\n"
        "const { promisify } = require('util');\n"
        "const readP = util.promisify(fs.readFile);\n"
        "const statP = promisify(fs.stat);\n"
        "const other = wrap(fs.stat);\n"
        "readP('a'); statP('b'); other('c');\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("readP('a')"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "'readP' (made by util.promisify)");
    CHECK(answer_for(p, "statP('b')") == "Yes");
    CHECK(answer_for(p, "other('c')") == "No");
  }
  SECTION("an async IIFE") {
    Parsed p("(async () => { await 0; })();\n(() => 1)();\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("(async () => { await 0; })()"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.is_async_iife);
    CHECK(fact.what == "async IIFE");
    CHECK(answer_for(p, "(() => 1)()") == "No");
  }
}

TEST_CASE("produces_promise: this.method() in a class", "[semantic]") {
  Parsed p(
      "class Store {\n"
      "  async save() {}\n"
      "  sync() { return 1; }\n"
      "  async #flush() {}\n"
      "  get value() { return 1; }\n"
      "  run() {\n"
      "    this.save();\n"
      "    this.sync();\n"
      "    this.#flush();\n"
      "    this.missing();\n"
      "    const later = () => this.save();\n"
      "    function detached() { this.save(); }\n"
      "    const fe = function () { this.save(); };\n"
      "    const handler = { onEvent() { this.save(); } };\n"
      "  }\n"
      "}\n"
      "const Expr = class { async a() {} b() { this.a(); } };\n");
  REQUIRE_FALSE(p.has_error());
  SECTION("in a method and an arrow function of the class") {
    PromiseFact fact = p.model().produces_promise(p.call("this.save()", 0));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "async function 'save'");
    CHECK(answer_for(p, "this.sync()") == "No");
    CHECK(answer_for(p, "this.#flush()") == "Yes");
    CHECK(answer_for(p, "this.missing()") == "No");
    CHECK(answer_for(p, "this.save()", 1) == "Yes");  // arrow keeps `this`
    CHECK(answer_for(p, "this.a()") == "Yes");        // class expression
  }
  SECTION("not inside a nested function declaration or function expression") {
    CHECK(answer_for(p, "this.save()", 2) == "No");
    CHECK(answer_for(p, "this.save()", 3) == "No");
  }
  SECTION("not inside a nested object-literal method (its own `this`)") {
    CHECK(answer_for(p, "this.save()", 4) == "No");
  }
}

TEST_CASE("produces_promise: this.method() through class fields holding async arrows", "[semantic]") {
  const std::string source =
      "class T {\n"
      "  save = async () => {};\n"
      "  plain = () => 1;\n"
      "  run() { this.save(); this.plain(); }\n"
      "}\n";
  for (LanguageId language : {LanguageId::JavaScript, LanguageId::TypeScript}) {
    DYNAMIC_SECTION("language " << language_name(language)) {
      Parsed p(source, language);
      REQUIRE_FALSE(p.has_error());
      CHECK(answer_for(p, "this.save()") == "Yes");
      CHECK(answer_for(p, "this.plain()") == "No");
    }
  }
}

TEST_CASE("produces_promise: methods of a const object literal", "[semantic]") {
  Parsed p(
      "const api = {\n"
      "  async load() {},\n"
      "  sync() { return 1; },\n"
      "  fetchAll: async () => [],\n"
      "  ref: named,\n"
      "};\n"
      "async function named() {}\n"
      "api.load(); api.sync(); api.fetchAll(); api.ref(); api.missing();\n");
  REQUIRE_FALSE(p.has_error());
  PromiseFact fact = p.model().produces_promise(p.call("api.load()"));
  CHECK(answer_name(fact.answer) == "Yes");
  CHECK(fact.what == "async function 'load'");
  CHECK(answer_for(p, "api.sync()") == "No");
  CHECK(answer_for(p, "api.fetchAll()") == "Yes");
  CHECK(answer_for(p, "api.ref()") == "Yes");
  CHECK(answer_for(p, "api.missing()") == "No");
}

TEST_CASE("produces_promise: fetch and globalThis.fetch unless fetch is declared locally", "[semantic]") {
  SECTION("the global fetch") {
    Parsed p("fetch('/u');\nglobalThis.fetch('/u');\nwindow.fetch('/u');\nself.fetch('/u');\nclient.fetch('/u');\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("fetch('/u')"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "fetch()");
    PromiseFact global = p.model().produces_promise(p.call("globalThis.fetch('/u')"));
    CHECK(answer_name(global.answer) == "Yes");
    CHECK(global.what == "fetch()");
    CHECK(answer_for(p, "window.fetch('/u')") == "Yes");
    CHECK(answer_for(p, "self.fetch('/u')") == "Yes");
    CHECK(answer_for(p, "client.fetch('/u')") == "No");
  }
  SECTION("a local fetch function") {
    Parsed p("function fetch(url) { return cache[url]; }\nfetch('/u');\nglobalThis.fetch('/u');\n");
    REQUIRE_FALSE(p.has_error());
    CHECK(answer_for(p, "fetch('/u')") == "No");
    CHECK(answer_for(p, "globalThis.fetch('/u')") == "Yes");
  }
  SECTION("a fetch parameter, a fetch from a package") {
    Parsed p("function run(fetch) { fetch('/u'); }\n");
    REQUIRE_FALSE(p.has_error());
    CHECK(answer_for(p, "fetch('/u')") == "No");
    Parsed q("const fetch = require('node-fetch-wrapper');\nfetch('/u');\n");
    REQUIRE_FALSE(q.has_error());
    CHECK(answer_for(q, "fetch('/u')") == "No");
  }
}

TEST_CASE("produces_promise: Promise statics, new Promise, import()", "[semantic]") {
  Parsed p(
      "Promise.all([]); Promise.allSettled([]); Promise.race([]); Promise.any([]);\n"
      "Promise.resolve(1); Promise.reject(e); Promise.withResolvers();\n"
      "new Promise(() => {});\n"
      "import('./x');\n");
  REQUIRE_FALSE(p.has_error());
  PromiseFact all = p.model().produces_promise(p.call("Promise.all([])"));
  CHECK(answer_name(all.answer) == "Yes");
  CHECK(all.what == "Promise.all()");
  CHECK(answer_for(p, "Promise.allSettled([])") == "Yes");
  CHECK(answer_for(p, "Promise.race([])") == "Yes");
  CHECK(answer_for(p, "Promise.any([])") == "Yes");
  CHECK(answer_for(p, "Promise.resolve(1)") == "Yes");
  CHECK(answer_for(p, "Promise.reject(e)") == "Yes");
  CHECK(answer_for(p, "Promise.withResolvers()") == "No");
  PromiseFact created = p.model().produces_promise(p.find(Kind::new_expression, "new Promise(() => {})"));
  CHECK(answer_name(created.answer) == "Yes");
  CHECK(created.what == "new Promise()");
  PromiseFact imported = p.model().produces_promise(p.call("import('./x')"));
  CHECK(answer_name(imported.answer) == "Yes");
  CHECK(imported.what == "import()");
}

TEST_CASE("produces_promise: fs/promises, fs.promises and timers/promises", "[semantic]") {
  SECTION("fs/promises named, namespace and required") {
    Parsed p(
        "import { readFile, watch } from 'fs/promises';\n"
        "import * as fsp from 'node:fs/promises';\n"
        "const { writeFile } = require('node:fs/promises');\n"
        "readFile('a'); watch('d'); fsp.readFile('a'); fsp.watch('d'); writeFile('a', 'b');\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("readFile('a')"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "'readFile' from 'fs/promises'");
    CHECK(answer_for(p, "watch('d')") == "No");
    PromiseFact ns = p.model().produces_promise(p.call("fsp.readFile('a')"));
    CHECK(answer_name(ns.answer) == "Yes");
    CHECK(ns.what == "'fsp.readFile' from 'node:fs/promises'");
    CHECK(answer_for(p, "fsp.watch('d')") == "No");
    CHECK(answer_for(p, "writeFile('a', 'b')") == "Yes");
  }
  SECTION("fs.promises.x()") {
    Parsed p(
        "import fs from 'fs';\n"
        "const nfs = require('node:fs');\n"
        "import { promises as fsp } from 'fs';\n"
        "import * as os from 'os';\n"
        "fs.promises.readFile('a'); nfs.promises.stat('b'); fsp.readFile('c'); fs.readFileSync('d'); os.promises.x();\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("fs.promises.readFile('a')"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "'fs.promises.readFile' (fs.promises)");
    CHECK(answer_for(p, "nfs.promises.stat('b')") == "Yes");
    CHECK(answer_for(p, "fsp.readFile('c')") == "Yes");
    CHECK(answer_for(p, "fs.readFileSync('d')") == "No");
    CHECK(answer_for(p, "os.promises.x()") == "No");
  }
  SECTION("timers/promises: setTimeout and setImmediate, not setInterval") {
    Parsed p(
        "import { setTimeout as sleep, setInterval, setImmediate } from 'node:timers/promises';\n"
        "import * as timers from 'timers/promises';\n"
        "sleep(10); setInterval(10); setImmediate(); timers.setTimeout(1); timers.setInterval(1);\n");
    REQUIRE_FALSE(p.has_error());
    PromiseFact fact = p.model().produces_promise(p.call("sleep(10)"));
    CHECK(answer_name(fact.answer) == "Yes");
    CHECK(fact.what == "'sleep' from 'node:timers/promises'");
    CHECK(answer_for(p, "setInterval(10)") == "No");
    CHECK(answer_for(p, "setImmediate()") == "Yes");
    CHECK(answer_for(p, "timers.setTimeout(1)") == "Yes");
    CHECK(answer_for(p, "timers.setInterval(1)") == "No");
  }
  SECTION("required forms: fs.promises via require, timers via a renamed destructuring") {
    Parsed p(
        "const fsp = require('fs').promises;\n"
        "const { promises: fsp2 } = require('node:fs');\n"
        "const { setTimeout: sleep, setInterval: every } = require('timers/promises');\n"
        "fsp.readFile('a'); fsp2.readFile('b'); sleep(1); every(1);\n");
    REQUIRE_FALSE(p.has_error());
    CHECK(answer_for(p, "fsp.readFile('a')") == "Yes");
    CHECK(answer_for(p, "fsp2.readFile('b')") == "Yes");
    CHECK(answer_for(p, "sleep(1)") == "Yes");
    CHECK(answer_for(p, "every(1)") == "No");
  }
  SECTION("the global setTimeout is not a promise") {
    Parsed p("setTimeout(run, 10);\n");
    REQUIRE_FALSE(p.has_error());
    CHECK(answer_for(p, "setTimeout(run, 10)") == "No");
  }
}

TEST_CASE("produces_promise: Response body readers after await fetch", "[semantic]") {
  Parsed p(
      "async function get(u) {\n"
      "  const r = await fetch(u);\n"
      "  r.json(); r.text(); r.close(); r.headers.get('x');\n"
      "  const s = await other(u);\n"
      "  s.json();\n"
      "  const q = fetch(u);\n"
      "  q.json();\n"
      "  (await fetch(u)).blob();\n"
      "  const w = await window.fetch(u);\n"
      "  w.arrayBuffer();\n"
      "}\n");
  REQUIRE_FALSE(p.has_error());
  PromiseFact fact = p.model().produces_promise(p.call("r.json()"));
  CHECK(answer_name(fact.answer) == "Yes");
  CHECK(fact.what == "'r.json' (a fetch Response body)");
  CHECK(answer_for(p, "r.text()") == "Yes");
  CHECK(answer_for(p, "r.close()") == "No");
  CHECK(answer_for(p, "r.headers.get('x')") == "No");
  CHECK(answer_for(p, "s.json()") == "No");
  CHECK(answer_for(p, "q.json()") == "No");
  CHECK(answer_for(p, "(await fetch(u)).blob()") == "Yes");
  CHECK(answer_for(p, "w.arrayBuffer()") == "Yes");

  Parsed shadowed("function fetch(u) { return u; }\nasync function get(u) { const r = await fetch(u); r.json(); }\n");
  REQUIRE_FALSE(shadowed.has_error());
  CHECK(answer_for(shadowed, "r.json()") == "No");
}

TEST_CASE("produces_promise: ternary, logical operators, sequence, parentheses", "[semantic]") {
  Parsed p(
      "async function flush() {}\n"
      "const flag = true;\n"
      "flag ? flush() : 0;\n"
      "flag ? 0 : flush();\n"
      "flag ? 0 : 1;\n"
      "flag && flush();\n"
      "flag || flush();\n"
      "flag ?? flush();\n"
      "flush() && flag;\n"
      "flag + flush();\n"
      "(0, flush());\n"
      "(flush(), 0);\n"
      "(0, 1, flush());\n"
      "((flush()));\n");
  REQUIRE_FALSE(p.has_error());
  CHECK(answer_for(p, "flag ? flush() : 0") == "Yes");
  CHECK(answer_for(p, "flag ? 0 : flush()") == "Yes");
  CHECK(answer_for(p, "flag ? 0 : 1") == "No");
  CHECK(answer_for(p, "flag && flush()") == "Yes");
  CHECK(answer_for(p, "flag || flush()") == "Yes");
  CHECK(answer_for(p, "flag ?? flush()") == "Yes");
  CHECK(answer_for(p, "flush() && flag") == "No");
  CHECK(answer_for(p, "flag + flush()") == "No");
  CHECK(answer_for(p, "(0, flush())") == "Yes");
  CHECK(answer_for(p, "(flush(), 0)") == "No");
  CHECK(answer_for(p, "(0, 1, flush())") == "Yes");
  CHECK(answer_for(p, "((flush()))") == "Yes");
}

TEST_CASE("produces_promise: things that are not promises", "[semantic]") {
  Parsed p(
      "async function* gen() {}\n"
      "class G { async *items() {} run() { this.items(); } }\n"
      "const db = connect();\n"
      "function run(cb) { cb(); }\n"
      "function plain() { return 1; }\n"
      "gen(); db.query('x'); client.send('y'); plain(); unknownGlobal();\n");
  REQUIRE_FALSE(p.has_error());
  CHECK(answer_for(p, "gen()") == "No");
  CHECK(answer_for(p, "this.items()") == "No");
  CHECK(answer_for(p, "db.query('x')") == "No");
  CHECK(answer_for(p, "client.send('y')") == "No");
  CHECK(answer_for(p, "cb()") == "No");
  CHECK(answer_for(p, "plain()") == "No");
  CHECK(answer_for(p, "unknownGlobal()") == "No");
  CHECK(p.model().is_generator_function(p.function_declaration("gen")));
  CHECK(p.model().is_async_function(p.function_declaration("gen")));
}

TEST_CASE("produces_promise: imports from project files are IfImportReturnsPromise", "[semantic]") {
  Parsed p(
      "import { save } from './store';\n"
      "import { save as persist } from './store';\n"
      "import run from './run';\n"
      "import * as api from './api';\n"
      "import { get } from 'axios';\n"
      "const { f } = require('./cjs');\n"
      "const whole = require('./whole');\n"
      "const member = require('./m').member;\n"
      "function wrap() { return save(); }\n"
      "save(); persist(); run(); api.load(); get(); f(); whole(); whole.g(); member(); wrap();\n");
  REQUIRE_FALSE(p.has_error());
  auto question = [&](std::string_view call_text) {
    PromiseFact fact = p.model().produces_promise(p.call(call_text, call_text == "save()" ? 1 : 0));
    return answer_name(fact.answer) + " " + fact.question.module + "|" + fact.question.name;
  };
  CHECK(question("save()") == "IfImportReturnsPromise ./store|save");
  CHECK(question("persist()") == "IfImportReturnsPromise ./store|save");
  CHECK(question("run()") == "IfImportReturnsPromise ./run|default");
  CHECK(question("api.load()") == "IfImportReturnsPromise ./api|load");
  CHECK(question("get()") == "No |");
  CHECK(question("f()") == "IfImportReturnsPromise ./cjs|f");
  CHECK(question("whole()") == "IfImportReturnsPromise ./whole|default");
  CHECK(question("whole.g()") == "IfImportReturnsPromise ./whole|g");
  CHECK(question("member()") == "IfImportReturnsPromise ./m|member");
  CHECK(question("wrap()") == "IfImportReturnsPromise ./store|save");
  PromiseFact fact = p.model().produces_promise(p.call("save()", 1));
  CHECK(fact.what == "imported from './store'");
}

TEST_CASE("function_name names functions for messages", "[semantic]") {
  Parsed p(
      "function named() {}\n"
      "const viaConst = () => {};\n"
      "const obj = { viaPair: () => {} };\n"
      "target.prop = function () {};\n"
      "[() => {}];\n");
  REQUIRE_FALSE(p.has_error());
  const SemanticModel& m = p.model();
  CHECK(m.function_name(p.function_declaration("named")) == "named");
  CHECK(m.function_name(p.find(Kind::arrow_function, "() => {}", 0)) == "viaConst");
  CHECK(m.function_name(p.find(Kind::arrow_function, "() => {}", 1)) == "viaPair");
  CHECK(m.function_name(p.find(Kind::function_expression, "function () {}")) == "target.prop");
  CHECK(m.function_name(p.find(Kind::arrow_function, "() => {}", 2)) == "<anonymous>");
}

TEST_CASE("the runtime is decided from code, not from comments", "[semantic][runtime]") {
  // expo's CommonJS CLI quoted `document.querySelectorAll` in a comment and got the browser wording.
  Parsed quoted(
      "const fetch = require('./fetch');\n"
      "// The page runs document.querySelectorAll('meta') to find the id.\n"
      "module.exports = async function check(id) { return fetch(id); };\n");
  CHECK(quoted.model().runtime().kind == FileRuntime::Kind::Node);

  Parsed browser(
      "const fetch = require('./fetch');\n"
      "document.querySelectorAll('meta').forEach((m) => fetch(m.content));\n");
  CHECK(browser.model().runtime().kind == FileRuntime::Kind::Browser);
}

TEST_CASE("a parameter or property named document is not the browser's document", "[semantic][runtime]") {
  // hocuspocus's server: Y.Doc objects in parameters named `document`, and `this.document.name`.
  Parsed server(
      "export class Hocuspocus {\n"
      "  async onChange(document) { await this.store(document.name, this.document.version); }\n"
      "  unload(document) { const window = { size: 10 }; return window.size + document.getMap('x').size; }\n"
      "}\n");
  CHECK(server.model().runtime().kind == FileRuntime::Kind::Unknown);
  // The globals themselves, unshadowed, still decide.
  Parsed page("export function mount() { document.body.append('x'); }\nfunction f(document) { return document.name; }\n");
  CHECK(page.model().runtime().kind == FileRuntime::Kind::Browser);
  Parsed storage("export const theme = () => localStorage.getItem('theme');\n");
  CHECK(storage.model().runtime().kind == FileRuntime::Kind::Browser);
}

TEST_CASE("browser globals in a function shipped to a page are the page's", "[semantic][runtime]") {
  // codeceptjs's Puppeteer helper and whatsapp-web.js: Node code driving a browser, whose only browser words
  // are inside the functions it hands to page.evaluate and friends.
  Parsed driver(
      "const puppeteer = require('puppeteer');\n"
      "async function title(page) {\n"
      "  await page.waitForFunction(() => window.ready === true);\n"
      "  return page.evaluate(() => document.title);\n"
      "}\n"
      "module.exports = { title };\n");
  CHECK(driver.model().runtime().kind == FileRuntime::Kind::Node);
  // Outside such a call, the same global still counts.
  Parsed both(
      "const puppeteer = require('puppeteer');\n"
      "async function title(page) { await page.evaluate(() => document.title); return document.title; }\n");
  CHECK(both.model().runtime().kind == FileRuntime::Kind::Browser);
  // A comment next to evidence does not hide it, and a comment holding the evidence is not evidence.
  Parsed commented("/* window.x */ const a = require('./a');\nmodule.exports = a;\n");
  CHECK(commented.model().runtime().kind == FileRuntime::Kind::Node);
}

TEST_CASE("in a file that mixes Node and browser code, the class around a node decides", "[semantic][runtime]") {
  // webtorrent's lib/server.js: a Node HTTP server class and a service-worker class in one file.
  Parsed mixed(
      "import http from 'http';\n"
      "class NodeServer { listen(p) { return fetch(p + '/a'); } }\n"
      "class BrowserServer {\n"
      "  constructor() { navigator.serviceWorker.addEventListener('message', (e) => this.on(e)); }\n"
      "  ping() { return fetch(`${this.path}/keepalive/`); }\n"
      "}\n");
  CHECK(mixed.model().runtime().kind == FileRuntime::Kind::Unknown);
  CHECK(mixed.model().runtime_at(mixed.call("fetch(`${this.path}/keepalive/`)")) == FileRuntime::Kind::Browser);
  CHECK(mixed.model().runtime_at(mixed.call("fetch(p + '/a')")) == FileRuntime::Kind::Unknown);
  CHECK(mixed.model().runtime_around(mixed.call("fetch(`${this.path}/keepalive/`)")).kind == FileRuntime::Kind::Browser);

  // A file whose own evidence decides keeps its verdict everywhere.
  Parsed node("const fs = require('fs');\nclass A { f() { return fetch('/x'); } }\n");
  CHECK(node.model().runtime_at(node.call("fetch('/x')")) == FileRuntime::Kind::Node);
}
