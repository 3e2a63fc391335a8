// Cross-file facts must not depend on which files were named: linting one file still reads what it imports.
#include <catch2/catch.hpp>

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
