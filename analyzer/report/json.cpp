#include <nlohmann/json.hpp>
#include <tuple>

#include "report/report.h"

namespace asynclint {

namespace {

// As ESLint reports a parsing error: no rule, "fatal". A note unless --error-on-syntax.
nlohmann::json syntax_error_json(const std::string& path, const SyntaxError& syntax, bool fails) {
  return {{"file", path},
          {"rule", nullptr},
          {"fatal", true},
          {"severity", fails ? "error" : "note"},
          {"message", "Parsing error: " + syntax.message},
          {"line", syntax.start.line},
          {"column", syntax.start.column},
          {"endLine", syntax.end.line},
          {"endColumn", syntax.end.column},
          {"offset", syntax.start_byte},
          {"endOffset", syntax.end_byte},
          {"suggestions", nlohmann::json::array()},
          {"related", nlohmann::json::array()},
          {"explanation", nlohmann::json::array()},
          {"fixedExplanation", nlohmann::json::array()}};
}

// An explanation's steps: the code as written (`explanation`), or the code with the rule's fix
// (`fixedExplanation`), each from a run of its own.
nlohmann::json steps_json(const std::vector<ExplanationStep>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& step : steps)
    out.push_back({{"file", step.path}, {"line", step.start.line}, {"column", step.start.column},
                   {"message", step.message}, {"timeMs", step.time_ms}, {"nesting", step.nesting}});
  return out;
}

}  // namespace

void write_json(std::ostream& out, const LintRun& run) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& file : run.files) {
    // The syntax error goes among the findings in position order, as ESLint sorts its messages.
    bool syntax_pending = file.first_syntax_error.has_value();
    const auto add_syntax_error_before = [&](const LineColumn* at) {
      if (!syntax_pending) return;
      const LineColumn& start = file.first_syntax_error->start;
      if (at && std::tie(at->line, at->column) <= std::tie(start.line, start.column)) return;
      findings.push_back(syntax_error_json(file.path, *file.first_syntax_error, run.syntax_errors_fail));
      syntax_pending = false;
    };
    for (const auto& d : file.diagnostics) {
      add_syntax_error_before(&d.start);
      nlohmann::json finding;
      finding["file"] = file.path;
      finding["rule"] = d.rule_id;
      finding["severity"] = std::string(severity_name(d.severity));
      finding["message"] = d.message;
      finding["line"] = d.start.line;
      finding["column"] = d.start.column;
      finding["endLine"] = d.end.line;
      finding["endColumn"] = d.end.column;
      finding["offset"] = d.start_byte;
      finding["endOffset"] = d.end_byte;
      nlohmann::json suggestions = nlohmann::json::array();
      for (const auto& suggestion : d.suggestions) {
        nlohmann::json edits = nlohmann::json::array();
        for (const auto& edit : suggestion.edits)
          edits.push_back({{"offset", edit.start_byte}, {"endOffset", edit.end_byte}, {"text", edit.replacement}});
        suggestions.push_back({{"description", suggestion.description}, {"edits", edits}});
      }
      finding["suggestions"] = suggestions;
      nlohmann::json related = nlohmann::json::array();
      for (const auto& location : d.related)
        related.push_back({{"file", location.path}, {"line", location.start.line}, {"column", location.start.column}, {"message", location.message}});
      finding["related"] = related;
      finding["explanation"] = steps_json(d.explanation);
      finding["fixedExplanation"] = steps_json(d.fixed_explanation);
      findings.push_back(std::move(finding));
    }
    add_syntax_error_before(nullptr);
  }
  out << findings.dump(2) << '\n';
}

}  // namespace asynclint
