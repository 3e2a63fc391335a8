// Cross-file facts must not depend on which files were named: linting one file still reads what it imports.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_support.h"

namespace fs = std::filesystem;
using namespace asynclint;

namespace {
void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}
}  // namespace

TEST_CASE("a file linted alone still learns its imports' async exports from disk", "[project]") {
  char pattern[] = "/tmp/asynclint-cross-XXXXXX";
  const fs::path root = mkdtemp(pattern);
  write(root / "src/jobs/cleanup.ts", "import { purgeExpired, describe } from '../store';\nexport function onTick() {\n  purgeExpired(Date.now());\n  describe();\n}\n");
  write(root / "src/store/index.ts", "export * from './purge.js';\n");
  write(root / "src/store/purge.ts",
        "export async function purgeExpired(now: number) { await rm(`/tmp/cache/${now}`, { recursive: true }); }\n"
        "export function describe() { return 'purge'; }\nimport { rm } from 'node:fs/promises';\n");

  LintRun alone = testing::lint_sources({{(root / "src/jobs/cleanup.ts").string(), std::nullopt}});
  CHECK(testing::finding_keys(alone) == std::vector<std::string>{"floating-promise@3"});
  REQUIRE(alone.files.size() == 1);  // the imported files were read, not linted
  REQUIRE(alone.files[0].diagnostics.size() == 1);
  const auto& related = alone.files[0].diagnostics[0].related;
  REQUIRE(related.size() == 1);
  CHECK(related[0].path == (root / "src/store/purge.ts").string());
  CHECK(related[0].start.line == 1);

  // Without the export the same call is unknown, so it is not reported.
  write(root / "src/store/index.ts", "export { describe } from './purge.js';\n");
  LintRun without = testing::lint_sources({{(root / "src/jobs/cleanup.ts").string(), std::nullopt}});
  CHECK(testing::finding_keys(without).empty());
  fs::remove_all(root);
}

TEST_CASE("a finding whose rejection comes from another file points at the function that rejects", "[project]") {
  char pattern[] = "/tmp/asynclint-cross-XXXXXX";
  const fs::path root = mkdtemp(pattern);
  write(root / "src/store.js",
        "export async function saveResult(id, result) {\n  if (!id) throw new Error('no task id');\n  records.set(id, result);\n}\n"
        "const records = new Map();\n");
  write(root / "src/task.js",
        "import { saveResult } from './store.js';\nexport function start(id) {\n  (async () => {\n    await saveResult(id, 'done');\n  })();\n  return id;\n}\n");
  LintRun run = testing::lint_sources({{(root / "src/task.js").string(), std::nullopt}});
  REQUIRE(testing::finding_keys(run) == std::vector<std::string>{"floating-promise@3"});
  const Diagnostic& finding = run.files[0].diagnostics[0];
  CHECK(finding.message.find("this async IIFE") != std::string::npos);
  const auto rejecting = std::find_if(finding.related.begin(), finding.related.end(),
                                      [&](const RelatedLocation& r) { return r.path == (root / "src/store.js").string(); });
  REQUIRE(rejecting != finding.related.end());
  CHECK(rejecting->start.line == 1);
  CHECK(rejecting->message.find("can reject") != std::string::npos);
  CHECK(rejecting->message.find("throws") != std::string::npos);
  fs::remove_all(root);
}

TEST_CASE("an async listener of an event its emitter awaits is not reported, whichever files are named", "[project]") {
  char pattern[] = "/tmp/asynclint-cross-XXXXXX";
  const fs::path root = mkdtemp(pattern);
  write(root / "package.json", "{}\n");
  // The emitter is not imported by the listener's file: it hands itself to attach() at run time.
  write(root / "src/runner.js",
        "import Emittery from 'emittery';\nexport class Runner extends Emittery {\n"
        "  async step() { await this.emit('runner.before'); this.emit('runner.after'); }\n}\n");
  write(root / "src/plugins/lock.js",
        "async function take() { throw new Error('held'); }\n"
        "export function attach(runner) {\n"
        "  runner.on('runner.before', async () => take());\n"
        "  runner.on('runner.after', async () => take());\n}\n");
  const std::string listener = (root / "src/plugins/lock.js").string();
  LintRun alone = testing::lint_sources({{listener, std::nullopt}});
  CHECK(testing::finding_keys(alone) == std::vector<std::string>{"missing-catch@4"});
  REQUIRE(alone.files.size() == 1);
  CHECK(alone.files[0].depends_on == std::vector<std::string>{(root / "src/runner.js").string()});
  LintRun both = testing::lint_sources({{listener, std::nullopt}, {(root / "src/runner.js").string(), std::nullopt}});
  CHECK(testing::finding_keys(both) == std::vector<std::string>{"missing-catch@4"});

  // Once the emit is no longer awaited, the listener's rejection is dropped again.
  write(root / "src/runner.js",
        "import Emittery from 'emittery';\nexport class Runner extends Emittery {\n"
        "  async step() { this.emit('runner.before'); this.emit('runner.after'); }\n}\n");
  LintRun dropped = testing::lint_sources({{listener, std::nullopt}});
  CHECK(testing::finding_keys(dropped) == std::vector<std::string>{"missing-catch@3", "missing-catch@4"});
  fs::remove_all(root);
}
