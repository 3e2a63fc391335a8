#include "engine/fixes.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <sstream>

#include "syntax/parse.h"
#include "syntax/tree_walk.h"

namespace asynclint {

namespace {

struct ErrorRanges {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;
  std::size_t count = 0;
};

ErrorRanges syntax_errors(const std::string& text, LanguageId language) {
  ErrorRanges errors;
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, ts_language(language));
  TSTree* tree = parse_bounded(parser, nullptr, text);
  if (!tree) {  // a parse that gives up counts as one error over everything
    errors.ranges.emplace_back(0, static_cast<std::uint32_t>(text.size()));
    errors.count = 1;
    ts_parser_delete(parser);
    return errors;
  }
  TSNode root = ts_tree_root_node(tree);
  if (ts_node_has_error(root)) {
    walk_preorder(root, [&](TSNode node, std::uint32_t) {
      if (!ts_node_is_error(node) && !ts_node_is_missing(node)) return ts_node_has_error(node);
      // The whole lines of the error: tree-sitter's recovery makes the code around it unreliable too.
      std::uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
      while (start > 0 && text[start - 1] != '\n') --start;
      while (end < text.size() && text[end] != '\n') ++end;
      errors.ranges.emplace_back(start, end);
      ++errors.count;
      return false;
    });
  }
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  return errors;
}

bool conflicts(const TextEdit& a, const TextEdit& b) {
  if (a.start_byte < b.end_byte && b.start_byte < a.end_byte) return true;  // the ranges intersect
  return a.start_byte == b.start_byte;  // two edits at one point: their order would be arbitrary
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

}  // namespace

FixOutcome apply_fixes(const std::string& text, LanguageId language, const std::vector<Diagnostic>& diagnostics,
                       bool include_suggestions) {
  FixOutcome outcome;
  outcome.text = text;
  const ErrorRanges before = syntax_errors(text, language);
  std::vector<TextEdit> accepted;
  for (const auto& diagnostic : diagnostics) {
    const Suggestion* chosen = nullptr;
    for (const auto& suggestion : diagnostic.suggestions) {
      if (suggestion.safe || include_suggestions) {
        chosen = &suggestion;
        break;
      }
    }
    if (!chosen || chosen->edits.empty()) continue;
    bool usable = true;
    for (const auto& edit : chosen->edits) {
      if (edit.start_byte > edit.end_byte || edit.end_byte > text.size()) usable = false;
      for (const auto& [error_start, error_end] : before.ranges)
        if (edit.start_byte <= error_end && error_start <= edit.end_byte) usable = false;  // never edit near an error
      for (const auto& taken : accepted)
        if (conflicts(edit, taken)) usable = false;
    }
    if (!usable) {
      ++outcome.skipped;
      continue;
    }
    accepted.insert(accepted.end(), chosen->edits.begin(), chosen->edits.end());
    ++outcome.applied;
  }
  if (accepted.empty()) return outcome;
  std::sort(accepted.begin(), accepted.end(), [](const TextEdit& a, const TextEdit& b) { return a.start_byte < b.start_byte; });
  std::string fixed;
  fixed.reserve(text.size() + 256);
  std::uint32_t position = 0;
  for (const auto& edit : accepted) {
    fixed.append(text, position, edit.start_byte - position);
    fixed += edit.replacement;
    position = edit.end_byte;
  }
  fixed.append(text, position, std::string::npos);
  // The promise of a fix: the file still parses (no more errors than before).
  if (syntax_errors(fixed, language).count > before.count) {
    outcome.skipped += outcome.applied;
    outcome.applied = 0;
    outcome.rejected_reason = "the fixed file would not parse; nothing was changed";
    return outcome;
  }
  outcome.text = std::move(fixed);
  outcome.edits = std::move(accepted);
  return outcome;
}

std::string unified_diff(const std::string& path, const std::string& before, const std::vector<TextEdit>& edits) {
  if (edits.empty()) return {};
  std::vector<std::uint32_t> line_starts{0};
  for (std::uint32_t i = 0; i < before.size(); ++i)
    if (before[i] == '\n') line_starts.push_back(i + 1);
  auto line_of = [&](std::uint32_t byte) {
    return static_cast<std::uint32_t>(std::upper_bound(line_starts.begin(), line_starts.end(), byte) - line_starts.begin() - 1);
  };
  auto line_end = [&](std::uint32_t line) {
    return line + 1 < line_starts.size() ? line_starts[line + 1] : static_cast<std::uint32_t>(before.size());
  };
  struct Hunk {
    std::uint32_t first_line, last_line;
    std::vector<const TextEdit*> edits;
  };
  std::vector<Hunk> hunks;
  for (const auto& edit : edits) {  // sorted by offset
    const std::uint32_t first = line_of(edit.start_byte);
    const std::uint32_t last = edit.end_byte > edit.start_byte ? line_of(edit.end_byte - 1) : first;
    if (!hunks.empty() && first <= hunks.back().last_line) {
      hunks.back().last_line = std::max(hunks.back().last_line, last);
      hunks.back().edits.push_back(&edit);
    } else {
      hunks.push_back({first, last, {&edit}});
    }
  }
  std::ostringstream out;
  out << "--- a/" << path << "\n+++ b/" << path << "\n";
  long long shift = 0;
  for (const auto& hunk : hunks) {
    const std::uint32_t begin = line_starts[hunk.first_line], end = line_end(hunk.last_line);
    const std::string_view old_text(before.data() + begin, end - begin);
    std::string new_text;
    std::uint32_t position = begin;
    for (const TextEdit* edit : hunk.edits) {
      new_text.append(before, position, edit->start_byte - position);
      new_text += edit->replacement;
      position = edit->end_byte;
    }
    new_text.append(before, position, end - position);
    const auto old_lines = split_lines(old_text);
    const auto new_lines = split_lines(new_text);
    out << "@@ -" << hunk.first_line + 1 << "," << old_lines.size() << " +" << hunk.first_line + 1 + shift << ","
        << new_lines.size() << " @@\n";
    for (auto line : old_lines) out << "-" << line << (line.empty() || line.back() != '\n' ? "\n" : "");
    for (auto line : new_lines) out << "+" << line << (line.empty() || line.back() != '\n' ? "\n" : "");
    shift += static_cast<long long>(new_lines.size()) - static_cast<long long>(old_lines.size());
  }
  return out.str();
}

}  // namespace asynclint
