#pragma once
// Inline suppressions, in ESLint's vocabulary:
//   // asynclint-disable-next-line RULE[, RULE] -- reason
//   // asynclint-disable-line RULE
//   /* asynclint-disable RULE */ … /* asynclint-enable RULE */   (no RULE: every rule)
//   // asynclint-disable-file [RULE]
// The same directives spelled `eslint-…` count when they name our rule ids (bare or as
// `asynclint/RULE`); an `eslint-…` comment that names none of them is ESLint's business and ignored.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.h"
#include "syntax/source_text.h"

namespace asynclint {

struct SuppressionDirective {
  enum class Type : std::uint8_t { NextLine, Line, Disable, Enable, File } type;
  std::uint32_t comment_start = 0, comment_end = 0;  // bytes
  LineColumn comment_start_at, comment_end_at;       // the same, as positions (for the unused-directive report)
  std::uint32_t target_line = 0;                     // 1-based: the line NextLine/Line applies to
  std::vector<std::string> rules;                    // empty: every rule
  std::vector<bool> rule_used;                       // parallel to rules (or one entry when rules is empty)
  bool from_eslint_spelling = false;
  std::string reason;  // the text after ` -- `
};

// Parses one comment's text (with its `//` or `/* */`). Returns false when it is not a directive for us.
// Unknown rule names in an asynclint-spelled directive go to `unknown_rules`.
bool parse_suppression(std::string_view comment, bool (*is_rule_id)(std::string_view), SuppressionDirective& out,
                       std::vector<std::string>& unknown_rules);

// Removes suppressed diagnostics (marking the directives used) and appends one diagnostic per unused
// directive (or unused rule name in one) at `unused_severity` (nothing when Off), at the directive's own
// positions: the file's text is not needed, so a cached file with directives and no findings is not read.
// A directive naming a rule that is off for the file is not reported as unused: turning a rule off in the
// configuration must not turn every comment about it into a warning.
void apply_suppressions(std::vector<SuppressionDirective>& directives, std::vector<Diagnostic>& diagnostics,
                        Severity unused_severity,
                        std::vector<SuppressedDiagnostic>* suppressed = nullptr,
                        bool (*rule_is_off)(std::string_view rule, const void* context) = nullptr,
                        const void* context = nullptr);

}  // namespace asynclint
