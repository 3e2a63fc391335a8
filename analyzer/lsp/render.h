#pragma once
// How findings look in LSP: Diagnostic objects (with the explanation's steps as relatedInformation),
// hover Markdown, workspace edits. Pure functions of a document and a finding, so tests can hand them
// findings no rule produces yet.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "engine/diagnostic.h"
#include "lsp/document_store.h"

namespace asynclint::lsp {

using Json = nlohmann::json;

struct RenderOptions {
  PositionEncoding encoding = PositionEncoding::Utf16;
  bool document_changes = false;  // the client takes versioned documentChanges in a WorkspaceEdit
  // An LSP Location for a line and column as the engine counts them (1-based, UTF-16) in any file.
  std::function<Json(const std::string& path, const LineColumn& at)> locate;
};

// The page documenting a rule (codeDescription.href, hovers, "Show documentation").
std::string documentation_href(std::string_view rule_id);

Json range_json(const Document& document, std::uint32_t start_byte, std::uint32_t end_byte, PositionEncoding encoding);
Json diagnostic_json(const Document& document, const Diagnostic& diagnostic, const RenderOptions& options);
std::string hover_markdown(const Document& document, const Diagnostic& diagnostic);
Json workspace_edit(const Document& document, const std::vector<TextEdit>& edits, const RenderOptions& options);

}  // namespace asynclint::lsp
