// libFuzzer target: the asynclint.json loader (JSON with comments, rule entries, options, ignorePatterns),
// then what a run does with an accepted configuration: --rule overrides, --print-config, and compiling
// ignorePatterns into gitignore rules that are matched against a few paths.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/config.h"
#include "engine/ignore_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace asynclint;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto config = parse_config(text, "/project/asynclint.json", error);
  if (!config) {
    // A refusal always says why.
    if (error.empty()) std::abort();
    return 0;
  }
  if (!apply_overrides(*config, {{"floating-promise", Severity::Warn}}, error)) std::abort();
  (void)config->to_json().dump();

  std::string patterns;
  for (const auto& pattern : config->ignore_patterns) patterns += pattern + "\n";
  IgnoreRules rules;
  rules.add_file("project", patterns);
  for (const char* path : {"project/src/a.ts", "project/dist/x/b.js", "project/a.generated.ts", "other/c.mjs", "project"}) {
    (void)rules.match(path, false);
    (void)rules.is_ignored_or_inside_ignored_directory(path, true);
  }
  return 0;
}
