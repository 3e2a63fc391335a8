#include <algorithm>
#include <string>

#include "report/report.h"

namespace asynclint {

namespace {

struct Palette {
  bool on;
  std::string paint(std::string_view text, const char* code) const {
    if (!on) return std::string(text);
    return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
  }
};

// The finding's line with one line of context either side and a caret line under the span.
void write_code_frame(std::ostream& out, const SourceText& source, const Diagnostic& diagnostic, const Palette& palette) {
  const std::uint32_t line_index = diagnostic.start.line - 1;
  const std::uint32_t first = line_index > 0 ? line_index - 1 : 0;
  const std::uint32_t last = std::min(line_index + 1, source.line_count() - 1);
  const std::size_t width = std::to_string(last + 1).size();
  for (std::uint32_t i = first; i <= last; ++i) {
    std::string number = std::to_string(i + 1);
    number.insert(0, width - number.size(), ' ');
    std::string text(source.line_text(i));
    std::replace(text.begin(), text.end(), '\t', ' ');
    out << "    " << (i == line_index ? palette.paint(">", "31;1") : std::string(" ")) << ' ' << palette.paint(number + " |", "90")
        << (text.empty() ? "" : " ") << text << '\n';
    if (i == line_index) {
      const std::uint32_t line_end_byte = source.line_start(i) + static_cast<std::uint32_t>(source.line_text(i).size());
      const std::uint32_t span_end = std::min(diagnostic.end_byte, line_end_byte);
      const std::uint32_t start_col = diagnostic.start.column;
      const std::uint32_t end_col = span_end > diagnostic.start_byte ? source.position_of(span_end).column : start_col + 1;
      out << "      " << std::string(width, ' ') << palette.paint(" |", "90") << ' ' << std::string(start_col - 1, ' ')
          << palette.paint(std::string(std::max<std::uint32_t>(1, end_col - start_col), '^'), "31;1") << '\n';
    }
  }
}

}  // namespace

std::vector<std::string> explanation_lines(const std::vector<ExplanationStep>& steps, const std::string& finding_path) {
  std::vector<std::string> lines;
  std::size_t number = 0;
  for (const auto& step : steps) {
    std::string where = "line " + std::to_string(step.start.line);
    if (!step.path.empty() && step.path != finding_path) where = step.path + ":" + std::to_string(step.start.line);
    lines.push_back(std::string(step.nesting * 2, ' ') + std::to_string(++number) + ". [" + std::to_string(step.time_ms) + " ms] " +
                    where + ": " + step.message);
  }
  return lines;
}

void write_stylish(std::ostream& out, const LintRun& run, const StylishOptions& options) {
  const Palette palette{options.color};
  std::size_t errors = 0, warnings = 0, suggestible = 0;
  for (const auto& file : run.files) {
    if (file.diagnostics.empty() && !file.first_syntax_error) continue;
    out << '\n' << palette.paint(file.path, "4") << '\n';
    std::size_t position_width = 0, severity_width = 0, message_width = 0;
    for (const auto& d : file.diagnostics) {
      position_width = std::max(position_width, std::to_string(d.start.line).size() + 1 + std::to_string(d.start.column).size());
      severity_width = std::max(severity_width, severity_name(d.severity).size() == 4 ? std::size_t{7} : std::size_t{5});
      message_width = std::max(message_width, d.message.size());
    }
    if (const auto& syntax = file.first_syntax_error) {
      // First, as ESLint puts its "Parsing error": the findings below are from the code around it.
      const std::string severity = run.syntax_errors_fail ? "error" : "note";
      std::string position = std::to_string(syntax->start.line) + ":" + std::to_string(syntax->start.column);
      position_width = std::max(position_width, position.size());
      severity_width = std::max(severity_width, std::size_t{5});
      position.insert(0, position_width - position.size(), ' ');
      out << "  " << palette.paint(position, "90") << "  " << palette.paint(severity + std::string(severity_width - severity.size(), ' '), run.syntax_errors_fail ? "31" : "36")
          << "  Parsing error: " << syntax->message << '\n';
      if (run.syntax_errors_fail) ++errors;
    }
    for (const auto& d : file.diagnostics) {
      (d.severity == Severity::Error ? errors : warnings)++;
      if (!d.suggestions.empty()) ++suggestible;
      std::string position = std::to_string(d.start.line) + ":" + std::to_string(d.start.column);
      position.insert(0, position_width - position.size(), ' ');
      std::string severity = d.severity == Severity::Error ? "error" : "warning";
      std::string padded_severity = severity + std::string(severity_width - severity.size(), ' ');
      out << "  " << palette.paint(position, "90") << "  "
          << palette.paint(padded_severity, d.severity == Severity::Error ? "31" : "33") << "  " << d.message << "  "
          << palette.paint(d.rule_id, "90") << '\n';
      if (options.code_frame && file.source) write_code_frame(out, *file.source, d, palette);
      if (options.explain && !d.explanation.empty()) {
        out << "      " << palette.paint(kExplanationHeading, "90") << '\n';
        for (const auto& line : explanation_lines(d.explanation, file.path)) out << "        " << line << '\n';
        if (!d.fixed_explanation.empty()) {
          out << "      " << palette.paint(kFixedExplanationHeading, "90") << '\n';
          for (const auto& line : explanation_lines(d.fixed_explanation, file.path)) out << "        " << line << '\n';
        }
      }
    }
  }
  const std::size_t problems = errors + warnings;
  if (problems > 0) {
    std::string summary = std::string("\u2716 ") + std::to_string(problems) + (problems == 1 ? " problem" : " problems") + " (" +
                          std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") + std::to_string(warnings) +
                          (warnings == 1 ? " warning)" : " warnings)");
    out << '\n' << palette.paint(summary, errors ? "31;1" : "33;1") << '\n';
    if (suggestible > 0)
      out << "  " << suggestible << (suggestible == 1 ? " finding has" : " findings have")
          << " a suggested fix: --fix-suggestions --fix-dry-run shows the edits, --fix-suggestions applies them.\n";
  }
  std::size_t with_syntax_errors = 0;
  for (const auto& file : run.files) with_syntax_errors += file.has_syntax_errors ? 1 : 0;
  if (with_syntax_errors > 0)
    out << "  " << with_syntax_errors << (with_syntax_errors == 1 ? " file has" : " files have")
        << " syntax errors; the code around them was linted"
        << (run.syntax_errors_fail ? ".\n" : " (--error-on-syntax makes them fail the run).\n");
}

}  // namespace asynclint
