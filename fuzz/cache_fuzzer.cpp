// libFuzzer target: the --cache file's decoder (engine/result_cache.cpp, engine/byte_codec.h and the
// outcome decoder in engine/linter.cpp). The input is a cache file's body; the target appends the checksum
// the body needs, so mutations reach the entry decoding instead of stopping at the checksum. Each input is
// then used as the cache of a small project on disk (an importer and an exporter with findings, a pending
// cross-file finding and a suppression comment) linted from it.
//
// A damaged entry may decode into a different but well-formed outcome (that is what the checksum is for);
// what must never happen is a crash, an exception escaping, a hang, or a file going missing from the run.
//
// LLVMFuzzerInitialize writes the project, lints it once to build a real cache, and, when
// ASYNCLINT_CACHE_SEEDS names a folder, saves that cache's body there as the seed (fuzz/run.sh sets it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/linter.h"
#include "engine/result_cache.h"

namespace {

namespace fs = std::filesystem;
const fs::path kProject = fs::temp_directory_path() / "asynclint-cache-fuzz";

void require(bool condition) {
  if (!condition) std::abort();
}

std::vector<asynclint::InputFile> project_files() {
  return {{(kProject / "src/app.js").string(), std::nullopt},
          {(kProject / "src/store.js").string(), std::nullopt},
          {(kProject / "src/other.js").string(), std::nullopt}};
}

asynclint::LintRun lint_with_cache() {
  using namespace asynclint;
  ConfigResolver configs(std::nullopt, {});
  LintOptions options;
  options.threads = 1;
  options.cache_path = (kProject / "cache").string();
  options.keep_text = false;  // the warm path that leaves unchanged files unread
  std::string error;
  LintRun run = lint_files(project_files(), configs, options, error);
  require(error.empty());
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fs::create_directories(kProject / "src");
  std::ofstream(kProject / "src/store.js") << "export async function save(x) { await x; }\nexport function describe() { return 1; }\n";
  std::ofstream(kProject / "src/app.js") << "import { save, describe } from './store.js';\nexport function go() {\n  save(1);\n  describe();\n}\n";
  std::ofstream(kProject / "src/other.js")
      << "async function p() {}\n// asynclint-disable-next-line floating-promise -- reason\np();\np();\n[1].forEach(async (x) => { await x; });\n";
  fs::remove(kProject / "cache");
  (void)lint_with_cache();
  if (const char* seeds = std::getenv("ASYNCLINT_CACHE_SEEDS")) {
    std::ifstream in(kProject / "cache", std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::string body = bytes.str();
    body.erase(body.rfind('\n'));  // the checksum line: the target adds it back
    fs::create_directories(seeds);
    std::ofstream(fs::path(seeds) / "real-cache", std::ios::binary) << body;
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string cache(reinterpret_cast<const char*>(data), size);
  cache += '\n' + asynclint::content_hash(cache);
  std::ofstream(kProject / "cache", std::ios::binary | std::ios::trunc) << cache;
  const asynclint::LintRun run = lint_with_cache();
  require(run.files.size() + run.notices.size() == project_files().size());
  return 0;
}
