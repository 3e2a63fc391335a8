#include "engine/suppressions.h"

#include <algorithm>

#include "syntax/source_text.h"

namespace asynclint {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '*' || text.front() == '\r' || text.front() == '\n'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '*' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

bool parse_suppression(std::string_view comment, bool (*is_rule_id)(std::string_view), SuppressionDirective& out,
                       std::vector<std::string>& unknown_rules) {
  std::string_view body;
  if (starts_with(comment, "//")) body = comment.substr(2);
  else if (starts_with(comment, "/*") && comment.size() >= 4) body = comment.substr(2, comment.size() - 4);
  else return false;
  body = trim(body);
  bool eslint = false;
  if (starts_with(body, "asynclint-")) body.remove_prefix(10);
  else if (starts_with(body, "eslint-")) {
    body.remove_prefix(7);
    eslint = true;
  } else {
    return false;
  }
  struct Word {
    std::string_view text;
    SuppressionDirective::Type type;
  };
  // Longest first: "disable-next-line" before "disable".
  const Word words[] = {{"disable-next-line", SuppressionDirective::Type::NextLine},
                        {"disable-line", SuppressionDirective::Type::Line},
                        {"disable-file", SuppressionDirective::Type::File},
                        {"disable", SuppressionDirective::Type::Disable},
                        {"enable", SuppressionDirective::Type::Enable}};
  const Word* matched = nullptr;
  for (const auto& word : words) {
    if (starts_with(body, word.text) && (body.size() == word.text.size() || body[word.text.size()] == ' ' ||
                                         body[word.text.size()] == '\t' || body[word.text.size()] == ',')) {
      matched = &word;
      break;
    }
  }
  if (!matched || (eslint && matched->type == SuppressionDirective::Type::File)) return false;
  body.remove_prefix(matched->text.size());
  // The reason after " -- " is for people (and SARIF's justification).
  out.reason.clear();
  if (auto reason = body.find("--"); reason != std::string_view::npos) {
    out.reason = std::string(trim(body.substr(reason + 2)));
    body = body.substr(0, reason);
  }
  out.type = matched->type;
  out.from_eslint_spelling = eslint;
  out.rules.clear();
  bool named_any = false;
  while (!body.empty()) {
    std::size_t end = body.find_first_of(", \t\r\n");
    std::string_view name = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view{} : body.substr(end + 1);
    if (name.empty()) continue;
    named_any = true;
    if (starts_with(name, "asynclint/")) name.remove_prefix(10);
    if (is_rule_id(name)) out.rules.emplace_back(name);
    else if (!eslint) unknown_rules.emplace_back(name);
  }
  // eslint-disable comments that name only ESLint rules, or none at all, are not ours.
  if (eslint && out.rules.empty()) return false;
  if (!eslint && named_any && out.rules.empty()) {
    // Every name was unknown: keep nothing, but the caller reports the unknown names.
    return false;
  }
  out.rule_used.assign(out.rules.empty() ? 1 : out.rules.size(), false);
  return true;
}

namespace {
// Index into rule_used for `rule`, or -1 when the directive does not cover it.
int coverage(const SuppressionDirective& directive, std::string_view rule) {
  if (directive.rules.empty()) return 0;
  for (std::size_t i = 0; i < directive.rules.size(); ++i)
    if (directive.rules[i] == rule) return static_cast<int>(i);
  return -1;
}
}  // namespace

void apply_suppressions(std::vector<SuppressionDirective>& directives, std::vector<Diagnostic>& diagnostics,
                        Severity unused_severity, std::vector<SuppressedDiagnostic>* suppressed,
                        bool (*rule_is_off)(std::string_view rule, const void* context), const void* context) {
  if (!directives.empty()) {
    std::sort(directives.begin(), directives.end(),
              [](const SuppressionDirective& a, const SuppressionDirective& b) { return a.comment_start < b.comment_start; });
    std::vector<Diagnostic> kept;
    for (auto& diagnostic : diagnostics) {
      bool suppressed_here = false;
      const SuppressionDirective* by = nullptr;
      // Block directives: the last disable/enable before the finding that covers its rule decides.
      SuppressionDirective* open_block = nullptr;
      int open_index = -1;
      for (auto& directive : directives) {
        const int index = coverage(directive, diagnostic.rule_id);
        if (index < 0) continue;
        switch (directive.type) {
          case SuppressionDirective::Type::File:
            directive.rule_used[index] = true;
            suppressed_here = true;
            by = &directive;
            break;
          case SuppressionDirective::Type::NextLine:
          case SuppressionDirective::Type::Line:
            if (directive.target_line == diagnostic.start.line) {
              directive.rule_used[index] = true;
              suppressed_here = true;
              by = &directive;
            }
            break;
          case SuppressionDirective::Type::Disable:
            if (directive.comment_start < diagnostic.start_byte) {
              open_block = &directive;
              open_index = index;
            }
            break;
          case SuppressionDirective::Type::Enable:
            if (directive.comment_start < diagnostic.start_byte) open_block = nullptr;
            break;
        }
        if (suppressed_here) break;
      }
      if (!suppressed_here && open_block) {
        open_block->rule_used[open_index] = true;
        suppressed_here = true;
        by = open_block;
      }
      if (!suppressed_here) kept.push_back(std::move(diagnostic));
      else if (suppressed) suppressed->push_back({std::move(diagnostic), SuppressedDiagnostic::Kind::InSource, by->reason});
    }
    diagnostics = std::move(kept);
  }
  if (unused_severity == Severity::Off) return;
  for (const auto& directive : directives) {
    if (directive.type == SuppressionDirective::Type::Enable) continue;
    for (std::size_t i = 0; i < directive.rule_used.size(); ++i) {
      if (directive.rule_used[i]) continue;
      if (!directive.rules.empty() && rule_is_off && rule_is_off(directive.rules[i], context)) continue;
      Diagnostic unused;
      unused.rule_id = "unused-suppression";
      unused.severity = unused_severity;
      unused.message = directive.rules.empty()
                           ? std::string("This suppression comment suppresses nothing; remove it.")
                           : "This suppression of '" + directive.rules[i] + "' suppresses nothing; remove it.";
      unused.start_byte = directive.comment_start;
      unused.end_byte = directive.comment_end;
      unused.start = directive.comment_start_at;
      unused.end = directive.comment_end_at;
      diagnostics.push_back(std::move(unused));
    }
  }
}

}  // namespace asynclint
