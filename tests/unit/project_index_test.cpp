// Unit tests of the project index: each file's exports (collect_exports), module resolution and
// cross-file "does this import return a promise?", plus end-to-end checks through the real engine.
#include <catch2/catch.hpp>

#include <tree_sitter/api.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "project/exports.h"
#include "project/project_index.h"
#include "semantic/semantic_model.h"
#include "syntax/kinds.h"
#include "syntax/language.h"
#include "syntax/source_text.h"
#include "syntax/syntax.h"
#include "../test_support.h"

using namespace asynclint;

namespace {

// Parses a source and builds its semantic model with the engine's walk (see linter.cpp).
class Parsed {
 public:
  explicit Parsed(std::string text, LanguageId language)
      : source_(std::move(text)), parser_(ts_parser_new()) {
    ts_parser_set_language(parser_, ts_language(language));
    tree_ = ts_parser_parse_string(parser_, nullptr, source_.text().data(), static_cast<std::uint32_t>(source_.text().size()));
    syntax_ = std::make_unique<Syntax>(SyntaxTables::for_language(language), source_.text());
    model_ = std::make_unique<SemanticModel>(*syntax_);
    model_->build(ts_tree_root_node(tree_));
  }
  ~Parsed() {
    model_.reset();
    syntax_.reset();
    ts_tree_delete(tree_);
    ts_parser_delete(parser_);
  }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;

  bool has_error() const { return ts_node_has_error(ts_tree_root_node(tree_)); }
  FileExports exports() const { return collect_exports(*model_, source_); }

 private:
  SourceText source_;
  TSParser* parser_;
  TSTree* tree_ = nullptr;
  std::unique_ptr<Syntax> syntax_;
  std::unique_ptr<SemanticModel> model_;
};

FileExports exports_of(const std::string& source, LanguageId language) {
  Parsed p(source, language);
  REQUIRE_FALSE(p.has_error());
  return p.exports();
}

std::string kind_of(const FileExports& exports, const std::string& name) {
  auto found = exports.named.find(name);
  if (found == exports.named.end()) return "absent";
  switch (found->second.kind) {
    case ExportFact::Kind::ReturnsPromise: return "ReturnsPromise";
    case ExportFact::Kind::Other: return "Other";
    case ExportFact::Kind::Alias: return "Alias " + found->second.alias_module + "|" + found->second.alias_name;
  }
  return "?";
}

ExportFact promise_fact(const std::string& what, std::uint32_t line = 1, std::uint32_t column = 1) {
  ExportFact fact;
  fact.kind = ExportFact::Kind::ReturnsPromise;
  fact.what = what;
  fact.declared_at = {line, column};
  return fact;
}

ExportFact alias_fact(const std::string& module, const std::string& name) {
  ExportFact fact;
  fact.kind = ExportFact::Kind::Alias;
  fact.alias_module = module;
  fact.alias_name = name;
  return fact;
}

FileExports with_named(std::initializer_list<std::pair<const std::string, ExportFact>> named,
                       std::vector<std::string> stars = {}) {
  FileExports exports;
  exports.named = named;
  exports.star_modules = std::move(stars);
  return exports;
}

std::string answer_file(const ProjectIndex& index, const std::string& importer, const std::string& module, const std::string& name) {
  auto answer = index.returns_promise(importer, ImportQuestion{module, name});
  return answer ? answer->file : std::string("nullopt");
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// collect_exports
// ------------------------------------------------------------------------------------------------

TEST_CASE("collect_exports: ESM named, default, renamed, re-exported and star exports", "[project]") {
  const FileExports exports = exports_of(
      "export async function save() {}\n"
      "export function plain() { return 1; }\n"
      "export const load = async () => {};\n"
      "async function local() {}\n"
      "export { local as renamed };\n"
      "export { x } from './b';\n"
      "export { y as z } from './b';\n"
      "export * from './c';\n"
      "export * as ns from './d';\n"
      "export default async function () {}\n",
      LanguageId::TypeScript);
  CHECK(exports.named.size() == 7);
  REQUIRE(kind_of(exports, "save") == "ReturnsPromise");
  CHECK(exports.named.at("save").what == "async function 'save'");
  CHECK(exports.named.at("save").declared_at.line == 1);
  CHECK(exports.named.at("save").declared_at.column == 8);
  CHECK(kind_of(exports, "plain") == "Other");
  REQUIRE(kind_of(exports, "load") == "ReturnsPromise");
  CHECK(exports.named.at("load").declared_at.line == 3);
  CHECK(exports.named.at("load").declared_at.column == 21);
  REQUIRE(kind_of(exports, "renamed") == "ReturnsPromise");
  CHECK(exports.named.at("renamed").what == "async function 'local'");
  CHECK(exports.named.at("renamed").declared_at.line == 4);
  CHECK(exports.named.at("renamed").declared_at.column == 1);
  CHECK(kind_of(exports, "local") == "absent");
  CHECK(kind_of(exports, "x") == "Alias ./b|x");
  CHECK(kind_of(exports, "z") == "Alias ./b|y");
  CHECK(kind_of(exports, "y") == "absent");
  CHECK(kind_of(exports, "ns") == "absent");
  REQUIRE(kind_of(exports, "default") == "ReturnsPromise");
  CHECK(exports.named.at("default").declared_at.line == 10);
  CHECK(exports.named.at("default").declared_at.column == 16);
  CHECK(exports.star_modules == std::vector<std::string>{"./c"});
}

TEST_CASE("collect_exports: re-exported imports become aliases", "[project]") {
  const FileExports exports = exports_of(
      "import { save } from './store';\n"
      "import def from './d';\n"
      "import { base } from './base';\n"
      "import { promisify } from 'util';\n"
      "import { get } from 'axios';\n"
      "export { save, get };\n"
      "export default def;\n"
      "export function wrapper() { return base(); }\n"
      "export const statP = promisify(fs.stat);\n"
      "export { default as thing } from './thing';\n",
      LanguageId::JavaScript);
  CHECK(kind_of(exports, "save") == "Alias ./store|save");
  CHECK(kind_of(exports, "get") == "Other");
  CHECK(kind_of(exports, "default") == "Alias ./d|default");
  CHECK(kind_of(exports, "wrapper") == "Alias ./base|base");
  REQUIRE(kind_of(exports, "statP") == "ReturnsPromise");
  CHECK(exports.named.at("statP").what == "'statP' (made by util.promisify)");
  CHECK(kind_of(exports, "thing") == "Alias ./thing|default");
  CHECK(exports.star_modules.empty());
}

TEST_CASE("collect_exports: CommonJS module.exports and exports.x", "[project]") {
  SECTION("an object, exports.x and module.exports.x") {
    const FileExports exports = exports_of(
        "async function f() {}\n"
        "function sync() { return 1; }\n"
        "module.exports = {\n"
        "  f,\n"
        "  sync,\n"
        "  g: async () => {},\n"
        "  async h() {},\n"
        "  k: () => 1,\n"
        "};\n"
        "exports.e = async function () {};\n"
        "module.exports.m = async () => {};\n"
        "exports.deep.x = async () => {};\n",
        LanguageId::JavaScript);
    CHECK(exports.named.size() == 7);
    REQUIRE(kind_of(exports, "f") == "ReturnsPromise");
    CHECK(exports.named.at("f").what == "async function 'f'");
    CHECK(exports.named.at("f").declared_at.line == 1);
    CHECK(kind_of(exports, "sync") == "Other");
    CHECK(kind_of(exports, "g") == "ReturnsPromise");
    CHECK(kind_of(exports, "h") == "ReturnsPromise");
    CHECK(kind_of(exports, "k") == "Other");
    CHECK(kind_of(exports, "e") == "ReturnsPromise");
    CHECK(kind_of(exports, "m") == "ReturnsPromise");
    CHECK(kind_of(exports, "deep") == "absent");
    CHECK(kind_of(exports, "default") == "absent");
  }
  SECTION("module.exports = async function") {
    const FileExports exports = exports_of("module.exports = async function main() {};\n", LanguageId::JavaScript);
    REQUIRE(kind_of(exports, "default") == "ReturnsPromise");
    CHECK(exports.named.at("default").what == "async function 'main'");
    CHECK(exports.named.at("default").declared_at.line == 1);
    CHECK(exports.named.at("default").declared_at.column == 18);
  }
  SECTION("module.exports = require('./impl')") {
    const FileExports exports = exports_of("module.exports = require('./impl');\n", LanguageId::JavaScript);
    CHECK(kind_of(exports, "default") == "Alias ./impl|default");
    CHECK(exports.star_modules == std::vector<std::string>{"./impl"});
  }
}

// ------------------------------------------------------------------------------------------------
// ProjectIndex: module resolution
// ------------------------------------------------------------------------------------------------

TEST_CASE("ProjectIndex resolves relative specifiers with extensions, index files and .js → .ts", "[project]") {
  ProjectIndex index;
  for (const char* path : {"/p/x.ts", "/p/only.js", "/p/both.ts", "/p/both.js", "/p/dir/index.ts", "/p/jsdir/index.js",
                           "/p/comp.tsx", "/p/mod.mts", "/p/req.cts", "/p/up.ts", "/p/plain.mjs"})
    index.add(path, FileExports{});
  CHECK(index.size() == 11);
  const std::string importer = "/p/main.ts";
  CHECK(index.resolve_module(importer, "./x") == "/p/x.ts");
  CHECK(index.resolve_module(importer, "./x.ts") == "/p/x.ts");
  CHECK(index.resolve_module(importer, "./x.js") == "/p/x.ts");
  CHECK(index.resolve_module(importer, "./only") == "/p/only.js");
  CHECK(index.resolve_module(importer, "./only.js") == "/p/only.js");
  CHECK(index.resolve_module(importer, "./both") == "/p/both.ts");
  CHECK(index.resolve_module(importer, "./both.js") == "/p/both.js");
  CHECK(index.resolve_module(importer, "./dir") == "/p/dir/index.ts");
  CHECK(index.resolve_module(importer, "./dir/") == "/p/dir/index.ts");
  CHECK(index.resolve_module(importer, "./jsdir") == "/p/jsdir/index.js");
  CHECK(index.resolve_module(importer, "./comp.jsx") == "/p/comp.tsx");
  CHECK(index.resolve_module(importer, "./comp.js") == "/p/comp.tsx");
  CHECK(index.resolve_module(importer, "./mod.mjs") == "/p/mod.mts");
  CHECK(index.resolve_module(importer, "./req.cjs") == "/p/req.cts");
  CHECK(index.resolve_module(importer, "./plain") == "/p/plain.mjs");
  CHECK(index.resolve_module("/p/sub/deeper/file.ts", "../../up") == "/p/up.ts");
  CHECK(index.resolve_module("/p/sub/file.ts", "./../x") == "/p/x.ts");
  CHECK(index.resolve_module(importer, "/p/x") == "/p/x.ts");
  CHECK(index.resolve_module(importer, "./nope").empty());
  CHECK(index.resolve_module(importer, "./dir/nope").empty());
  CHECK(index.resolve_module(importer, "x").empty());
  CHECK(index.resolve_module(importer, "lodash").empty());
  CHECK(index.resolve_module(importer, "").empty());
}

TEST_CASE("ProjectIndex remembers resolutions and forgets them as files being added and removed", "[project]") {
  ProjectIndex index;
  index.add("/p/a.js", FileExports{});
  CHECK(index.resolve_module("/p/main.ts", "./a") == "/p/a.js");
  CHECK(index.resolve_module("/p/other.ts", "./a") == "/p/a.js");  // the same folder asks the same question
  CHECK(index.resolve_module("/p/sub/main.ts", "./a").empty());     // another folder does not
  index.add("/p/a.ts", FileExports{});                               // .ts comes before .js
  CHECK(index.resolve_module("/p/main.ts", "./a") == "/p/a.ts");
  index.add("/p/a.ts", FileExports{});  // replacing a file's exports changes no resolution
  CHECK(index.resolve_module("/p/main.ts", "./a") == "/p/a.ts");
  index.remove("/p/a.ts");
  CHECK(index.resolve_module("/p/main.ts", "./a") == "/p/a.js");
  index.add("/p/sub/a.mjs", FileExports{});
  CHECK(index.resolve_module("/p/sub/main.ts", "./a") == "/p/sub/a.mjs");
}

TEST_CASE("normalize_path makes paths lexically normal", "[project]") {
  CHECK(normalize_path("/a/b/../c/./d.ts") == "/a/c/d.ts");
  CHECK(normalize_path("/a//b.ts") == "/a/b.ts");
}

// ------------------------------------------------------------------------------------------------
// ProjectIndex: lookups
// ------------------------------------------------------------------------------------------------

TEST_CASE("ProjectIndex answers for direct exports, aliases and export *", "[project]") {
  ProjectIndex index;
  index.add("/p/store.ts", with_named({{"save", promise_fact("async function 'save'", 3, 8)},
                                       {"plain", ExportFact{}},
                                       {"default", promise_fact("async function 'main'", 9, 1)}}));
  index.add("/p/barrel.ts", with_named({{"save", alias_fact("./store", "save")},
                                        {"persist", alias_fact("./store", "save")},
                                        {"broken", alias_fact("./missing", "save")},
                                        {"wrongName", alias_fact("./store", "nothing")}}));
  index.add("/p/outer/index.ts", with_named({{"persist", alias_fact("../barrel", "persist")}}));
  index.add("/p/stars.ts", with_named({}, {"./store"}));
  index.add("/p/stars2.ts", with_named({{"plain", promise_fact("shadowing")}}, {"./nowhere", "./stars"}));
  index.add("/p/shadow.ts", with_named({{"save", ExportFact{}}}, {"./store"}));
  const std::string importer = "/p/app/main.ts";

  SECTION("a direct export") {
    auto answer = index.returns_promise(importer, {"../store", "save"});
    REQUIRE(answer.has_value());
    CHECK(answer->file == "/p/store.ts");
    CHECK(answer->what == "async function 'save'");
    CHECK(answer->declared_at.line == 3);
    CHECK(answer->declared_at.column == 8);
    CHECK(answer_file(index, importer, "../store", "default") == "/p/store.ts");
    CHECK(answer_file(index, importer, "../store", "plain") == "nullopt");
    CHECK(answer_file(index, importer, "../store", "absent") == "nullopt");
  }
  SECTION("alias chains") {
    CHECK(answer_file(index, importer, "../barrel", "save") == "/p/store.ts");
    CHECK(answer_file(index, importer, "../barrel", "persist") == "/p/store.ts");
    CHECK(answer_file(index, importer, "../outer", "persist") == "/p/store.ts");
    auto answer = index.returns_promise(importer, {"../outer", "persist"});
    REQUIRE(answer.has_value());
    CHECK(answer->what == "async function 'save'");
    CHECK(answer_file(index, importer, "../barrel", "broken") == "nullopt");
    CHECK(answer_file(index, importer, "../barrel", "wrongName") == "nullopt");
  }
  SECTION("export * forwards names but never the default export") {
    CHECK(answer_file(index, importer, "../stars", "save") == "/p/store.ts");
    CHECK(answer_file(index, importer, "../stars", "default") == "nullopt");
    CHECK(answer_file(index, importer, "../stars2", "save") == "/p/store.ts");
    CHECK(answer_file(index, importer, "../stars2", "plain") == "/p/stars2.ts");  // own export wins
    CHECK(answer_file(index, importer, "../shadow", "save") == "nullopt");        // own non-promise export wins
  }
  SECTION("unknown modules and package specifiers give nullopt") {
    CHECK(answer_file(index, importer, "../unknown", "save") == "nullopt");
    CHECK(answer_file(index, importer, "store", "save") == "nullopt");
    CHECK(answer_file(index, importer, "", "save") == "nullopt");
  }
}

TEST_CASE("ProjectIndex terminates on cycles of export * and of aliases", "[project]") {
  ProjectIndex index;
  index.add("/p/a.ts", with_named({}, {"./b"}));
  index.add("/p/b.ts", with_named({}, {"./a", "./c"}));
  index.add("/p/c.ts", with_named({{"f", promise_fact("async function 'f'")}}));
  index.add("/p/loop1.ts", with_named({{"g", alias_fact("./loop2", "g")}}));
  index.add("/p/loop2.ts", with_named({{"g", alias_fact("./loop1", "g")}}));
  index.add("/p/self.ts", with_named({}, {"./self"}));
  CHECK(answer_file(index, "/p/main.ts", "./a", "missing") == "nullopt");
  CHECK(answer_file(index, "/p/main.ts", "./a", "f") == "/p/c.ts");
  CHECK(answer_file(index, "/p/main.ts", "./loop1", "g") == "nullopt");
  CHECK(answer_file(index, "/p/main.ts", "./self", "g") == "nullopt");
}

TEST_CASE("ProjectIndex answers quickly for a dense cycle of export *", "[project]") {
  // Four barrels that each `export *` from the other three. A lookup of a name none of them exports must
  // visit each file a bounded number of times, not every path up to the depth limit (3^17 of them).
  auto* index = new ProjectIndex();  // leaked if the lookup never finishes: the runaway thread still uses it
  for (int i = 0; i < 4; ++i) {
    FileExports exports;
    for (int j = 0; j < 4; ++j)
      if (j != i) exports.star_modules.push_back("./f" + std::to_string(j));
    if (i == 3) exports.named["found"] = promise_fact("async function 'found'");
    index->add("/p/f" + std::to_string(i) + ".ts", std::move(exports));
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  auto missing_answer = std::make_shared<std::atomic<int>>(-1);
  auto found_answer = std::make_shared<std::atomic<int>>(-1);
  std::thread([index, done, missing_answer, found_answer] {
    found_answer->store(index->returns_promise("/p/main.ts", {"./f0", "found"}) ? 1 : 0);
    missing_answer->store(index->returns_promise("/p/main.ts", {"./f0", "missing"}) ? 1 : 0);
    done->store(true);
  }).detach();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done->load() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  INFO("found: " << found_answer->load() << ", missing: " << missing_answer->load() << " (-1: still running after 10 s)");
  CHECK(found_answer->load() == 1);
  REQUIRE(done->load());
  CHECK(missing_answer->load() == 0);
  delete index;
}

TEST_CASE("resolve_specifier asks about each candidate in order", "[project]") {
  std::set<std::string> files{"/r/a.ts", "/r/b.js", "/r/c.tsx", "/r/d/index.js", "/r/e.mts"};
  std::vector<std::string> asked;
  auto exists = [&](const std::string& path) {
    asked.push_back(path);
    return files.count(path) > 0;
  };
  CHECK(resolve_specifier("/r/main.ts", "./a", exists) == "/r/a.ts");
  CHECK(asked == std::vector<std::string>{"/r/a", "/r/a.ts"});
  CHECK(resolve_specifier("/r/main.ts", "./a.js", exists) == "/r/a.ts");
  CHECK(resolve_specifier("/r/main.ts", "./b", exists) == "/r/b.js");
  CHECK(resolve_specifier("/r/main.ts", "./c.js", exists) == "/r/c.tsx");
  CHECK(resolve_specifier("/r/main.ts", "./d", exists) == "/r/d/index.js");
  CHECK(resolve_specifier("/r/main.ts", "./e.mjs", exists) == "/r/e.mts");
  CHECK(resolve_specifier("/r/sub/x.ts", "../a", exists) == "/r/a.ts");
  asked.clear();
  CHECK(resolve_specifier("/r/main.ts", "pkg", exists).empty());
  CHECK(asked.empty());  // bare specifiers are packages: nothing is looked up
  CHECK(resolve_specifier("/r/main.ts", "./zzz", exists).empty());
}

TEST_CASE("ProjectIndex over exports collected from in-memory files", "[project]") {
  ProjectIndex index;
  auto add = [&](const std::string& path, const std::string& source) {
    index.add(path, exports_of(source, *language_for_path(path)));
  };
  add("/v/store.ts", "export async function save() {}\nexport function plain() { return 1; }\n");
  add("/v/barrel.ts", "export { save as persist } from './store';\nexport * from './more';\n");
  add("/v/more/index.js", "exports.more = async () => {};\nexports.sync = () => 1;\n");
  add("/v/cjs.js", "module.exports = async function main() {};\n");
  add("/v/reexport.js", "module.exports = require('./cjs');\n");
  add("/v/wrapper.ts", "import { save } from './store.js';\nexport function wrapped() { return save(); }\n");

  auto answer = index.returns_promise("/v/app.ts", {"./barrel", "persist"});
  REQUIRE(answer.has_value());
  CHECK(answer->file == "/v/store.ts");
  CHECK(answer->what == "async function 'save'");
  CHECK(answer->declared_at.line == 1);
  CHECK(answer->declared_at.column == 8);
  CHECK(answer_file(index, "/v/app.ts", "./barrel", "more") == "/v/more/index.js");
  CHECK(answer_file(index, "/v/app.ts", "./barrel", "sync") == "nullopt");
  CHECK(answer_file(index, "/v/app.ts", "./barrel", "save") == "nullopt");  // renamed away
  CHECK(answer_file(index, "/v/app.ts", "./store", "plain") == "nullopt");
  CHECK(answer_file(index, "/v/app.ts", "./cjs", "default") == "/v/cjs.js");
  CHECK(answer_file(index, "/v/app.ts", "./reexport", "default") == "/v/cjs.js");
  CHECK(answer_file(index, "/v/app.ts", "./wrapper", "wrapped") == "/v/store.ts");
}

// ------------------------------------------------------------------------------------------------
// End to end through the engine
// ------------------------------------------------------------------------------------------------

TEST_CASE("cross-file findings through lint_sources", "[project]") {
  SECTION("ESM: named, default via .js, namespace via index, non-async") {
    LintRun run = testing::lint_sources({
        {"/virtual/app/main.ts",
         std::string("import { save, plain } from './store';\n"
                     "import load from './loader.js';\n"
                     "import * as api from './api';\n"
                     "import { get } from 'axios';\n"
                     "save();\n"
                     "load();\n"
                     "api.fetchAll();\n"
                     "api.sync();\n"
                     "plain();\n"
                     "get();\n")},
        {"/virtual/app/store.ts", std::string("export async function save() { await Promise.reject(new Error('io')); }\nexport function plain() { return 1; }\n")},
        {"/virtual/app/loader.ts", std::string("export default async function () { await Promise.reject(new Error('io')); }\n")},
        {"/virtual/app/api/index.ts", std::string("export * from './impl';\n")},
        {"/virtual/app/api/impl.ts", std::string("export const fetchAll = async () => Promise.reject(new Error('offline'));\nexport function sync() { return 1; }\n")},
    });
    CHECK(run.files_linted == 5);
    CHECK(testing::finding_keys(run) ==
          std::vector<std::string>{"floating-promise@5", "floating-promise@6", "floating-promise@7"});
    REQUIRE(!run.files.empty());
    const FileReport* main = nullptr;
    for (const auto& file : run.files)
      if (file.path == "/virtual/app/main.ts") main = &file;
    REQUIRE(main != nullptr);
    REQUIRE(main->diagnostics.size() == 3);
    REQUIRE(main->diagnostics[0].related.size() == 1);
    CHECK(main->diagnostics[0].related[0].path == "/virtual/app/store.ts");
    CHECK(main->diagnostics[0].related[0].start.line == 1);
    CHECK(main->diagnostics[0].related[0].start.column == 8);
    CHECK(main->diagnostics[0].related[0].message ==
          "async function 'save' is declared here; it can reject: it awaits Promise.reject(new Error('io')) (line 1) outside a "
          "try/catch: it is Promise.reject()");
  }
  SECTION("CommonJS: destructured require, whole require, module.exports = async function") {
    LintRun run = testing::lint_sources({
        {"/virtual/cjs/main.js",
         std::string("const { f } = require('./lib');\n"
                     "const lib = require('./lib');\n"
                     "const main = require('./main2');\n"
                     "f();\n"
                     "lib.g();\n"
                     "lib.sync();\n"
                     "main();\n"
                     "console.log('started');\n")},
        {"/virtual/cjs/lib.js", std::string("async function f() { await Promise.reject(new Error('io')); }\nmodule.exports = { f, g: async () => { throw new Error('g'); }, sync() { return 1; } };\n")},
        {"/virtual/cjs/main2.js", std::string("module.exports = async function main() { await Promise.reject(new Error('io')); };\n")},
    });
    CHECK(testing::finding_keys(run) ==
          std::vector<std::string>{"floating-promise@4", "floating-promise@5", "floating-promise@7"});
  }
  SECTION("a missing module or an unknown export reports nothing") {
    LintRun run = testing::lint_sources({
        {"/virtual/none/main.ts", std::string("import { save } from './gone';\nimport { other } from './present';\nsave();\nother();\n")},
        {"/virtual/none/present.ts", std::string("export async function save() {}\n")},
    });
    CHECK(testing::finding_keys(run).empty());
  }
  SECTION("an imported promise is reported only when it can reject, following the imports it awaits") {
    LintRun run = testing::lint_sources({
        {"/virtual/rej/main.ts", std::string("import { quiet, loud, relay, relayQuiet, guarded } from './jobs';\n"
                                             "export function run() {\n"
                                             "  quiet();\n"       // 3: catches everything
                                             "  loud();\n"        // 4: throws
                                             "  relay();\n"       // 5: awaits loud() from another file
                                             "  relayQuiet();\n"  // 6: awaits quiet() from another file
                                             "  guarded();\n"     // 7: awaits an operation inside try/catch
                                             "}\n")},
        {"/virtual/rej/jobs.ts", std::string("export { quiet, loud } from './base';\n"
                                             "import { loud as l, quiet as q } from './base';\n"
                                             "export async function relay() { await l(); }\n"
                                             "export async function relayQuiet() { await q(); }\n"
                                             "export async function guarded() { try { await db.save(); } catch (e) { log(e); } }\n")},
        {"/virtual/rej/base.ts", std::string("export async function quiet() { try { await db.load(); } catch { return null; } }\n"
                                             "export async function loud() { throw new Error('loud'); }\n")},
    });
    CHECK(testing::finding_keys(run) == std::vector<std::string>{"floating-promise@4", "floating-promise@5"});
  }
  SECTION("what compilers emit for ES module exports in CommonJS (swc, tsc)") {
    LintRun run = testing::lint_sources({
        {"/virtual/cjs2/main.js", std::string("const _jobs = require('./jobs');\n"
                                              "const index = require('./index');\n"
                                              "function run() {\n"
                                              "  (0, _jobs.flush)();\n"     // 4: swc's _export getter
                                              "  (0, _jobs.quiet)();\n"     // 5: cannot reject
                                              "  index.purge();\n"          // 6: tsc's defineProperty re-export
                                              "  index.flush();\n"          // 7: __exportStar of ./jobs
                                              "}\n"
                                              "module.exports = { run };\n")},
        {"/virtual/cjs2/jobs.js", std::string("\"use strict\";\n"
                                              "Object.defineProperty(exports, \"__esModule\", { value: true });\n"
                                              "function _export(target, all) { for (var name in all) Object.defineProperty(target, name, { enumerable: true, get: all[name] }); }\n"
                                              "_export(exports, { flush: function() { return flush; }, quiet: function() { return quiet; } });\n"
                                              "async function flush() { if (queue.closed) throw new Error('closed'); }\n"
                                              "async function quiet() { try { await queue.drain(); } catch {} }\n")},
        {"/virtual/cjs2/index.js", std::string("\"use strict\";\n"
                                               "const tslib_1 = require('tslib');\n"
                                               "const store_1 = require('./store');\n"
                                               "Object.defineProperty(exports, \"purge\", { enumerable: true, get: function () { return store_1.purge; } });\n"
                                               "tslib_1.__exportStar(require('./jobs'), exports);\n")},
        {"/virtual/cjs2/store.js", std::string("exports.purge = async function purge() { throw new Error('no'); };\n")},
    });
    CHECK(testing::finding_keys(run) == std::vector<std::string>{"floating-promise@4", "floating-promise@6", "floating-promise@7"});
  }
  SECTION("methods of instances of imported classes, of exported instances, and static methods") {
    LintRun run = testing::lint_sources({
        {"/virtual/cls/main.ts", std::string("import { JobQueue } from './queue';\n"
                                             "import { queue } from './singleton';\n"
                                             "import * as q from './queue';\n"
                                             "export function run(typed: JobQueue) {\n"
                                             "  const local = new JobQueue();\n"
                                             "  local.add(1);\n"        // 6: can reject
                                             "  queue.add(2);\n"        // 7: an exported instance, another file
                                             "  typed.add(3);\n"        // 8: a parameter declared JobQueue
                                             "  JobQueue.purge();\n"    // 9: static, throws
                                             "  local.size();\n"        // 10: not a promise
                                             "  local.quiet();\n"       // 11: cannot reject
                                             "  new q.JobQueue().add(4);\n"  // 12: through a namespace import
                                             "}\n")},
        {"/virtual/cls/queue.ts", std::string("export class JobQueue {\n"
                                              "  async add(job: unknown) { if (!job) throw new TypeError('no job'); }\n"
                                              "  static async purge() { throw new Error('not allowed'); }\n"
                                              "  size() { return 1; }\n"
                                              "  async quiet() { try { await redis.ping(); } catch {} }\n"
                                              "}\n")},
        {"/virtual/cls/singleton.ts", std::string("import { JobQueue } from './queue';\nexport const queue = new JobQueue();\n")},
    });
    CHECK(testing::finding_keys(run) == std::vector<std::string>{"floating-promise@6", "floating-promise@7", "floating-promise@8",
                                                                 "floating-promise@9", "floating-promise@12"});
  }
}
