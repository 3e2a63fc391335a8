#pragma once
// One fix engine for every rule. A rule offers suggestions (text edits); the engine decides which to
// apply: with --fix only those marked safe (none yet: the current rules' rewrites can change behaviour),
// with --fix-suggestions the first suggestion of every finding. A suggestion's edits are applied together
// or not at all; one that overlaps an earlier one waits for the next run; one that touches a syntax error
// is never applied; and a result that no longer parses as well as the input is thrown away.
#include <string>
#include <vector>

#include "engine/diagnostic.h"
#include "syntax/language.h"

namespace asynclint {

struct FixOutcome {
  std::string text;                // the fixed text (the input when nothing applied)
  std::size_t applied = 0;         // suggestions applied
  std::size_t skipped = 0;         // overlapping, touching a syntax error, or rejected after re-parsing
  std::vector<TextEdit> edits;     // the edits applied, in order, offsets in the input
  std::string rejected_reason;     // set when the whole result was thrown away
};

FixOutcome apply_fixes(const std::string& text, LanguageId language, const std::vector<Diagnostic>& diagnostics,
                       bool include_suggestions);

// A unified diff (no context lines) of applied edits (sorted, as FixOutcome::edits), for --fix-dry-run.
std::string unified_diff(const std::string& path, const std::string& before, const std::vector<TextEdit>& edits);

}  // namespace asynclint
