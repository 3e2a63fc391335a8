// libFuzzer target: one input is linted as a JavaScript file and as a TypeScript file in one project,
// through the engine's normal path (lint_files on in-memory files: parse, the one walk, every rule,
// cross-file resolution, suppressions), then rendered by the reporters and handed to the fix engine.
// A finding whose span is outside its file, or a fix result that was not produced from the input, is a bug
// even without a crash, so those abort too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/fixes.h"
#include "engine/linter.h"
#include "report/report.h"
#include "syntax/language.h"

namespace {

// A folder that does not exist: the nearest-asynclint.json search and the resolution of relative imports
// find nothing on disk, so the result depends on the input alone.
constexpr const char* kFolder = "/nonexistent-asynclint-fuzz/";

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace asynclint;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::vector<InputFile> files{{std::string(kFolder) + "input.js", text}, {std::string(kFolder) + "input.ts", text}};

  ConfigResolver configs(std::nullopt, {});
  LintOptions options;
  options.threads = 1;
  std::string error;
  const LintRun run = lint_files(files, configs, options, error);
  require(error.empty());
  // Every file is either linted or explained by a notice (binary, invalid UTF-8).
  require(run.files.size() + run.notices.size() == files.size());

  for (const FileReport& report : run.files) {
    if (!report.source) {
      require(report.diagnostics.empty());
      continue;
    }
    const std::size_t length = report.source->text().size();
    for (const Diagnostic& d : report.diagnostics) {
      require(d.start_byte <= d.end_byte && d.end_byte <= length);
      require(d.start.line >= 1 && d.start.column >= 1 && d.end.line >= d.start.line);
      for (const Suggestion& suggestion : d.suggestions)
        for (const TextEdit& edit : suggestion.edits) require(edit.start_byte <= edit.end_byte && edit.end_byte <= length);
    }
    const std::string source(report.source->text());
    const LanguageId language = language_for_path(report.path).value_or(LanguageId::JavaScript);
    const FixOutcome fixed = apply_fixes(source, language, report.diagnostics, /*include_suggestions=*/true);
    if (fixed.applied == 0) require(fixed.text == source);
    (void)unified_diff(report.path, source, fixed.edits);
  }

  std::ostringstream sink;
  write_stylish(sink, run, StylishOptions{false, true});
  write_json(sink, run);
  write_sarif(sink, run, SarifOptions{});
  write_checkstyle(sink, run);
  return 0;
}
