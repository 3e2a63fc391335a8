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

struct Diagnostic {
  std::string rule_id;  // a rule id, or an engine id such as "unused-suppression"
  Severity severity = Severity::Warn;
  std::string message;
  std::uint32_t start_byte = 0, end_byte = 0;
  LineColumn start, end;
  std::vector<Suggestion> suggestions;
  std::vector<RelatedLocation> related;
};

// A finding left out by an inline comment or the baseline, kept for outputs that can show it (SARIF's
// suppressions[]).
struct SuppressedDiagnostic {
  Diagnostic diagnostic;
  enum class Kind : std::uint8_t { InSource, External } kind = Kind::InSource;
  std::string justification;  // the comment's `-- reason`, or which baseline file accepted it
};

}  // namespace asynclint
