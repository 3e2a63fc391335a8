#include <nlohmann/json.hpp>

#include "report/report.h"

namespace asynclint {

void write_json(std::ostream& out, const LintRun& run) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& file : run.files) {
    for (const auto& d : file.diagnostics) {
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
      nlohmann::json explanation = nlohmann::json::array();
      for (const auto& step : d.explanation)
        explanation.push_back({{"file", step.path}, {"line", step.start.line}, {"column", step.start.column},
                               {"message", step.message}, {"timeMs", step.time_ms}, {"nesting", step.nesting}});
      finding["explanation"] = explanation;
      findings.push_back(std::move(finding));
    }
  }
  out << findings.dump(2) << '\n';
}

}  // namespace asynclint
