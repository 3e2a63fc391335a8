// Bare specifiers that name project files: tsconfig paths and baseUrl, workspace packages by name.
#include <catch2/catch.hpp>

#include "project/module_aliases.h"
#include "temp_tree.h"

using asynclint::ModuleAliases;
using asynclint::package_entry_candidates;

TEST_CASE("tsconfig paths resolve as TypeScript does: exact pattern, then the longest prefix, then baseUrl", "[aliases]") {
  TempTree tree;
  // Comments and trailing commas, as tsconfig files are written; `paths` is relative to baseUrl.
  tree.write("tsconfig.json", R"({
    // the app's aliases
    "compilerOptions": {
      "baseUrl": "./app",
      "paths": {
        "@/*": ["src/*"],
        "@/jobs/*": ["jobs/*", "src/jobs-fallback/*"],
        "#config": ["src/config/index.ts"],
      },
    },
  })");
  tree.write("app/src/queue.ts", "export async function add() {}\n");
  tree.write("app/jobs/mail.ts", "export async function send() {}\n");
  tree.write("app/src/jobs-fallback/sms.ts", "export async function send() {}\n");
  tree.write("app/src/config/index.ts", "export const config = {};\n");
  tree.write("app/lib/db/index.js", "module.exports = {};\n");
  tree.write("app/src/main.ts", "");
  ModuleAliases aliases;
  const std::string importer = tree.path("app/src/main.ts");
  CHECK(aliases.resolve(importer, "@/queue") == tree.path("app/src/queue.ts"));
  CHECK(aliases.resolve(importer, "@/queue.js") == tree.path("app/src/queue.ts"));  // `.js` names the `.ts`
  CHECK(aliases.resolve(importer, "@/jobs/mail") == tree.path("app/jobs/mail.ts"));  // longer prefix wins
  CHECK(aliases.resolve(importer, "@/jobs/sms") == tree.path("app/src/jobs-fallback/sms.ts"));  // next target
  CHECK(aliases.resolve(importer, "#config") == tree.path("app/src/config/index.ts"));
  CHECK(aliases.resolve(importer, "lib/db") == tree.path("app/lib/db/index.js"));  // baseUrl
  CHECK(aliases.resolve(importer, "express").empty());
  CHECK(aliases.resolve(importer, "@/missing").empty());
  CHECK(aliases.resolve(importer, "./queue").empty());  // relative specifiers are not aliases
  CHECK_FALSE(aliases.fingerprint(importer).empty());
}

TEST_CASE("tsconfig extends: the nearest config's options win, paths are relative to the config that sets them", "[aliases]") {
  TempTree tree;
  tree.write("tsconfig.base.json", R"({ "compilerOptions": { "paths": { "@shared/*": ["shared/*"] } } })");
  tree.write("web/tsconfig.json", R"({ "extends": "../tsconfig.base", "compilerOptions": { "strict": true } })");
  tree.write("shared/format.ts", "export async function format() {}\n");
  tree.write("web/src/page.ts", "");
  ModuleAliases aliases;
  CHECK(aliases.resolve(tree.path("web/src/page.ts"), "@shared/format") == tree.path("shared/format.ts"));

  // A cycle of extends ends; a config without aliases gives none.
  tree.write("loop/tsconfig.json", R"({ "extends": "./other.json" })");
  tree.write("loop/other.json", R"({ "extends": "./tsconfig.json" })");
  tree.write("loop/a.ts", "");
  tree.write("loop/b.ts", "");
  ModuleAliases fresh;
  CHECK(fresh.resolve(tree.path("loop/a.ts"), "b").empty());
  CHECK(fresh.fingerprint(tree.path("loop/a.ts")).empty());
}

TEST_CASE("workspace packages resolve by name to their sources, with subpaths and exports maps", "[aliases]") {
  TempTree tree;
  tree.write("package.json", R"({ "private": true, "workspaces": { "packages": ["packages/*", "apps/**"] } })");
  // main points at the build output, which does not exist: the source it is built from does.
  tree.write("packages/db/package.json", R"({ "name": "@acme/db", "main": "dist/index.js", "types": "dist/index.d.ts" })");
  tree.write("packages/db/src/index.ts", "export async function save() {}\n");
  tree.write("packages/db/src/client.ts", "export async function connect() {}\n");
  tree.write("packages/queue/package.json", R"({ "name": "queue-kit",
    "exports": { ".": { "types": "./dist/index.d.ts", "import": "./dist/esm/index.mjs" }, "./workers/*": "./dist/workers/*.js" } })");
  tree.write("packages/queue/src/index.ts", "export async function enqueue() {}\n");
  tree.write("packages/queue/src/workers/mail.ts", "export async function run() {}\n");
  tree.write("apps/web/server/package.json", R"({ "name": "web-server" })");
  tree.write("apps/web/server/index.js", "module.exports = async function start() {};\n");
  tree.write("apps/api/src/handler.ts", "");
  tree.write("apps/api/package.json", R"({ "name": "api", "main": "src/handler.ts" })");
  ModuleAliases aliases;
  const std::string importer = tree.path("apps/api/src/handler.ts");
  CHECK(aliases.resolve(importer, "@acme/db") == tree.path("packages/db/src/index.ts"));
  CHECK(aliases.resolve(importer, "@acme/db/client") == tree.path("packages/db/src/client.ts"));
  CHECK(aliases.resolve(importer, "queue-kit") == tree.path("packages/queue/src/index.ts"));
  CHECK(aliases.resolve(importer, "queue-kit/workers/mail") == tree.path("packages/queue/src/workers/mail.ts"));
  CHECK(aliases.resolve(importer, "web-server") == tree.path("apps/web/server/index.js"));  // `**`
  CHECK(aliases.resolve(importer, "api") == tree.path("apps/api/src/handler.ts"));  // its own name
  CHECK(aliases.resolve(importer, "@acme/other").empty());
  CHECK(aliases.resolve(importer, "lodash").empty());
}

TEST_CASE("pnpm workspaces are read from pnpm-workspace.yaml; node_modules and declaration files are never answers", "[aliases]") {
  TempTree tree;
  tree.write("pnpm-workspace.yaml", "packages:\n  - 'libs/*'   # shared code\n  - \"!libs/legacy\"\ncatalog:\n  - 'tools/*'\n");
  tree.write("libs/mailer/package.json", R"({ "name": "@corp/mailer", "main": "index.js" })");
  tree.write("libs/mailer/index.js", "exports.send = async () => {};\n");
  tree.write("tools/gen/package.json", R"({ "name": "gen" })");
  tree.write("tools/gen/index.js", "");
  tree.write("libs/typesonly/package.json", R"({ "name": "typesonly", "types": "index.d.ts" })");
  tree.write("libs/typesonly/index.d.ts", "export declare function f(): Promise<void>;\n");
  tree.write("app/node_modules/@corp/mailer/index.js", "");
  tree.write("app/main.js", "");
  ModuleAliases aliases;
  CHECK(aliases.resolve(tree.path("app/main.js"), "@corp/mailer") == tree.path("libs/mailer/index.js"));
  CHECK(aliases.resolve(tree.path("app/main.js"), "gen").empty());  // not under `packages:`
  CHECK(aliases.resolve(tree.path("app/main.js"), "typesonly").empty());
}

TEST_CASE("a package's entry candidates put sources first", "[aliases]") {
  const auto candidates = package_entry_candidates(R"({ "main": "./lib/index.js", "source": "src/main.ts" })", "");
  REQUIRE(candidates.size() >= 3);
  CHECK(candidates[0] == "src/main.ts");
  CHECK(candidates[1] == "src/index");  // lib/index.js read as its source …
  CHECK(candidates[2] == "lib/index.js");  // … before the build output itself
  CHECK(package_entry_candidates("not json", "./utils").back() == "utils");
}
