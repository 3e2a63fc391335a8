#pragma once
// A finding as reporters see it: byte span for tools, line/column for people, plus what a tool needs to
// act on it (suggestions as text edits, related locations).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/source_text.h"

namespace asynclint {

enum class Severity : std::uint8_t { Off = 0, Warn = 1, Error = 2 };
std::string_view severity_name(Severity severity);  // "off", "warn", "error"
bool parse_severity(std::string_view text, Severity& out);

struct TextEdit {
  std::uint32_t start_byte = 0, end_byte = 0;
  std::string replacement;
};

struct Suggestion {
  std::string description;
  std::vector<TextEdit> edits;
  bool safe = false;  // cannot change behaviour: applied by plain --fix
};

struct RelatedLocation {
  std::string path;  // the file (the finding's own file when the same)
  LineColumn start;
  std::string message;
};

// One step of a finding's execution-order explanation, produced by the event-loop model (analyzer/loop/)
// running the scenario the rule described with the code's own names and lines. The same steps feed the
// stylish `--explain` text, the JSON `explanation`/`fixedExplanation`, SARIF code flows and LSP hovers.
struct ExplanationStep {
  std::string path;           // the file (the finding's own file when the same)
  LineColumn start;           // where this step happens in the real code
  std::string message;        // "forEach returns; line 14 runs while 3 callbacks are still pending"
  std::uint64_t time_ms = 0;  // the model's virtual clock when the step happened
  std::uint32_t nesting = 0;  // 0 for the main flow, 1 inside a callback or awaited call
};

struct Diagnostic {
  std::string rule_id;  // a rule id, or an engine id such as "unused-suppression"
  Severity severity = Severity::Warn;
  std::string message;
  std::uint32_t start_byte = 0, end_byte = 0;
  LineColumn start, end;
  std::vector<Suggestion> suggestions;
  std::vector<RelatedLocation> related;
  // The code as written, run on the model: empty when the model could not run the scenario.
  std::vector<ExplanationStep> explanation;
  // The same situation with the rule's fix applied (a signal with a timeout, Promise.all, a limit), as a
  // separate run: never mixed into `explanation`. Empty when the rule has no fix to show.
  std::vector<ExplanationStep> fixed_explanation;
  // The two scenario programs themselves, kept only when LintOptions::keep_scenario_programs asks (the
  // tests run them in real Node to check the model's order).
  std::string scenario_program, fixed_scenario_program;
};

// The first place a file does not parse (tree-sitter's first ERROR or MISSING node, in text order). Not a
// finding: tree-sitter rejects some valid code (TypeScript variance annotations, recent syntax), so it fails
// a run only with --error-on-syntax.
struct SyntaxError {
  std::uint32_t start_byte = 0, end_byte = 0;
  LineColumn start, end;
  std::string message;  // "unexpected ')'", "missing ';'"
};

// A finding left out by an inline comment or the baseline, kept for outputs that can show it (SARIF's
// suppressions[]).
struct SuppressedDiagnostic {
  Diagnostic diagnostic;
  enum class Kind : std::uint8_t { InSource, External } kind = Kind::InSource;
  std::string justification;  // the comment's `-- reason`, or which baseline file accepted it
};

}  // namespace asynclint
