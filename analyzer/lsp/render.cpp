#include "lsp/render.h"

#include "engine/rule.h"
#include "report/report.h"
#include "report/rule_docs.h"

namespace asynclint::lsp {

std::string documentation_href(std::string_view rule_id) {
  return rule_documentation_url(rule_id);  // the page SARIF's helpUri names too: docs/rules/<id>.md
}

Json range_json(const Document& document, std::uint32_t start_byte, std::uint32_t end_byte, PositionEncoding encoding) {
  const Position start = document.lines().position_of(document.text(), start_byte, encoding);
  const Position end = document.lines().position_of(document.text(), end_byte, encoding);
  return {{"start", {{"line", start.line}, {"character", start.character}}}, {"end", {{"line", end.line}, {"character", end.character}}}};
}

Json diagnostic_json(const Document& document, const Diagnostic& diagnostic, const RenderOptions& options) {
  Json out = {{"range", range_json(document, diagnostic.start_byte, diagnostic.end_byte, options.encoding)},
              {"severity", diagnostic.severity == Severity::Error ? 1 : 2},
              {"code", diagnostic.rule_id},
              {"source", "asynclint"},
              {"message", diagnostic.message}};
  if (RuleRegistry::find(diagnostic.rule_id)) out["codeDescription"] = {{"href", documentation_href(diagnostic.rule_id)}};
  if (diagnostic.rule_id == "unused-suppression") out["tags"] = {1};  // Unnecessary: editors fade the comment
  // The explanation's steps in order, each where it happens; then the related locations (the async
  // function's declaration, maybe in another file), which the steps do not repeat.
  Json related = Json::array();
  for (const auto& step : diagnostic.explanation)
    related.push_back({{"location", options.locate(step.path.empty() ? document.path() : step.path, step.start)}, {"message", step.message}});
  for (const auto& location : diagnostic.related)
    related.push_back({{"location", options.locate(location.path.empty() ? document.path() : location.path, location.start)},
                       {"message", location.message}});
  if (!related.empty()) out["relatedInformation"] = std::move(related);
  return out;
}

std::string hover_markdown(const Document& document, const Diagnostic& diagnostic) {
  std::string out = "**asynclint** · `" + diagnostic.rule_id + "` · " + std::string(severity_name(diagnostic.severity)) + "\n\n" +
                    diagnostic.message;
  if (!diagnostic.explanation.empty()) {
    // The command line's own lines, numbers and indentation, in a code block: a Markdown list would
    // renumber them (a nested step opens a list of its own), and the numbers must match `--explain`'s.
    out += "\n\n**What happens when it runs** (the event-loop model, step by step):\n\n```text\n";
    for (const auto& line : explanation_lines(diagnostic.explanation, document.path())) out += line + "\n";
    out += "```";
    if (!diagnostic.fixed_explanation.empty()) {
      // A second run of its own, on the fixed code: its clock starts again at 0 ms.
      out += "\n\n**With the suggested fix** (the fixed code, simulated separately):\n\n```text\n";
      for (const auto& line : explanation_lines(diagnostic.fixed_explanation, document.path())) out += line + "\n";
      out += "```";
    }
  }
  if (RuleRegistry::find(diagnostic.rule_id))
    out += "\n\n[" + diagnostic.rule_id + " documentation](" + documentation_href(diagnostic.rule_id) + ")";
  return out;
}

Json workspace_edit(const Document& document, const std::vector<TextEdit>& edits, const RenderOptions& options) {
  Json text_edits = Json::array();
  for (const auto& edit : edits)
    text_edits.push_back({{"range", range_json(document, edit.start_byte, edit.end_byte, options.encoding)}, {"newText", edit.replacement}});
  if (options.document_changes)
    return {{"documentChanges", Json::array({{{"textDocument", {{"uri", document.uri()}, {"version", document.version()}}}, {"edits", text_edits}}})}};
  return {{"changes", {{document.uri(), text_edits}}}};
}

}  // namespace asynclint::lsp
